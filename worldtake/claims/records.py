"""Frozen records the claims stage produces: attributed statements and pledge claims."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PledgeClaim:
    """One country's position on one kind of contribution, as one text states it.

    `quote` is the sentence that states it and `start`/`end` its span in the text read.
    """

    country: str
    kind: str
    polarity: str
    condition: str | None
    amount: str | None
    quote: str
    start: int
    end: int
    beneficiary: str = "UA"
    replaces_coalition: bool = False
    date: str | None = None

    def triple(self) -> tuple[str, str, str]:
        """The (country, kind, polarity) triple this claim is scored and grouped by."""
        return (self.country, self.kind, self.polarity)


@dataclass(frozen=True)
class Statement:
    """Who said what: speaker, reporting verb, content, and where it is in the text."""

    speaker: str
    speaker_kind: str
    speaker_country: str | None
    verb: str
    content: str
    is_direct: bool
    start: int
    end: int
    date: str | None = None


@dataclass(frozen=True)
class StanceClaim:
    """A country's stance on deploying foreign troops in Ukraine (`supports` or `opposes`)."""

    country: str
    stance: str
    speaker: str | None
    quote: str
    start: int
    end: int
    date: str | None = None

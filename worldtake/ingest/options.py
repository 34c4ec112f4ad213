"""What the user said about the sources of one ingest: outlet, country, language, reference date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from worldtake.errors import WorldtakeError

_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True)
class IngestOptions:
    """Defaults for items that do not say their outlet, country or language themselves."""

    source: str | None = None
    country: str | None = None
    language: str | None = None
    as_of: str | None = None

    def __post_init__(self) -> None:
        if self.country is not None and not re.fullmatch(r"[A-Z]{2}", self.country):
            raise WorldtakeError(
                f"country must be an ISO 3166-1 alpha-2 code, got {self.country!r}"
            )
        if self.language is not None and not _LANGUAGE.match(self.language):
            raise WorldtakeError(f"language must be an ISO 639-1 code, got {self.language!r}")
        if self.as_of is not None:
            try:
                date.fromisoformat(self.as_of)
            except ValueError as exc:
                raise WorldtakeError(f"--as-of wants YYYY-MM-DD, got {self.as_of!r}") from exc

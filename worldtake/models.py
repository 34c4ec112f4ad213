"""Frozen records passed between stages: documents from ingest, stored articles, reports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

PRECISIONS = ("exact", "day", "month", "inferred", "unknown")

ProgressCallback = Callable[[str, int, int | None], None]
"""Called as `progress(label, done, total)`; total is None when unknown."""


@dataclass(frozen=True)
class Document:
    """One news item as an ingester found it, before it is stored."""

    origin: str
    title: str
    text: str
    url: str | None = None
    external_id: str | None = None
    published: str | None = None
    published_precision: str = "unknown"
    source: str | None = None
    country: str | None = None
    language: str | None = None
    author: str | None = None
    position: int = 0
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Article:
    """A stored article: what every stage after ingest reads."""

    id: int
    origin: str
    title: str
    text: str
    source_id: int | None = None
    source: str | None = None
    source_country: str | None = None
    external_id: str | None = None
    url: str | None = None
    author: str | None = None
    published: str | None = None
    published_precision: str = "unknown"
    language: str | None = None
    title_en: str | None = None
    text_en: str | None = None
    raw_item_id: int | None = None
    position: int = 0
    content_hash: str = ""
    event_id: str | None = None
    story_id: str | None = None
    duplicate_of: int | None = None


@dataclass(frozen=True)
class Rejection:
    """A reason an item or source was refused (or kept with a warning)."""

    origin: str
    reason: str
    line: int | None = None
    stage: str = "ingest"
    kept: bool = False

    def describe(self) -> str:
        """One line naming the file or URL, the line, and the reason."""
        where = self.origin if self.line is None else f"{self.origin} line {self.line}"
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class IngestReport:
    """What one ingest call did, source by source."""

    added: int = 0
    skipped: int = 0
    rejections: tuple[Rejection, ...] = field(default_factory=tuple)

    @property
    def rejected(self) -> int:
        """How many items or sources were refused outright."""
        return sum(1 for r in self.rejections if not r.kept)

    @property
    def warnings(self) -> int:
        """How many items were kept with a warning."""
        return sum(1 for r in self.rejections if r.kept)

    def merge(self, other: IngestReport) -> IngestReport:
        """Add another report's counts to this one."""
        return IngestReport(
            self.added + other.added,
            self.skipped + other.skipped,
            self.rejections + other.rejections,
        )


@dataclass(frozen=True)
class StageReport:
    """What one pipeline stage did in one `process` run."""

    stage: str
    done: int = 0
    rejected: int = 0

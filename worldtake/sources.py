"""The sources registry: outlets and their feeds, added by hand or from OPML, and their health."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from worldtake.errors import WorldtakeError
from worldtake.ingest.discovery import discover_feed_url, is_html
from worldtake.ingest.feeds import check_feed_bytes, parse_with_feedparser
from worldtake.ingest.feedxml import parse_feed_xml
from worldtake.ingest.fetch import fetch_url
from worldtake.ingest.opml import SourceRecord, read_opml, write_opml
from worldtake.settings import Settings
from worldtake.store import Store, polling


@dataclass(frozen=True)
class SourceHealth:
    """A source as `sources list` shows it: identity and polling health."""

    name: str
    feed_url: str | None
    country: str | None
    languages: tuple[str, ...]
    state_media: bool
    last_success: str | None
    last_error: str | None
    error_count: int
    next_check: str | None
    items_per_day: float


def default_sources_path() -> Path:
    """The default source list shipped with worldtake."""
    return Path(str(resources.files("worldtake") / "data" / "sources.opml"))


def add_source(store: Store, record: SourceRecord) -> int:
    """Add or update one source; return its id."""
    _check(record)
    with store.transaction() as conn:
        return polling.upsert_source(conn, _values(record))


def discover_source(record: SourceRecord, settings: Settings) -> SourceRecord:
    """Complete a source given by its home page: the feed the page announces, and when the name
    is the URL itself, the feed's title as the name (and its language when none was given)."""
    home = record.home_url or (record.name if "://" in record.name else None)
    if record.feed_url or home is None:
        return record
    page = fetch_url(home, settings)
    feed_url = discover_feed_url(page) if is_html(page) else page.url
    body = page.body if feed_url == page.url else fetch_url(feed_url, settings).body
    check_feed_bytes(body.lstrip())
    feed = parse_feed_xml(body.lstrip()) or parse_with_feedparser(body.lstrip())
    name = record.name
    if "://" in name:
        name = " ".join(feed.title.split()) or urlsplit(home).hostname or home
    language = feed.language.split("-")[0].lower()
    return replace(
        record,
        name=name,
        feed_url=feed_url,
        home_url=home,
        languages=record.languages or ((language,) if language else ()),
    )


def import_sources(store: Store, data: bytes) -> int:
    """Add or update every feed of an OPML document; return how many."""
    records = read_opml(data)
    for record in records:
        _check(record)
    with store.transaction() as conn:
        for record in records:
            polling.upsert_source(conn, _values(record))
    return len(records)


def export_sources(store: Store) -> str:
    """Every source as an OPML document with our extension attributes."""
    with store.reading() as conn:
        rows = polling.source_rows(conn)
    return write_opml([_record(row) for row in rows if row["feed_url"] or row["home_url"]])


def remove_source(store: Store, key: str) -> None:
    """Remove the source with this name or feed URL; raise when there is none."""
    with store.transaction() as conn:
        if polling.delete_source(conn, key) == 0:
            raise WorldtakeError(f"no source named {key!r} or with that feed URL")


def list_health(store: Store) -> list[SourceHealth]:
    """Every source with its polling health and items per day over the last week."""
    with store.reading() as conn:
        rows = polling.source_rows(conn)
    return [
        SourceHealth(
            name=row["name"],
            feed_url=row["feed_url"],
            country=row["country"],
            languages=tuple(row["languages"] or ()),
            state_media=bool(row["state_media"]),
            last_success=row["last_success"],
            last_error=row["last_error"],
            error_count=int(row["error_count"] or 0),
            next_check=row["next_check"],
            items_per_day=round(int(row["recent_articles"] or 0) / 7, 1),
        )
        for row in rows
    ]


def _check(record: SourceRecord) -> None:
    if not record.name.strip():
        raise WorldtakeError("a source needs a name")
    if record.country is not None and not re.fullmatch(r"[A-Z]{2}", record.country):
        raise WorldtakeError(f"country must be ISO 3166-1 alpha-2, got {record.country!r}")
    for url in (record.feed_url, record.home_url):
        if url is not None and not re.match(r"^https?://", url):
            raise WorldtakeError(f"a source URL must be http(s), got {url!r}")


def _values(record: SourceRecord) -> dict[str, Any]:
    return {
        "name": record.name,
        "feed_url": record.feed_url,
        "home_url": record.home_url,
        "country": record.country,
        "languages": list(record.languages),
        "category": record.category,
        "state_media": record.state_media,
    }


def _record(row: dict[str, Any]) -> SourceRecord:
    return SourceRecord(
        name=row["name"],
        feed_url=row["feed_url"],
        home_url=row["home_url"],
        country=row["country"],
        languages=tuple(row["languages"] or ()),
        category=row["category"],
        state_media=bool(row["state_media"]),
    )

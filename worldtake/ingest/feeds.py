"""Feeds: RSS 0.9x/1.0/2.0, Atom and JSON Feed: lxml for well-formed ones, else feedparser."""

from __future__ import annotations

import calendar
import contextlib
import json
import re
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, Literal
from urllib.parse import urljoin
from xml.sax import SAXException

import feedparser
from feedparser.datetimes import _parse_date as _feedparser_date

from worldtake.dates import parse_published
from worldtake.errors import Rejected
from worldtake.ingest.decode import decode_text
from worldtake.ingest.feedxml import FeedEntry, FeedXml, parse_feed_xml
from worldtake.ingest.markup import html_to_text
from worldtake.ingest.options import IngestOptions
from worldtake.models import Document, Rejection
from worldtake.sentences import first_sentence

_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*(<!doctype html|<html|<head|<body)", re.I | re.S)
_LANGUAGE = re.compile(r"^([a-z]{2,3})\b")
_LOCAL_RFC822 = re.compile(
    r"^\s*(?:[^\W\d_]+\.?,?\s+)?(\d{1,2})\s+([^\W\d_]+\.?)\s+(\d{4})\s+(\d{1,2}):(\d{2})"
    r"(?::(\d{2}))?\s*(?:([+-]\d{4})|([A-Za-z]{1,5}))?\s*$"
)
# where a feed names no language: those whose RFC 822 dates feedparser does not read
_COMMON_LANGUAGES = ("pt", "es", "fr", "it", "de", "nl")
_MONTH_FORMS: tuple[
    tuple[Literal["abbreviated", "wide"], Literal["format", "stand-alone"]], ...
] = (
    ("abbreviated", "format"),
    ("abbreviated", "stand-alone"),
    ("wide", "format"),
    ("wide", "stand-alone"),
)
_LINK_TAG = re.compile(rb"<link\b([^>]*)>", re.IGNORECASE)
_ATTRIBUTE = re.compile(rb"([a-zA-Z-]+)\s*=\s*[\"']([^\"']*)[\"']")


def read_feed(data: bytes, path: str, options: IngestOptions) -> Iterator[Document | Rejection]:
    """Yield a document per feed item; reject a source that is not a well-formed feed."""
    body = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if body.startswith(b"{"):
        yield from read_json_feed(body, path, options)
        return
    check_feed_bytes(body)
    feed = parse_feed_xml(body) or parse_with_feedparser(body)
    yield from feed_documents(feed, path, options)


def parse_with_feedparser(body: bytes) -> FeedXml:
    """Read any feed feedparser knows, however unusual or broken; reject what it cannot read."""
    parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    _check_parsed(parsed, body)
    channel = parsed.feed
    return FeedXml(
        title=_text_of(channel, "title"),
        language=_text_of(channel, "language"),
        entries=[_feedparser_entry(entry) for entry in parsed.entries],
    )


def feed_documents(
    feed: FeedXml, path: str, options: IngestOptions
) -> Iterator[Document | Rejection]:
    """Yield a document per entry of a parsed feed, or the reason an entry is refused."""
    source = options.source or _clean(feed.title) or None
    language = options.language or _language(feed.language)
    for number, entry in enumerate(feed.entries, start=1):
        try:
            yield _document_from_entry(entry, number, path, options, source, language)
        except Rejected as exc:
            yield Rejection(path, f"item {number}: {exc.reason}")


def _feedparser_entry(entry: Any) -> FeedEntry:
    contents = entry.get("content") or []
    return FeedEntry(
        title=_text_of(entry, "title"),
        contents=tuple(c.get("value") or "" for c in contents),
        summary=_text_of(entry, "summary"),
        link=_text_of(entry, "link"),
        id=_text_of(entry, "id"),
        author=_text_of(entry, "author"),
        published=_text_of(entry, "published"),
        updated=_text_of(entry, "updated"),
        created=_text_of(entry, "created"),
    )


def _text_of(values: Any, key: str) -> str:
    value = dict.get(values, key)  # plain lookups: feedparser's aliasing only warns
    return value if isinstance(value, str) else ""


def check_feed_bytes(body: bytes) -> None:
    """Refuse bytes that are HTML or that declare XML entities (the shape of an XML bomb)."""
    if not body.strip():
        raise Rejected("empty feed")
    if _ENTITY_DECLARATION.search(body[:65536]):
        raise Rejected("XML entity declarations are refused (the shape of an XML bomb)")
    if _HTML_START.match(body[:4096]):
        links = find_feed_links(body)
        hint = f" (it links to the feeds {', '.join(links)})" if links else ""
        raise Rejected(f"an HTML page, not a feed{hint}")


def find_feed_links(page: bytes, base_url: str | None = None) -> list[str]:
    """Feed URLs an HTML page announces with `<link rel="alternate" type="…rss/atom/json">`."""
    found: list[str] = []
    for tag in _LINK_TAG.findall(page[:200_000]):
        attrs = {k.lower(): v for k, v in _ATTRIBUTE.findall(tag)}
        kind = attrs.get(b"type", b"").lower()
        rel = attrs.get(b"rel", b"").lower()
        if b"alternate" in rel and any(t in kind for t in (b"rss", b"atom", b"feed+json")):
            href = attrs.get(b"href", b"").decode("utf-8", "replace").strip()
            url = urljoin(base_url, href) if base_url else href
            if href and url not in found:
                found.append(url)
    return found


def _check_parsed(parsed: Any, body: bytes) -> None:
    problem = parsed.get("bozo_exception")
    if isinstance(problem, SAXException):
        message = str(problem)
        if not parsed.entries or not parsed.version:
            raise Rejected(f"not a feed: malformed XML ({message})")
        if _is_truncated(body, message):
            raise Rejected(f"truncated XML: {message}")
    if not parsed.version:
        if b"<html" in body[:4096].lower():
            raise Rejected("an HTML page, not a feed")
        raise Rejected("not a feed: no RSS, Atom or JSON Feed root element")


def _is_truncated(body: bytes, message: str) -> bool:
    tail = body.rstrip()[-64:].lower()
    closed = tail.endswith(b"</rss>") or tail.endswith(b"</feed>") or tail.endswith(b"</rdf:rdf>")
    return not closed or "no element found" in message or "unclosed token" in message


def _document_from_entry(
    entry: FeedEntry,
    number: int,
    path: str,
    options: IngestOptions,
    source: str | None,
    language: str | None,
) -> Document:
    title = _clean_markup(entry.title)
    text = _entry_text(entry)
    if not title and not text:
        raise Rejected("neither title nor text")
    link = _clean(entry.link) or None
    external_id = _clean(entry.id) or None
    published, precision = _entry_date(entry, language)
    return Document(
        origin=link or external_id or f"{path}#item{number}",
        title=title or first_sentence(text),
        text=text or title,
        url=link,
        external_id=external_id,
        published=published,
        published_precision=precision,
        source=source,
        country=options.country,
        language=language,
        author=_clean(entry.author) or None,
        position=number,
    )


def _entry_text(entry: FeedEntry) -> str:
    """The fullest text an entry carries: content:encoded or Atom content, else its summary."""
    contents = [c for c in entry.contents if c]
    if contents:
        return html_to_text(max(contents, key=len))
    return html_to_text(entry.summary)


def _entry_date(entry: FeedEntry, language: str | None) -> tuple[str | None, str]:
    for raw in (entry.published, entry.updated, entry.created):
        stamp = _parse_feed_date(raw) if raw else None
        if stamp:
            return stamp, "exact"
    for raw in (entry.published, entry.updated):
        if raw:
            stamp = _parse_local_rfc822(raw, language)
            if stamp:
                return stamp, "exact"
            found = _parse_date_in_words(raw, language or "en")
            if found is not None:
                return found
    return None, "unknown"


@lru_cache(maxsize=4096)
def _parse_local_rfc822(raw: str, language: str | None) -> str | None:
    """An RFC 822 date with day and month names in another language ("Seg, 24 Set 2018 …")."""
    match = _LOCAL_RFC822.match(raw)
    if match is None:
        return None
    day, month_name, year, hour, minute, second, offset, zone = match.groups()
    month = month_numbers(language).get(month_name.casefold().rstrip("."))
    if month is None or (zone and zone.upper() not in ("GMT", "UT", "UTC", "Z")):
        return None
    try:
        moment = datetime(int(year), month, int(day), int(hour), int(minute), int(second or 0))
    except ValueError:
        return None
    if offset:
        sign = -1 if offset[0] == "-" else 1
        moment -= sign * timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5]))
    return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")


@lru_cache(maxsize=64)
def month_numbers(language: str | None) -> dict[str, int]:
    """Month names and abbreviations of a language (or of common ones) to 1-12, from CLDR."""
    from babel.core import UnknownLocaleError
    from babel.dates import get_month_names

    found: dict[str, set[int]] = {}
    for code in [language] if language else _COMMON_LANGUAGES:
        for width, context in _MONTH_FORMS:
            try:
                names = get_month_names(width, context, locale=code)
            except (UnknownLocaleError, ValueError):
                continue
            for number, name in names.items():
                found.setdefault(name.casefold().rstrip("."), set()).add(number)
    return {name: numbers.pop() for name, numbers in found.items() if len(numbers) == 1}


@lru_cache(maxsize=4096)
def _parse_feed_date(raw: str) -> str | None:
    """A feed date in UTC by feedparser's date rules (RFC 822, ISO 8601 and kin); cached."""
    parsed = _feedparser_date(raw)
    if parsed is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(calendar.timegm(parsed)))


@lru_cache(maxsize=1024)
def _parse_date_in_words(raw: str, language: str) -> tuple[str, str] | None:
    """The slow last resort for dates feedparser does not read ("4 settembre 2025"); cached."""
    try:
        return parse_published(raw, languages=[language])
    except ValueError:
        return None


def read_json_feed(
    data: bytes, path: str, options: IngestOptions
) -> Iterator[Document | Rejection]:
    """Yield a document per item of a JSON Feed (version 1.x)."""
    try:
        feed = json.loads(decode_text(data).text)
    except json.JSONDecodeError as exc:
        raise Rejected(f"not a JSON Feed: invalid JSON ({exc.msg})") from exc
    if not isinstance(feed, dict) or "jsonfeed.org" not in str(feed.get("version", "")):
        raise Rejected("not a JSON Feed: no jsonfeed.org version")
    source = options.source or _clean(feed.get("title")) or None
    language = options.language or _language(feed.get("language"))
    for number, item in enumerate(feed.get("items") or [], start=1):
        if not isinstance(item, dict):
            yield Rejection(path, f"item {number}: not a JSON object")
            continue
        try:
            yield _document_from_json_item(item, number, path, options, source, language)
        except Rejected as exc:
            yield Rejection(path, f"item {number}: {exc.reason}")


def _document_from_json_item(
    item: dict[str, Any],
    number: int,
    path: str,
    options: IngestOptions,
    source: str | None,
    language: str | None,
) -> Document:
    title = _clean(item.get("title"))
    raw_html = item.get("content_html")
    text = html_to_text(raw_html) if isinstance(raw_html, str) else _clean(item.get("content_text"))
    text = text or _clean(item.get("summary"))
    if not title and not text:
        raise Rejected("neither title nor text")
    link = _clean(item.get("url")) or None
    published, precision = None, "unknown"
    if item.get("date_published"):
        with contextlib.suppress(ValueError):
            published, precision = parse_published(str(item["date_published"]))
    item_id = item.get("id")
    return Document(
        origin=link or (str(item_id) if item_id else f"{path}#item{number}"),
        title=title or first_sentence(text),
        text=text or title,
        url=link,
        external_id=None if item_id is None else str(item_id),
        published=published,
        published_precision=precision,
        source=source,
        country=options.country,
        language=language,
        position=number,
    )


def _clean(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    return " ".join(value.split())


def _clean_markup(value: Any) -> str:
    """A title without the tags and character references some feeds leave in it."""
    text = _clean(value)
    return " ".join(html_to_text(text).split()) if "<" in text or "&" in text else text


def _language(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    match = _LANGUAGE.match(value.strip().lower())
    return match.group(1) if match else None

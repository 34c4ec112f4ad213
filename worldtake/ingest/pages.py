"""HTML article pages: main text, title, author, date, language and canonical URL, via trafilatura.

Dates come from htmldate, asking for the original publication date rather than the last update;
title, author, canonical URL and site name from the page's own tags (see `pagemeta`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import trafilatura
from htmldate import find_date

from worldtake.errors import Rejected
from worldtake.ingest.options import IngestOptions
from worldtake.ingest.pagemeta import read_page_meta
from worldtake.models import Document, Rejection
from worldtake.sentences import first_sentence

_MIN_WORDS = 5
_DATE_PARAMS: dict[str, Any] = {
    "original_date": True,
    "extensive_search": False,
    "outputformat": "%Y-%m-%d",
}
_HTML_LANG = re.compile(rb"<html[^>]*\slang=[\"']?([a-zA-Z]{2,3})", re.IGNORECASE)


@dataclass(frozen=True)
class Page:
    """What a page holds beyond its chrome."""

    title: str
    text: str
    author: str | None = None
    published: str | None = None
    url: str | None = None
    language: str | None = None
    sitename: str | None = None


def extract_page(data: bytes, origin: str, url: str | None = None) -> Page:
    """Extract the main text and metadata of one HTML page; raise Rejected when there is none.

    The page is parsed once; cheap metadata (meta tags, JSON-LD) and the date (htmldate) are
    read from that tree, which trafilatura then extracts the text from.
    """
    tree = trafilatura.load_html(data)
    if tree is None:
        raise Rejected("not an HTML page (no document tree)")
    meta = read_page_meta(tree)
    published = find_date(tree, url=meta.url or url, **_DATE_PARAMS)
    result = trafilatura.bare_extraction(
        tree, url=url, favor_precision=True, include_comments=False, with_metadata=False
    )
    if isinstance(result, dict):
        raise TypeError("trafilatura returned a dict where a Document was asked for")
    if result is None or not (result.text or "").strip():
        raise Rejected("no article text found in the page")
    title = " ".join((meta.title or "").split())
    text = _drop_leading_title(result.text or "", title)
    if len(text.split()) < _MIN_WORDS:
        raise Rejected(f"no article text found in the page (only {len(text.split())} words)")
    return Page(
        title=title or first_sentence(text),
        text=text,
        author=meta.author,
        published=published or None,
        url=meta.url or url,
        language=meta.language or _declared_language(data),
        sitename=meta.sitename,
    )


def read_page(data: bytes, path: str, options: IngestOptions) -> Iterator[Document | Rejection]:
    """Yield the one article of an HTML page."""
    page = extract_page(data, path, url=path if "://" in path else None)
    yield Document(
        origin=path,
        title=page.title,
        text=page.text,
        url=page.url,
        published=page.published,
        published_precision="day" if page.published else "unknown",
        source=options.source or page.sitename,
        country=options.country,
        language=options.language or page.language,
        author=page.author,
        position=1,
    )


def _drop_leading_title(text: str, title: str) -> str:
    lines = text.strip().splitlines()
    if lines and title and " ".join(lines[0].split()) == title and len(lines) > 1:
        lines = lines[1:]
    return "\n".join(line.strip() for line in lines if line.strip())


def _declared_language(data: bytes) -> str | None:
    match = _HTML_LANG.search(data[:4096])
    return match.group(1).decode("ascii").lower() if match else None

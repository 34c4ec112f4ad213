"""Feed autodiscovery and full texts: what ingesting a URL fetches beyond the URL itself.

A home page (a URL whose path is `/`) that announces feeds with
`<link rel="alternate" type="application/rss+xml|atom+xml">` is followed to its first feed.
Feed items whose text is a short summary get the article behind their link, fetched as a page
(robots.txt and per-host delays apply) and extracted, when the `fetch_full_text` setting allows.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

from worldtake.errors import Rejected
from worldtake.ingest.feeds import find_feed_links
from worldtake.ingest.fetch import Fetched, Politeness, fetch_url
from worldtake.ingest.pages import extract_page
from worldtake.models import Document
from worldtake.settings import Settings

SHORT_TEXT_WORDS = 60


def is_home_page(url: str) -> bool:
    """True for a site's front page (`https://example.org/`), where feeds are announced."""
    return urlsplit(url).path in ("", "/")


def is_html(fetched: Fetched) -> bool:
    """True when a response is an HTML page rather than a feed or data."""
    kind = (fetched.content_type or "").split(";")[0].strip().lower()
    head = fetched.body[:512].lstrip().lower()
    return "html" in kind or head.startswith((b"<!doctype html", b"<html"))


def fetch_source(url: str, settings: Settings) -> tuple[str, Fetched]:
    """Fetch what `url` names: its feed when it is a home page announcing one, else itself."""
    fetched = fetch_url(url, settings)
    if not (is_home_page(url) and is_html(fetched)):
        return url, fetched
    feed_url = discover_feed_url(fetched)
    return feed_url, fetch_url(feed_url, settings)


def discover_feed_url(page: Fetched) -> str:
    """The first feed an HTML page announces; raise Rejected when it announces none."""
    links = find_feed_links(page.body, base_url=page.url)
    if not links:
        raise Rejected("the page announces no RSS or Atom feed", origin=page.url)
    return links[0]


def needs_full_text(document: Document) -> bool:
    """True for an item with a link whose text is only a short summary."""
    return bool(document.url) and len(document.text.split()) < SHORT_TEXT_WORDS


def fetch_full_text(
    document: Document, settings: Settings, politeness: Politeness | None = None
) -> Document:
    """The item with the text of the article its link points to, or with a warning why not."""
    assert document.url is not None, "needs_full_text() selects items with a link"
    try:
        fetched = fetch_url(document.url, settings, is_page=True, politeness=politeness)
        page = extract_page(fetched.body, document.url, url=fetched.url)
    except Rejected as exc:
        warning = f"full text not fetched from {document.url}: {exc.reason}"
        return replace(document, warnings=(*document.warnings, warning))
    if len(page.text.split()) <= len(document.text.split()):
        return document
    return replace(
        document,
        text=page.text,
        author=document.author or page.author,
        published=document.published or page.published,
        published_precision=(
            document.published_precision if document.published or not page.published else "day"
        ),
        language=document.language or page.language,
    )

"""Cheap page metadata from a parsed HTML tree: title, author, canonical URL, site name, language.

Meta tags (Open Graph, Twitter, Dublin Core, `name=author`), JSON-LD and a few structural hints
are read with one pass over `<head>` plus a handful of XPath queries; the costly whole-page
heuristics of a full metadata extractor are left out on purpose (they cost more than the text
extraction itself on news pages, which nearly always carry these tags).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

_META_TITLE = ("og:title", "twitter:title", "dc.title", "title", "sailthru.title", "parsely-title")
_META_AUTHOR = (
    "author",
    "article:author",
    "dc.creator",
    "byl",
    "sailthru.author",
    "parsely-author",
)
_META_URL = ("og:url", "twitter:url")
_META_SITE = ("og:site_name", "application-name", "twitter:site")
_TITLE_SEPARATOR = re.compile(r"\s+[|–—:»·-]\s+")
_BYLINE = re.compile(r"^(?:by|par|von|di|de|por|door|av)\s+", re.IGNORECASE)
_LANGUAGE = re.compile(r"^([a-z]{2,3})\b")
_JSON_TYPES = ("article", "newsarticle", "reportagenewsarticle", "blogposting", "webpage")


@dataclass(frozen=True)
class PageMeta:
    """What a page says about itself."""

    title: str | None = None
    author: str | None = None
    url: str | None = None
    sitename: str | None = None
    language: str | None = None


def read_page_meta(tree: HtmlElement) -> PageMeta:
    """Read title, author, canonical URL, site name and language from a parsed page."""
    meta = _meta_tags(tree)
    linked = _json_ld(tree)
    return PageMeta(
        title=_first(meta, _META_TITLE) or _text(linked.get("headline")) or _title_of(tree),
        author=_author(meta, linked, tree),
        url=_canonical(tree) or _first(meta, _META_URL),
        sitename=_first(meta, _META_SITE) or _publisher(linked),
        language=_language(tree, meta),
    )


def _meta_tags(tree: HtmlElement) -> dict[str, str]:
    """Every `<meta name|property|itemprop=… content=…>`, first value kept, keys lower-cased."""
    found: dict[str, str] = {}
    for element in tree.iterfind(".//meta"):
        content = " ".join((element.get("content") or "").split())
        if not content:
            continue
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            key = (element.get(attribute) or "").strip().lower()
            if key:
                found.setdefault(key, content)
    return found


def _json_ld(tree: HtmlElement) -> dict[str, Any]:
    """The first JSON-LD object describing an article (or a web page)."""
    for script in tree.iterfind(".//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        for item in _json_items(data):
            kind = item.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(str(k).lower() in _JSON_TYPES for k in kinds):
                return item
    return {}


def _json_items(data: Any) -> list[dict[str, Any]]:
    items = data if isinstance(data, list) else [data]
    out: list[dict[str, Any]] = []
    for item in items:
        if isinstance(item, dict):
            out.append(item)
            graph = item.get("@graph")
            if isinstance(graph, list):
                out.extend(g for g in graph if isinstance(g, dict))
    return out


def _first(meta: dict[str, str], keys: tuple[str, ...]) -> str | None:
    return next((meta[k] for k in keys if meta.get(k) and "://" not in meta[k][:8]), None)


def _text(value: Any) -> str | None:
    return " ".join(value.split()) or None if isinstance(value, str) else None


def _title_of(tree: HtmlElement) -> str | None:
    """The only `<h1>`, else the longest part of `<title>` split at its site-name separator."""
    headings = [" ".join(h.text_content().split()) for h in tree.iterfind(".//h1")]
    headings = [h for h in headings if h]
    if len(headings) == 1:
        return headings[0]
    title = tree.find(".//title")
    text = " ".join((title.text_content() if title is not None else "").split())
    if not text:
        return headings[0] if headings else None
    parts = _TITLE_SEPARATOR.split(text)
    return max(parts, key=len) if len(parts) > 1 else text


def _author(meta: dict[str, str], linked: dict[str, Any], tree: HtmlElement) -> str | None:
    name = _first(meta, _META_AUTHOR) or _json_person(linked.get("author"))
    if not name:
        found = tree.xpath(
            "(.//*[@rel='author' or @itemprop='author' or contains(@class, 'byline')])[1]"
        )
        if found and isinstance(found[0], etree._Element):
            name = " ".join(found[0].text_content().split())[:120]
    return _BYLINE.sub("", name).strip() or None if name else None


def _json_person(value: Any) -> str | None:
    people = value if isinstance(value, list) else [value]
    names = [
        p.get("name") if isinstance(p, dict) else p for p in people if isinstance(p, dict | str)
    ]
    clean = [" ".join(n.split()) for n in names if isinstance(n, str) and n.strip()]
    return "; ".join(clean) or None


def _publisher(linked: dict[str, Any]) -> str | None:
    publisher = linked.get("publisher")
    if isinstance(publisher, list) and publisher:
        publisher = publisher[0]
    return _text(publisher.get("name")) if isinstance(publisher, dict) else None


def _canonical(tree: HtmlElement) -> str | None:
    for link in tree.iterfind(".//link[@rel='canonical']"):
        href = (link.get("href") or "").strip()
        if href.startswith(("http://", "https://")):
            return href
    return None


def _language(tree: HtmlElement, meta: dict[str, str]) -> str | None:
    for value in (tree.get("lang"), meta.get("content-language"), meta.get("og:locale")):
        match = _LANGUAGE.match((value or "").strip().lower())
        if match:
            return match.group(1)
    return None

"""The fast path for feeds: well-formed RSS 2.0, RSS 1.0 and Atom read straight from an lxml tree.

It gives the fields feedparser would give for the same feed (title, link, id, author, summary,
content and raw dates of each entry; title and language of the feed), following feedparser's
rules where feeds disagree (the first title wins, a second summary counts as content, a
permalink guid stands in for a missing link). Anything it does not know how to read the same way
(XHTML or base64 content, xml:base, markup nested in a text element, unknown feed dialects)
makes it give up with None, and the caller uses feedparser instead.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field

from feedparser.mixin import _FeedParserMixin
from lxml import etree

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, dtd_validation=False
)
_RSS1 = "{http://purl.org/rss/1.0/}"
_ATOM = "{http://www.w3.org/2005/Atom}"
_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# feedparser's own table of namespace URIs to prefixes, so that elements map to the same names
_PREFIXES = {uri.lower(): prefix for uri, prefix in _FeedParserMixin.namespaces.items()}
_TITLE = frozenset(["title", "dc:title"])
_SUMMARY = frozenset(
    ["description", "summary", "itunes:summary", "dc:description", "media:description"]
)
_CONTENT = frozenset(["content:encoded", "content", "fullitem"])
_AUTHOR = frozenset(["author", "dc:creator", "dc:author", "itunes:author", "managingeditor"])
_DATES = {
    "pubdate": "published",
    "published": "published",
    "issued": "published",
    "dcterms:issued": "published",
    "updated": "updated",
    "modified": "updated",
    "dc:date": "updated",
    "dcterms:modified": "updated",
    "lastbuilddate": "updated",
    "created": "created",
    "dcterms:created": "created",
}
# elements feedparser gives a meaning this reader does not reproduce: leave those feeds to it
_UNUSUAL = frozenset(
    [
        *("abstract", "body", "xhtml:body", "item", "entry", "image", "textinput"),
        *("contributor", "channel", "feed", "itunes:owner"),
    ]
)
_LINKS = frozenset(["link", "guid", "id"])
_ROLES = {
    **{name: "unusual" for name in _UNUSUAL},
    **{name: "title" for name in (*_TITLE, "media:title")},
    **{name: "text" for name in (*_SUMMARY, *_CONTENT)},
    **{name: "field" for name in (*_AUTHOR, *_DATES, *_LINKS)},
    "source": "source",
}
_PLAIN_TYPES = frozenset(["text", "html", "text/plain", "text/html"])
_HTML_TYPES = frozenset(["text/html", "application/xhtml+xml"])
_BASE_ATTRIBUTE = re.compile(rb"base\s*=")
_URI_FIX = re.compile(r"^([A-Za-z][A-Za-z0-9+-.]*://)(/*)(.*?)")
_LINK_REFERENCE = re.compile(r"&([A-Za-z0-9_]+);")
_CP1252_RANGE = re.compile("[\x80-\x9f]")
_CP1252 = {c: bytes([c]).decode("cp1252", "ignore") or chr(c) for c in range(0x80, 0xA0)}


class Unusual(Exception):
    """The feed uses something only feedparser reads faithfully."""


@dataclass(frozen=True)
class FeedEntry:
    """One entry's fields as feedparser names them; dates are the raw strings."""

    title: str = ""
    contents: tuple[str, ...] = ()
    summary: str = ""
    link: str = ""
    id: str = ""
    author: str = ""
    published: str = ""
    updated: str = ""
    created: str = ""


@dataclass(frozen=True)
class FeedXml:
    """A feed read by the fast path: its title, language and entries."""

    title: str
    language: str
    entries: list[FeedEntry]


def parse_feed_xml(body: bytes) -> FeedXml | None:
    """Read a well-formed RSS 2.0, RSS 1.0 or Atom 1.0 feed; None when feedparser must do it."""
    if _has_base_attribute(body):
        return None
    try:
        root = etree.fromstring(body, _PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return None
    encoding = (root.getroottree().docinfo.encoding or "utf-8").lower().replace("_", "-")
    reader = _Reader(encoding in ("utf-8", "utf8"))
    try:
        return reader.read(root)
    except Unusual:
        return None


@dataclass
class _Item:
    """Entry fields while an item is read, with feedparser's bookkeeping of depths."""

    values: dict[str, str] = field(default_factory=dict)
    depths: dict[str, int] = field(default_factory=dict)
    contents: list[str] = field(default_factory=list)
    title_depth: int = -1
    has_content: bool = False
    link_set: bool = False
    permalink: str | None = None

    def store(self, key: str, value: str, depth: int) -> None:
        """Keep `value` unless a shallower element already gave `key` (feedparser's rule)."""
        old = self.depths.get(key)
        if old is None or depth <= old:
            self.depths[key] = depth
            self.values[key] = value


class _Reader:
    """Reads one parsed tree; remembers whether text needs feedparser's UTF-8 repairs."""

    def __init__(self, is_utf8: bool):
        self.is_utf8 = is_utf8
        self.names: dict[str, str] = {}

    def read(self, root: etree._Element) -> FeedXml:
        """The feed's title, language and entries, or raise Unusual."""
        if root.tag == "rss":
            channel = root.find("channel")
            if channel is None:
                raise Unusual("RSS without a channel")
            items = channel.findall("item")
            item_tag = "item"
        elif root.tag == f"{_RDF}RDF" and root.find(f"{_RSS1}channel") is not None:
            channel = root.find(f"{_RSS1}channel")
            items = root.findall(f"{_RSS1}item")
            item_tag = f"{_RSS1}item"
        elif root.tag == f"{_ATOM}feed":
            channel, items, item_tag = root, root.findall(f"{_ATOM}entry"), f"{_ATOM}entry"
        else:
            raise Unusual("not RSS 2.0, RSS 1.0 or Atom 1.0")
        assert channel is not None
        if sum(1 for _ in root.iter(item_tag)) != len(items):
            raise Unusual("items outside their channel")
        language = "" if item_tag == f"{_RSS1}item" else _declared_language(root)
        title, language, carried = self._read_channel(channel, language)
        if carried and items and channel is not root and items[0].getparent() is root:
            # an RSS 1.0 channel written after its items leaves them alone
            carried = root.index(channel) < root.index(items[0])
        entries = [self._read_item(item, carried and n == 0) for n, item in enumerate(items)]
        return FeedXml(title, language, entries)

    def _read_channel(self, channel: etree._Element, language: str) -> tuple[str, str, bool]:
        """Title, language, and whether feedparser carries a "has content" flag into item 1."""
        title: str | None = None
        has_summary = has_content = False
        before_items = True
        for child in channel:
            name = self._name(child)
            if name in ("item", "entry"):
                before_items = False
            elif before_items and (name in _CONTENT or name in _SUMMARY):
                if name in _CONTENT or (has_summary and not has_content):
                    has_content = has_summary = True
                elif name in ("summary", "itunes:summary"):
                    has_summary = True
            if name in _TITLE:
                if len(child):
                    raise Unusual("markup inside the feed title")
                _check_type(child)
                value = self._text(child)
                if title is None or not title:
                    title = value
            elif name in ("language", "dc:language"):
                language = self._text(child)
        return title or "", language, has_content

    def _read_item(self, item: etree._Element, has_content: bool) -> FeedEntry:
        state = _Item(has_content=has_content)
        about = item.get(f"{_RDF}about")
        if about:
            state.values["id"] = about
        for child in item:
            self._read_element(child, 1, state)
        values = state.values
        link = values.get("link")
        if link is None and state.permalink is not None:
            link = state.permalink
        return FeedEntry(
            title=values.get("title", ""),
            contents=tuple(state.contents),
            summary=values.get("summary", ""),
            link=link or "",
            id=values.get("id", ""),
            author=values.get("author", ""),
            published=values.get("published", ""),
            updated=values.get("updated", ""),
            created=values.get("created", ""),
        )

    def _read_element(self, element: etree._Element, depth: int, state: _Item) -> None:
        name = self.names.get(element.tag) or self._name(element)
        role = _ROLES.get(name)
        if role is None:
            for child in element:
                self._read_element(child, depth + 1, state)
        elif role == "title":
            self._read_title(element, name, depth, state)
        elif role == "text":
            self._read_text_construct(element, name, depth, state)
        elif role == "field":
            if depth > 1:
                raise Unusual(f"<{name}> nested in an item")
            self._read_field(element, name, depth, state)
        elif role == "source":
            if len(element):
                raise Unusual("a source with its own fields")
            state.title_depth = -1
        else:
            raise Unusual(f"<{name}> in an item")

    def _read_field(self, element: etree._Element, name: str, depth: int, state: _Item) -> None:
        if name in _AUTHOR:
            state.store("author", self._author(element), depth)
            return
        if len(element):
            raise Unusual(f"markup inside <{name}>")
        if name in _DATES:
            state.store(_DATES[name], self._text(element), depth)
        elif name == "link":
            self._read_link(element, state)
        else:
            is_permalink = _attributes(element).get("ispermalink", "true") == "true"
            value = _fix_uri(self._text(element)) if is_permalink else self._text(element)
            state.store("id", value, depth)
            if is_permalink and state.permalink is None and not state.link_set:
                state.permalink = value

    def _read_title(self, element: etree._Element, name: str, depth: int, state: _Item) -> None:
        if len(element):
            raise Unusual("markup inside a title")
        _check_type(element)
        value = self._text(element)
        if -1 < state.title_depth <= depth:
            return
        state.store("title", value, depth)
        if value and name != "media:title":
            state.title_depth = depth

    def _read_text_construct(
        self, element: etree._Element, name: str, depth: int, state: _Item
    ) -> None:
        if len(element):
            raise Unusual(f"markup inside <{name}>")
        _check_type(element)
        value = self._text(element)
        if name in _CONTENT or ("summary" in state.values and not state.has_content):
            state.has_content = True
            state.contents.append(value)
            state.values.setdefault("summary", value)  # feedparser copies text content there
            return
        state.store("summary", value, depth)

    def _read_link(self, element: etree._Element, state: _Item) -> None:
        attributes = _attributes(element)
        href = attributes.get("url") or attributes.get("uri") or attributes.get("href")
        if not href:
            value = _fix_uri(self._text(element)).replace("&amp;", "&")
            state.values["link"] = _LINK_REFERENCE.sub(r"&\1", value)
            state.link_set = True
            return
        rel = attributes.get("rel", "alternate")
        kind = attributes.get("type", "application/atom+xml" if rel == "self" else "text/html")
        if rel == "alternate" and _map_type(kind) in _HTML_TYPES:
            state.values["link"] = _fix_uri(href)
            state.link_set = True

    def _author(self, element: etree._Element) -> str:
        if not len(element):
            return self._text(element)
        detail: dict[str, str] = {}
        for child in element:
            name = self._name(child)
            if len(child):
                raise Unusual("markup inside an author")
            if name in ("name", "email"):
                detail[name] = self._text(child)
        person, email = detail.get("name"), detail.get("email")
        if person and email:
            return f"{person} ({email})"
        return person or email or ""

    def _name(self, element: etree._Element) -> str:
        """The element's name as feedparser spells it: known prefix, then lower-case local name."""
        tag = element.tag
        if not isinstance(tag, str):
            raise Unusual("a comment or processing instruction inside the feed")
        known = self.names.get(tag)
        if known is not None:
            return known
        uri, _, local = tag[1:].rpartition("}") if tag.startswith("{") else ("", "", tag)
        prefix = _PREFIXES.get(uri.lower())
        if prefix is None:
            prefix = element.prefix or ""
        elif "backend.userland.com/rss" in uri.lower():
            prefix = ""
        name = f"{prefix.lower()}:{local.lower()}" if prefix else local.lower()
        if uri.lower() in _PREFIXES:
            self.names[tag] = name
        return name

    def _text(self, element: etree._Element) -> str:
        """An element's text, stripped and repaired the way feedparser repairs it."""
        text = (element.text or "").strip()
        if text.isascii():
            return text
        if self.is_utf8:
            with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
                text = text.encode("iso-8859-1").decode("utf-8")
        if _CP1252_RANGE.search(text):
            text = text.translate(_CP1252)
        return text


def _has_base_attribute(body: bytes) -> bool:
    """True when an element sets xml:base (or base), which moves relative links elsewhere."""
    return any(
        body[m.start() - 1 : m.start()] in b" \t\r\n:" for m in _BASE_ATTRIBUTE.finditer(body)
    )


def _declared_language(root: etree._Element) -> str:
    """The root's xml:lang, which feedparser takes as the feed's language."""
    return (root.get(_XML_LANG, root.get("lang")) or "").replace("_", "-")


def _attributes(element: etree._Element) -> dict[str, str]:
    attributes = {str(k).lower(): str(v) for k, v in element.attrib.items()}
    for key in ("rel", "type"):
        if key in attributes:
            attributes[key] = attributes[key].lower()
    return attributes


def _check_type(element: etree._Element) -> str:
    """The declared type of a text element; raise Unusual for XHTML, base64 or binary types."""
    if not element.attrib:
        return ""
    attributes = _attributes(element)
    if "mode" in attributes or "src" in attributes:
        raise Unusual("content given by mode or src")
    kind = attributes.get("type", "")
    if kind and kind not in _PLAIN_TYPES:
        raise Unusual(f"content of type {kind}")
    return kind


def _map_type(kind: str) -> str:
    if kind in ("text", "plain"):
        return "text/plain"
    if kind == "html":
        return "text/html"
    if kind == "xhtml":
        return "application/xhtml+xml"
    return kind


def _fix_uri(uri: str) -> str:
    return _URI_FIX.sub(r"\1\3", uri) if "://" in uri else uri

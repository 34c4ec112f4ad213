"""OPML subscription lists, read and written with our extension attributes.

Each feed outline may carry `country` (ISO 3166-1 alpha-2), `language` (ISO 639-1, several
separated by commas), `category` and `stateMedia` (`true`/`false`) beside the standard `text`,
`title`, `type`, `xmlUrl` and `htmlUrl`. The category outline a feed sits in is kept as `group`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from email.utils import formatdate

from worldtake.errors import Rejected

_ENTITY = re.compile(rb"<!(ENTITY|DOCTYPE)", re.IGNORECASE)


@dataclass(frozen=True)
class SourceRecord:
    """An outlet's feed as a subscription list names it."""

    name: str
    feed_url: str | None = None
    home_url: str | None = None
    country: str | None = None
    languages: tuple[str, ...] = ()
    category: str | None = None
    state_media: bool = False
    group: str | None = None


def read_opml(data: bytes) -> list[SourceRecord]:
    """Every feed outline of an OPML document; raise Rejected when it is not OPML."""
    if _ENTITY.search(data[:65536]):
        raise Rejected("DOCTYPE and entity declarations are refused in OPML")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise Rejected(f"not OPML: malformed XML ({exc})") from exc
    if root.tag.lower() != "opml" or root.find("body") is None:
        raise Rejected("not OPML: no <opml><body>")
    records: list[SourceRecord] = []
    _walk(root.find("body"), None, records)
    return records


def _walk(parent: ET.Element | None, group: str | None, records: list[SourceRecord]) -> None:
    for outline in [] if parent is None else parent.findall("outline"):
        attrs = outline.attrib
        name = (attrs.get("title") or attrs.get("text") or "").strip()
        if attrs.get("xmlUrl") or (attrs.get("htmlUrl") and not len(outline)):
            records.append(_record(attrs, name, group))
        _walk(outline, name or group, records)


def _record(attrs: dict[str, str], name: str, group: str | None) -> SourceRecord:
    country = (attrs.get("country") or "").strip().upper() or None
    if country is not None and not re.fullmatch(r"[A-Z]{2}", country):
        raise Rejected(f"outline {name!r}: country must be ISO 3166-1 alpha-2, got {country!r}")
    languages = tuple(
        part.strip().lower() for part in (attrs.get("language") or "").split(",") if part.strip()
    )
    return SourceRecord(
        name=name or attrs.get("xmlUrl", ""),
        feed_url=attrs.get("xmlUrl") or None,
        home_url=attrs.get("htmlUrl") or None,
        country=country,
        languages=languages,
        category=attrs.get("category") or None,
        state_media=(attrs.get("stateMedia") or "").strip().lower() == "true",
        group=group,
    )


def write_opml(records: list[SourceRecord], title: str = "worldtake sources") -> str:
    """An OPML 2.0 document holding `records`, grouped by their `group`, extensions included."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = formatdate(usegmt=True)
    body = ET.SubElement(root, "body")
    groups: dict[str | None, ET.Element] = {None: body}
    for record in records:
        if record.group not in groups:
            groups[record.group] = ET.SubElement(
                body, "outline", text=str(record.group), title=str(record.group)
            )
        ET.SubElement(groups[record.group], "outline", _attributes(record))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def _attributes(record: SourceRecord) -> dict[str, str]:
    attrs = {"type": "rss", "text": record.name, "title": record.name}
    optional = {
        "xmlUrl": record.feed_url,
        "htmlUrl": record.home_url,
        "country": record.country,
        "language": ",".join(record.languages) or None,
        "category": record.category,
    }
    attrs.update({k: v for k, v in optional.items() if v})
    attrs["stateMedia"] = "true" if record.state_media else "false"
    return attrs

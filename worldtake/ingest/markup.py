"""HTML fragments (feed summaries, content:encoded) to plain text with paragraph breaks."""

from __future__ import annotations

import html
import re

from lxml import etree
from lxml import html as lxml_html

_BLOCK_TAGS = "p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote section article tr table pre figure"
_BLOCKS = frozenset(_BLOCK_TAGS.split())
_SKIPPED = frozenset(["script", "style", "noscript", "template", "iframe", "svg"])
_SPACES = re.compile(r"[ \t\u00a0\u200b]+")


def html_to_text(fragment: str) -> str:
    """Return the readable text of an HTML fragment, one paragraph a line."""
    if "<" not in fragment:
        return _tidy(html.unescape(fragment))
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return _tidy(re.sub(r"<[^>]+>", " ", html.unescape(fragment)))
    parts: list[str] = []
    _collect(root, parts)
    return _tidy("".join(parts))


def _collect(element: etree._Element, parts: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _SKIPPED:
        if element.tail:
            parts.append(element.tail)
        return
    block = tag.lower() in _BLOCKS
    if block:
        parts.append("\n")
    if element.text and isinstance(element.tag, str):
        parts.append(element.text)
    for child in element:
        _collect(child, parts)
    if block:
        parts.append("\n")
    if element.tail:
        parts.append(element.tail)


def _tidy(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)

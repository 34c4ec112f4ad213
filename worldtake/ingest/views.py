"""Saved reader views and multi-article pages as text: split into articles, drop the chrome.

The rules are structural. An article starts at a title line followed by a line that is only a
date; a bulleted block above it that repeats its title is a teaser and is dropped (its lead tells
where the body starts, past photo captions). Image slugs (lower-case words without punctuation),
captions glued to a related-links label, and lines without letters are chrome. A page with no
such dated titles is one article: its largest block, widened over neighbouring prose, with the
headline that heads that block.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from worldtake.ingest.datelines import parse_date_line
from worldtake.ingest.decode import decode_text
from worldtake.ingest.options import IngestOptions
from worldtake.models import Document, Rejection
from worldtake.sentences import first_sentence

_BULLET = re.compile(r"^\s*[•◦▪‣·*\-–]\s+")
_TERMINAL = re.compile(r"[.!?…:;»”\"')\]]\s*$")
_LETTER = re.compile(r"[^\W\d_]")
_OPENERS = "\"“«„'(‘"
_LEADING_SYMBOLS = re.compile(r"^[^\w\"“«„'(]+")


@dataclass(frozen=True)
class Line:
    """A line of the file with its 1-based number."""

    number: int
    text: str

    @property
    def is_bullet(self) -> bool:
        """Starts with a list bullet."""
        return bool(_BULLET.match(self.text))

    @property
    def content(self) -> str:
        """The text without bullet and surrounding space."""
        return " ".join(_BULLET.sub("", self.text).split())


Block = list[Line]


def is_saved_view(text: str) -> bool:
    """True when text is laid out as a page (short lines, bullets, dated titles), not a dump."""
    every = text.splitlines()
    lines = [line for line in every if line.strip()]
    if not lines:
        return False
    laid_out = len(every) - len(lines) >= 0.15 * len(every) or any(_BULLET.match(x) for x in lines)
    long = sum(1 for line in lines if len(line.split()) >= 8 and not _BULLET.match(line))
    return laid_out and long < 0.8 * len(lines)


def read_view(data: bytes, path: str, options: IngestOptions) -> Iterator[Document | Rejection]:
    """Yield the articles of a saved reader view or multi-article page."""
    decoded = decode_text(data)
    if decoded.warning:
        yield Rejection(path, decoded.warning, kept=True)
    lines = [Line(n, t.rstrip()) for n, t in enumerate(decoded.text.splitlines(), start=1)]
    reference = date.fromisoformat(options.as_of) if options.as_of else None
    anchors = _find_anchors(lines, reference)
    if len(anchors) >= 2:
        yield from _split_articles(lines, anchors, path, options)
    else:
        yield _single_article(lines, path, options, reference)


def _find_anchors(lines: list[Line], reference: date | None) -> list[tuple[int, int, str, str]]:
    """(title index, date index, ISO date, precision) for each title followed by a date line."""
    anchors = []
    for i, line in enumerate(lines):
        found = parse_date_line(line.text, reference) if not line.is_bullet else None
        if found is None:
            continue
        j = _previous_filled(lines, i)
        if j is not None and _is_headline(lines[j]):
            anchors.append((j, i, found[0], found[1]))
    return anchors


def _split_articles(
    lines: list[Line], anchors: list[tuple[int, int, str, str]], path: str, options: IngestOptions
) -> Iterator[Document]:
    starts = [_teaser_start(lines, title_at) for title_at, _, _, _ in anchors]
    outlets = {
        _teaser_outlet(lines[s:t], lines[t].content)
        for s, (t, _, _, _) in zip(starts, anchors, strict=True)
    }
    outlets.discard(None)
    shared_outlet = outlets.pop() if len(outlets) == 1 else None
    for k, (title_at, date_at, published, precision) in enumerate(anchors):
        end = starts[k + 1] if k + 1 < len(anchors) else len(lines)
        teaser = lines[starts[k] : title_at]
        title = lines[title_at].content
        body = _clean_body(_blocks(lines[date_at + 1 : end]), _teaser_lead(teaser, title))
        outlet = options.source or _teaser_outlet(teaser, title) or shared_outlet
        yield Document(
            origin=f"{path}#L{lines[title_at].number}",
            title=title,
            text="\n".join(body) or title,
            published=published,
            published_precision=precision,
            source=outlet,
            country=options.country,
            language=options.language,
            position=lines[title_at].number,
        )


def _teaser_start(lines: list[Line], title_at: int) -> int:
    """Where the teaser block repeating the title begins, or the title itself when none."""
    title = lines[title_at].content
    i = _previous_filled(lines, title_at)
    start = title_at
    while i is not None and (lines[i].is_bullet or lines[i].text.startswith((" ", "\t"))):
        start = i
        i = i - 1 if i > 0 and lines[i - 1].text.strip() else None
    block = lines[start:title_at]
    return start if any(line.content == title for line in block) else title_at


def _teaser_lead(teaser: list[Line], title: str) -> str:
    texts = [line.content for line in teaser if line.content and line.content != title]
    return max(texts, key=len) if texts else ""


def _teaser_outlet(teaser: list[Line], title: str) -> str | None:
    names = [line.content for line in teaser if line.content and line.content != title]
    short = [n for n in names if len(n.split()) <= 5 and not _TERMINAL.search(n)]
    return _LEADING_SYMBOLS.sub("", short[0]).strip() or None if short else None


def _clean_body(blocks: list[Block], lead: str) -> list[str]:
    """Paragraphs of an article body without captions, slugs, related links and symbols."""
    kept: list[str] = []
    skip_next_headline = False
    for block in blocks:
        texts = [line.content for line in block if _LETTER.search(line.content)]
        if not texts:
            continue
        if skip_next_headline and len(texts) == 1 and not _TERMINAL.search(texts[0]):
            skip_next_headline = False
            continue
        skip_next_headline = False
        if len(texts) > 1 and _is_label(texts[-1]):
            skip_next_headline = True  # caption glued to a related-links label
            continue
        if _is_slug(texts[0]):
            continue  # an image's file name or alt words, then its caption
        if len(texts) > 1 and not _TERMINAL.search(texts[0]):
            texts = texts[1:]  # a caption line glued above a paragraph
        kept.extend(texts)
    return _from_lead(kept, lead)


def _from_lead(paragraphs: list[str], lead: str) -> list[str]:
    """Drop what precedes the paragraph the teaser's lead begins with (photo captions)."""
    probe = " ".join(lead.split()[:8])
    if probe:
        for i, paragraph in enumerate(paragraphs[:4]):
            if paragraph.startswith(probe):
                return paragraphs[i:]
    return paragraphs


def _single_article(
    lines: list[Line], path: str, options: IngestOptions, reference: date | None
) -> Document:
    blocks = _blocks(lines)
    main = max(range(len(blocks)), key=lambda k: sum(len(x.content) for x in blocks[k]))
    first, last = main, main
    while first > 0 and _is_prose_block(blocks[first - 1]):
        first -= 1
    while last + 1 < len(blocks) and _is_prose_block(blocks[last + 1]):
        last += 1
    heading, main_lines = _split_heading(blocks[main])
    paragraphs = [x.content for b in blocks[first:main] for x in b] + _join_fragments(main_lines)
    paragraphs += [x.content for b in blocks[main + 1 : last + 1] for x in b]
    header = [x for b in blocks[:first] for x in b]
    title = heading or next((x.content for x in header if _is_headline(x)), "")
    published, precision = _first_date(header, reference)
    text = "\n".join(paragraphs)
    return Document(
        origin=path,
        title=title or first_sentence(text),
        text=text,
        published=published,
        published_precision=precision,
        source=options.source,
        country=options.country,
        language=options.language,
        position=1,
    )


def _split_heading(block: Block) -> tuple[str | None, list[Line]]:
    """A bulleted block's non-bullet first line is its heading; trailing chrome lines go."""
    lines = list(block)
    while lines and not lines[-1].is_bullet and not _is_prose(lines[-1].content):
        lines.pop()
    if len(lines) > 1 and not lines[0].is_bullet and lines[1].is_bullet:
        return lines[0].content, lines[1:]
    return None, lines


def _join_fragments(lines: list[Line]) -> list[str]:
    """Rejoin list items broken apart by lost links into the sentence they came from."""
    items: list[str] = []
    for line in lines:
        text = line.content
        if not text:
            continue
        opener = text[0].isalnum() or text[0] in _OPENERS
        glued = items and (not _TERMINAL.search(items[-1]) or text[0].islower() or not opener)
        if glued and not opener:
            items[-1] += text
        elif glued:
            items[-1] += " " + text
        else:
            items.append(text)
    return items


def _first_date(lines: list[Line], reference: date | None) -> tuple[str | None, str]:
    for line in lines:
        found = parse_date_line(line.text, reference)
        if found is not None:
            return found
    return None, "unknown"


def _blocks(lines: list[Line]) -> list[Block]:
    """Groups of consecutive non-blank lines."""
    blocks: list[Block] = []
    current: Block = []
    for line in lines:
        if line.text.strip():
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _previous_filled(lines: list[Line], i: int) -> int | None:
    j = i - 1
    while j >= 0 and not lines[j].text.strip():
        j -= 1
    return j if j >= 0 else None


def _is_headline(line: Line) -> bool:
    words = line.content.split()
    return not line.is_bullet and 3 <= len(words) <= 40 and not line.content.endswith(".")


def _is_prose(text: str) -> bool:
    return len(text.split()) >= 12 and bool(_TERMINAL.search(text))


def _is_prose_block(block: Block) -> bool:
    return all(_is_prose(line.content) for line in block)


def _is_label(text: str) -> bool:
    return len(text.split()) <= 3 and not _TERMINAL.search(text)


def _is_slug(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and not any(c.isupper() for c in letters) and not _TERMINAL.search(text)

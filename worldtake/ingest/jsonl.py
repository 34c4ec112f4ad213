"""JSONL documents: one JSON object a line with id, title, text and optional metadata."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from worldtake.dates import parse_published
from worldtake.errors import Rejected
from worldtake.ingest.decode import decode_text
from worldtake.ingest.options import IngestOptions
from worldtake.models import Document, Rejection
from worldtake.sentences import first_sentence


def read_jsonl(data: bytes, path: str, options: IngestOptions) -> Iterator[Document | Rejection]:
    """Yield a document per valid line; a rejection naming the line for each bad one."""
    decoded = decode_text(data)
    if decoded.warning:
        yield Rejection(path, decoded.warning, kept=True)
    for number, line in enumerate(decoded.text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield _document_from_line(line, path, number, options)
        except Rejected as exc:
            yield Rejection(path, exc.reason, line=number)


def _document_from_line(line: str, path: str, number: int, options: IngestOptions) -> Document:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise Rejected(f"invalid JSON: {exc.msg} at column {exc.colno}") from exc
    if not isinstance(obj, dict):
        raise Rejected(f"expected a JSON object, got {type(obj).__name__}")
    title = _text_field(obj, "title")
    body = _text_field(obj, "text")
    if not title and not body:
        raise Rejected("neither title nor text")
    url = _text_field(obj, "url") or None
    published, precision, warnings = _published(obj.get("published"))
    external_id = obj.get("id")
    return Document(
        origin=url or f"{path}#L{number}",
        title=title or first_sentence(body),
        text=body or title,
        url=url,
        external_id=None if external_id is None else str(external_id),
        published=published,
        published_precision=precision,
        source=_text_field(obj, "source") or options.source,
        country=(_text_field(obj, "country").upper() or options.country),
        language=(_text_field(obj, "language").lower() or options.language),
        author=_text_field(obj, "author") or None,
        position=number,
        warnings=warnings,
    )


def _text_field(obj: dict[str, Any], key: str) -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Rejected(f"field {key!r} must be a string, got {type(value).__name__}")
    return value.strip()


def _published(value: Any) -> tuple[str | None, str, tuple[str, ...]]:
    if value is None or value == "":
        return None, "unknown", ()
    try:
        iso, precision = parse_published(str(value))
    except ValueError:
        return None, "unknown", (f"published date {value!r} does not parse; kept undated",)
    return iso, precision, ()

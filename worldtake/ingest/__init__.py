"""Source kinds: find the files behind a source, detect each file's kind, read its documents."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from worldtake.errors import Rejected
from worldtake.ingest.dumps import read_dump
from worldtake.ingest.jsonl import read_jsonl
from worldtake.ingest.options import IngestOptions
from worldtake.models import Document, Rejection

Reader = Callable[[bytes, str, IngestOptions], Iterator[Document | Rejection]]

READERS: dict[str, Reader] = {
    "jsonl": read_jsonl,
    "dump": read_dump,
}

_EXTENSIONS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".txt": "dump",
    ".text": "dump",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
    ".opml": "opml",
    ".html": "page",
    ".htm": "page",
    ".gz": "page",
    ".json": "feed",
}


def is_url(source: str) -> bool:
    """True for http(s) and other URLs, as opposed to paths."""
    return "://" in source


def list_files(source: str) -> list[str]:
    """Return the file paths a source names: itself, or every visible file below a folder."""
    if os.path.isfile(source):
        return [source]
    if not os.path.isdir(source):
        raise Rejected("no such file or directory", origin=source)
    found: list[str] = []
    for root, dirs, files in os.walk(source):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(os.path.join(root, f) for f in sorted(files) if not f.startswith("."))
    return found


def detect_kind(path: str, head: bytes) -> str:
    """Guess a file's kind from its name, then from its first bytes."""
    kind = _EXTENSIONS.get(Path(path).suffix.lower())
    if kind is not None:
        return kind
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:200].lower()
    if start.startswith(b"{"):
        return "jsonl"
    if start.startswith(b"<?xml") or start.startswith(b"<rss") or start.startswith(b"<feed"):
        return "feed"
    if start.startswith(b"<"):
        return "page"
    return "dump"


def read_documents(
    kind: str, data: bytes, path: str, options: IngestOptions
) -> Iterator[Document | Rejection]:
    """Read the documents of one file of `kind`; raise Rejected when no reader takes it."""
    reader = READERS.get(kind)
    if reader is None:
        raise Rejected(f"files of kind {kind!r} are not supported yet", origin=path)
    return reader(data, path, options)


def content_hash(title: str, text: str) -> str:
    """A fingerprint of an item's words, equal for exact copies whatever the whitespace."""
    normal = " ".join(f"{title}\n{text}".split()).casefold()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def bytes_hash(data: bytes) -> str:
    """The SHA-256 of raw bytes, to tell whether a file changed since it was last read."""
    return hashlib.sha256(data).hexdigest()

"""Source kinds: find the files behind a source, detect each file's kind, read its documents."""

from __future__ import annotations

import hashlib
import os
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from worldtake.errors import Rejected
from worldtake.ingest.dumps import read_dump
from worldtake.ingest.feeds import read_feed
from worldtake.ingest.jsonl import read_jsonl
from worldtake.ingest.options import IngestOptions
from worldtake.ingest.pages import read_page
from worldtake.ingest.views import is_saved_view, read_view
from worldtake.models import Document, Rejection

Reader = Callable[[bytes, str, IngestOptions], Iterator[Document | Rejection]]

READERS: dict[str, Reader] = {
    "jsonl": read_jsonl,
    "dump": read_dump,
    "feed": read_feed,
    "page": read_page,
    "view": read_view,
    "opml": lambda data, path, options: _refuse_opml(path),
}
GZIP_MAGIC = b"\x1f\x8b"

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
    ".xhtml": "page",
    ".json": "feed",
}
_FEED_TYPES = ("rss", "atom", "feed+json", "rdf")


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


def detect_kind(path: str, head: bytes, content_type: str | None = None) -> str:
    """Guess a file's kind from its name or content type, then from its first bytes."""
    name = path[:-3] if path.lower().endswith(".gz") else path
    kind = _EXTENSIONS.get(Path(name.split("?")[0]).suffix.lower())
    if kind is None and content_type:
        kind = _kind_of_content_type(content_type)
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower()
    if kind == "dump" or kind is None:
        sniffed = _sniff(start, head)
        return sniffed if kind is None or sniffed == "view" else kind
    if kind == "page" and (b"<rss" in start or b"<feed" in start or b"<rdf:rdf" in start):
        return "feed"
    return kind


def _kind_of_content_type(content_type: str) -> str | None:
    value = content_type.split(";")[0].strip().lower()
    if any(t in value for t in _FEED_TYPES):
        return "feed"
    if "html" in value:
        return "page"
    if value.endswith("/json") or "ndjson" in value or "jsonl" in value:
        return "jsonl"
    if value == "text/x-opml" or value.endswith("opml+xml"):
        return "opml"
    return None


def _sniff(start: bytes, head: bytes) -> str:
    if start.startswith(b"{"):
        return "feed" if b"jsonfeed.org" in start else "jsonl"
    if start.startswith(b"<?xml") or start.startswith(b"<rss") or start.startswith(b"<feed"):
        return "opml" if b"<opml" in start else "feed"
    if start.startswith(b"<opml"):
        return "opml"
    if start.startswith(b"<"):
        return "page"
    text = head.decode("utf-8", errors="replace")
    return "view" if is_saved_view(text) else "dump"


def unwrap_gzip(data: bytes, limit: int) -> bytes:
    """Decompress gzip data (`.html.gz`, gzip-encoded feeds) up to `limit` bytes."""
    if not data.startswith(GZIP_MAGIC):
        return data
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        raise Rejected(f"corrupt gzip data: {exc}") from exc
    if len(out) > limit:
        raise Rejected(f"gzip data inflates to more than the {limit}-byte limit")
    return out


def _refuse_opml(path: str) -> Iterator[Document | Rejection]:
    raise Rejected(
        "an OPML subscription list holds sources, not articles: "
        f"add them with `worldtake sources import {path}`"
    )


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

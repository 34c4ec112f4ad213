"""Plain-text dumps: one news item a line, the first sentence as its title."""

from __future__ import annotations

from collections.abc import Iterator

from worldtake.ingest.decode import decode_text
from worldtake.ingest.options import IngestOptions
from worldtake.models import Document, Rejection
from worldtake.sentences import first_sentence


def read_dump(data: bytes, path: str, options: IngestOptions) -> Iterator[Document | Rejection]:
    """Yield one document per non-blank line of a dump, with origin `PATH#L<n>`."""
    decoded = decode_text(data)
    if decoded.warning:
        yield Rejection(path, decoded.warning, kept=True)
    for number, line in enumerate(decoded.text.splitlines(), start=1):
        text = " ".join(line.split())
        if not text:
            continue
        yield Document(
            origin=f"{path}#L{number}",
            title=first_sentence(text),
            text=text,
            source=options.source,
            country=options.country,
            language=options.language,
            position=number,
        )

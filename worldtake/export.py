"""Exports: records of every kind as rows, written as JSONL, CSV or JSON."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from worldtake.errors import WorldtakeError
from worldtake.store import Store

KINDS = ("articles", "events", "stories", "timeline", "statements", "pledges", "takes")
FORMATS = ("jsonl", "csv", "json")

ARTICLE_FIELDS = (
    "id",
    "origin",
    "external_id",
    "source",
    "source_country",
    "title",
    "published",
    "published_precision",
    "language",
    "title_en",
    "event_id",
    "story_id",
    "duplicate_of",
    "countries",
)

PLEDGE_FIELDS = (
    "country",
    "kind",
    "polarity",
    "condition",
    "amount",
    "date",
    "beneficiary",
    "evidence",
)


def export_rows(store: Store, kind: str, story: str | None = None) -> Iterator[dict[str, Any]]:
    """Yield the export rows of one kind of record, optionally limited to one story."""
    if kind not in KINDS:
        raise WorldtakeError(f"unknown export kind {kind!r}; choose one of {', '.join(KINDS)}")
    if kind == "articles":
        for row in store.article_rows(story):
            yield {field: row.get(field) for field in ARTICLE_FIELDS}
    elif kind == "pledges":
        for row in store.pledge_rows(story):
            yield {field: row.get(field) for field in PLEDGE_FIELDS}
    elif kind == "timeline":
        from worldtake.timeline import timeline_rows

        yield from timeline_rows(store, story)
    else:
        yield from store.table_rows(kind, story)


def write_rows(rows: Iterable[dict[str, Any]], fmt: str, stream: IO[str]) -> int:
    """Write rows to `stream` in `fmt`; return how many were written."""
    if fmt not in FORMATS:
        raise WorldtakeError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "jsonl":
        count = 0
        for row in rows:
            stream.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
        return count
    materialised = list(rows)
    if fmt == "json":
        json.dump(materialised, stream, ensure_ascii=False, indent=2)
        stream.write("\n")
    else:
        _write_csv(materialised, stream)
    return len(materialised)


def _write_csv(rows: list[dict[str, Any]], stream: IO[str]) -> None:
    if not rows:
        return
    writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_cell(v) for k, v in row.items()})


def _csv_cell(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value

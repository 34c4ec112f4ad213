"""JSONL documents: fields kept, ids round-trip through export, dates parsed with a precision."""

from __future__ import annotations

import io
import json
from pathlib import Path

from worldtake import pipeline
from worldtake.export import ARTICLE_FIELDS, export_rows, write_rows
from worldtake.ingest.options import IngestOptions
from worldtake.settings import Settings
from worldtake.store import Store


def write_jsonl(path: Path, objects: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects), "utf-8")
    return path


def test_every_external_id_comes_back_in_the_export(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    objects = [
        {"id": f"doc-{i}", "title": f"Title {i}", "text": f"Body number {i} of the story."}
        for i in range(25)
    ]
    objects[3]["url"] = "https://news.example/a/3"
    objects[4].update(published="2025-09-04T18:10:00+02:00", source="Daily", country="fr")
    path = write_jsonl(tmp_path / "docs.jsonl", objects)
    pipeline.ingest(store, [str(path)], IngestOptions(language="en"), settings)
    buffer = io.StringIO()
    write_rows(export_rows(store, "articles"), "jsonl", buffer)
    rows = [json.loads(line) for line in buffer.getvalue().splitlines()]
    assert sorted(r["external_id"] for r in rows) == sorted(o["id"] for o in objects)
    assert all(tuple(r) == ARTICLE_FIELDS for r in rows)
    by_id = {r["external_id"]: r for r in rows}
    assert by_id["doc-3"]["origin"] == "https://news.example/a/3"
    assert by_id["doc-0"]["origin"] == f"{path}#L1"
    assert by_id["doc-4"]["published"] == "2025-09-04T18:10:00+02:00"
    assert by_id["doc-4"]["published_precision"] == "exact"
    assert (by_id["doc-4"]["source"], by_id["doc-4"]["source_country"]) == ("Daily", "FR")
    assert by_id["doc-0"]["language"] == "en"


def test_a_date_that_does_not_parse_keeps_the_item_with_a_warning(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    path = write_jsonl(
        tmp_path / "dates.jsonl",
        [
            {"id": "a", "title": "Day only", "text": "x", "published": "2025-02-17"},
            {"id": "b", "title": "Garbage", "text": "y", "published": "the day after"},
        ],
    )
    report = pipeline.ingest(store, [str(path)], IngestOptions(), settings)
    assert report.added == 2 and report.warnings == 1
    articles = {a.external_id: a for a in store.iter_articles()}
    assert (articles["a"].published, articles["a"].published_precision) == ("2025-02-17", "day")
    assert (articles["b"].published, articles["b"].published_precision) == (None, "unknown")
    (warning,) = store.list_rejections()
    assert warning.kept and warning.line == 2 and "the day after" in warning.reason

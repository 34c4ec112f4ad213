"""Duplicates: exact and near copies, teasers, originals kept, independent sources counted."""

from __future__ import annotations

import json
from pathlib import Path

from worldtake import pipeline
from worldtake.dedupe import containment, sign_article
from worldtake.ingest.options import IngestOptions
from worldtake.settings import Settings
from worldtake.store import Store

FULL = (
    "Leaders of twenty-six countries agreed in Paris on Thursday to contribute to a reassurance "
    "force for Ukraine once a ceasefire holds. The French president said the troops would not "
    "be deployed on the front line but would help secure the skies and the sea. Britain offered "
    "to lead a multinational headquarters, while Germany said it would decide later. Officials "
    "in Kyiv welcomed the pledges and asked for air defence systems before the winter."
)
TITLE = "Twenty-six countries pledge a reassurance force for Ukraine"


def _ingest(store: Store, settings: Settings, folder: Path, name: str, rows: list[dict]) -> None:
    path = folder / name
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    pipeline.ingest(store, [str(path)], IngestOptions(language="en"), settings)
    pipeline.process(store, settings)


def _by_external_id(store: Store) -> dict[str, object]:
    return {a.external_id: a for a in store.iter_articles()}


def test_reposted_wire_copy_with_small_edits_points_to_the_original(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    edited = FULL.replace("on Thursday", "on Thursday evening") + " (Reuters)"
    _ingest(
        store,
        settings,
        tmp_path,
        "a.jsonl",
        [
            {"id": "first", "title": TITLE, "text": FULL, "source": "Wire A"},
        ],
    )
    _ingest(
        store,
        settings,
        tmp_path,
        "b.jsonl",
        [
            {"id": "copy", "title": TITLE, "text": edited, "source": "Daily B"},
            {"id": "other", "title": "Flood in Valencia", "text": "Rain fell for days. " * 5},
        ],
    )
    found = _by_external_id(store)
    assert found["copy"].duplicate_of == found["first"].id
    assert found["other"].duplicate_of is None
    assert found["first"].duplicate_of is None


def test_a_teaser_points_to_its_full_article(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    teaser = FULL.split(". ")[0] + "."
    _ingest(
        store,
        settings,
        tmp_path,
        "a.jsonl",
        [
            {"id": "teaser", "title": TITLE, "text": teaser, "source": "Aggregator"},
        ],
    )
    _ingest(
        store,
        settings,
        tmp_path,
        "b.jsonl",
        [
            {"id": "full", "title": TITLE, "text": FULL, "source": "Paper"},
        ],
    )
    found = _by_external_id(store)
    assert found["teaser"].duplicate_of == found["full"].id
    assert found["full"].duplicate_of is None


def test_duplicates_are_kept_and_do_not_count_as_independent_sources(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    _ingest(
        store,
        settings,
        tmp_path,
        "a.jsonl",
        [
            {"id": "one", "title": TITLE, "text": FULL, "source": "Wire A"},
            {"id": "two", "title": TITLE, "text": FULL + " Updated.", "source": "Daily B"},
            {"id": "three", "title": TITLE, "text": FULL, "source": "Daily C"},
        ],
    )
    found = _by_external_id(store)
    assert len(found) == 3
    events = {a.event_id for a in found.values()}
    assert len(events) == 1
    (row,) = [r for r in store.table_rows("events") if r["id"] in events]
    assert row["article_count"] == 3
    assert row["independent_source_count"] == 1


def test_different_reports_of_one_happening_are_not_duplicates() -> None:
    other = (
        "Twenty-six nations have said they are ready to send troops or help from a distance, "
        "according to the Ukrainian president, who spoke after a video call with the leaders."
    )
    a, b = sign_article(TITLE, FULL), sign_article(TITLE, other)
    assert a.text.jaccard(b.text) < 0.3
    assert containment(other, FULL) < 0.2
    assert containment(FULL.split(". ")[0], FULL) == 1.0

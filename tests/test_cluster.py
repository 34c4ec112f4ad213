"""Events and stories: seed golden checks, stable ids, merges logged, an ECB+ quality floor."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import DUMP_SEEDS, GOLDEN, ROOT, SHARED, need_shared

from worldtake import pipeline
from worldtake.cluster import Cluster, ClusterIndex, article_date, is_within
from worldtake.ingest.options import IngestOptions
from worldtake.models import Article
from worldtake.settings import Settings
from worldtake.store import Store
from worldtake.store import events as queries

AS_OF = {
    "000_2e57ccaae208c31e.txt": "2025-09-10",
    "002_55bd86edfccead3e.txt": "2025-03-03",
    "004_2c56ff1810b1e9dc.txt": "2026-01-08",
}
ECB_TOPICS = [1, 3, 5, 8]
ECB_BCUBED_FLOOR = 0.88  # measured 0.904 (topics 1, 3, 5, 8; 4 chunks; seed 7)


def _ingest_dumps(store: Store, settings: Settings, seeds: Path) -> dict[tuple[str, int], Article]:
    for name in DUMP_SEEDS:
        options = IngestOptions("Wire", "UA", "en", AS_OF[name])
        pipeline.ingest(store, [str(seeds / name)], options, settings)
    pipeline.process(store, settings)
    found = {}
    for article in store.iter_articles():
        path, _, line = article.origin.rpartition("#L")
        found[(Path(path).name, int(line))] = article
    return found


@pytest.fixture
def seeded(store: Store, settings: Settings, seeds: Path) -> dict[tuple[str, int], Article]:
    return _ingest_dumps(store, settings, seeds)


def _group_events(seeded: dict[tuple[str, int], Article]) -> dict[str, list[str | None]]:
    gold = json.loads((GOLDEN / "seed_events.json").read_text(encoding="utf-8"))
    return {
        g["name"]: [
            seeded[(m["file"], m["line"])].event_id
            for m in g["members"]
            if "line" in m and (m["file"], m["line"]) in seeded
        ]
        for g in gold["groups"]
    }


@pytest.mark.xfail(
    strict=True,
    reason="two short dump lines (000:3, 000:4) score under the raised short-item threshold; "
    "lowering it joins the 7 September strike to the Paris summit instead",
)
def test_bayrou_and_lecornu_items_are_one_event(seeded: dict[tuple[str, int], Article]) -> None:
    events = _group_events(seeded)["Bayrou government falls / Lecornu named PM"]
    assert len(events) == 2 and events[0] is not None
    assert len(set(events)) == 1


def test_the_three_paris_summits_share_no_event(seeded: dict[tuple[str, int], Article]) -> None:
    events = _group_events(seeded)
    names = [
        "Paris meeting 17 February 2025",
        "Paris summit 4 September 2025",
        "Paris summit 6 January 2026 / Paris Declaration",
    ]
    sets = [set(events[n]) for n in names]
    assert not sets[0] & sets[1] and not sets[0] & sets[2] and not sets[1] & sets[2]


def test_groups_that_must_be_apart_share_no_event(seeded: dict[tuple[str, int], Article]) -> None:
    gold = json.loads((GOLDEN / "seed_events.json").read_text(encoding="utf-8"))
    events = _group_events(seeded)
    for a, b in gold["must_be_apart"]:
        assert not set(events[a]) & set(events[b]), f"{a} joined with {b}"


def test_unrelated_items_stay_out_of_the_ukraine_story(
    seeded: dict[tuple[str, int], Article],
) -> None:
    gold = json.loads((GOLDEN / "seed_events.json").read_text(encoding="utf-8"))
    paris = gold["groups"][2]["members"]
    stories = [seeded[(m["file"], m["line"])].story_id for m in paris if "line" in m]
    ukraine = max(set(stories), key=stories.count)
    for item in gold["unrelated_to_ukraine_story"]:
        assert seeded[(item["file"], item["line"])].story_id != ukraine, item["why"]


def test_processing_again_keeps_every_id(
    store: Store, settings: Settings, seeded: dict[tuple[str, int], Article]
) -> None:
    before = {a.id: (a.event_id, a.story_id) for a in store.iter_articles()}
    pipeline.process(store, settings)
    after = {a.id: (a.event_id, a.story_id) for a in store.iter_articles()}
    assert before == after
    assert all(event for event, _ in after.values())


def test_events_count_articles_and_independent_sources(
    store: Store, seeded: dict[tuple[str, int], Article]
) -> None:
    rows = list(store.table_rows("events"))
    active = [r for r in rows if r["status"] == "active"]
    assert sum(r["article_count"] for r in active) == len(seeded)
    # every dump line comes from one outlet ("Wire"): one independent source per event
    assert {r["independent_source_count"] for r in active} == {1}


def test_an_article_bridging_two_events_merges_them_and_logs_it(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    first = {"id": "a", "title": "Volcano erupts on the island of Tarvo", "text": "Lava flows."}
    second = {"id": "b", "title": "Tarvo ash cloud closes airports", "text": "Flights stop."}
    bridge = {
        "id": "c",
        "title": "Volcano erupts on the island of Tarvo and its ash cloud closes airports",
        "text": "Lava flows. Flights stop.",
    }
    strict = Settings(**{**settings.__dict__, "event_threshold": 0.45, "merge_threshold": 0.3})
    for n, row in enumerate([first, second, bridge]):
        path = tmp_path / f"in{n}.jsonl"
        path.write_text(json.dumps({**row, "language": "en"}) + "\n", encoding="utf-8")
        pipeline.ingest(store, [str(path)], IngestOptions(), strict)
        pipeline.process(store, strict)
    with store.reading() as conn:
        changes = queries.list_changes(conn)
    ids = {a.external_id: a.event_id for a in store.iter_articles()}
    assert len(set(ids.values())) == 1
    assert [(c["kind"], c["level"]) for c in changes] == [("merge", "event")]
    assert ids["a"] in {changes[0]["from_id"], changes[0]["to_id"]}


def test_index_returns_nearest_clusters_first() -> None:
    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(50, 8)).astype(np.float32)
    index = ClusterIndex(8, [Cluster(f"e{i}", v) for i, v in enumerate(vectors)])
    found = index.nearest(vectors[17] / np.linalg.norm(vectors[17]), 3)
    assert found[0][0].id == "e17"
    assert found[0][1] >= found[1][1] >= found[2][1]


def test_months_apart_is_outside_an_events_window() -> None:
    event = Cluster("e1", np.ones(2, dtype=np.float32), first_date="2025-02-17")
    event.last_date = "2025-02-18"
    assert is_within("2025-02-20", event, 4)
    assert not is_within("2025-09-04", event, 4)
    assert is_within(None, event, 4)


def test_a_mentioned_date_near_publication_dates_the_article() -> None:
    article = Article(1, "x", "t", "", published="2025-09-06T18:35:00", published_precision="exact")
    assert article_date(article, ["2025-09-04"], None) == "2025-09-04"
    assert article_date(article, ["2019-01-01"], None) == "2025-09-06"
    undated = Article(2, "y", "t", "")
    assert article_date(undated, [], "2025-09-10") == "2025-09-10"


def test_ecb_subset_bcubed_stays_above_its_floor() -> None:
    need_shared(SHARED / "bench" / "ecbplus")
    sys.path.insert(0, str(ROOT / "bench"))
    from events_ecb import bcubed, cluster_with_pipeline, load_documents

    docs = load_documents(ECB_TOPICS)
    predicted = cluster_with_pipeline(docs, chunks=4, seed=7)
    _, _, f1 = bcubed(predicted, {d.name: d.gold for d in docs})
    assert f1 >= ECB_BCUBED_FLOOR

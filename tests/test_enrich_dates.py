"""Dates: publication dates in many languages, days named in text, inferred dump dates."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import DUMP_SEEDS, GOLDEN, SEEDS, need_shared
from sqlalchemy import select

from worldtake.dates import parse_published
from worldtake.enrich.dates import find_event_dates, infer_publication_dates
from worldtake.ingest.options import IngestOptions
from worldtake.pipeline import STAGES, StageContext, _run_stage, ingest
from worldtake.settings import Settings
from worldtake.store import Store, schema

# The dumps' reference dates (`--as-of`), as DATA.md gives them.
AS_OF = {
    "000_2e57ccaae208c31e.txt": "2025-09-10",
    "002_55bd86edfccead3e.txt": "2025-03-03",
    "004_2c56ff1810b1e9dc.txt": "2026-01-08",
}


def run_enrichment(store: Store, settings: Settings) -> None:
    """Run the stages up to and including dates, as `process` would."""
    context = StageContext(store, settings)
    for stage in STAGES:
        _run_stage(context, stage, None)
        if stage.name == "dates":
            return


@pytest.fixture
def dated_seeds(store: Store, settings: Settings) -> Store:
    for name, as_of in AS_OF.items():
        path = need_shared(SEEDS) / name
        ingest(store, [str(path)], IngestOptions(as_of=as_of), settings)
    run_enrichment(store, settings)
    return store


def article_dates(store: Store) -> dict[str, tuple[str, str, str | None]]:
    a = schema.articles
    query = select(a.c.origin, a.c.published, a.c.published_precision, a.c.published_evidence)
    with store.reading() as conn:
        return {
            r.origin: (r.published, r.published_precision, r.published_evidence)
            for r in conn.execute(query)
        }


def test_seed_003_dates_in_french_are_parsed() -> None:
    articles = json.loads((GOLDEN / "seed_003_articles.json").read_text(encoding="utf-8"))
    assert len(articles) == 7
    for article in articles:
        iso, precision = parse_published(article["date_text"], languages=["fr"])
        assert (iso, precision) == (article["published"], "exact")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30 août 2025", ("2025-08-30", "day")),
        ("7. Januar 2026, 14:05 Uhr", ("2026-01-07T14:05:00", "exact")),
        ("8 de septiembre de 2025", ("2025-09-08", "day")),
        ("30 серпня 2025 о 10:15", ("2025-08-30T10:15:00", "exact")),
        ("6 septembre 2025 à 18:35 CEST", ("2025-09-06T18:35:00+02:00", "exact")),
        ("Mon, 08 Sep 2025 10:00:00 +0200", ("2025-09-08T10:00:00+02:00", "exact")),
    ],
)
def test_publication_dates_in_many_languages_keep_their_zone(
    text: str, expected: tuple[str, str]
) -> None:
    assert parse_published(text) == expected


def test_date_without_year_needs_a_reference() -> None:
    assert parse_published("4 settembre", reference=date(2025, 9, 10)) == ("2025-09-04", "day")
    with pytest.raises(ValueError, match="no year"):
        parse_published("4 settembre")


def test_dated_dump_lines_fall_in_the_right_week(dated_seeds: Store) -> None:
    dates = article_dates(dated_seeds)
    gold = [json.loads(line) for line in (GOLDEN / "seed_dates.jsonl").open(encoding="utf-8")]
    assert len(gold) == 6
    for record in gold:
        origin = str(need_shared(SEEDS) / record["file"]) + f"#L{record['line']}"
        published, precision, evidence = dates[origin]
        week = date.fromisoformat(record["published_week_start"])
        assert week <= date.fromisoformat(published[:10]) <= week + timedelta(days=6), record
        assert precision == "inferred" and evidence


def test_no_inferred_date_lies_after_the_reference(dated_seeds: Store) -> None:
    dates = article_dates(dated_seeds)
    assert len(dates) == 90
    for origin, (published, precision, _) in dates.items():
        as_of = AS_OF[Path(origin.split("#")[0]).name]
        assert precision == "inferred" and published[:10] <= as_of, origin


def test_dump_dates_never_grow_down_the_file(dated_seeds: Store) -> None:
    dates = article_dates(dated_seeds)
    for name in DUMP_SEEDS:
        path = str(need_shared(SEEDS) / name)
        ordered = [dates[f"{path}#L{n}"][0] for n in range(1, 31)]
        assert ordered == sorted(ordered, reverse=True), name


def test_event_dates_keep_their_phrases(dated_seeds: Store) -> None:
    a, e = schema.articles, schema.event_dates
    query = select(a.c.origin, e.c.date, e.c.phrase, e.c.start, e.c.end, a.c.text).join(
        e, e.c.article_id == a.c.id
    )
    with dated_seeds.reading() as conn:
        rows = list(conn.execute(query))
    found = {(r.origin, r.date, r.phrase) for r in rows}
    for row in rows:
        assert row.text[row.start : row.end] == row.phrase
    gold = [json.loads(line) for line in (GOLDEN / "seed_dates.jsonl").open(encoding="utf-8")]
    expected = {
        (str(SEEDS / g["file"]) + f"#L{g['line']}", d["date"], d["phrase"])
        for g in gold
        for d in g["event_dates"]
    }
    assert expected <= found
    assert len(found - expected) <= 1  # at most one day-level phrase beyond the gold


def test_relative_days_resolve_against_the_reference() -> None:
    monday = date(2025, 9, 1)
    text = "He will resign tomorrow. The summit is on Thursday; talks were held yesterday."
    found = {m.phrase: m.date for m in find_event_dates(text, monday)}
    assert found == {
        "tomorrow": "2025-09-02",
        "on Thursday": "2025-09-04",
        "yesterday": "2025-08-31",
    }


@pytest.mark.parametrize(
    ("text", "phrase", "day"),
    [
        ("Le sommet aura lieu le 4 septembre à Paris.", "le 4 septembre", "2025-09-04"),
        ("Il vertice del 4 settembre a Parigi.", "4 settembre", "2025-09-04"),
        ("Am 7. Januar 2026 trafen sich die Minister.", "Am 7. Januar 2026", "2026-01-07"),
        ("La cumbre del 6 de enero en París.", "6 de enero", "2026-01-06"),
        ("Саміт відбувся 6 січня у Парижі.", "6 січня", "2026-01-06"),
    ],
)
def test_days_named_in_other_languages(text: str, phrase: str, day: str) -> None:
    reference = date(2025, 11, 20) if "settembre" in text or "septembre" in text else None
    found = find_event_dates(text, reference or date(2026, 1, 8))
    assert [(m.phrase, m.date) for m in found] == [(phrase, day)]


def test_english_words_that_look_like_months_are_not_dates() -> None:
    assert find_event_dates("They may 5 times march 3 miles.", date(2025, 9, 1)) == []


def test_undated_items_lie_between_their_dated_neighbours() -> None:
    texts = [
        "Talks went on.",
        "On September 8 the vote was lost.",
        "Another item.",
        "Another item.",
        "Another item.",
        "The summit on September 4 was held.",
        "An older item.",
    ]
    known: list[str | None] = [None] * len(texts)
    inferred = infer_publication_dates(texts, known, date(2025, 9, 10))
    days = [i.date if i else None for i in inferred]
    assert days[0] == "2025-09-10"
    assert days[1] == "2025-09-08" and days[5] == "2025-09-04"
    assert days[1] >= days[2] >= days[3] >= days[4] >= days[5]
    assert days[6] == "2025-09-04"
    assert all(i and i.evidence for i in inferred)


def test_a_day_after_the_reference_is_never_taken() -> None:
    inferred = infer_publication_dates(["The summit on September 20."], [None], date(2025, 9, 10))
    assert inferred[0] is not None and inferred[0].date <= "2025-09-10"


def test_event_dates_need_a_reference_for_relative_days() -> None:
    assert find_event_dates("The vote is tomorrow.", None) == []
    assert find_event_dates("", date(2025, 1, 1)) == []


def test_running_the_dates_stage_again_changes_nothing(dated_seeds: Store) -> None:
    from worldtake.enrich.stages import date_articles

    before = article_dates(dated_seeds)
    with dated_seeds.reading() as conn:
        count = len(conn.execute(select(schema.event_dates.c.id)).all())
    articles = list(dated_seeds.iter_articles())
    with dated_seeds.transaction() as conn:
        date_articles(StageContext(dated_seeds, Settings()), conn, articles)
    with dated_seeds.reading() as conn:
        assert len(conn.execute(select(schema.event_dates.c.id)).all()) == count
    assert article_dates(dated_seeds) == before

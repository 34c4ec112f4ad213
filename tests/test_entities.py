"""Entity mentions: the gold of the 90 dump lines, groups, roles by date, spans, the stage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import DUMP_SEEDS, GOLDEN, SEEDS, need_shared
from sqlalchemy import select

from worldtake.enrich.entities import Mention, countries_of, find_mentions, keys_of
from worldtake.enrich.gazetteer import load_gazetteer
from worldtake.ingest.options import IngestOptions
from worldtake.pipeline import STAGES, StageContext, _run_stage, ingest
from worldtake.settings import Settings
from worldtake.store import Store, schema

# Reference dates of the dumps (their newest items), as DATA.md gives them.
REFERENCE_DATES = {
    "000_2e57ccaae208c31e.txt": "2025-09-10",
    "002_55bd86edfccead3e.txt": "2025-03-03",
    "004_2c56ff1810b1e9dc.txt": "2026-01-08",
}


def score_dump_lines(seeds: Path) -> dict[str, tuple[int, int, int]]:
    """(found, gold, predicted) per kind over the 90 dump lines, against the gold."""
    gold_lines = [json.loads(line) for line in (GOLDEN / "seed_entities.jsonl").open()]
    lines = {name: (seeds / name).read_text(encoding="utf-8").split("\n") for name in DUMP_SEEDS}
    people = load_gazetteer().people
    totals = {"country": [0, 0, 0], "person": [0, 0, 0]}
    for gold in gold_lines:
        text = lines[gold["file"]][gold["line"] - 1]
        mentions = find_mentions(text, on_date=REFERENCE_DATES[gold["file"]])
        predicted = {
            "country": set(countries_of(mentions)),
            "person": {
                people[k].name if k in people else k.removeprefix("name:")
                for k in keys_of(mentions, "person")
            },
        }
        expected = {"country": set(gold["countries"]), "person": set(gold["people"])}
        for kind, total in totals.items():
            total[0] += len(predicted[kind] & expected[kind])
            total[1] += len(expected[kind])
            total[2] += len(predicted[kind])
    return {kind: (t[0], t[1], t[2]) for kind, t in totals.items()}


def test_dump_lines_meet_the_entity_floors() -> None:
    scores = score_dump_lines(need_shared(SEEDS))
    found = sum(s[0] for s in scores.values())
    gold = sum(s[1] for s in scores.values())
    predicted = sum(s[2] for s in scores.values())
    assert found / gold >= 0.95, scores
    assert (predicted - found) / predicted <= 0.05, scores


def test_group_expands_to_members_with_the_group_span() -> None:
    text = "Ministers of the Baltic states met in Riga."
    mentions = find_mentions(text)
    groups = [m for m in mentions if m.kind == "group"]
    assert len(groups) == 1
    members = [m for m in mentions if m.kind == "country" and m.start == groups[0].start]
    assert sorted(m.key for m in members) == ["EE", "LT", "LV"]
    assert "LV" in countries_of(mentions)


def test_every_mention_keeps_its_span() -> None:
    text = "Le président polonais et les Italiani: Zelensky, Зеленський, Downing Street, NATO."
    mentions = find_mentions(text)
    assert mentions
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.text


def test_demonyms_capitals_and_metonyms_name_countries() -> None:
    text = "Polish troops, the Kremlin, the Élysée and Downing Street; Kyiv said Washington agreed."
    assert countries_of(find_mentions(text)) == ["FR", "GB", "PL", "RU", "UA", "US"]


def test_role_resolves_to_the_holder_on_the_date() -> None:
    text = "The German Chancellor spoke to reporters."
    before = keys_of(find_mentions(text, on_date="2025-02-20"), "person")
    after = keys_of(find_mentions(text, on_date="2025-09-20"), "person")
    people = load_gazetteer().people
    assert [people[k].name for k in before] == ["Olaf Scholz"]
    assert [people[k].name for k in after] == ["Friedrich Merz"]


def test_transliterations_resolve_to_one_person() -> None:
    keys = {
        tuple(keys_of(find_mentions(name), "person"))
        for name in ("Zelenskyy", "Zelensky", "Зеленський", "Volodymyr Zelenskyy")
    }
    assert len(keys) == 1 and len(next(iter(keys))) == 1


def test_coalition_aliases_name_one_organisation() -> None:
    texts = (
        "the Coalition of the Willing",
        "la coalizione dei Volenterosi",
        "coalition of the determined",
    )
    keys = {tuple(keys_of(find_mentions(t), "organisation")) for t in texts}
    assert len(keys) == 1 and len(next(iter(keys))) == 1


def test_common_words_are_not_countries() -> None:
    text = "We must polish the plan, turkey for dinner, and us all."
    assert countries_of(find_mentions(text)) == []


@pytest.mark.parametrize("text", ["", " ", "12345"])
def test_empty_text_has_no_mentions(text: str) -> None:
    assert find_mentions(text) == []


def test_mention_is_frozen() -> None:
    mention = Mention("country", "FR", "France", 0, 6)
    with pytest.raises(AttributeError):
        mention.key = "DE"  # type: ignore[misc]


def run_stages_until(store: Store, settings: Settings, last: str) -> None:
    """Run the stages of `process` in order up to and including `last`."""
    context = StageContext(store, settings)
    for stage in STAGES:
        _run_stage(context, stage, None)
        if stage.name == last:
            return


def test_entities_stage_stores_spans_and_countries(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    dump = tmp_path / "dump.txt"
    dump.write_text(
        "Polish and Italian ministers met in Kyiv. The Baltic states sent envoys.\n"
        "Nothing here names a place.\n",
        encoding="utf-8",
    )
    ingest(store, [str(dump)], IngestOptions(as_of="2025-09-10"), settings)
    run_stages_until(store, settings, "entities")
    a, m = schema.articles, schema.mentions
    with store.reading() as conn:
        countries = dict(conn.execute(select(a.c.position, a.c.countries)).all())
        rows = list(conn.execute(select(m, a.c.text).join(a, a.c.id == m.c.article_id)))
    assert countries[1] == ["EE", "IT", "LT", "LV", "PL", "UA"]
    assert countries[2] == []
    assert {r.kind for r in rows} == {"country", "group"}
    for row in rows:
        assert row._mapping["text_1"][row.start : row.end] == row.text


def test_bad_input_through_the_stages_is_kept_with_a_reason(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    huge = "Les ministres polonais se sont réunis à Kyiv. " * 120_000
    records = [
        {"id": "huge", "title": "Réunion à Kyiv", "text": huge},
        {"id": "script", "title": "ሰላም", "text": "የኢትዮጵያ ጠቅላይ ሚኒስትር ዛሬ ከአውሮፓ መሪዎች ጋር ተወያይተዋል"},
    ]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    ingest(store, [str(path)], IngestOptions(), settings)
    run_stages_until(store, settings, "translate")
    reasons = [r.reason for r in store.list_rejections(50)]
    assert any("language not identified" in r for r in reasons), reasons
    assert any("characters read for entities" in r for r in reasons), reasons
    a = schema.articles
    with store.reading() as conn:
        found = dict(conn.execute(select(a.c.external_id, a.c.countries)).all())
    assert found["huge"] == ["PL", "UA"]


def test_unknown_people_after_a_title_are_kept_by_name() -> None:
    text = "Senator Jane Roe said the plan was weak.\nAnalyst Maria Kowalska told Polish radio."
    mentions = find_mentions(text)
    people = [m for m in mentions if m.kind == "person"]
    assert [(m.key, m.text) for m in people] == [
        ("name:Jane Roe", "Jane Roe"),
        ("name:Maria Kowalska", "Maria Kowalska"),
    ]
    assert countries_of(mentions) == ["PL"]


def test_posts_in_other_word_orders_resolve() -> None:
    people = load_gazetteer().people
    cases = {
        "Le chancelier allemand a parlé.": "Friedrich Merz",
        "The presidents of Ukraine and France met.": "Emmanuel Macron",
        "The Italian leader spoke first.": "Giorgia Meloni",
    }
    for text, name in cases.items():
        names = {people[k].name for k in keys_of(find_mentions(text, "2025-09-04"), "person")}
        assert name in names, text
    envoy = find_mentions("the US President's envoy arrived", "2025-09-04")
    assert keys_of(envoy, "person") == [] and countries_of(envoy) == ["US"]

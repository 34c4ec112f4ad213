"""Pledges: rules on hard sentences, quality floors on our gold, histories, CLI, export, model."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from conftest import GOLDEN, ROOT, SEEDS, need_shared, run_cli

from worldtake import pipeline
from worldtake.claims.evaluate import (
    keyword_triples,
    load_seed_gold,
    load_sentence_gold,
    rule_triples,
    score_units,
)
from worldtake.claims.model import ask_model, check_answer
from worldtake.claims.pledges import extract_pledges
from worldtake.claims.stage import readable_text
from worldtake.enrich.entities import find_mentions
from worldtake.errors import Rejected
from worldtake.export import export_rows
from worldtake.ingest.options import IngestOptions
from worldtake.models import Article
from worldtake.settings import Settings, load_settings
from worldtake.store import Store, open_store

# Floors a little under what the rule backend measures (bench/pledges.py prints the figures).
SENTENCE_FLOOR = {"precision": 0.97, "recall": 0.96}
SEED_FLOOR = {"precision": 0.95, "recall": 0.94}


def triples(text: str, language: str = "en") -> set[tuple[str, str, str]]:
    claims = extract_pledges(text, find_mentions(text), (language,))
    return {c.triple() for c in claims}


def test_negation_and_offer_in_one_sentence_are_told_apart() -> None:
    found = triples(
        "France will not send ground troops to Ukraine, but it offered to help clear mines."
    )
    assert found == {("FR", "ground_troops", "refuse"), ("FR", "demining", "offer")}


def test_condition_after_a_peace_deal_makes_a_pledge_conditional() -> None:
    text = (
        "Canada is ready to deploy up to 500 troops to Ukraine after a peace agreement is signed."
    )
    (claim,) = extract_pledges(text, find_mentions(text), ("en",))
    assert claim.triple() == ("CA", "ground_troops", "conditional")
    assert claim.condition == "after a peace agreement is signed"
    assert claim.amount == "up to 500 troops"


def test_has_not_decided_governs_the_would_that_follows() -> None:
    found = triples("Germany has not decided whether it would contribute troops to the force.")
    assert found == {("DE", "ground_troops", "undecided")}


def test_threats_are_not_pledges() -> None:
    assert (
        triples("Russia warned that any French soldiers deployed in Ukraine would be targets.")
        == set()
    )


def test_spending_on_ones_own_forces_is_not_a_pledge() -> None:
    assert triples("Italy will spend 3 billion euros to renew its own frigates.") == set()


def test_passive_refusal_after_the_kind_counts() -> None:
    found = triples("La presenza di soldati in Ucraina della Francia non è prevista.", "it")
    assert ("FR", "ground_troops", "refuse") in found


def test_coalition_as_a_whole_pledges_when_no_member_is_named() -> None:
    found = triples("Twenty-six countries agreed to supply Ukraine with long-range missiles.")
    assert found == {("COALITION", "weapons", "offer")}


def test_members_named_for_this_step_replace_the_coalition() -> None:
    text = (
        "Of the 21 countries, ten would send their soldiers to Ukraine after the fighting ends. "
        "Countries prepared to take this step include France and Canada."
    )
    found = triples(text)
    assert found == {("FR", "ground_troops", "conditional"), ("CA", "ground_troops", "conditional")}


def test_nationality_of_media_or_a_company_is_not_a_pledger() -> None:
    assert triples("Dutch newspapers claimed that peacekeepers could be deployed soon.") == set()
    assert (
        triples("A Swedish arms maker said Europe suffers from too little defence funding.")
        == set()
    )


def test_money_needs_a_position_and_ukraine_as_the_beneficiary() -> None:
    assert triples("Austria will spend more on funding for its roads.") == set()
    found = triples(
        "The Slovak premier said the country could keep buying shells for Ukraine "
        "if other states pay for them. He added that no funds from Slovak taxpayers "
        "would go to the scheme."
    )
    assert found == {("SK", "weapons", "conditional"), ("SK", "funding", "refuse")}


def test_help_to_russia_and_purchases_from_a_seller_are_not_pledges() -> None:
    text = (
        "Beijing keeps selling weapons components to Russia. "
        "Lavrov wants possible Chinese participation in the talks."
    )
    assert triples(text) == set()
    assert triples("Ukraine purchases American air defense systems with its own money.") == set()


def test_typographic_apostrophes_and_with_clauses() -> None:
    assert triples("Canada won’t send troops to Ukraine.") == {("CA", "ground_troops", "refuse")}
    found = triples(
        "Officials are discussing a force for Ukraine, with Spain and Portugal leading the "
        "naval component."
    )
    assert found == {("ES", "naval", "undecided"), ("PT", "naval", "undecided")}


def test_the_coalitions_ceasefire_timing_carries_to_its_other_force_kinds() -> None:
    text = (
        "Twenty-six countries will send troops to Ukraine after a ceasefire. "
        "They will also be present at sea and in the air, the minister said."
    )
    claims = extract_pledges(text, find_mentions(text), ("en",))
    assert {c.triple() for c in claims} == {
        ("COALITION", "ground_troops", "conditional"),
        ("COALITION", "naval", "conditional"),
        ("COALITION", "air", "conditional"),
    }
    assert {c.condition for c in claims} == {"after a ceasefire"}


def test_sentence_set_meets_its_quality_floor() -> None:
    units = load_sentence_gold(GOLDEN / "pledge_sentences.jsonl")
    score = score_units(units, rule_triples)
    assert score.precision >= SENTENCE_FLOOR["precision"], score
    assert score.recall >= SENTENCE_FLOOR["recall"], score
    assert score.f1 > score_units(units, keyword_triples).f1 + 0.3


def test_seed_units_meet_their_quality_floor() -> None:
    units = load_seed_gold(GOLDEN / "seed_pledges.jsonl", need_shared(SEEDS))
    score = score_units(units, rule_triples)
    assert score.precision >= SEED_FLOOR["precision"], score
    assert score.recall >= SEED_FLOOR["recall"], score
    assert score.f1 > score_units(units, keyword_triples).f1


def _ingest_lines(
    store: Store, settings: Settings, tmp_path: Path, lines: list[dict[str, Any]]
) -> None:
    path = tmp_path / "items.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    pipeline.ingest(store, [str(path)], IngestOptions(), settings)
    pipeline.process(store, settings)


CHANGING = [
    {
        "title": "Berlin against troops",
        "text": "Germany will not send troops to Ukraine, the chancellor said on Monday.",
        "published": "2025-02-17T10:00:00Z",
        "source": "Wire One",
        "language": "en",
    },
    {
        "title": "Berlin still against troops",
        "text": "Germany will not send troops to Ukraine, a government spokesman repeated.",
        "published": "2025-02-18T10:00:00Z",
        "source": "Wire Two",
        "language": "en",
    },
    {
        "title": "Berlin weighs troops",
        "text": "Germany has not decided whether it would send troops to Ukraine.",
        "published": "2025-09-03T10:00:00Z",
        "source": "Wire One",
        "language": "en",
    },
]


def test_a_changed_position_is_a_new_entry_and_repeats_are_evidence(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    _ingest_lines(store, settings, tmp_path, CHANGING)
    rows = [r for r in export_rows(store, "pledges") if r["country"] == "DE"]
    assert [(r["kind"], r["polarity"], r["date"]) for r in rows] == [
        ("ground_troops", "refuse", "2025-02-17"),
        ("ground_troops", "undecided", "2025-09-03"),
    ]
    assert set(rows[0]) == {
        "country",
        "kind",
        "polarity",
        "condition",
        "amount",
        "date",
        "beneficiary",
        "evidence",
    }
    assert [e["source"] for e in rows[0]["evidence"]] == ["Wire One", "Wire Two"]
    assert all(e["quote"].startswith("Germany will not send troops") for e in rows[0]["evidence"])
    assert rows[0]["beneficiary"] == "UA"


def test_processing_again_changes_nothing(store: Store, settings: Settings, tmp_path: Path) -> None:
    _ingest_lines(store, settings, tmp_path, CHANGING)
    before = list(export_rows(store, "pledges"))
    pipeline.process(store, settings)
    assert list(export_rows(store, "pledges")) == before


def test_cli_matrix_as_of_a_date_and_a_cells_quotes(settings: Settings, tmp_path: Path) -> None:
    store = open_store(settings.db)
    _ingest_lines(store, settings, tmp_path, CHANGING)
    store.close()
    early = run_cli("--db", settings.db, "pledges", "--as-of", "2025-03-01", cwd=tmp_path)
    assert early.returncode == 0, early.stderr
    assert "DE" in early.stdout and "no 2" in early.stdout
    late = run_cli("--db", settings.db, "pledges", cwd=tmp_path)
    assert "? 1" in late.stdout
    quotes = run_cli(
        "--db", settings.db, "pledges", "--country", "DE", "--kind", "ground_troops", cwd=tmp_path
    )
    assert "Germany has not decided whether" in quotes.stdout
    assert "Wire Two" in quotes.stdout
    bad = run_cli("--db", settings.db, "pledges", "--as-of", "March", cwd=tmp_path)
    assert bad.returncode != 0


class _CannedModel(BaseHTTPRequestHandler):
    """Stands in for a remote OpenAI-compatible server: answers every POST with canned JSON."""

    answer: ClassVar[dict[str, Any]] = {}
    seen: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        _CannedModel.seen.append(json.loads(self.rfile.read(length)))
        body = json.dumps({"choices": [{"message": {"content": json.dumps(self.answer)}}]})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: Any) -> None:
        return


@pytest.fixture
def model_url() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _CannedModel)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/v1"
    server.shutdown()
    server.server_close()


TEXT = "Norway will send two minesweepers to Ukraine once a ceasefire is in place."
GOOD = {
    "country": "NO",
    "kind": "demining",
    "polarity": "conditional",
    "condition": "once a ceasefire is in place",
    "amount": "two minesweepers",
    "quote": TEXT,
}


def test_model_backend_keeps_checked_items_and_refuses_bad_spans(model_url: str) -> None:
    invented = {**GOOD, "kind": "naval", "quote": "Norway will send a frigate."}
    _CannedModel.answer = {"pledges": [GOOD, invented]}
    answer = ask_model(TEXT, model_url, "test-model")
    assert [c.triple() for c in answer.claims] == [("NO", "demining", "conditional")]
    assert answer.claims[0].start == 0 and answer.claims[0].end == len(TEXT)
    assert len(answer.refused) == 1 and "not in the text" in answer.refused[0]
    request = _CannedModel.seen[-1]
    assert request["response_format"]["json_schema"]["strict"] is True


def test_model_items_outside_the_schema_are_refused() -> None:
    answer = check_answer(
        {"pledges": [{**GOOD, "kind": "cavalry"}, {**GOOD, "country": "France"}]}, TEXT
    )
    assert answer.claims == () and len(answer.refused) == 2
    with pytest.raises(Rejected):
        check_answer({"answer": "none"}, TEXT)


def test_model_backend_runs_as_the_stage_and_records_refusals(
    model_url: str, tmp_path: Path
) -> None:
    settings = load_settings(
        {
            "db": str(tmp_path / "model.db"),
            "claims_backend": "model",
            "claims_model_url": model_url,
            "claims_model": "test-model",
        },
        environ={},
        config_path=None,
    )
    _CannedModel.answer = {"pledges": [{**GOOD, "quote": "Norway will send a frigate."}]}
    store = open_store(settings.db)
    try:
        line = {"title": "Mines", "text": TEXT, "language": "en", "source": "Wire"}
        _ingest_lines(store, settings, tmp_path, [line])
        assert list(export_rows(store, "pledges")) == []
        assert any("not in the text" in r.reason for r in store.list_rejections())
    finally:
        store.close()


def test_rule_backend_is_the_default() -> None:
    assert load_settings({}, environ={}, config_path=None).claims_backend == "rules"
    assert ROOT.joinpath("worldtake", "data", "pledge_lexicon.json").is_file()


DATED = [
    {
        "title": "Minesweepers for Odesa",
        "text": (
            "Norway and Denmark met in Oslo last week. "
            "On September 4, Norway pledged two minesweepers to Ukraine."
        ),
        "published": "2025-09-10T08:00:00Z",
        "source": "Wire One",
        "language": "en",
    },
    {
        "title": "Moscow warns",
        "text": (
            "Russia said the deployment of European troops in Ukraine was unacceptable. "
            "Spain supports the idea of a reassurance force, its minister said."
        ),
        "published": "2025-09-11T08:00:00Z",
        "source": "Wire Two",
        "language": "en",
    },
]


def test_a_pledge_is_dated_by_the_day_its_sentence_names(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    _ingest_lines(store, settings, tmp_path, DATED)
    rows = [r for r in export_rows(store, "pledges") if r["country"] == "NO"]
    assert [(r["kind"], r["polarity"], r["date"]) for r in rows] == [
        ("demining", "offer", "2025-09-04")
    ]
    assert rows[0]["evidence"][0]["quote"].startswith("On September 4, Norway pledged")


def test_stances_are_listed_beside_the_pledges(settings: Settings, tmp_path: Path) -> None:
    store = open_store(settings.db)
    _ingest_lines(store, settings, tmp_path, DATED)
    store.close()
    table = run_cli("--db", settings.db, "pledges", "--stances", cwd=tmp_path)
    assert table.returncode == 0, table.stderr
    assert "opposes" in table.stdout and "supports" in table.stdout
    rows = run_cli("--db", settings.db, "pledges", "--stances", "--jsonl", cwd=tmp_path)
    found = {(r["country"], r["stance"]) for r in map(json.loads, rows.stdout.splitlines())}
    assert found == {("RU", "opposes"), ("ES", "supports")}
    early = run_cli(
        "--db",
        settings.db,
        "pledges",
        "--stances",
        "--jsonl",
        "--as-of",
        "2025-09-10",
        cwd=tmp_path,
    )
    assert early.stdout.strip() == ""


def test_a_title_that_opens_the_text_is_read_once_and_translations_are_read() -> None:
    body = "Latvia will send ten instructors to Ukraine. More follow."
    article = Article(1, "x", "Latvia will send ten instructors to Ukraine.", body, language="en")
    assert readable_text(article).text == body
    dutch = Article(
        2, "y", "Titel", "Tekst", language="nl", title_en="Estonia", text_en="It will send jets."
    )
    read = readable_text(dutch)
    assert (read.text, read.field, read.languages) == (
        "Estonia\nIt will send jets.",
        "text_en",
        ("en",),
    )

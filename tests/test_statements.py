"""Statements: who said what, with the reporting verb, direct or reported, and the span."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli

from worldtake.claims.records import Statement
from worldtake.claims.statements import extract_statements
from worldtake.enrich.entities import find_mentions


def statements(text: str, language: str = "en") -> list[Statement]:
    return extract_statements(text, find_mentions(text), (language,))


def test_reported_speech_gives_speaker_verb_and_content() -> None:
    (found,) = statements("Poland said that it would not send troops to Ukraine.")
    assert (found.speaker, found.speaker_kind, found.speaker_country) == ("PL", "government", "PL")
    assert found.verb == "said"
    assert found.content == "it would not send troops to Ukraine"
    assert not found.is_direct


def test_direct_quote_is_the_content() -> None:
    text = "Norway announced: “We will send two minesweepers to Odesa.”"
    (found,) = statements(text)
    assert found.is_direct and found.content == "We will send two minesweepers to Odesa"
    assert found.speaker_country == "NO" and found.verb == "announced"


def test_speaker_after_the_content() -> None:
    (found,) = statements("The talks will resume on Monday in Geneva, France said.")
    assert found.speaker == "FR" and found.content == "The talks will resume on Monday in Geneva"


def test_according_to_names_the_speaker() -> None:
    (found,) = statements("According to Spain, the mission will need a UN mandate.")
    assert found.speaker == "ES" and found.verb == "according to"
    assert found.content == "the mission will need a UN mandate"


def test_unnamed_officials_speak_too() -> None:
    (found,) = statements("Officials said the plan for the force was premature.")
    assert found.speaker == "unnamed officials" and found.speaker_kind == "unnamed"


def test_other_languages_have_their_reporting_verbs() -> None:
    (found,) = statements("La France a déclaré que la coalition était prête.", "fr")
    assert found.verb == "stated" and found.content == "la coalition était prête"


def test_sentences_without_a_speaker_give_no_statement() -> None:
    assert statements("The summit began at noon in Paris.") == []


def test_span_points_at_the_sentence() -> None:
    text = "Rain fell. Poland said that it would train pilots."
    (found,) = statements(text)
    assert text[found.start : found.end] == "Poland said that it would train pilots."


def test_statements_are_exported(tmp_path: Path) -> None:
    items = tmp_path / "items.jsonl"
    items.write_text(
        '{"title": "Warsaw", "text": "Poland said that it would not send troops to Ukraine.",'
        ' "language": "en", "source": "Wire"}\n',
        encoding="utf-8",
    )
    db = str(tmp_path / "s.db")
    assert run_cli("--db", db, "ingest", str(items), cwd=tmp_path).returncode == 0
    assert run_cli("--db", db, "process", cwd=tmp_path).returncode == 0
    exported = run_cli("--db", db, "export", "statements", cwd=tmp_path)
    assert '"speaker": "PL"' in exported.stdout and '"verb": "said"' in exported.stdout

"""Language identification: the seeds' gold, mixed pages, the sample corpus, bad input."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from conftest import GOLDEN, ROOT, SEEDS, need_shared

from worldtake.enrich.language import detect_language, parse_languages
from worldtake.errors import Rejected

SENTENCES = {
    "fr": "Le président a reçu les dirigeants européens à l'Élysée pour parler de la paix.",
    "de": "Der Bundeskanzler hat am Dienstag mit den europäischen Partnern telefoniert.",
    "it": "Il governo italiano non invierà soldati, ha detto la presidente del Consiglio.",
    "es": "El Gobierno español estudia enviar tropas si hay un alto el fuego duradero.",
    "pl": "Premier zapowiedział, że Polska nie wyśle żołnierzy na Ukrainę po wojnie.",
    "uk": "Президент України провів розмову з лідерами коаліції охочих у Парижі.",
    "ru": "Министр иностранных дел заявил, что размещение войск недопустимо.",
    "pt": "O primeiro-ministro português prometeu apoio financeiro à Ucrânia.",
    "nl": "De Nederlandse regering overweegt een bijdrage aan de vredesmacht.",
}


def test_seed_files_match_the_gold_language_and_also() -> None:
    gold = json.loads((GOLDEN / "seed_languages.json").read_text(encoding="utf-8"))
    for name, expected in gold.items():
        text = (need_shared(SEEDS) / name).read_text(encoding="utf-8")
        guess = detect_language("", text)
        assert guess.language == expected["language"], name
        assert sorted(guess.also) == sorted(expected.get("also", [])), name


@pytest.mark.parametrize("language", sorted(SENTENCES))
def test_one_sentence_is_enough(language: str) -> None:
    guess = detect_language("", SENTENCES[language])
    assert guess.language == language
    assert 0.5 < guess.confidence <= 1.0


def test_sample_corpus_languages_match_the_manifest() -> None:
    path = ROOT / "worldtake" / "data" / "sample" / "export.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    right = sum(detect_language(r["title"], r["text"]).language == r["language"] for r in records)
    assert right == len(records)


def test_italian_headline_over_english_text_records_both() -> None:
    title = "Volenterosi riuniti a Parigi, Macron: 26 Paesi offrono garanzie di sicurezza a Kiev"
    text = " ".join(
        [
            "The leaders of the coalition met in Paris on Thursday to agree on guarantees.",
            "Several governments said they would send troops once a ceasefire holds.",
            "Others offered logistics, air policing and training instead of soldiers.",
        ]
    )
    guess = detect_language(title, text)
    assert guess.language == "en" and guess.also == ("it",)


def test_plain_english_has_no_other_language() -> None:
    text = "\n".join(SENTENCES.values())
    english = "The talks in Paris ended without a deal. " * 30
    assert detect_language("", english).also == ()
    assert len(detect_language("", text).also) >= 3


def test_empty_text_is_refused_with_a_reason() -> None:
    with pytest.raises(Rejected, match="no text"):
        detect_language("", "   12 345 — !!")


def test_unsupported_script_is_refused_with_a_reason() -> None:
    amharic = "የኢትዮጵያ ጠቅላይ ሚኒስትር ዛሬ ከአውሮፓ መሪዎች ጋር ተወያይተዋል"
    with pytest.raises(Rejected, match="language not identified"):
        detect_language("", amharic)


def test_five_megabytes_are_read_in_a_sample(tmp_path: Path) -> None:
    text = SENTENCES["de"] + " " + ("Die Verhandlungen gehen weiter. " * 160_000)
    assert len(text) > 5_000_000
    started = time.perf_counter()
    guess = detect_language("", text)
    assert guess.language == "de"
    assert time.perf_counter() - started < 20


def test_bad_language_setting_names_the_code() -> None:
    with pytest.raises(ValueError, match="xx"):
        parse_languages("en,xx")

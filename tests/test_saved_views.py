"""Saved reader views and multi-article pages: split into articles, chrome and teasers dropped."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from conftest import DUMP_SEEDS, GOLDEN, need_shared, run_cli

from worldtake.ingest import detect_kind
from worldtake.ingest.datelines import parse_date_line
from worldtake.ingest.options import IngestOptions
from worldtake.ingest.views import read_view
from worldtake.models import Document
from worldtake.sentences import split_sentences

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
SEED_001 = "001_64ef2e28f97a67ac.txt"
SEED_003 = "003_1e0643baf2f665f2.txt"


def _articles(path: Path) -> list[Document]:
    items = list(read_view(path.read_bytes(), str(path), IngestOptions()))
    return [i for i in items if isinstance(i, Document)]


def test_seed_003_gives_its_seven_articles_with_titles_dates_and_bodies(seeds: Path) -> None:
    gold = json.loads((GOLDEN / "seed_003_articles.json").read_text(encoding="utf-8"))
    articles = _articles(seeds / SEED_003)
    assert [a.title for a in articles] == [g["title"] for g in gold]
    assert [a.published for a in articles] == [g["published"] for g in gold]
    for article, want in zip(articles, gold, strict=True):
        sentences = [s for p in article.text.splitlines() for s in split_sentences(p)]
        assert sentences[0] == want["first_sentence"], article.title
        assert sentences[-1] == want["last_sentence"], article.title
        assert "✇" not in article.text and "Explore further" not in article.text
        assert article.origin.endswith(f"#L{want['title_line']}")
        assert article.source == "Euromaidan Press"


def test_seed_001_keeps_the_italian_headline_and_drops_the_app_chrome(seeds: Path) -> None:
    gold = json.loads((GOLDEN / "seed_001_article.json").read_text(encoding="utf-8"))
    (article,) = _articles(seeds / SEED_001)
    assert article.title == gold["title"]
    assert article.published == gold["date"]
    for sentence in gold["must_contain"]:
        assert sentence in article.text
    for chrome in gold["must_not_contain"] + gold["should_not_contain"]:
        assert chrome not in article.text and chrome != article.title


def test_a_view_we_wrote_in_german_splits_by_the_same_rules() -> None:
    first, second = _articles(FIXTURES / "view_de.txt")
    assert (first.title, first.published) == (
        "Pistorius besucht Truppen in Litauen",
        "2025-09-08T14:05:00",
    )
    assert first.text.splitlines()[0].startswith("Verteidigungsminister Boris Pistorius")
    assert "Foto" not in first.text and "Schützenpanzer" not in first.text
    assert first.text.endswith("Sicherheitsgarantien für die Ukraine.")
    assert (second.title, second.published) == (
        "Merz telefoniert mit Selenskyj über Garantien",
        "2025-09-07T09:30:00",
    )
    assert second.text.endswith("nächsten Schritte.") and first.source == "Nordkurier Digital"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("6 septembre 2025 à 18:35", ("2025-09-06T18:35:00", "exact")),
        ("4 settembre 2025", ("2025-09-04", "day")),
        ("6 de septiembre de 2025, 10:15", ("2025-09-06T10:15:00", "exact")),
        ("6 вересня 2025 о 18:35", ("2025-09-06T18:35:00", "exact")),
        ("8. September 2025, 14:05 Uhr", ("2025-09-08T14:05:00", "exact")),
        ("Thursday, September 4", ("2025-09-04", "day")),
        ("Last updated: 7:57 PM", None),
        ("On 4 September, a meeting of the coalition took place in Paris.", None),
    ],
)
def test_date_lines_in_several_languages(line: str, expected: tuple[str, str] | None) -> None:
    from datetime import date

    assert parse_date_line(line, date(2026, 1, 10)) == expected


def test_dumps_and_views_are_told_apart_by_their_layout(seeds: Path) -> None:
    for name in DUMP_SEEDS:
        assert detect_kind(name, (seeds / name).read_bytes()[:4096]) == "dump"
    for name in (SEED_001, SEED_003):
        assert detect_kind(name, (seeds / name).read_bytes()[:4096]) == "view"


def test_ingest_of_the_seed_folder_gives_every_item(seeds: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "seeds.db")
    result = run_cli("--db", db, "ingest", str(need_shared(seeds)), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "98 new, 0 already stored, 0 rejected" in result.stdout
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT r.origin, count(*) FROM articles a JOIN raw_items r ON r.id = a.raw_item_id "
            "GROUP BY r.origin ORDER BY r.origin"
        ).fetchall()
    assert [n for _, n in rows] == [30, 1, 30, 7, 30]

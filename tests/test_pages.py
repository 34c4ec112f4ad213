"""HTML pages: the sample corpus's pages and the extraction quality gate on 181 real pages."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SHARED, need_shared

from worldtake import pipeline
from worldtake.demo import sample_folder
from worldtake.errors import Rejected
from worldtake.ingest import detect_kind
from worldtake.ingest.options import IngestOptions
from worldtake.ingest.pages import extract_page
from worldtake.settings import Settings
from worldtake.store import Store

sys.path.insert(0, str(ROOT / "bench"))
from extraction import score_extractor, score_text

F1_FLOOR = 0.95


def _manifest() -> list[dict[str, str]]:
    entries = json.loads((sample_folder() / "manifest.json").read_text(encoding="utf-8"))
    return [e for e in entries if e["kind"] == "html"]


@pytest.mark.parametrize("entry", _manifest(), ids=lambda e: Path(e["file"]).stem)
def test_sample_pages_give_title_date_outlet_and_body(
    entry: dict[str, str], store: Store, settings: Settings
) -> None:
    path = sample_folder() / entry["file"]
    options = IngestOptions(entry["source"], entry["country"], entry["language"])
    report = pipeline.ingest(store, [str(path)], options, settings)
    assert (report.added, report.rejected) == (1, 0)
    (article,) = store.latest_articles(5)
    raw = path.read_bytes()
    assert article.title.encode("utf-8") in raw or article.title.encode("cp1252") in raw
    assert article.published is not None and article.published[:4] in ("2025", "2026")
    assert article.published[:10].encode("ascii") in raw.replace(b"/", b"-")
    assert (article.source, article.source_country) == (entry["source"], entry["country"])
    assert len(article.text) > 500 and "cookie" not in article.text.lower()


def test_windows_1252_page_is_decoded_right() -> None:
    page = extract_page(
        (sample_folder() / "pages" / "courrier-paris-vingt-six-pays.html").read_bytes(), "p"
    )
    assert (
        page.title
        == "Vingt-six pays prêts à garantir la sécurité de l’Ukraine après un cessez-le-feu"
    )
    assert page.published == "2025-09-04" and page.author == "Marc Delorme"
    assert "Lire aussi" not in page.text and "Mentions légales" not in page.text
    assert page.url and page.url.startswith("https://courrier-paris.example/international/")


def test_gzipped_page_is_accepted(store: Store, settings: Settings, tmp_path: Path) -> None:
    source = sample_folder() / "pages" / "thames-courier-uk-france-declaration.html"
    packed = tmp_path / "page.html.gz"
    packed.write_bytes(gzip.compress(source.read_bytes()))
    assert detect_kind(str(packed), b"") == "page"
    report = pipeline.ingest(store, [str(packed)], IngestOptions(), settings)
    assert report.added == 1
    assert store.latest_articles(1)[0].title.startswith("Britain and France pledge")


def test_a_page_without_text_is_rejected_with_the_reason() -> None:
    with pytest.raises(Rejected, match="no article text"):
        extract_page(b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "empty.html")


def test_the_scorer_counts_shingles_both_ways() -> None:
    assert score_text("one two three four five", "one two three four five") == (1.0, 1.0, 1.0)
    precision, recall, _ = score_text("one two three four five six", "one two three four")
    assert (precision, recall) == (1 / 3, 1.0)
    assert score_text("", "a b c d")[2] == 0.0


def test_extraction_f1_on_the_benchmark_stays_above_the_floor() -> None:
    folder = need_shared(SHARED / "bench" / "extraction")

    def extract(raw: bytes) -> str:
        try:
            return extract_page(raw, "bench.html").text
        except Rejected:
            return ""

    score = score_extractor(extract, folder)
    assert score.documents == 181
    assert score.f1 >= F1_FLOOR, f"mean F1 {score.f1:.3f} is below the {F1_FLOOR} floor"

"""Main-text extraction quality: 4-word-shingle precision, recall and F1 on the Zyte benchmark.

Benchmark pages: ScrapingHub/Zyte article-extraction-benchmark (MIT), read from
../shared/bench/extraction/. Run: `python bench/extraction.py` prints our page ingester's mean
precision, recall and F1 beside trafilatura's bare `extract` on the same pages in the same run.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "extraction"
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Score:
    """Mean per-document precision, recall and F1 of an extractor over a set of pages."""

    precision: float
    recall: float
    f1: float
    documents: int


def shingles(text: str, size: int = 4) -> Counter[tuple[str, ...]]:
    """The multiset of `size`-word shingles of a text, lower-cased, words as `\\w+` runs."""
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < size:
        return Counter([tuple(words)]) if words else Counter()
    return Counter(tuple(words[i : i + size]) for i in range(len(words) - size + 1))


def score_text(predicted: str, expected: str) -> tuple[float, float, float]:
    """Precision, recall and F1 of the shingles of `predicted` against those of `expected`."""
    got, want = shingles(predicted), shingles(expected)
    if not got and not want:
        return 1.0, 1.0, 1.0
    common = sum((got & want).values())
    precision = common / sum(got.values()) if got else 0.0
    recall = common / sum(want.values()) if want else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def iter_pages(folder: Path = BENCH) -> Iterator[tuple[str, bytes, str]]:
    """Yield (page id, raw HTML bytes, expected article body) for every benchmark page."""
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id in sorted(truth):
        raw = gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes())
        yield page_id, raw, truth[page_id].get("articleBody") or ""


def score_extractor(extract: Callable[[bytes], str], folder: Path = BENCH) -> Score:
    """Run `extract` on every page and average precision, recall and F1 per document."""
    rows = [score_text(extract(raw), body) for _, raw, body in iter_pages(folder)]
    n = len(rows)
    return Score(
        sum(r[0] for r in rows) / n, sum(r[1] for r in rows) / n, sum(r[2] for r in rows) / n, n
    )


def extract_with_worldtake(raw: bytes) -> str:
    """Our page ingester's main text for one page."""
    from worldtake.ingest.pages import extract_page

    return extract_page(raw, "bench.html").text


def extract_with_trafilatura(raw: bytes) -> str:
    """trafilatura's bare `extract` with its defaults, the baseline."""
    import trafilatura

    return trafilatura.extract(raw) or ""


def main() -> int:
    """Print ours beside trafilatura's bare extraction."""
    if not BENCH.is_dir():
        print(f"skipped: {BENCH} is absent")
        return 0
    for name, extractor in (
        ("worldtake pages", extract_with_worldtake),
        ("trafilatura.extract (bare)", extract_with_trafilatura),
    ):
        start = time.perf_counter()
        s = score_extractor(extractor)
        took = time.perf_counter() - start
        print(
            f"{name:28s} P {s.precision:.3f}  R {s.recall:.3f}  F1 {s.f1:.3f}  "
            f"({s.documents} pages, {took:.1f} s)"
        )
    print("published: trafilatura 2.0 F1 0.958; best known 0.970 (same data and metric)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

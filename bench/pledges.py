"""Pledge extraction on our gold: precision and recall of (country, kind, polarity) triples.

Runs the rule backend and a naive keyword baseline (any country x any kind word in a sentence,
"not" for a refusal) on the same units: the 96-sentence set and the 75 seed units. Also prints
the seconds each takes. Run: .venv/bin/python bench/pledges.py
"""

from __future__ import annotations

import time
from pathlib import Path

from worldtake.claims.evaluate import (
    Extractor,
    GoldUnit,
    keyword_triples,
    load_seed_gold,
    load_sentence_gold,
    rule_triples,
    score_units,
)

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"


def report(name: str, units: list[GoldUnit]) -> None:
    """Print precision, recall and F1 of both extractors on one gold set."""
    extractors: list[tuple[str, Extractor]] = [
        ("rules", rule_triples),
        ("keyword baseline", keyword_triples),
    ]
    for label, extract in extractors:
        started = time.perf_counter()
        score = score_units(units, extract)
        seconds = time.perf_counter() - started
        print(
            f"{name:<22} {label:<17} P={score.precision:.3f} R={score.recall:.3f} "
            f"F1={score.f1:.3f} (tp={score.tp} fp={score.fp} fn={score.fn}) {seconds:.2f}s"
        )


def main() -> None:
    """Score both gold sets."""
    sentences = load_sentence_gold(GOLDEN / "pledge_sentences.jsonl")
    report(f"sentences ({len(sentences)})", sentences)
    if not SEEDS.exists():
        print(f"{SEEDS} is absent: seed units skipped")
        return
    seeds = load_seed_gold(GOLDEN / "seed_pledges.jsonl", SEEDS)
    report(f"seed units ({len(seeds)})", seeds)


if __name__ == "__main__":
    main()

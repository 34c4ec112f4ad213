"""Timeline17: date-wise timelines built from each topic's articles against the reference timelines.

Timeline17 (Tran et al. 2013; preprocessed copy in ../shared/bench/t17, see its SOURCE.txt) holds,
per topic and outlet, articles and a reference timeline. As in news-tls (Gholipour Ghalandari &
Ifrim 2020), for each reference timeline the articles published within its first and last dates
are summarised into a timeline of as many dates as the reference, with round(mean sentences per
reference date) sentences per date, and scored by date F1 and tilse's alignment ROUGE-1/2 F
("align+ m:1", the figure news-tls reports), plus concat ROUGE. Means average precision and
recall over timelines, F taken of those. Printed beside, on the same articles and the same
sentence selection: random dates, publication counts and mention counts (news-tls' unsupervised
date rankers), and the published figures of news-tls' supervised Datewise method.

Date mentions are found once per article (two processes) and cached under the user's cache
folder, keyed by the date finder's source, so later runs skip that step.

Usage: python bench/timeline_t17.py [--topics H1N1_guardian,MJ_bbc] [--no-cache]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import tlsmetrics as tm

from worldtake.enrich import dates as date_finder
from worldtake.timeline import (
    DateWeights,
    SourceText,
    date_mentions,
    summarize_timeline,
)

ROOT = Path(__file__).resolve().parent.parent
T17 = ROOT.parent / "shared" / "bench" / "t17"
PUBLISHED_DATEWISE = {"ar1": 0.120, "ar2": 0.035, "date": 0.544}
"""news-tls (ACL 2020), Timeline17, Datewise (supervised date ranking): AR1-F, AR2-F, date F1."""

Mentions = dict[str, list[tuple[int, date]]]


@dataclass(frozen=True)
class Topic:
    """One Timeline17 folder: its articles and reference timelines."""

    name: str
    sources: tuple[SourceText, ...]
    references: tuple[tuple[str, dict[date, list[str]]], ...]


@dataclass(frozen=True)
class Score:
    """One timeline's scores."""

    date: tm.PRF
    ar1: tm.PRF
    ar2: tm.PRF
    concat1: tm.PRF
    concat2: tm.PRF


def load_topics(root: Path = T17, names: Sequence[str] | None = None) -> list[Topic]:
    """The Timeline17 topics that have articles (all, or those named)."""
    topics = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        if names and folder.name not in names:
            continue
        articles = folder / "articles.json"
        raw = json.loads(articles.read_text()) if articles.exists() else []
        if not raw:
            continue
        sources = tuple(
            SourceText(str(a["uid"]), date.fromisoformat(a["dct"][:10]), a["text"]) for a in raw
        )
        refs = tuple(
            (path.name, read_reference(path)) for path in sorted(folder.glob("*.timeline.json"))
        )
        topics.append(Topic(folder.name, sources, refs))
    return topics


def read_reference(path: Path) -> dict[date, list[str]]:
    """A reference timeline: sentences by date (entries sharing a date are joined)."""
    timeline: dict[date, list[str]] = {}
    for entry in json.loads(path.read_text()):
        sentences = [s.strip() for s in re.split(r"\s{2,}", entry["text"]) if s.strip()]
        timeline.setdefault(date.fromisoformat(entry["date"][:10]), []).extend(sentences)
    return timeline


def find_mentions(topics: Sequence[Topic], use_cache: bool) -> dict[str, Mentions]:
    """Date mentions per topic and article id, from the cache or found in two processes."""
    cache = _cache_path()
    stored: dict[str, list[list[object]]] = {}
    if use_cache and cache.exists():
        stored = json.loads(cache.read_text())
    jobs = [
        (f"{t.name}/{s.id}", s.text, s.published)
        for t in topics
        for s in t.sources
        if f"{t.name}/{s.id}" not in stored
    ]
    if jobs:
        with ProcessPoolExecutor(max_workers=2) as pool:
            found = pool.map(_mentions_job, jobs, chunksize=32)
            for (key, _, _), mentions in zip(jobs, found, strict=True):
                stored[key] = [[offset, day] for offset, day in mentions]
        if use_cache:
            cache.parent.mkdir(parents=True, exist_ok=True)
            cache.write_text(json.dumps(stored))
    result: dict[str, Mentions] = {}
    for t in topics:
        result[t.name] = {
            s.id: [(int(o), date.fromisoformat(str(d))) for o, d in stored[f"{t.name}/{s.id}"]]
            for s in t.sources
        }
    return result


def _mentions_job(job: tuple[str, str, date]) -> list[tuple[int, str]]:
    _, text, published = job
    return [(offset, day.isoformat()) for offset, day in date_mentions(text, published)]


def _cache_path() -> Path:
    source = Path(date_finder.__file__).read_bytes()
    key = hashlib.sha256(source).hexdigest()[:12]
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "worldtake" / f"t17-date-mentions-{key}.json"


METHODS = {
    "ours": DateWeights(),
    "mention-count": DateWeights(1, 1, 1, 0, 0, 0),
    "publication-count": DateWeights(0, 0, 0, 0, 1, 0),
}


def run_timeline(
    topic: Topic,
    reference: dict[date, list[str]],
    mentions: Mentions,
    method: str,
    seed: int = 0,
) -> dict[date, list[str]]:
    """One method's timeline for one reference: its date count, length and time span."""
    start, end = min(reference), max(reference)
    sources = [s for s in topic.sources if start <= s.published <= end]
    size = len(reference)
    k = max(1, round(sum(len(v) for v in reference.values()) / size))
    days = None
    if method == "random":
        pool = sorted({s.published for s in sources})
        days = random.Random(seed).sample(pool, len(pool))
    weights = METHODS.get(method, DateWeights())
    return summarize_timeline(
        sources, size, k, start, end, weights=weights, mentions=mentions, days=days
    )


def score_timeline(predicted: dict[date, list[str]], reference: dict[date, list[str]]) -> Score:
    """Date F1, alignment ROUGE-1/2 (m:1) and concat ROUGE-1/2 of one timeline."""
    align = tm.align_rouge(predicted, reference, (1, 2))
    return Score(
        tm.date_prf(predicted, reference),
        align[1],
        align[2],
        tm.concat_rouge(predicted, reference, 1),
        tm.concat_rouge(predicted, reference, 2),
    )


def mean_score(scores: Sequence[Score]) -> Score:
    """news-tls' mean: precision and recall averaged per metric, F from those."""
    return Score(
        *(
            tm.mean_prf([getattr(s, name) for s in scores])
            for name in ("date", "ar1", "ar2", "concat1", "concat2")
        )
    )


def main() -> None:
    """Run every method on every reference timeline and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topics", default="", help="comma-separated folder names")
    parser.add_argument("--no-cache", action="store_true", help="find date mentions anew")
    args = parser.parse_args()
    if not T17.exists():
        sys.exit(f"{T17} is absent")
    began = time.perf_counter()
    topics = load_topics(T17, [n for n in args.topics.split(",") if n])
    mentions = find_mentions(topics, not args.no_cache)
    parsed = time.perf_counter() - began
    methods = ["ours", "mention-count", "publication-count", "random"]
    results: dict[str, list[Score]] = {m: [] for m in methods}
    print(
        f"{'topic':32} {'dates':>5} {'k':>2}  {'date F1':>7} {'AR1-F':>6} {'AR2-F':>6} {'cR1-F':>6}"
    )
    for topic in topics:
        for name, reference in topic.references:
            for method in methods:
                predicted = run_timeline(topic, reference, mentions[topic.name], method)
                results[method].append(score_timeline(predicted, reference))
            s = results["ours"][-1]
            k = max(1, round(sum(len(v) for v in reference.values()) / len(reference)))
            label = f"{topic.name}/{name.split('.')[0]}"[:32]
            print(
                f"{label:32} {len(reference):5} {k:2}  {s.date.f:7.3f} {s.ar1.f:6.3f} "
                f"{s.ar2.f:6.3f} {s.concat1.f:6.3f}"
            )
    print(f"\nmean over {len(results['ours'])} timelines (P and R averaged, F of those):")
    print(f"{'method':28} {'date F1':>7} {'AR1-F':>6} {'AR2-F':>6} {'cR1-F':>6} {'cR2-F':>6}")
    for method in methods:
        m = mean_score(results[method])
        print(
            f"{method:28} {m.date.f:7.3f} {m.ar1.f:6.3f} {m.ar2.f:6.3f} "
            f"{m.concat1.f:6.3f} {m.concat2.f:6.3f}"
        )
    p = PUBLISHED_DATEWISE
    print(f"{'Datewise (published, news-tls)':28} {p['date']:7.3f} {p['ar1']:6.3f} {p['ar2']:6.3f}")
    elapsed = time.perf_counter() - began
    print(f"\n{elapsed:.1f} s in all, {parsed:.1f} s of it finding date mentions")
    if "Finan_washingtonpost" not in {t.name for t in topics} and not args.topics:
        print("Finan_washingtonpost has no articles and is left out.")


if __name__ == "__main__":
    main()

"""Scale: a synthetic news stream through dedupe + embed + event assignment on a real store.

The stream has many events a day; each event has its own key words and entities drawn from
Zipf-like distributions over a shared vocabulary (the words of our sample corpus by frequency,
then invented pronounceable words, so that the encoder's tokeniser sees word-like text), its
articles mix those with common words, and
a share of the articles are reposted copies. Prints articles/s, p50/p99 assignment latency per
slice of the stream (as the store grows), peak memory and database size, beside a baseline run
of the exact-duplicate stage alone on the same stream.

Usage: python bench/scale.py [--articles 10000] [--per-day 400] [--encoder use]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from worldtake import cluster, dedupe
from worldtake.models import Document
from worldtake.pipeline import StageContext
from worldtake.settings import load_settings
from worldtake.store import open_store

SAMPLE = Path(__file__).resolve().parent.parent / "worldtake" / "data" / "sample"
SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in ("a", "e", "i", "o", "u", "an", "er", "ol")]


def made_up_words(count: int, seed: int, capitalised: bool = False) -> list[str]:
    """Pronounceable invented words of two or three syllables (they tokenise like real ones)."""
    rng = random.Random(seed)
    words: set[str] = set()
    while len(words) < count:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3))))
        words.add(word.capitalize() if capitalised else word)
    return sorted(words)


def news_vocabulary(size: int) -> list[str]:
    """Words of our sample corpus, most frequent first, topped up with invented rare words."""
    counts: dict[str, int] = {}
    for path in SAMPLE.rglob("*"):
        if path.is_file() and path.suffix in {".rss", ".atom", ".txt", ".jsonl", ".html"}:
            text = re.sub(
                r"<[^>]*>|&\w+;|https?://\S+|\S+\.(?:com|org|html)\S*",
                " ",
                path.read_text(encoding="utf-8", errors="ignore"),
            )
            for word in re.findall(r"[^\W\d_]{2,}", text):
                counts[word.lower()] = counts.get(word.lower(), 0) + 1
    ranked = sorted(counts, key=lambda w: -counts[w])
    return ranked + made_up_words(max(0, size - len(ranked)), seed=1)


VOCABULARY = news_vocabulary(30_000)
ENTITIES = [
    f"{first} {last}"
    for first, last in zip(
        made_up_words(3_000, 2, True), made_up_words(3_000, 3, True), strict=True
    )
] + made_up_words(2_000, 4, True)


def zipf_pick(rng: random.Random, items: list[str], k: int) -> list[str]:
    """`k` items drawn with probability falling as 1/rank."""
    return [items[min(len(items) - 1, int(rng.paretovariate(1.1)) - 1)] for _ in range(k)]


def make_stream(count: int, per_day: int, seed: int) -> list[Document]:
    """A synthetic stream of `count` articles, `per_day` a day, 5% of them reposted copies."""
    rng = random.Random(seed)
    start = date(2025, 1, 1)
    docs: list[Document] = []
    events: list[tuple[list[str], list[str]]] = []
    for n in range(count):
        day = start + timedelta(days=n // per_day)
        if n % per_day == 0:
            events = [
                (rng.sample(VOCABULARY, 12), rng.sample(ENTITIES, 3)) for _ in range(per_day // 6)
            ]
        if docs and rng.random() < 0.05:
            copy = docs[rng.randrange(max(0, len(docs) - 500), len(docs))]
            docs.append(Document(f"syn#{n}", copy.title, copy.text, published=copy.published))
            continue
        words, names = events[min(len(events) - 1, int(rng.paretovariate(1.2)) - 1)]
        title = " ".join(rng.sample(words, 5) + names[:2]).capitalize()
        body = " ".join(
            rng.sample(words, 8) + names + zipf_pick(rng, VOCABULARY, 60) + rng.sample(words, 6)
        )
        docs.append(Document(f"syn#{n}", title, body + ".", published=day.isoformat()))
    return docs


def run_stream(docs: list[Document], encoder: str, batch: int, full: bool) -> dict[str, object]:
    """Store the stream batch by batch and run dedupe (+ clustering when `full`)."""
    latencies: list[float] = []
    regroups: list[float] = []
    original, consolidate = cluster.assign_one, cluster.recluster.consolidate_events

    def timed(conn, run, feat):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        original(conn, run, feat)
        latencies.append(time.perf_counter() - started)

    def timed_regroup(conn, run):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        consolidate(conn, run)
        regroups.append(time.perf_counter() - started)

    cluster.assign_one = timed  # measure each assignment, nothing else
    cluster.recluster.consolidate_events = timed_regroup
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings({"db": f"{tmp}/scale.db", "encoder": encoder}, environ={})
        store = open_store(settings.db)
        context = StageContext(store, settings)
        started = time.perf_counter()
        slices = []
        for at in range(0, len(docs), batch):
            chunk = docs[at : at + batch]
            with store.transaction() as conn:
                store.add_articles(
                    conn,
                    chunk,
                    content_hashes=[f"{d.title}|{d.text}"[:64] for d in chunk],
                    source_ids=[None] * len(chunk),
                    raw_item_id=None,
                )
            pending = store.pending_articles("bench", 1, batch)
            with store.transaction() as conn:
                dedupe.mark_duplicates(context, conn, pending)
            pending = store.pending_articles("bench", 1, batch)
            with store.transaction() as conn:
                if full:
                    cluster.assign_events(context, conn, pending)
                store.mark_stage_done(conn, [a.id for a in pending], "bench", 1)
            if (at // batch) % max(1, len(docs) // batch // 5) == 0 and latencies:
                recent = np.array(latencies[-batch * 5 :]) * 1000
                slices.append(
                    (at + len(chunk), np.percentile(recent, 50), np.percentile(recent, 99))
                )
        elapsed = time.perf_counter() - started
        store.close()
        size = sum(p.stat().st_size for p in Path(tmp).glob("scale.db*"))
    cluster.assign_one, cluster.recluster.consolidate_events = original, consolidate
    return {
        "seconds": elapsed,
        "slices": slices,
        "latencies": latencies,
        "regroups": regroups,
        "db_bytes": size,
    }


def main() -> None:
    """Run the stream and print what was measured."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--per-day", type=int, default=400)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--encoder", default="use")
    args = parser.parse_args()
    docs = make_stream(args.articles, args.per_day, seed=11)
    print(f"synthetic stream: {len(docs)} articles, {args.per_day} a day, cpus {os.cpu_count()}")
    base = run_stream(docs, args.encoder, args.batch, full=False)
    print(f"baseline (store + dedupe only): {len(docs) / base['seconds']:.0f} articles/s")
    ours = run_stream(docs, args.encoder, args.batch, full=True)
    lat = np.array(ours["latencies"]) * 1000
    print(
        f"dedupe + embed + assign ({args.encoder}): {len(docs) / ours['seconds']:.0f} articles/s, "
        f"assignment p50 {np.percentile(lat, 50):.2f} ms p99 {np.percentile(lat, 99):.2f} ms"
    )
    regroup = np.array(ours["regroups"]) * 1000
    if len(regroup):
        print(
            f"  re-clustering after each batch of {args.batch}: "
            f"p50 {np.percentile(regroup, 50):.1f} ms p99 {np.percentile(regroup, 99):.1f} ms"
        )
    for stored, p50, p99 in ours["slices"]:
        print(f"  at {stored:>8} articles: assignment p50 {p50:.2f} ms, p99 {p99:.2f} ms")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MiB, database {ours['db_bytes'] / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()

"""Ingest speed: items per second for feeds, dumps and HTML pages, into a real SQLite store.

Beside our page ingestion it times trafilatura's bare `extract` on the same pages in the same
run. Data: rss-parser's 31 feeds (MIT), the seed dumps, and the Zyte/ScrapingHub extraction
benchmark pages (MIT), read from ../shared. Run: `python bench/ingest.py [--repeat N]`.
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
import tempfile
import time
from pathlib import Path

from worldtake import pipeline
from worldtake.ingest.options import IngestOptions
from worldtake.settings import load_settings
from worldtake.store import Store, open_store

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
FEEDS = SHARED / "bench" / "feeds" / "rss-parser" / "input"
SEEDS = SHARED / "corpus" / "seeds"
PAGES = SHARED / "bench" / "extraction" / "html"
_NAMESPACE = re.compile(rb"(xmlns(?::[\w.-]+)?\s*=\s*[\"'][a-z]+://)r\d+\.")
DUMPS = ("000_2e57ccaae208c31e.txt", "002_55bd86edfccead3e.txt", "004_2c56ff1810b1e9dc.txt")


def time_ingest(store: Store, files: list[tuple[str, bytes]], folder: Path) -> tuple[int, float]:
    """Ingest (origin, bytes) pairs through the pipeline; return items added and seconds."""
    settings = load_settings({"db": store.url}, environ={}, config_path=None)
    added = 0
    started = time.perf_counter()
    for origin, data in files:
        report = pipeline.ingest_data(store, origin, data, IngestOptions(), settings)
        added += report.added
    return added, time.perf_counter() - started


def feed_files(repeat: int) -> list[tuple[str, bytes]]:
    """Every benchmark feed, `repeat` times under distinct names (items are new each time)."""
    feeds = sorted(FEEDS.iterdir())
    out = []
    for n in range(repeat):
        for path in feeds:
            data = path.read_bytes().replace(b"://", f"://r{n}.".encode(), -1)
            data = _NAMESPACE.sub(rb"\1", data)  # namespace URIs must stay as they are
            out.append((f"run{n}/{path.name}", data))
    return out


def dump_files(repeat: int) -> list[tuple[str, bytes]]:
    """The three seed dumps, each line made unique `repeat` times over, in one big dump each."""
    out = []
    for name in DUMPS:
        lines = (SEEDS / name).read_text(encoding="utf-8").splitlines()
        big = [f"{line} (copy {n})" for n in range(repeat * 20) for line in lines]
        out.append((name, "\n".join(big).encode("utf-8")))
    return out


def page_files(repeat: int) -> list[tuple[str, bytes]]:
    """The 181 benchmark pages, `repeat` times under distinct names."""
    pages = sorted(PAGES.glob("*.html.gz"))
    return [(f"run{n}/{p.name}", p.read_bytes()) for n in range(repeat) for p in pages]


def time_pages(store: Store, files: list[tuple[str, bytes]]) -> list[tuple[str, int, float]]:
    """Our page ingestion and trafilatura's bare extract, page by page in turn.

    Taking turns on every page gives both the same machine load (the figures of two long runs
    one after the other drift apart when something else runs); decompression counts in both.
    """
    import trafilatura

    settings = load_settings({"db": store.url}, environ={}, config_path=None)
    ours = bare = 0.0
    added = extracted = 0
    for origin, data in files:
        started = time.perf_counter()
        added += pipeline.ingest_data(store, origin, data, IngestOptions(), settings).added
        middle = time.perf_counter()
        extracted += trafilatura.extract(gzip.decompress(data)) is not None
        bare += time.perf_counter() - middle
        ours += middle - started
    return [
        ("worldtake ingest pages", added, ours),
        ("trafilatura.extract (bare) pages", extracted, bare),
    ]


def main() -> int:
    """Print items per second for each kind, and the page baseline."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    if not FEEDS.is_dir() or not PAGES.is_dir():
        print(f"skipped: {SHARED} is absent")
        return 0
    import trafilatura  # noqa: F401  (import cost outside the timings)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rows = []
        for kind, files in (
            ("feeds", feed_files(args.repeat * 3)),
            ("dumps", dump_files(args.repeat)),
        ):
            store = open_store(str(folder / f"{kind}.db"))
            items, took = time_ingest(store, files, folder)
            store.close()
            rows.append((f"worldtake ingest {kind}", items, took))
        store = open_store(str(folder / "pages.db"))
        rows.extend(time_pages(store, page_files(args.repeat)))
        store.close()
    for label, items, took in rows:
        print(f"{label:34s} {items:7d} items in {took:6.2f} s = {items / took:8.1f} items/s")
    ratio = (rows[2][1] / rows[2][2]) / (rows[3][1] / rows[3][2])
    print(f"page ingestion speed / trafilatura bare extract: {ratio:.2f}x (target >= 0.8x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Plain-text dumps: one item a line, origins PATH#L<n>, nothing lost, nothing added twice."""

from __future__ import annotations

from pathlib import Path

from conftest import DUMP_SEEDS

from worldtake import pipeline
from worldtake.ingest.options import IngestOptions
from worldtake.settings import Settings
from worldtake.store import Store


def test_each_seed_dump_gives_thirty_articles_in_file_order(
    store: Store, settings: Settings, seeds: Path
) -> None:
    for name in DUMP_SEEDS:
        path = str(seeds / name)
        report = pipeline.ingest(store, [path], IngestOptions(as_of="2025-09-10"), settings)
        assert report.added == 30 and not report.rejections
        lines = (seeds / name).read_text(encoding="utf-8").splitlines()
        articles = [a for a in store.iter_articles() if a.origin.startswith(path)]
        assert [a.origin for a in articles] == [f"{path}#L{n}" for n in range(1, 31)]
        assert [a.text for a in articles] == [" ".join(line.split()) for line in lines]


def test_reingesting_the_seeds_adds_nothing(store: Store, settings: Settings, seeds: Path) -> None:
    paths = [str(seeds / name) for name in DUMP_SEEDS]
    first = pipeline.ingest(store, paths, IngestOptions(), settings)
    again = pipeline.ingest(store, paths, IngestOptions(), settings)
    assert (first.added, again.added, again.skipped) == (90, 0, 90)
    assert store.count_rows()["articles"] == 90


def test_dump_title_is_the_first_sentence_even_after_initials(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    dump = tmp_path / "wire.txt"
    dump.write_text(
        "The U. S. senators met on Tuesday. They discussed guarantees.\n\n"
        "Mr. Smith arrived in Paris. He spoke briefly.\n",
        encoding="utf-8",
    )
    pipeline.ingest(store, [str(dump)], IngestOptions(), settings)
    titles = {a.origin.rsplit("#", 1)[1]: a.title for a in store.iter_articles()}
    assert titles == {
        "L1": "The U. S. senators met on Tuesday.",
        "L3": "Mr. Smith arrived in Paris.",
    }


def test_new_lines_prepended_to_a_dump_are_added_and_old_ones_not_repeated(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    dump = tmp_path / "newest-first.txt"
    dump.write_text("Older item one.\nOlder item two.\n", encoding="utf-8")
    pipeline.ingest(store, [str(dump)], IngestOptions(), settings)
    dump.write_text("Newest item.\nOlder item one.\nOlder item two.\n", encoding="utf-8")
    report = pipeline.ingest(store, [str(dump)], IngestOptions(), settings)
    assert (report.added, report.skipped) == (1, 2)
    assert sorted(a.text for a in store.iter_articles()) == [
        "Newest item.",
        "Older item one.",
        "Older item two.",
    ]

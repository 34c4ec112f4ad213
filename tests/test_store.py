"""The SQLite store: WAL mode, recorded migrations, full-text search, safe reopening."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from worldtake import pipeline
from worldtake.errors import StoreError
from worldtake.ingest.options import IngestOptions
from worldtake.settings import Settings
from worldtake.store import Store, open_store
from worldtake.store.migrations import MIGRATIONS


def test_store_is_wal_with_every_migration_recorded_once(store: Store, settings: Settings) -> None:
    with sqlite3.connect(settings.db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        names = [r[0] for r in conn.execute("SELECT name FROM migrations")]
    assert sorted(names) == sorted(m.__name__ for m in MIGRATIONS)
    assert len(set(names)) == len(names)
    open_store(settings.db).close()
    with sqlite3.connect(settings.db) as conn:
        assert conn.execute("SELECT count(*) FROM migrations").fetchone()[0] == len(MIGRATIONS)


def test_search_finds_words_in_titles_and_texts_without_diacritics(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    dump = tmp_path / "d.txt"
    dump.write_text(
        "Sébastien Lecornu named prime minister. Bayrou had resigned.\n"
        'Sweden offers Gripen jets.\nA storm hits the U.S. coast ("record" winds).\n',
        encoding="utf-8",
    )
    pipeline.ingest(store, [str(dump)], IngestOptions(), settings)
    assert [h.article.position for h in store.search("sebastien")] == [1]
    assert [h.article.position for h in store.search("gripen SWEDEN")] == [2]
    assert [h.article.position for h in store.search('"record" U.S. (')] == [3]
    assert store.search("nothing-like-this") == []
    assert "[Bayrou]" in store.search("bayrou")[0].snippet


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("these are my notes, not a database " * 200, encoding="utf-8")
    with pytest.raises(StoreError, match="cannot open the store"):
        open_store(str(bogus))


def test_process_is_idempotent_and_marks_exact_copies(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("Wire copy about the summit.\nUnique line.\n", encoding="utf-8")
    b.write_text("Wire  copy about the summit.\n", encoding="utf-8")
    pipeline.ingest(store, [str(a), str(b)], IngestOptions(), settings)
    first = pipeline.process(store, settings)
    second = pipeline.process(store, settings)
    assert [r.done for r in first] == [3] * len(first)
    assert all(r.done == 0 for r in second)
    copies = {a.origin.rsplit("/", 1)[1]: a.duplicate_of for a in store.iter_articles()}
    assert copies == {"a.txt#L1": None, "a.txt#L2": None, "b.txt#L1": 1}

"""The sources registry through the real CLI: add, list, remove, import, export."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli

from worldtake.ingest.opml import SourceRecord, read_opml
from worldtake.sources import add_source, export_sources, import_sources, list_health
from worldtake.store import Store


def test_sources_commands_add_list_remove_and_export(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    added = run_cli(
        "--db",
        db,
        "sources",
        "add",
        "Harbour Gazette",
        "--feed",
        "https://harbour.example/rss",
        "--country",
        "gb",
        "--language",
        "en",
        cwd=tmp_path,
    )
    assert added.returncode == 0, added.stderr
    listed = run_cli("--db", db, "sources", "list", cwd=tmp_path)
    assert "Harbour Gazette" in listed.stdout and "GB" in listed.stdout
    out = tmp_path / "out.opml"
    run_cli("--db", db, "sources", "export", "--output", str(out), cwd=tmp_path)
    (record,) = read_opml(out.read_bytes())
    assert (record.feed_url, record.country, record.languages) == (
        "https://harbour.example/rss",
        "GB",
        ("en",),
    )
    removed = run_cli("--db", db, "sources", "remove", "Harbour Gazette", cwd=tmp_path)
    assert removed.returncode == 0
    again = run_cli("--db", db, "sources", "remove", "Harbour Gazette", cwd=tmp_path)
    assert again.returncode == 1 and "no source named" in again.stderr


def test_import_of_the_default_list_then_export_keeps_it(store: Store) -> None:
    from worldtake.sources import default_sources_path

    data = default_sources_path().read_bytes()
    assert import_sources(store, data) == len(read_opml(data))
    assert import_sources(store, data) == len(read_opml(data))  # again: updated, not doubled
    exported = read_opml(export_sources(store).encode("utf-8"))
    assert _identities(exported) == _identities(read_opml(data))
    assert len(list_health(store)) == len(exported)


def test_a_bad_country_is_refused_at_once(store: Store) -> None:
    import pytest

    from worldtake.errors import WorldtakeError

    with pytest.raises(WorldtakeError, match="alpha-2, got 'FRA'"):
        add_source(store, SourceRecord("Bad", "https://b.example/rss", country="FRA"))


def _identities(records: list[SourceRecord]) -> list[tuple[object, ...]]:
    return sorted(
        (r.name, r.feed_url, r.country, r.languages, r.category, r.state_media) for r in records
    )

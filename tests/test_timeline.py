"""Timelines: dated entries per story from the seeds, headlines chosen from members, T17 floor."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import DUMP_SEEDS, run_cli

from worldtake import pipeline
from worldtake.export import export_rows
from worldtake.ingest.options import IngestOptions
from worldtake.settings import Settings
from worldtake.store import Store
from worldtake.timeline import build_timeline, choose_headline

AS_OF = {"000": "2025-09-10", "002": "2025-03-03", "004": "2026-01-08"}


def _seed(store: Store, settings: Settings, seeds: Path) -> None:
    for name in DUMP_SEEDS:
        options = IngestOptions("Wire", "UA", "en", AS_OF[name[:3]])
        pipeline.ingest(store, [str(seeds / name)], options, settings)
    pipeline.process(store, settings)


def test_every_story_timeline_is_dated_in_order_and_covers_its_articles(
    store: Store, settings: Settings, seeds: Path
) -> None:
    _seed(store, settings, seeds)
    stories = list(store.table_rows("stories"))
    assert stories
    covered = 0
    for story in stories:
        entries = build_timeline(store, story["id"])
        dates = [e.date for e in entries]
        assert all(dates) and dates == sorted(dates)
        assert all(e.headline and e.independent_source_count >= 1 for e in entries)
        covered += sum(e.article_count for e in entries)
    assert covered == len(list(store.iter_articles()))


def test_undated_dump_lines_are_placed_in_their_files_period(
    store: Store, settings: Settings, seeds: Path
) -> None:
    _seed(store, settings, seeds)
    rows = list(export_rows(store, "timeline"))
    for row in rows:
        file = Path(row["origins"][0].rpartition("#L")[0]).name[:3]
        gap = abs(
            int(row["date"][:4]) * 12
            + int(row["date"][5:7])
            - int(AS_OF[file][:4]) * 12
            - int(AS_OF[file][5:7])
        )
        assert gap <= 1, row


def test_export_timeline_for_one_story_through_the_cli(tmp_path: Path, seeds: Path) -> None:
    db = str(tmp_path / "cli.db")
    name = DUMP_SEEDS[2]
    assert (
        run_cli(
            "--db", db, "ingest", str(seeds / name), "--as-of", AS_OF["004"], cwd=tmp_path
        ).returncode
        == 0
    )
    assert run_cli("--db", db, "process", cwd=tmp_path).returncode == 0
    listed = run_cli("--db", db, "export", "stories", cwd=tmp_path)
    story = json.loads(listed.stdout.splitlines()[0])["id"]
    result = run_cli("--db", db, "export", "timeline", "--story", story, cwd=tmp_path)
    entries = [json.loads(line) for line in result.stdout.splitlines()]
    assert entries and all(e["story_id"] == story for e in entries)
    shown = run_cli("--db", db, "story", story, cwd=tmp_path)
    assert shown.returncode == 0 and entries[0]["date"] in shown.stdout
    missing = run_cli("--db", db, "story", "s999999", cwd=tmp_path)
    assert missing.returncode == 1 and "no story" in missing.stderr


def test_the_headline_is_one_sentence_from_the_most_central_text() -> None:
    texts = [
        "Storm floods the old town. Shops closed.",
        "A storm floods the old town of Tarvo, where shops closed and roads were cut.",
        "Football results from Sunday.",
    ]
    assert choose_headline(texts) == "Storm floods the old town."
    assert choose_headline(texts[1:]) != "Football results from Sunday."
    assert choose_headline([]) == ""

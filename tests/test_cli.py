"""The CLI contract scripts rely on, end to end through the real `worldtake` command."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from conftest import DUMP_SEEDS, run_cli

from worldtake.export import ARTICLE_FIELDS, KINDS


def test_ingest_process_export_articles_on_the_seeds(tmp_path: Path, seeds: Path) -> None:
    db = str(tmp_path / "cli.db")
    dumps = [str(seeds / name) for name in DUMP_SEEDS]
    first = run_cli("--db", db, "ingest", *dumps, "--as-of", "2025-09-10", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "90 new" in first.stdout
    again = run_cli("--db", db, "ingest", *dumps, cwd=tmp_path)
    assert "0 new, 90 already stored" in again.stdout
    assert run_cli("--db", db, "process", cwd=tmp_path).returncode == 0
    exported = run_cli("--db", db, "export", "articles", "--format", "jsonl", cwd=tmp_path)
    rows = [json.loads(line) for line in exported.stdout.splitlines()]
    assert len(rows) == 90
    assert all(tuple(row) == ARTICLE_FIELDS for row in rows)
    assert rows[0]["origin"] == f"{dumps[0]}#L1" and rows[-1]["origin"] == f"{dumps[2]}#L30"


def test_every_export_kind_answers_in_every_format(tmp_path: Path) -> None:
    db = str(tmp_path / "empty.db")
    for kind in KINDS:
        for fmt in ("jsonl", "csv", "json"):
            result = run_cli("--db", db, "export", kind, "--format", fmt, cwd=tmp_path)
            assert result.returncode == 0, (kind, fmt, result.stderr)
            if fmt == "json":
                assert isinstance(json.loads(result.stdout), list)


def test_export_to_a_csv_file(tmp_path: Path) -> None:
    db = str(tmp_path / "csv.db")
    dump = tmp_path / "d.txt"
    dump.write_text("First item here.\nSecond item, with a comma.\n", encoding="utf-8")
    run_cli("--db", db, "ingest", str(dump), "--source", "Wire", "--country", "fr", cwd=tmp_path)
    out = tmp_path / "articles.csv"
    result = run_cli(
        "--db", db, "export", "articles", "--format", "csv", "--output", str(out), cwd=tmp_path
    )
    assert result.returncode == 0 and "wrote 2 articles" in result.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["title"] for r in rows] == ["First item here.", "Second item, with a comma."]
    assert {r["source"] for r in rows} == {"Wire"} and {r["source_country"] for r in rows} == {"FR"}


def test_search_stats_doctor_and_settings(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    dump = tmp_path / "d.txt"
    dump.write_text("Lecornu named prime minister.\nWeather is mild.\n", encoding="utf-8")
    run_cli("--db", db, "ingest", str(dump), cwd=tmp_path)
    found = run_cli("--db", db, "search", "lecornu", cwd=tmp_path)
    assert found.returncode == 0 and "Lecornu named prime minister." in found.stdout
    assert "Weather" not in found.stdout
    stats = run_cli("--db", db, "stats", cwd=tmp_path)
    assert "articles: 2" in stats.stdout
    doctor = run_cli("--db", db, "doctor", cwd=tmp_path)
    assert doctor.returncode == 0 and "journal wal" in doctor.stdout
    listing = run_cli("settings", cwd=tmp_path)
    assert "batch_size" in listing.stdout


def test_errors_are_one_clear_line_and_a_non_zero_exit(tmp_path: Path) -> None:
    bad_kind = run_cli("--db", str(tmp_path / "e.db"), "export", "widgets", cwd=tmp_path)
    assert bad_kind.returncode == 1
    assert bad_kind.stderr.strip().startswith("error: unknown export kind 'widgets'")
    assert "Traceback" not in bad_kind.stderr
    bad_setting = run_cli("--set", "colour=blue", "stats", cwd=tmp_path)
    assert bad_setting.returncode == 1 and "unknown setting 'colour'" in bad_setting.stderr
    missing = run_cli(
        "--db", str(tmp_path / "e.db"), "ingest", str(tmp_path / "nope"), cwd=tmp_path
    )
    assert missing.returncode == 1 and "no such file or directory" in missing.stderr
    bad_date = run_cli(
        "--db", str(tmp_path / "e.db"), "ingest", "x", "--as-of", "May", cwd=tmp_path
    )
    assert bad_date.returncode == 1 and "--as-of wants YYYY-MM-DD" in bad_date.stderr
    no_folder = run_cli("--db", str(tmp_path / "no" / "x.db"), "stats", cwd=tmp_path)
    assert no_folder.returncode == 1 and "folder does not exist" in no_folder.stderr


def test_python_dash_m_and_the_global_db_from_environment(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    dump = tmp_path / "d.txt"
    dump.write_text("An item.\n", encoding="utf-8")
    env = {**os.environ, "WORLDTAKE_DB": str(tmp_path / "env.db")}
    subprocess.run(
        [sys.executable, "-m", "worldtake", "ingest", str(dump)],
        env=env,
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    assert (tmp_path / "env.db").exists() and not (tmp_path / "worldtake.db").exists()

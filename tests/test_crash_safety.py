"""Killing an ingest mid-way leaves a consistent database; the next run finishes the job."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

N_DOCS = 60_000


def make_big_jsonl(path: Path) -> None:
    with path.open("w", encoding="utf-8") as f:
        for i in range(N_DOCS):
            doc = {"id": f"n{i}", "title": f"Item {i} about talks", "text": f"Item {i} body. " * 8}
            f.write(json.dumps(doc) + "\n")


def count_articles(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])


def test_sigkill_mid_ingest_then_rerun_completes_without_duplicates(tmp_path: Path) -> None:
    source = tmp_path / "big.jsonl"
    make_big_jsonl(source)
    db = tmp_path / "crash.db"
    command = [sys.executable, "-m", "worldtake", "--db", str(db), "ingest", str(source)]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        time.sleep(0.2)
        if db.exists() and _safe_count(db) > 2_000:
            break
    else:
        proc.kill()
        pytest.fail("ingest wrote nothing within a minute")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = count_articles(db)
    assert 0 < partial < N_DOCS, "the kill should land mid-ingest"
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    assert count_articles(db) == N_DOCS
    with sqlite3.connect(db) as conn:
        distinct = conn.execute("SELECT count(DISTINCT external_id) FROM articles").fetchone()[0]
        assert distinct == N_DOCS
        fts = conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'talks'")
        assert fts.fetchone()[0] == N_DOCS


def _safe_count(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0

"""`worldtake demo`: the sample corpus ingests and processes, and the UI answers at the URL."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from test_web import start_server

from worldtake.demo import sample_folder


def test_the_sample_corpus_is_ours_and_varied() -> None:
    manifest = json.loads((sample_folder() / "manifest.json").read_text(encoding="utf-8"))
    assert sum(entry["items"] for entry in manifest) >= 60
    assert len({entry["language"] for entry in manifest}) >= 5
    assert len({entry["source"] for entry in manifest}) >= 8
    assert {entry["kind"] for entry in manifest} >= {"rss", "atom", "html", "dump", "jsonl"}
    for entry in manifest:
        assert (sample_folder() / entry["file"]).is_file(), entry["file"]


def test_demo_ingests_processes_and_serves(tmp_path: Path) -> None:
    proc, url = start_server(["--db", str(tmp_path / "demo.db"), "demo", "--port", "0"], tmp_path)
    try:
        assert httpx.get(url, timeout=10).status_code == 200
        counts = httpx.get(url + "api/stats", timeout=10).json()["counts"]
        assert counts["articles"] > 0
    finally:
        proc.terminate()
        proc.wait(timeout=10)

"""The web server, for real on loopback: the page, the JSON API and its one error shape."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

URL = re.compile(r"(http://127\.0\.0\.1:\d+/)")


def start_server(
    args: list[str], cwd: Path, timeout: float = 120
) -> tuple[subprocess.Popen[str], str]:
    """Start `worldtake ARGS` and wait for the URL it prints."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORLDTAKE_")}
    env["PYTHONUNBUFFERED"] = "1"
    proc = subprocess.Popen(
        [sys.executable, "-m", "worldtake", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    seen = []
    for line in proc.stdout:
        seen.append(line)
        match = URL.search(line)
        if match:
            return proc, match.group(1)
    proc.kill()
    raise AssertionError("server printed no URL:\n" + "".join(seen))


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    db = str(tmp_path / "web.db")
    dump = tmp_path / "d.txt"
    dump.write_text("Macron hosts the coalition in Paris.\nStarmer joins by video.\n", "utf-8")
    subprocess.run(
        [sys.executable, "-m", "worldtake", "--db", db, "ingest", str(dump)],
        check=True,
        capture_output=True,
    )
    proc, url = start_server(["--db", db, "serve", "--port", "0"], tmp_path)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def test_home_page_lists_the_articles(server: str) -> None:
    page = httpx.get(server, timeout=10)
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "Macron hosts the coalition in Paris." in page.text
    found = httpx.get(server, params={"q": "starmer"}, timeout=10)
    assert "Starmer joins by video." in found.text and "Macron hosts" not in found.text


def test_json_api_twins_the_page(server: str) -> None:
    stats = httpx.get(server + "api/stats", timeout=10).json()
    assert stats["counts"]["articles"] == 2
    articles = httpx.get(server + "api/articles", params={"q": "macron"}, timeout=10).json()
    assert [a["title"] for a in articles["articles"]] == ["Macron hosts the coalition in Paris."]


def test_errors_have_one_json_shape(server: str) -> None:
    missing = httpx.get(server + "api/articles/999", timeout=10)
    assert missing.status_code == 404
    assert missing.json() == {"ok": False, "error": "no article with id 999", "status": 404}
    invalid = httpx.get(server + "api/articles/abc", timeout=10)
    assert invalid.status_code == 422 and invalid.json()["ok"] is False
    unknown = httpx.get(server + "api/nothing-here", timeout=10)
    assert unknown.status_code == 404 and unknown.json()["status"] == 404

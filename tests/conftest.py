"""Shared fixtures: paths to the real data beside the project, a fresh store, the real CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from worldtake.settings import Settings, load_settings
from worldtake.store import Store, open_store

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
GOLDEN = Path(__file__).resolve().parent / "golden"
DUMP_SEEDS = ("000_2e57ccaae208c31e.txt", "002_55bd86edfccead3e.txt", "004_2c56ff1810b1e9dc.txt")


def need_shared(path: Path) -> Path:
    """Skip the test, saying why, when the data beside the project is absent (a user's clone)."""
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared data sits beside the project in CI")
    return path


@pytest.fixture
def seeds() -> Path:
    return need_shared(SEEDS)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings({"db": str(tmp_path / "test.db")}, environ={}, config_path=None)


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    opened = open_store(settings.db)
    yield opened
    opened.close()


def run_cli(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the real `worldtake` CLI in a subprocess and capture what it prints."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORLDTAKE_")}
    env["COLUMNS"] = "200"
    return subprocess.run(
        [sys.executable, "-m", "worldtake", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )

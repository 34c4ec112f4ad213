"""Health of an installation: which store, backends and models are active, which are missing."""

from __future__ import annotations

import platform
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from worldtake import __version__
from worldtake.settings import Settings
from worldtake.store import open_store
from worldtake.store.sqlite import journal_mode


@dataclass(frozen=True)
class Check:
    """One line of the doctor's report."""

    component: str
    status: str
    detail: str


def check_runtime(settings: Settings) -> Check:
    """worldtake's and Python's versions."""
    return Check("worldtake", "ok", f"{__version__} on Python {platform.python_version()}")


def check_store(settings: Settings) -> Check:
    """The store the settings point at: backend, journal mode, full-text search."""
    store = open_store(settings.db)
    try:
        with store.reading() as conn:
            if store.backend == "sqlite":
                mode = journal_mode(conn)
                detail = (
                    f"SQLite {sqlite3.sqlite_version}, journal {mode}, FTS5 search, {settings.db}"
                )
                return Check("store", "ok" if mode == "wal" else "warning", detail)
        return Check("store", "ok", f"{store.backend} at {store.url}")
    finally:
        store.close()


CHECKS: list[Callable[[Settings], Check]] = [check_runtime, check_store]


def run_checks(settings: Settings) -> list[Check]:
    """Run every check; a check that fails says so in its line instead of stopping the rest."""
    results = []
    for check in CHECKS:
        try:
            results.append(check(settings))
        except Exception as exc:  # a broken component must not hide the others' state
            name = check.__name__.removeprefix("check_")
            results.append(Check(name, "error", f"{type(exc).__name__}: {exc}"))
    return results

"""Health of an installation: which store, backends and models are active, which are missing."""

from __future__ import annotations

import platform
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from worldtake import __version__
from worldtake.enrich import health
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


# enrichment: language identification, dates, translation backends (worldtake/enrich/health.py)


def check_lingua(settings: Settings) -> Check:
    """lingua, the language identifier, and its language set."""
    return Check("lingua", *health.lingua_status(settings))


def check_py3langid(settings: Settings) -> Check:
    """py3langid, the fast language path for long texts."""
    return Check("py3langid", *health.langid_status(settings))


def check_dateparser(settings: Settings) -> Check:
    """dateparser, for publication dates in words."""
    return Check("dateparser", *health.dateparser_status(settings))


def check_apertium(settings: Settings) -> Check:
    """The apertium binary and its installed pairs."""
    return Check("apertium", *health.apertium_status(settings))


def check_argos(settings: Settings) -> Check:
    """Argos Translate and its installed packages."""
    return Check("argos", *health.argos_status(settings))


def check_http_translator(settings: Settings) -> Check:
    """The configured HTTP translator, if any."""
    return Check("http translator", *health.http_translator_status(settings))


def check_translator(settings: Settings) -> Check:
    """The translation backend in use."""
    return Check("translator", *health.translator_status(settings))


# ingestion: feed and page readers (worldtake/ingest/)


def check_ingest_libraries(settings: Settings) -> Check:
    """feedparser, trafilatura and htmldate versions, which read feeds and pages."""
    from importlib.metadata import PackageNotFoundError, version

    found, missing = [], []
    for package in ("feedparser", "trafilatura", "htmldate", "httpx"):
        try:
            found.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            missing.append(package)
    if missing:
        return Check("ingest", "missing", f"not installed: {', '.join(missing)}")
    return Check("ingest", "ok", ", ".join(found))


CHECKS: list[Callable[[Settings], Check]] = [
    check_runtime,
    check_store,
    check_ingest_libraries,
    check_lingua,
    check_py3langid,
    check_dateparser,
    check_apertium,
    check_argos,
    check_http_translator,
    check_translator,
]


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

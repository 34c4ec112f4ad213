"""Polling: fetch the sources that are due, ingest what is new, back off on errors."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from worldtake import pipeline
from worldtake.errors import Rejected
from worldtake.ingest.fetch import Throttled, fetch_url
from worldtake.ingest.options import IngestOptions
from worldtake.settings import Settings
from worldtake.store import Store, polling

MAX_BACKOFF = timedelta(days=1)


@dataclass(frozen=True)
class PollResult:
    """What one poll of one source did."""

    source: str
    status: str
    added: int = 0
    reason: str | None = None


def poll_due(store: Store, settings: Settings, now: datetime | None = None) -> list[PollResult]:
    """Poll every source whose next check has come; one failing source never stops the rest."""
    moment = now or datetime.now(UTC)
    with store.reading() as conn:
        due = polling.due_sources(conn, _stamp(moment))
    return [poll_source(store, settings, row, moment) for row in due]


def poll_source(store: Store, settings: Settings, row: dict[str, Any], now: datetime) -> PollResult:
    """Fetch one source's feed (conditional GET), ingest it, and record its health."""
    every = timedelta(seconds=settings.watch_every)
    try:
        fetched = fetch_url(
            row["feed_url"], settings, etag=row["etag"], last_modified=row["last_modified"]
        )
    except Rejected as exc:
        wait = _backoff(every, int(row["error_count"] or 0) + 1)
        if isinstance(exc, Throttled):
            wait = max(wait, timedelta(seconds=exc.retry_after))
        _record(
            store,
            row["id"],
            last_error=f"{_stamp(now)} {exc.reason}",
            error_count=int(row["error_count"] or 0) + 1,
            next_check=_stamp(now + wait),
        )
        return PollResult(row["name"], "error", reason=exc.reason)
    added = 0
    if not fetched.is_not_modified:
        languages = row["languages"] or []
        options = IngestOptions(row["name"], row["country"], languages[0] if languages else None)
        report = pipeline.ingest_data(
            store,
            row["feed_url"],
            fetched.body,
            options,
            settings,
            fetched.content_type,
            online=True,
        )
        added = report.added
    _record(
        store,
        row["id"],
        etag=fetched.etag or row["etag"],
        last_modified=fetched.last_modified or row["last_modified"],
        last_success=_stamp(now),
        error_count=0,
        next_check=_stamp(now + every),
    )
    return PollResult(row["name"], "unchanged" if fetched.is_not_modified else "ok", added)


def watch(
    store: Store,
    settings: Settings,
    every: float,
    rounds: int | None = None,
    on_round: Callable[[list[PollResult]], None] | None = None,
) -> None:
    """Poll due sources every `every` seconds, `rounds` times (forever when None)."""
    done = 0
    while rounds is None or done < rounds:
        results = poll_due(store, settings)
        if on_round:
            on_round(results)
        done += 1
        if rounds is None or done < rounds:
            time.sleep(every)


def parse_interval(text: str) -> int:
    """Seconds in an interval like `90`, `90s`, `15m`, `2h` or `1d`."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    value = text.strip().lower()
    try:
        if value and value[-1] in units:
            return int(float(value[:-1]) * units[value[-1]])
        return int(float(value))
    except ValueError as exc:
        raise ValueError(f"an interval like 15m, 2h or 90s, got {text!r}") from exc


def _backoff(every: timedelta, errors: int) -> timedelta:
    return min(every * (2 ** min(errors, 10)), MAX_BACKOFF)


def _record(store: Store, source_id: int, **values: Any) -> None:
    with store.transaction() as conn:
        polling.record_poll(conn, source_id, **values)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")

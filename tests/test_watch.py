"""Polling against the real local HTTP server: new items once, 304 adds nothing, errors back off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from test_fetch import local, server  # noqa: F401  (fixtures)

from worldtake.ingest.opml import SourceRecord
from worldtake.settings import Settings
from worldtake.sources import add_source, list_health
from worldtake.store import Store
from worldtake.watch import parse_interval, poll_due


def test_watch_ingests_then_finds_nothing_new_and_backs_off_on_errors(
    server: str,  # noqa: F811
    local: Settings,  # noqa: F811
    store: Store,
) -> None:
    add_source(store, SourceRecord("Baltic Morning", f"{server}/feed.rss", country="LT"))
    add_source(store, SourceRecord("Gone", f"{server}/missing.rss", country="FR"))
    add_source(store, SourceRecord("Bomb", f"{server}/to-metadata", country="DE"))
    now = datetime(2025, 9, 4, 12, 0, tzinfo=UTC)
    first = {r.source: r for r in poll_due(store, local, now)}
    assert (first["Baltic Morning"].status, first["Baltic Morning"].added) == ("ok", 1)
    assert first["Gone"].status == "error" and "HTTP 404" in (first["Gone"].reason or "")
    assert "169.254.169.254" in (first["Bomb"].reason or "")
    assert poll_due(store, local, now + timedelta(seconds=1)) == []  # nothing due yet
    later = now + timedelta(seconds=local.watch_every + 1)
    second = {r.source: r for r in poll_due(store, local, later)}
    assert second["Baltic Morning"].status == "unchanged" and second["Baltic Morning"].added == 0
    assert "Gone" not in second  # backed off: two intervals after one error
    health = {h.name: h for h in list_health(store)}
    assert health["Baltic Morning"].error_count == 0 and health["Baltic Morning"].last_success
    assert health["Gone"].error_count == 1 and "HTTP 404" in (health["Gone"].last_error or "")
    assert health["Baltic Morning"].items_per_day == pytest.approx(1 / 7, abs=0.05)


@pytest.mark.parametrize(("text", "seconds"), [("15m", 900), ("90s", 90), ("2h", 7200), ("45", 45)])
def test_intervals_parse(text: str, seconds: int) -> None:
    assert parse_interval(text) == seconds

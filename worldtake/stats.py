"""Figures about a store: how many records of each kind, languages, countries, rejections."""

from __future__ import annotations

from typing import Any

from worldtake.store import Store


def collect_stats(store: Store, recent: int = 10) -> dict[str, Any]:
    """Counts of every record kind, articles by language and outlet country, and rejections."""
    return {
        "counts": store.count_rows(),
        "languages": store.count_by("language"),
        "source_countries": store.count_by("source_country"),
        "rejections": store.count_rejections(),
        "recent_rejections": [
            {
                "origin": r.origin,
                "line": r.line,
                "stage": r.stage,
                "reason": r.reason,
                "kept": r.kept,
            }
            for r in store.list_rejections(recent)
        ],
    }

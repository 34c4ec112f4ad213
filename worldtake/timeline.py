"""Timelines: a story's events as dated entries, each with a one-sentence headline and sources.

An entry's date is its event's date (the day most of its articles report on: mentioned event
dates and inferred dates from enrichment before publication dates), so undated dump lines are
placed by what they say. The headline is the first sentence of the member article (duplicates
left out) whose words are most central to the event.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from worldtake.sentences import first_sentence
from worldtake.store import Store
from worldtake.store import events as queries

_WORD = re.compile(r"[^\W_]{3,}", re.UNICODE)


@dataclass(frozen=True)
class TimelineEntry:
    """One dated entry of a story's timeline."""

    date: str | None
    event_id: str
    headline: str
    article_ids: tuple[int, ...]
    origins: tuple[str, ...]
    article_count: int
    independent_source_count: int


def build_timeline(store: Store, story_id: str) -> list[TimelineEntry]:
    """The timeline of story `story_id`, oldest entry first; raise NotFound if no such story."""
    with store.reading() as conn:
        queries.get_story(conn, story_id)
        events = queries.story_events(conn, story_id)
        members = queries.event_articles(conn, [e["id"] for e in events])
    by_event: dict[str, list[dict[str, Any]]] = {}
    for row in members:
        by_event.setdefault(row["event_id"], []).append(row)
    entries = [
        _entry(event, by_event.get(event["id"], []))
        for event in events
        if by_event.get(event["id"])
    ]
    return sorted(entries, key=lambda e: (e.date or "9999", e.event_id))


def timeline_rows(store: Store, story_id: str | None) -> Iterator[dict[str, Any]]:
    """Timeline entries as export rows: one story's, or every active story's."""
    if story_id is None:
        with store.reading() as conn:
            ids = [s["id"] for s in queries.list_stories(conn, limit=1_000_000)]
    else:
        ids = [story_id]
    for sid in ids:
        for entry in build_timeline(store, sid):
            yield {
                "story_id": sid,
                "date": entry.date,
                "event_id": entry.event_id,
                "headline": entry.headline,
                "article_ids": list(entry.article_ids),
                "origins": list(entry.origins),
                "article_count": entry.article_count,
                "independent_source_count": entry.independent_source_count,
            }


def choose_headline(texts: Sequence[str]) -> str:
    """The first sentence of the text whose words best match the words of all the texts."""
    if not texts:
        return ""
    bags = [Counter(w.lower() for w in _WORD.findall(t)) for t in texts]
    df = Counter(w for bag in bags for w in bag)
    best, best_score = 0, -1.0
    for i, bag in enumerate(bags):
        score = sum(math.log(1 + df[w]) for w in bag if df[w] > 1) / math.sqrt(1 + len(bag))
        if score > best_score:
            best, best_score = i, score
    return first_sentence(texts[best])


def _entry(event: dict[str, Any], members: list[dict[str, Any]]) -> TimelineEntry:
    originals = [m for m in members if m["duplicate_of"] is None] or members
    leads = [_lead(m) for m in originals]
    return TimelineEntry(
        date=event.get("date"),
        event_id=str(event["id"]),
        headline=choose_headline(leads),
        article_ids=tuple(int(m["id"]) for m in members),
        origins=tuple(str(m["origin"]) for m in members),
        article_count=len(members),
        independent_source_count=int(event.get("independent_source_count") or 0),
    )


def _lead(member: dict[str, Any]) -> str:
    title = member.get("title_en") or member["title"]
    text = member["text"] or ""
    return text if text.startswith(member["title"]) else f"{title}. {text}"


def list_stories(store: Store, limit: int = 50) -> list[dict[str, Any]]:
    """Active stories, most recently dated first."""
    with store.reading() as conn:
        return queries.list_stories(conn, limit)


def describe_story(store: Store, story_id: str) -> tuple[dict[str, Any], list[TimelineEntry]]:
    """A story's record and its timeline; raise NotFound if there is no such story."""
    with store.reading() as conn:
        story = queries.get_story(conn, story_id)
    return story, build_timeline(store, story_id)

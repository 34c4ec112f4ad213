"""Stories: events that continue one another (same actors and subject, following dates).

An event joins the recent story whose centroid and frequent entities it shares most, if the
story's last event is within `story_window_days`; else it opens a story with the id
`s<the event's number>`. A story's title is the key phrase of its most central event's
headline (the event closest to the story's centroid, larger events preferred), not simply its
first event's.
"""

from __future__ import annotations

import re

import numpy as np

from worldtake.eventindex import Cluster, Run, entity_overlap, top_entities, widen_span
from worldtake.eventtext import day_gap

STORY_CANDIDATES = 12
TITLE_CHARS = 90
_CLAUSE = re.compile(r"\s*(?:[:;|]|\s[-–—]\s)\s*")


def link_stories(run: Run) -> None:
    """Give every changed event a story (the one it continues, or a new one).

    Larger events go first, so that a story is opened by a main happening, not by a side item.
    """
    for event in sorted(run.events.live(), key=lambda e: (-e.size, e.first_date or "")):
        if not event.dirty:
            continue
        story = run.stories.get(event.story_id) if event.story_id else None
        if story is None and event.story_id is None:
            event.story_id = choose_story(run, event)
        elif story is not None:
            story.dirty = True


def choose_story(run: Run, event: Cluster) -> str:
    """The story an event continues, or a new one; the event is added to its sums."""
    vector = event.centroid()
    best, best_score = None, run.settings.story_threshold
    for story, cosine in run.stories.nearest(vector, STORY_CANDIDATES):
        gap = (
            day_gap(story.last_date, event.first_date)
            if event.first_date and story.last_date
            else 0
        )
        if gap > run.settings.story_window_days:
            continue
        entity = entity_overlap(top_entities(event.entities), story)
        score = cosine if entity is None else 0.6 * cosine + 0.4 * entity
        if score >= best_score:
            best, best_score = story, score
    if best is None:
        best = Cluster(f"s{event.id[1:]}", np.zeros_like(vector), title=event.title)
        run.stories.add(best)
    best.vector_sum = best.vector_sum + vector
    best.size += 1
    best.entities.update(top_entities(event.entities))
    for day in (event.first_date, event.last_date):
        best.first_date, best.last_date = widen_span(best.first_date, best.last_date, day)
    best.dirty = True
    run.stories.refresh(best)
    return best.id


def story_title(run: Run, story: Cluster) -> str:
    """A title for a story: the key phrase of its most central event's headline."""
    members = [e for e in run.events.live() if e.story_id == story.id and e.title]
    if not members:
        return story.title
    centre = story.centroid()

    def centrality(event: Cluster) -> float:
        return float(event.centroid() @ centre) * (1.0 + np.log(event.size))

    return key_phrase(max(members, key=centrality).title)


def key_phrase(headline: str) -> str:
    """The main clause of a headline (a "Source: ..." prefix or a "- Outlet" tail dropped)."""
    parts = [p for p in _CLAUSE.split(headline.strip()) if p]
    if not parts:
        return headline.strip()
    phrase = max(parts, key=lambda p: len(p) if len(p.split()) >= 4 else 0)
    phrase = phrase if len(phrase.split()) >= 4 else headline.strip()
    if len(phrase) > TITLE_CHARS:
        phrase = phrase[:TITLE_CHARS].rsplit(" ", 1)[0] + "…"
    return phrase

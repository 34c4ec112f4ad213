"""Timelines: a story's events as dated entries, and date-wise timeline summaries of articles.

Store timelines: an entry's date is its event's date (the day most of its articles report on:
mentioned event dates and inferred dates from enrichment before publication dates), so undated
dump lines are placed by what they say. The headline is the first sentence of the member article
(duplicates left out) whose words are most central to the event.

Timeline summaries (`summarize_timeline`, measured on Timeline17 by bench/timeline_t17.py) are
date-wise: every sentence is dated by the days it names, resolved against its article's
publication date; a day scores by how many sentences and articles name it (mentions that point
back from a later article count most) and how many articles appear on it or the day after; each
chosen day is then summarised by the sentences that name it or open articles published on it,
ranked by closeness to the day's word centroid, without near-repeats.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from worldtake.enrich.dates import find_event_dates
from worldtake.sentences import first_sentence, sentence_spans
from worldtake.store import Store, enrichment
from worldtake.store import events as queries

if TYPE_CHECKING:
    from sqlalchemy import Connection

_WORD = re.compile(r"[^\W_]{3,}", re.UNICODE)
MENTION_WINDOW = (-45, 7)
"""Days before and after an article's own date within which the days it names place it."""


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
        mentioned = _mentioned_days(conn, [int(m["id"]) for m in members])
    by_event: dict[str, list[dict[str, Any]]] = {}
    for row in members:
        by_event.setdefault(row["event_id"], []).append(row)
    entries = [
        _entry(event, by_event.get(event["id"], []), mentioned)
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


def entry_date(
    members: Sequence[Mapping[str, Any]],
    mentioned: Mapping[int, Sequence[str]],
    fallback: str | None = None,
    weights: DateWeights | None = None,
) -> str | None:
    """The day an event's entry goes on, by the days its articles name and their own dates.

    Each article (duplicates left out) votes for the days it names near its own date (published
    or, for undated dump items, inferred): a day named looking back counts most, one named
    ahead least, as in `rank_dates`; its own date counts as a publication. Ties go to
    `fallback` (the event's stored date), then to the earliest day; no evidence gives `fallback`.
    """
    weights = weights or DateWeights()
    score: defaultdict[str, float] = defaultdict(float)
    for member in [m for m in members if m.get("duplicate_of") is None] or members:
        own = _iso_day(member.get("published"))
        for day in set(mentioned.get(int(member["id"]), ())):
            gap = _day_gap(own, day) if own else 0
            if not MENTION_WINDOW[0] <= gap <= MENTION_WINDOW[1]:
                continue
            kind = weights.earlier if gap < 0 else weights.same if gap == 0 else weights.later
            score[day] += weights.articles + kind
        if own:
            score[own] += weights.published
    if not score:
        return fallback
    return min(score, key=lambda d: (-score[d], d != fallback, d))


def _mentioned_days(conn: Connection, article_ids: Sequence[int]) -> dict[int, list[str]]:
    """Day-precision event dates that enrichment found in each article, when it ran."""
    if not article_ids or not queries.has_table(conn, "event_dates"):
        return {}
    found = enrichment.event_dates_of(conn, article_ids)
    return {
        article_id: [str(r["date"])[:10] for r in rows if r.get("precision") in (None, "day")]
        for article_id, rows in found.items()
    }


def _iso_day(value: Any) -> str | None:
    text = str(value or "")[:10]
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        return None


def _day_gap(a: str, b: str) -> int:
    return (date.fromisoformat(b) - date.fromisoformat(a)).days


def _entry(
    event: dict[str, Any], members: list[dict[str, Any]], mentioned: Mapping[int, Sequence[str]]
) -> TimelineEntry:
    originals = [m for m in members if m["duplicate_of"] is None] or members
    leads = [_lead(m) for m in originals]
    return TimelineEntry(
        date=entry_date(members, mentioned, _iso_day(event.get("date"))),
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


# date-wise timeline summaries

CLIP_SENTENCES = 5
"""Only an article's first sentences stand for what happened on its publication day."""
REDUNDANCY = 0.5
"""A sentence this similar (cosine) to one already chosen for the day is left out."""
MIN_TERMS, MAX_TERMS = 6, 60
"""Sentences with fewer or more words than these are not used in summaries."""
_TERM = re.compile(r"[^\W\d_]{2,}", re.UNICODE)


@dataclass(frozen=True)
class SourceText:
    """An article as timeline summaries read it: an id, its publication day and its text."""

    id: str
    published: date
    text: str


@dataclass(frozen=True)
class DatedSentence:
    """A sentence of an article with the days it names."""

    text: str
    source: int
    position: int
    published: date
    days: tuple[date, ...]
    terms: Counter[str] = field(compare=False)


@dataclass(frozen=True)
class DateWeights:
    """What each piece of evidence adds to a day's score."""

    earlier: float = 1.0
    """per sentence naming the day in an article published later (a look back)"""
    same: float = 0.5
    """per sentence naming the day in an article published that day"""
    later: float = 0.25
    """per sentence naming the day ahead of it (a plan or a forecast)"""
    articles: float = 1.0
    """per article naming the day at all"""
    published: float = 0.5
    """per article published on the day"""
    next_day: float = 0.25
    """per article published the day after"""


def date_mentions(text: str, published: date) -> tuple[tuple[int, date], ...]:
    """(offset, day) of each day named in `text`, resolved against its publication day."""
    return _date_mentions(text, published)


@lru_cache(maxsize=8192)
def _date_mentions(text: str, published: date) -> tuple[tuple[int, date], ...]:
    clean = text.replace(" ,", ", ")  # tokenised text ("April 20 , 2010"); same length
    return tuple((m.start, date.fromisoformat(m.date)) for m in find_event_dates(clean, published))


def dated_sentences(
    sources: Sequence[SourceText],
    mentions: Mapping[str, Sequence[tuple[int, date]]] | None = None,
) -> list[DatedSentence]:
    """Every sentence of the sources with the days it names (`mentions` by source id, if known)."""
    found: list[DatedSentence] = []
    for index, source in enumerate(sources):
        named = (mentions or {}).get(source.id)
        if named is None:
            named = date_mentions(source.text, source.published)
        spans = sentence_spans(source.text)
        days: list[list[date]] = [[] for _ in spans]
        starts = [start for start, _ in spans]
        for offset, day in named:
            at = _span_index(starts, offset)
            if at is not None and day not in days[at]:
                days[at].append(day)
        for position, (start, end) in enumerate(spans):
            text = source.text[start:end]
            terms = Counter(w.lower() for w in _TERM.findall(text))
            found.append(
                DatedSentence(text, index, position, source.published, tuple(days[position]), terms)
            )
    return found


def rank_dates(
    sentences: Sequence[DatedSentence],
    sources: Sequence[SourceText],
    weights: DateWeights = DateWeights(),
    start: date | None = None,
    end: date | None = None,
) -> list[tuple[date, float]]:
    """Days by score, best first, within [start, end] when given."""
    score: defaultdict[date, float] = defaultdict(float)
    naming: defaultdict[date, set[int]] = defaultdict(set)
    for s in sentences:
        for day in s.days:
            if day < s.published:
                score[day] += weights.earlier
            elif day == s.published:
                score[day] += weights.same
            else:
                score[day] += weights.later
            naming[day].add(s.source)
    for day, ids in naming.items():
        score[day] += weights.articles * len(ids)
    for source in sources:
        score[source.published] += weights.published
        score[source.published - timedelta(days=1)] += weights.next_day
    ranked = [
        (day, value)
        for day, value in score.items()
        if (start is None or day >= start) and (end is None or day <= end)
    ]
    return sorted(ranked, key=lambda item: (-item[1], item[0]))


def summarize_timeline(
    sources: Sequence[SourceText],
    max_dates: int,
    sentences_per_date: int = 1,
    start: date | None = None,
    end: date | None = None,
    weights: DateWeights = DateWeights(),
    mentions: Mapping[str, Sequence[tuple[int, date]]] | None = None,
    days: Sequence[date] | None = None,
) -> dict[date, list[str]]:
    """A timeline of at most `max_dates` days, each summarised in `sentences_per_date` sentences.

    The days are the best ranked ones, or those of `days` (in that order) when it is given.
    """
    sentences = dated_sentences(sources, mentions)
    idf = _idf(sentences)
    named, opening = _candidates(sentences)
    if days is None:
        days = [day for day, _ in rank_dates(sentences, sources, weights, start, end)]
    timeline: dict[date, list[str]] = {}
    for day in days:
        if len(timeline) >= max_dates:
            break
        chosen = summarize_date(named.get(day, []), opening.get(day, []), sentences_per_date, idf)
        if chosen:
            timeline[day] = chosen
    return dict(sorted(timeline.items()))


def summarize_date(
    named: Sequence[DatedSentence],
    opening: Sequence[DatedSentence],
    k: int,
    idf: Mapping[str, float],
) -> list[str]:
    """Up to `k` sentences closest to the day's centroid, from sentences naming the day and
    opening sentences of the articles published on it, leaving out near-repeats."""
    fit = [s for s in named if _fits(s)]
    pool = fit + [s for s in opening if _fits(s)]
    if not pool:
        return []
    vectors = [_tfidf(s.terms, idf) for s in pool]
    centroid = _day_centroid(vectors[: len(fit)], vectors[len(fit) :])
    ranked = sorted(range(len(pool)), key=lambda i: -_cosine(vectors[i], centroid))
    chosen: list[int] = []
    for i in ranked:
        if len(chosen) >= k:
            break
        if all(_cosine(vectors[i], vectors[j]) <= REDUNDANCY for j in chosen):
            chosen.append(i)
    return [pool[i].text for i in chosen]


def _candidates(
    sentences: Sequence[DatedSentence],
) -> tuple[dict[date, list[DatedSentence]], dict[date, list[DatedSentence]]]:
    named: dict[date, list[DatedSentence]] = defaultdict(list)
    opening: dict[date, list[DatedSentence]] = defaultdict(list)
    for s in sentences:
        for day in s.days:
            named[day].append(s)
        if not s.days and s.position < CLIP_SENTENCES:
            opening[s.published].append(s)
            opening[s.published - timedelta(days=1)].append(s)
    return named, opening


def _fits(sentence: DatedSentence) -> bool:
    return MIN_TERMS <= sum(sentence.terms.values()) <= MAX_TERMS


def _day_centroid(
    named: Sequence[dict[str, float]], opening: Sequence[dict[str, float]]
) -> dict[str, float]:
    """Mean of the naming sentences plus mean of the opening ones, on the words both share."""
    if not named or not opening:
        return _mean([*named, *opening])
    a, b = _mean(named), _mean(opening)
    return {t: a[t] + b[t] for t in a.keys() & b.keys()} or _mean([*named, *opening])


def _mean(vectors: Sequence[dict[str, float]]) -> dict[str, float]:
    total: defaultdict[str, float] = defaultdict(float)
    for vector in vectors:
        for term, value in vector.items():
            total[term] += value / len(vectors)
    return dict(total)


def _idf(sentences: Sequence[DatedSentence]) -> dict[str, float]:
    df: Counter[str] = Counter()
    for s in sentences:
        df.update(s.terms.keys())
    n = len(sentences)
    return {t: math.log((1 + n) / (1 + c)) + 1 for t, c in df.items()}


def _tfidf(terms: Counter[str], idf: Mapping[str, float]) -> dict[str, float]:
    vector = {t: c * idf.get(t, 1.0) for t, c in terms.items()}
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return {t: v / norm for t, v in vector.items()}


def _cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b.get(t, 0.0) for t, v in a.items())
    norms = math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))
    return dot / norms if norms else 0.0


def _span_index(starts: Sequence[int], offset: int) -> int | None:
    from bisect import bisect_right

    at = bisect_right(starts, offset) - 1
    return at if at >= 0 else None

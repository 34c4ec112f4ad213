"""Queries for duplicates, events, stories and timelines: each takes an open Connection."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from sqlalchemy import (
    Connection,
    and_,
    bindparam,
    func,
    insert,
    inspect,
    or_,
    select,
    text,
    update,
)

from worldtake.clock import utc_now
from worldtake.errors import NotFound
from worldtake.store import schema

# duplicates


def load_signatures(conn: Connection, after_id: int, limit: int) -> list[Any]:
    """MinHash signatures of the latest `limit` articles with ids above `after_id`."""
    t = schema.article_signatures
    query = select(t).where(t.c.article_id > after_id).order_by(t.c.article_id.desc())
    return list(conn.execute(query.limit(limit)))


def save_signatures(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Store (or replace) MinHash signatures of articles."""
    if rows:
        t = schema.article_signatures
        conn.execute(t.delete().where(t.c.article_id.in_([r["article_id"] for r in rows])))
        conn.execute(insert(t), list(rows))


def article_texts(conn: Connection, ids: Iterable[int]) -> dict[int, tuple[str, str, int | None]]:
    """(title, text, duplicate_of) of articles by id."""
    a = schema.articles
    rows = conn.execute(
        select(a.c.id, a.c.title, a.c.text, a.c.duplicate_of).where(a.c.id.in_(list(ids)))
    )
    return {int(r.id): (r.title, r.text, r.duplicate_of) for r in rows}


def point_duplicates(conn: Connection, article_id: int, original: int) -> None:
    """Make `article_id` and every article that pointed to it point to `original`."""
    a = schema.articles
    conn.execute(update(a).where(a.c.duplicate_of == article_id).values(duplicate_of=original))
    conn.execute(update(a).where(a.c.id == article_id).values(duplicate_of=original))


# article context for clustering


def article_context(conn: Connection, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """For each article: its raw item's as-of date, countries, mentioned days and entities."""
    a, r = schema.articles, schema.raw_items
    rows = conn.execute(
        select(a.c.id, a.c.countries, r.c.as_of)
        .outerjoin(r, r.c.id == a.c.raw_item_id)
        .where(a.c.id.in_(list(ids)))
    )
    found: dict[int, dict[str, Any]] = {
        int(x.id): {
            "as_of": x.as_of,
            "countries": _as_list(x.countries),
            "dates": [],
            "mentions": [],
        }
        for x in rows
    }
    marks = ",".join(str(int(i)) for i in ids)
    if marks and has_table(conn, "event_dates"):
        query = f"SELECT article_id, date FROM event_dates WHERE article_id IN ({marks})"
        for article_id, day in conn.execute(text(query)):
            if int(article_id) in found and day:
                found[int(article_id)]["dates"].append(str(day))
    if marks and has_table(conn, "mentions"):
        query = f"SELECT article_id, kind, key FROM mentions WHERE article_id IN ({marks})"
        for article_id, kind, key in conn.execute(text(query)):
            if int(article_id) in found:
                found[int(article_id)]["mentions"].append((str(kind), str(key)))
    return found


def has_table(conn: Connection, name: str) -> bool:
    """True when the store has table `name` (another stage's, optional here)."""
    return bool(inspect(conn).has_table(name))


def save_article_vectors(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Store each article's embedding (float16 bytes), date and entity keys."""
    if rows:
        t = schema.article_vectors
        conn.execute(t.delete().where(t.c.article_id.in_([r["article_id"] for r in rows])))
        conn.execute(insert(t), list(rows))


def load_article_vectors(conn: Connection, ids: Iterable[int]) -> dict[int, Any]:
    """Rows of article_vectors by article id."""
    t = schema.article_vectors
    rows = conn.execute(select(t).where(t.c.article_id.in_(list(ids))))
    return {int(r.article_id): r for r in rows}


def set_memberships(conn: Connection, pairs: Sequence[tuple[int, str, str | None]]) -> None:
    """Set (article id, event id, story id) on articles, in one statement."""
    if pairs:
        a = schema.articles
        statement = (
            update(a)
            .where(a.c.id == bindparam("aid"))
            .values(event_id=bindparam("eid"), story_id=bindparam("sid"))
        )
        conn.execute(statement, [{"aid": x, "eid": e, "sid": s} for x, e, s in pairs])


def member_events(conn: Connection, event_ids: Sequence[str]) -> dict[int, str]:
    """Event id of each article stored under any of these events."""
    a = schema.articles
    query = select(a.c.id, a.c.event_id).where(a.c.event_id.in_(list(event_ids)))
    return {int(r.id): str(r.event_id) for r in conn.execute(query)}


def mark_merged(conn: Connection, from_id: str, to_id: str) -> None:
    """Mark event `from_id` merged into `to_id` (its articles were moved one by one)."""
    e, x = schema.events, schema.event_index
    conn.execute(update(e).where(e.c.id == from_id).values(status="merged", merged_into=to_id))
    conn.execute(update(x).where(x.c.event_id == from_id).values(active=False))


def member_features(
    conn: Connection, ids: Sequence[int]
) -> dict[int, tuple[str, str, Any, str | None, list[str]]]:
    """(title, text, float32 vector, date, entity keys) of articles that have a stored vector."""
    if not ids:
        return {}
    a, v = schema.articles, schema.article_vectors
    rows = conn.execute(
        select(a.c.id, a.c.title, a.c.text, v.c.vector, v.c.date, v.c.entities)
        .join(v, v.c.article_id == a.c.id)
        .where(a.c.id.in_(list(ids)))
    )
    return {
        int(r.id): (
            r.title,
            r.text,
            np.frombuffer(r.vector, dtype=np.float16).astype(np.float32),
            r.date,
            _as_list(r.entities),
        )
        for r in rows
    }


def existing_event_ids(conn: Connection, stem: str) -> set[str]:
    """Ids of events (of any status) equal to `stem` or of the form `stem.N`."""
    e = schema.events
    query = select(e.c.id).where(or_(e.c.id == stem, e.c.id.like(f"{stem}.%")))
    return {str(i) for i in conn.execute(query).scalars()}


def event_of(conn: Connection, article_ids: Iterable[int]) -> dict[int, str]:
    """Event id of each article that has one."""
    a = schema.articles
    rows = conn.execute(
        select(a.c.id, a.c.event_id).where(
            and_(a.c.id.in_(list(article_ids)), a.c.event_id.is_not(None))
        )
    )
    return {int(r.id): str(r.event_id) for r in rows}


# lexicon (document frequencies for TF-IDF over hashed terms)


def load_lexicon(conn: Connection, name: str) -> tuple[int, bytes | None]:
    """(document count, document-frequency array bytes) of lexicon `name`."""
    t = schema.lexicon
    row = conn.execute(select(t.c.doc_count, t.c.df).where(t.c.name == name)).first()
    return (0, None) if row is None else (int(row.doc_count), bytes(row.df))


def lexicon_count(conn: Connection, name: str) -> int:
    """Document count of lexicon `name` (0 when it does not exist yet)."""
    t = schema.lexicon
    return int(conn.execute(select(t.c.doc_count).where(t.c.name == name)).scalar() or 0)


def save_lexicon(conn: Connection, name: str, doc_count: int, df: bytes) -> None:
    """Replace lexicon `name`."""
    t = schema.lexicon
    conn.execute(t.delete().where(t.c.name == name))
    conn.execute(insert(t).values(name=name, doc_count=doc_count, df=df))


# event and story index


def load_index(conn: Connection, level: str, since: str | None, limit: int) -> list[Any]:
    """Active `event` or `story` index rows dated from `since` on (or undated), newest first."""
    t = schema.event_index if level == "event" else schema.story_index
    query = select(t).where(t.c.active.is_(True))
    if since is not None:
        query = query.where(or_(t.c.last_date >= since, t.c.last_date.is_(None)))
    return list(conn.execute(query.order_by(t.c.seq.desc()).limit(limit)))


def save_index_rows(conn: Connection, level: str, rows: Sequence[dict[str, Any]]) -> None:
    """Insert or update rows of the event or story index, keyed by event_id / story_id."""
    if not rows:
        return
    t = schema.event_index if level == "event" else schema.story_index
    key = t.c.event_id if level == "event" else t.c.story_id
    wanted = [row[key.name] for row in rows]
    known = set(conn.execute(select(key).where(key.in_(wanted))).scalars())
    fresh = [row for row in rows if row[key.name] not in known]
    if fresh:
        conn.execute(insert(t), fresh)
    old = [{f"v_{k}": v for k, v in row.items()} for row in rows if row[key.name] in known]
    if old:
        values: dict[str, Any] = {
            name: bindparam(f"v_{name}") for name in rows[0] if name != key.name
        }
        conn.execute(update(t).where(key == bindparam(f"v_{key.name}")).values(**values), old)


def log_change(
    conn: Connection,
    kind: str,
    level: str,
    from_id: str,
    to_id: str | None,
    article_ids: Sequence[int] = (),
    detail: str = "",
) -> None:
    """Record a merge, split or move of an event or story: which ids went where, when."""
    conn.execute(
        insert(schema.cluster_log).values(
            at=utc_now(),
            kind=kind,
            level=level,
            from_id=from_id,
            to_id=to_id,
            article_ids=list(article_ids),
            detail=detail,
        )
    )


def list_changes(conn: Connection, record_id: str | None = None) -> list[dict[str, Any]]:
    """The change log, oldest first, optionally for one event or story id."""
    t = schema.cluster_log
    query = select(t).order_by(t.c.id)
    if record_id is not None:
        query = query.where(or_(t.c.from_id == record_id, t.c.to_id == record_id))
    return [dict(r._mapping) for r in conn.execute(query)]


def refresh_events(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Write events (id, story_id, title, date…) and recount their articles and sources."""
    e = schema.events
    for row in rows:
        counts = _member_counts(conn, "event_id", row["id"])
        values = {**row, **counts, "updated_at": utc_now()}
        if conn.execute(select(e.c.id).where(e.c.id == row["id"])).first() is None:
            conn.execute(insert(e).values(status="active", **values))
        else:
            conn.execute(update(e).where(e.c.id == row["id"]).values(**values))


def refresh_stories(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Write stories (id, title) and recount dates, articles, sources, countries, outlets."""
    s, e = schema.stories, schema.events
    for row in rows:
        counts = _member_counts(conn, "story_id", row["id"])
        dates = conn.execute(
            select(func.min(e.c.date), func.max(e.c.date)).where(
                and_(e.c.story_id == row["id"], e.c.status == "active")
            )
        ).first()
        values = {
            **row,
            **counts,
            "first_date": dates[0] if dates else None,
            "last_date": dates[1] if dates else None,
            "outlets": _outlets(conn, row["id"]),
            "updated_at": utc_now(),
        }
        if conn.execute(select(s.c.id).where(s.c.id == row["id"])).first() is None:
            conn.execute(insert(s).values(status="active", **values))
        else:
            conn.execute(update(s).where(s.c.id == row["id"]).values(**values))


def _member_counts(conn: Connection, column: str, record_id: str) -> dict[str, Any]:
    a = schema.articles
    rows = conn.execute(
        select(a.c.id, a.c.source_id, a.c.duplicate_of, a.c.countries).where(
            a.c[column] == record_id
        )
    ).all()
    independent = {
        r.source_id if r.source_id is not None else f"a{r.id}"
        for r in rows
        if r.duplicate_of is None
    }
    countries: dict[str, int] = {}
    for r in rows:
        for code in _as_list(r.countries):
            countries[code] = countries.get(code, 0) + 1
    ordered = sorted(countries, key=lambda c: (-countries[c], c))
    return {
        "article_count": len(rows),
        "independent_source_count": len(independent),
        "countries": ordered,
    }


def _outlets(conn: Connection, story_id: str) -> list[str]:
    a, s = schema.articles, schema.sources
    rows = conn.execute(
        select(s.c.name)
        .join(a, a.c.source_id == s.c.id)
        .where(a.c.story_id == story_id)
        .group_by(s.c.name)
        .order_by(func.count().desc(), s.c.name)
    )
    return [str(r[0]) for r in rows]


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    return [str(v) for v in value] if isinstance(value, list) else []


def list_stories(conn: Connection, limit: int = 50) -> list[dict[str, Any]]:
    """Active stories, most recently dated first."""
    s = schema.stories
    query = (
        select(s)
        .where(s.c.status == "active")
        .order_by(s.c.last_date.desc().nulls_last(), s.c.article_count.desc())
        .limit(limit)
    )
    return [dict(r._mapping) for r in conn.execute(query)]


def get_story(conn: Connection, story_id: str) -> dict[str, Any]:
    """One story row, or raise NotFound."""
    s = schema.stories
    row = conn.execute(select(s).where(s.c.id == story_id)).first()
    if row is None:
        raise NotFound(f"no story with id {story_id}")
    return dict(row._mapping)


def story_events(conn: Connection, story_id: str) -> list[dict[str, Any]]:
    """Active events of a story in date order."""
    e = schema.events
    query = (
        select(e)
        .where(and_(e.c.story_id == story_id, e.c.status == "active"))
        .order_by(e.c.date.nulls_last(), e.c.id)
    )
    return [dict(r._mapping) for r in conn.execute(query)]


def event_articles(conn: Connection, event_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Articles of events (id, event_id, origin, title, text, source, dates, duplicate_of)."""
    a, s = schema.articles, schema.sources
    query = (
        select(
            a.c.id,
            a.c.event_id,
            a.c.origin,
            a.c.title,
            a.c.title_en,
            a.c.text,
            a.c.published,
            a.c.duplicate_of,
            a.c.source_id,
            s.c.name.label("source"),
        )
        .outerjoin(s, s.c.id == a.c.source_id)
        .where(a.c.event_id.in_(list(event_ids)))
        .order_by(a.c.id)
    )
    return [dict(r._mapping) for r in conn.execute(query)]


def record_titles(
    conn: Connection, level: str, ids: Sequence[str]
) -> dict[str, tuple[str | None, str | None]]:
    """(title, story id) of events, or (title, None) of stories, by id."""
    if not ids:
        return {}
    if level == "event":
        e = schema.events
        rows = conn.execute(select(e.c.id, e.c.title, e.c.story_id).where(e.c.id.in_(list(ids))))
        return {str(r.id): (r.title, r.story_id) for r in rows}
    s = schema.stories
    rows = conn.execute(select(s.c.id, s.c.title).where(s.c.id.in_(list(ids))))
    return {str(r.id): (r.title, None) for r in rows}


def event_days(conn: Connection, event_ids: Sequence[str]) -> dict[str, str]:
    """The most common date among each event's articles (their reported day), where any."""
    if not event_ids:
        return {}
    a, v = schema.articles, schema.article_vectors
    rows = conn.execute(
        select(a.c.event_id, v.c.date, func.count().label("n"))
        .join(a, a.c.id == v.c.article_id)
        .where(and_(a.c.event_id.in_(list(event_ids)), v.c.date.is_not(None)))
        .group_by(a.c.event_id, v.c.date)
    )
    best: dict[str, tuple[int, str]] = {}
    for r in rows:
        key = (-int(r.n), str(r.date))
        if r.event_id not in best or key < best[r.event_id]:
            best[str(r.event_id)] = key
    return {event_id: day for event_id, (_, day) in best.items()}

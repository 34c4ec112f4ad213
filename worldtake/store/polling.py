"""Sources and their polling state: what `sources` and `watch` read and write."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, func, insert, or_, select, update

from worldtake.clock import utc_now
from worldtake.store import schema


def upsert_source(conn: Connection, values: dict[str, Any]) -> int:
    """Insert a source, or update the one with the same feed URL or name; return its id."""
    t = schema.sources
    match = t.c.name == values["name"]
    if values.get("feed_url"):
        match = or_(match, t.c.feed_url == values["feed_url"])
    found = conn.execute(select(t.c.id).where(match)).scalar()
    if found is not None:
        conn.execute(update(t).where(t.c.id == found).values(**values))
        return int(found)
    row = {"state_media": False, "error_count": 0, "created_at": utc_now(), **values}
    key = conn.execute(insert(t).values(**row)).inserted_primary_key
    assert key is not None, "an insert gives a primary key"
    return int(key[0])


def source_rows(conn: Connection) -> list[dict[str, Any]]:
    """Every source with its articles in the last seven days, by name."""
    t, a = schema.sources, schema.articles
    since = (datetime.now(UTC) - timedelta(days=7)).isoformat(timespec="seconds")
    recent = (
        select(func.count())
        .where(a.c.source_id == t.c.id, a.c.fetched_at >= since)
        .scalar_subquery()
        .label("recent_articles")
    )
    rows = conn.execute(select(t, recent).order_by(t.c.name))
    return [dict(r._mapping) for r in rows]


def delete_source(conn: Connection, key: str) -> int:
    """Delete the source named `key` or with that feed URL (articles keep their outlet name)."""
    t = schema.sources
    ids = list(conn.execute(select(t.c.id).where(or_(t.c.name == key, t.c.feed_url == key))))
    for (source_id,) in ids:
        for table in (schema.articles, schema.raw_items, schema.rejections):
            conn.execute(update(table).where(table.c.source_id == source_id).values(source_id=None))
        conn.execute(delete(t).where(t.c.id == source_id))
    return len(ids)


def due_sources(conn: Connection, now: str) -> list[dict[str, Any]]:
    """Sources with a feed whose next check has come."""
    t = schema.sources
    query = select(t).where(
        t.c.feed_url.is_not(None), or_(t.c.next_check.is_(None), t.c.next_check <= now)
    )
    return [dict(r._mapping) for r in conn.execute(query.order_by(t.c.next_check, t.c.id))]


def record_poll(conn: Connection, source_id: int, **values: Any) -> None:
    """Store the outcome of one poll: caching headers, success or error, next check."""
    t = schema.sources
    conn.execute(update(t).where(t.c.id == source_id).values(**values))

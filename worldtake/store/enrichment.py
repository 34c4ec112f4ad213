"""Persistence of enrichment: languages, dates, mentions, translations and their cache."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select, update

from worldtake.clock import utc_now
from worldtake.store import schema


@dataclass(frozen=True)
class DumpItem:
    """One article of a raw item, as date inference needs it."""

    id: int
    position: int
    text: str
    published: str | None
    precision: str


def update_article(conn: Connection, article_id: int, **values: Any) -> None:
    """Set enrichment columns of one article."""
    t = schema.articles
    conn.execute(update(t).where(t.c.id == article_id).values(**values))


def raw_item_as_of(conn: Connection, raw_item_id: int) -> str | None:
    """The reference date (`--as-of`) recorded on a raw item."""
    t = schema.raw_items
    return conn.execute(select(t.c.as_of).where(t.c.id == raw_item_id)).scalar()


def raw_item_kind(conn: Connection, raw_item_id: int) -> str | None:
    """The kind (dump, jsonl, feed...) of a raw item."""
    t = schema.raw_items
    return conn.execute(select(t.c.kind).where(t.c.id == raw_item_id)).scalar()


def items_of_raw_item(conn: Connection, raw_item_id: int) -> list[DumpItem]:
    """The articles of one raw item in file order."""
    t = schema.articles
    rows = conn.execute(
        select(t.c.id, t.c.position, t.c.text, t.c.published, t.c.published_precision)
        .where(t.c.raw_item_id == raw_item_id)
        .order_by(t.c.position, t.c.id)
    )
    return [DumpItem(r.id, r.position, r.text, r.published, r.published_precision) for r in rows]


def replace_mentions(conn: Connection, article_id: int, rows: Sequence[dict[str, Any]]) -> None:
    """Store an article's entity mentions in place of any stored before."""
    t = schema.mentions
    conn.execute(t.delete().where(t.c.article_id == article_id))
    if rows:
        conn.execute(t.insert(), [{"article_id": article_id, **r} for r in rows])


def replace_event_dates(conn: Connection, article_id: int, rows: Sequence[dict[str, Any]]) -> None:
    """Store the days an article names in place of any stored before."""
    t = schema.event_dates
    conn.execute(t.delete().where(t.c.article_id == article_id))
    if rows:
        conn.execute(t.insert(), [{"article_id": article_id, **r} for r in rows])


def mentions_of(conn: Connection, article_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
    """Stored mentions of some articles, in text order, keyed by article id."""
    return _rows_by_article(conn, schema.mentions, article_ids)


def event_dates_of(conn: Connection, article_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
    """Stored event dates of some articles, in text order, keyed by article id."""
    return _rows_by_article(conn, schema.event_dates, article_ids)


def _rows_by_article(
    conn: Connection, table: schema.Table, article_ids: Iterable[int]
) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    query = select(table).where(table.c.article_id.in_(list(article_ids))).order_by(table.c.start)
    for row in conn.execute(query):
        found.setdefault(row.article_id, []).append(dict(row._mapping))
    return found


def cached_translation(conn: Connection, key: str) -> tuple[str, str] | None:
    """(text, backend) of a cached translation, or None."""
    t = schema.translations
    row = conn.execute(select(t.c.text, t.c.backend).where(t.c.key == key)).first()
    return (row.text, row.backend) if row else None


def cache_translation(
    conn: Connection, key: str, source: str, target: str, backend: str, text: str
) -> None:
    """Remember a translation under its content key."""
    t = schema.translations
    conn.execute(t.delete().where(t.c.key == key))
    conn.execute(
        t.insert().values(
            key=key,
            source_language=source,
            target_language=target,
            backend=backend,
            text=text,
            created_at=utc_now(),
        )
    )


def count_translations(conn: Connection) -> int:
    """How many translations the cache holds."""
    t = schema.translations
    return len(conn.execute(select(t.c.key)).all())

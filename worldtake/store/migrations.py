"""Small named migrations, applied in order and recorded in the `migrations` table."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, inspect, select, text

from worldtake.clock import utc_now
from worldtake.store import schema

Migration = Callable[[Connection], None]


def m001_initial(conn: Connection) -> None:
    """Create the core tables, and full-text search over articles where the backend has it."""
    schema.metadata.create_all(conn, tables=_initial_tables(), checkfirst=True)
    if conn.dialect.name == "sqlite":
        _create_sqlite_fts(conn)


def _initial_tables() -> list[schema.Table]:
    return [
        schema.migrations,
        schema.sources,
        schema.raw_items,
        schema.articles,
        schema.article_stages,
        schema.events,
        schema.stories,
        schema.statements,
        schema.pledges,
        schema.pledge_evidence,
        schema.takes,
        schema.rejections,
    ]


def _create_sqlite_fts(conn: Connection) -> None:
    conn.execute(
        text(
            "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5("
            "title, text, content='articles', content_rowid='id', "
            "tokenize='unicode61 remove_diacritics 2')"
        )
    )
    conn.execute(
        text(
            "CREATE TRIGGER IF NOT EXISTS articles_fts_insert AFTER INSERT ON articles BEGIN "
            "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); "
            "END"
        )
    )
    conn.execute(
        text(
            "CREATE TRIGGER IF NOT EXISTS articles_fts_delete AFTER DELETE ON articles BEGIN "
            "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
            "VALUES ('delete', old.id, old.title, old.text); END"
        )
    )
    conn.execute(
        text(
            "CREATE TRIGGER IF NOT EXISTS articles_fts_update AFTER UPDATE OF title, text "
            "ON articles BEGIN "
            "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
            "VALUES ('delete', old.id, old.title, old.text); "
            "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); "
            "END"
        )
    )


MIGRATIONS: list[Migration] = [m001_initial]


def apply_migrations(conn: Connection) -> list[str]:
    """Apply every migration not yet recorded; return the names applied now."""
    if not inspect(conn).has_table("migrations"):
        schema.migrations.create(conn)
    done = set(conn.execute(select(schema.migrations.c.name)).scalars())
    applied = []
    for migration in MIGRATIONS:
        if migration.__name__ in done:
            continue
        migration(conn)
        conn.execute(
            schema.migrations.insert().values(name=migration.__name__, applied_at=utc_now())
        )
        applied.append(migration.__name__)
    return applied

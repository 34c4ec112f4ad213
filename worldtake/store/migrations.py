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


def m005_events_index(conn: Connection) -> None:
    """Create the duplicate signatures, vectors, event/story index and cluster change log."""
    for table in (
        schema.article_signatures,
        schema.article_vectors,
        schema.event_index,
        schema.story_index,
        schema.cluster_log,
        schema.lexicon,
    ):
        table.create(conn, checkfirst=True)


def m004_enrichment(conn: Connection) -> None:
    """Create the mentions, event dates and translation tables; add the enrichment columns."""
    for table in (schema.mentions, schema.event_dates, schema.translations):
        table.create(conn, checkfirst=True)
    present = {c["name"] for c in inspect(conn).get_columns("articles")}
    for column in schema.ENRICH_ARTICLE_COLUMNS:
        if column.name not in present:
            kind = column.type.compile(dialect=conn.dialect)
            conn.execute(text(f'ALTER TABLE articles ADD COLUMN "{column.name}" {kind}'))


def m006_pledge_claims(conn: Connection) -> None:
    """Create the per-article pledge claims table that `pledges` is rebuilt from."""
    schema.pledge_claims.create(conn, checkfirst=True)


def m007_claim_dates_stances(conn: Connection) -> None:
    """Give pledge claims their own date; create the stances table."""
    present = {c["name"] for c in inspect(conn).get_columns("pledge_claims")}
    if "date" not in present:
        conn.execute(text('ALTER TABLE pledge_claims ADD COLUMN "date" VARCHAR(40)'))
    schema.stances.create(conn, checkfirst=True)


MIGRATIONS: list[Migration] = [
    m001_initial,
    m005_events_index,
    m004_enrichment,
    m006_pledge_claims,
    m007_claim_dates_stances,
]


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

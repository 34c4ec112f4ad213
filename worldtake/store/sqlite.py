"""SQLite backend: one file in WAL mode, transactions we begin ourselves, FTS5 search."""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text

_WORD = re.compile(r"\w+", re.UNICODE)


def create_sqlite_engine(url: str) -> Engine:
    """Create an engine whose connections use WAL, foreign keys and explicit BEGIN."""
    engine = create_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def fts_query(query: str) -> str:
    """Turn free text into an FTS5 query: every word must match, as a quoted term."""
    words = _WORD.findall(query)
    return " ".join(f'"{w}"' for w in words)


def search_article_ids(conn: Connection, query: str, limit: int) -> list[tuple[int, str]]:
    """Return (article id, snippet) pairs matching `query`, best first."""
    match = fts_query(query)
    if not match:
        return []
    rows = conn.execute(
        text(
            "SELECT rowid, snippet(articles_fts, 1, '[', ']', ' … ', 12) "
            "FROM articles_fts WHERE articles_fts MATCH :q ORDER BY bm25(articles_fts, 4.0, 1.0) "
            "LIMIT :n"
        ),
        {"q": match, "n": limit},
    )
    return [(int(r[0]), str(r[1])) for r in rows]


def journal_mode(conn: Connection) -> str:
    """Return the journal mode of the database (`wal` when set up right)."""
    return str(conn.exec_driver_sql("PRAGMA journal_mode").scalar())

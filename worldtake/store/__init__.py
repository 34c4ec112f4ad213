"""Persistence: `open_store(url_or_path)` returns a migrated Store on SQLite or PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.exc import DatabaseError, OperationalError

from worldtake.errors import StoreError
from worldtake.store.migrations import apply_migrations
from worldtake.store.sqlite import create_sqlite_engine
from worldtake.store.store import SearchHit, Store

__all__ = ["SearchHit", "Store", "open_store", "store_url"]


def store_url(url_or_path: str) -> str:
    """Turn a file path into a SQLite URL; leave database URLs as they are."""
    if "://" in url_or_path:
        return url_or_path
    return f"sqlite:///{Path(url_or_path).expanduser().resolve()}"


def open_store(url_or_path: str) -> Store:
    """Open (creating and migrating if needed) the store at a path or database URL."""
    url = store_url(url_or_path)
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        if path and path != ":memory:" and not Path(path).parent.is_dir():
            raise StoreError(f"cannot create the store {path}: its folder does not exist")
        engine = create_sqlite_engine(url)
    else:
        raise StoreError(f"unsupported database URL {url!r}: use a SQLite file path")
    try:
        with engine.begin() as conn:
            apply_migrations(conn)
    except (DatabaseError, OperationalError) as exc:
        engine.dispose()
        raise StoreError(f"cannot open the store {url_or_path}: {exc.orig}") from exc
    return Store(engine, url)

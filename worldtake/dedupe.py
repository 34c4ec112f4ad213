"""Duplicates: an article whose words equal an earlier one's points to that original."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Connection

from worldtake.models import Article

if TYPE_CHECKING:
    from worldtake.pipeline import StageContext


def mark_duplicates(context: StageContext, conn: Connection, articles: list[Article]) -> None:
    """Point each article to the earliest stored article with the same content hash."""
    store = context.store
    originals = store.first_articles_by_hash(conn, {a.content_hash for a in articles})
    for article in articles:
        original = originals.get(article.content_hash)
        if original is not None and original != article.id:
            store.update_article(conn, article.id, duplicate_of=original)

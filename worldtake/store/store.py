"""The Store: every read and write of worldtake's records, the same on every backend."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Row, and_, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from worldtake.clock import utc_now
from worldtake.errors import NotFound
from worldtake.models import Article, Document, Rejection
from worldtake.store import schema

EXPORT_TABLES = {
    "events": schema.events,
    "stories": schema.stories,
    "statements": schema.statements,
    "takes": schema.takes,
}


@dataclass(frozen=True)
class RawItemState:
    """What the store knows of a raw item already seen: its content hash and status."""

    id: int
    content_hash: str
    status: str


@dataclass(frozen=True)
class SearchHit:
    """An article matching a search, with a snippet around the match."""

    article: Article
    snippet: str


class Store:
    """Records of one worldtake database; open it with `open_store`."""

    def __init__(self, engine: Engine, url: str):
        self.engine = engine
        self.url = url

    @property
    def backend(self) -> str:
        """The database backend's name: `sqlite` or `postgresql`."""
        return self.engine.dialect.name

    def close(self) -> None:
        """Release every connection."""
        self.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """Yield a connection inside one transaction, committed on success, else rolled back."""
        with self.engine.begin() as conn:
            yield conn

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """Yield a connection for reads."""
        with self.engine.connect() as conn:
            yield conn

    # sources

    def ensure_source(
        self, conn: Connection, name: str, country: str | None = None, language: str | None = None
    ) -> int:
        """Return the id of source `name`, creating it (with country and language) if new."""
        t = schema.sources
        found = conn.execute(select(t.c.id, t.c.country).where(t.c.name == name)).first()
        if found is not None:
            if country and not found.country:
                conn.execute(update(t).where(t.c.id == found.id).values(country=country))
            return int(found.id)
        values = {
            "name": name,
            "country": country,
            "languages": [language] if language else [],
            "state_media": False,
            "error_count": 0,
            "created_at": utc_now(),
        }
        return int(_new_id(conn.execute(insert(t).values(**values))))

    def list_sources(self) -> list[dict[str, Any]]:
        """Every source with its article count, by name."""
        t, a = schema.sources, schema.articles
        count = (
            select(func.count()).where(a.c.source_id == t.c.id).scalar_subquery().label("articles")
        )
        with self.reading() as conn:
            rows = conn.execute(select(t, count).order_by(t.c.name))
            return [dict(r._mapping) for r in rows]

    # raw items

    def find_raw_item(self, origin: str) -> RawItemState | None:
        """Return what is known of the raw item at `origin`, or None if never seen."""
        t = schema.raw_items
        with self.reading() as conn:
            row = conn.execute(
                select(t.c.id, t.c.content_hash, t.c.status).where(t.c.origin == origin)
            ).first()
        return None if row is None else RawItemState(int(row.id), row.content_hash, row.status)

    def save_raw_item(self, conn: Connection, origin: str, **values: Any) -> int:
        """Insert or update the raw item at `origin`; return its id."""
        t = schema.raw_items
        values = {"fetched_at": utc_now(), **values}
        found = conn.execute(select(t.c.id).where(t.c.origin == origin)).scalar()
        if found is not None:
            conn.execute(update(t).where(t.c.id == found).values(**values))
            return int(found)
        return int(_new_id(conn.execute(insert(t).values(origin=origin, **values))))

    # articles

    def add_articles(
        self,
        conn: Connection,
        documents: Sequence[Document],
        *,
        content_hashes: Sequence[str],
        source_ids: Sequence[int | None],
        raw_item_id: int | None,
    ) -> int:
        """Insert documents as articles, skipping origins already stored; return how many new."""
        if not documents:
            return 0
        now = utc_now()
        rows = [
            {
                "origin": d.origin,
                "raw_item_id": raw_item_id,
                "position": d.position,
                "source_id": source_id,
                "source_country": d.country,
                "external_id": d.external_id,
                "url": d.url,
                "author": d.author,
                "title": d.title,
                "text": d.text,
                "published": d.published,
                "published_precision": d.published_precision,
                "language": d.language,
                "language_confidence": 1.0 if d.language else None,
                "content_hash": content_hash,
                "fetched_at": now,
            }
            for d, content_hash, source_id in zip(
                documents, content_hashes, source_ids, strict=True
            )
        ]
        before = self._count(conn, schema.articles)
        conn.execute(self._insert_ignoring(schema.articles, ["origin", "content_hash"]), rows)
        return self._count(conn, schema.articles) - before

    def stored_items_of(self, conn: Connection, raw_item_id: int) -> set[tuple[str, str]]:
        """(origin, content hash) of the articles already taken from one raw item."""
        t = schema.articles
        rows = conn.execute(
            select(t.c.origin, t.c.content_hash).where(t.c.raw_item_id == raw_item_id)
        )
        return {(r.origin, r.content_hash) for r in rows}

    def raw_item_count(self, raw_item_id: int) -> int:
        """How many articles a raw item gave."""
        t = schema.raw_items
        with self.reading() as conn:
            return int(
                conn.execute(select(t.c.item_count).where(t.c.id == raw_item_id)).scalar() or 0
            )

    def get_article(self, article_id: int) -> Article:
        """Return article `article_id`, or raise NotFound."""
        found = list(self.iter_articles(ids=[article_id]))
        if not found:
            raise NotFound(f"no article with id {article_id}")
        return found[0]

    def iter_articles(self, ids: Iterable[int] | None = None) -> Iterator[Article]:
        """Yield articles (all, or those with `ids`) in id order."""
        query = self._article_query()
        if ids is not None:
            query = query.where(schema.articles.c.id.in_(list(ids)))
        with self.reading() as conn:
            for row in conn.execute(query.order_by(schema.articles.c.id)):
                yield _article_from_row(row)

    def latest_articles(self, limit: int) -> list[Article]:
        """The most recently published (then most recently stored) articles."""
        a = schema.articles
        query = self._article_query().order_by(a.c.published.desc().nulls_last(), a.c.id.desc())
        with self.reading() as conn:
            return [_article_from_row(r) for r in conn.execute(query.limit(limit))]

    def pending_articles(self, stage: str, version: int, limit: int) -> list[Article]:
        """Articles not yet through `stage` at `version`, oldest first, at most `limit`."""
        a, s = schema.articles, schema.article_stages
        done = select(s.c.article_id).where(
            and_(s.c.stage == stage, s.c.version >= version, s.c.article_id == a.c.id)
        )
        query = self._article_query().where(~done.exists()).order_by(a.c.id).limit(limit)
        with self.reading() as conn:
            return [_article_from_row(r) for r in conn.execute(query)]

    def count_pending(self, stage: str, version: int) -> int:
        """How many articles still wait for `stage` at `version`."""
        a, s = schema.articles, schema.article_stages
        done = select(s.c.article_id).where(
            and_(s.c.stage == stage, s.c.version >= version, s.c.article_id == a.c.id)
        )
        with self.reading() as conn:
            return int(conn.execute(select(func.count()).where(~done.exists())).scalar() or 0)

    def mark_stage_done(
        self, conn: Connection, article_ids: Sequence[int], stage: str, version: int
    ) -> None:
        """Record that `stage` at `version` has run on these articles."""
        if not article_ids:
            return
        s = schema.article_stages
        conn.execute(
            s.delete().where(and_(s.c.stage == stage, s.c.article_id.in_(list(article_ids))))
        )
        now = utc_now()
        conn.execute(
            insert(s),
            [
                {"article_id": i, "stage": stage, "version": version, "done_at": now}
                for i in article_ids
            ],
        )

    def first_articles_by_hash(self, conn: Connection, hashes: set[str]) -> dict[str, int]:
        """For each content hash, the id of the earliest article that has it."""
        t = schema.articles
        found: dict[str, int] = {}
        ordered = sorted(hashes)
        for start in range(0, len(ordered), 500):
            chunk = ordered[start : start + 500]
            rows = conn.execute(
                select(t.c.content_hash, func.min(t.c.id))
                .where(t.c.content_hash.in_(chunk))
                .group_by(t.c.content_hash)
            )
            found.update({h: int(i) for h, i in rows})
        return found

    def update_article(self, conn: Connection, article_id: int, **values: Any) -> None:
        """Set columns of one article."""
        t = schema.articles
        conn.execute(update(t).where(t.c.id == article_id).values(**values))

    # rejections

    def record_rejection(
        self,
        conn: Connection,
        rejection: Rejection,
        *,
        source_id: int | None = None,
        article_id: int | None = None,
    ) -> None:
        """Log why an item or source was refused, or kept with a warning."""
        conn.execute(
            insert(schema.rejections).values(
                origin=rejection.origin,
                line=rejection.line,
                stage=rejection.stage,
                reason=rejection.reason,
                kept=rejection.kept,
                source_id=source_id,
                article_id=article_id,
                created_at=utc_now(),
            )
        )

    def clear_rejections(self, conn: Connection, origin: str, stage: str) -> None:
        """Forget earlier rejections of `origin` at `stage`, before it is read again."""
        t = schema.rejections
        conn.execute(t.delete().where(and_(t.c.origin == origin, t.c.stage == stage)))

    def list_rejections(self, limit: int = 20) -> list[Rejection]:
        """The most recent rejections and warnings, newest first."""
        t = schema.rejections
        with self.reading() as conn:
            rows = conn.execute(select(t).order_by(t.c.id.desc()).limit(limit))
            return [
                Rejection(r.origin, r.reason, line=r.line, stage=r.stage, kept=bool(r.kept))
                for r in rows
            ]

    # queries for search, stats and export

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Articles matching the words of `query`, best first."""
        if self.backend != "sqlite":
            raise NotImplementedError(f"search on {self.backend}")
        from worldtake.store.sqlite import search_article_ids

        with self.reading() as conn:
            hits = search_article_ids(conn, query, limit)
        articles = {a.id: a for a in self.iter_articles(ids=[i for i, _ in hits])}
        return [SearchHit(articles[i], snippet) for i, snippet in hits if i in articles]

    def count_rows(self) -> dict[str, int]:
        """How many rows each record table holds."""
        tables = {
            "sources": schema.sources,
            "raw_items": schema.raw_items,
            "articles": schema.articles,
            "events": schema.events,
            "stories": schema.stories,
            "statements": schema.statements,
            "pledges": schema.pledges,
            "takes": schema.takes,
        }
        with self.reading() as conn:
            return {name: self._count(conn, t) for name, t in tables.items()}

    def count_by(self, column: str) -> dict[str, int]:
        """Article counts grouped by an article column (language, source_country, …)."""
        col = schema.articles.c[column]
        with self.reading() as conn:
            rows = conn.execute(
                select(col, func.count()).group_by(col).order_by(func.count().desc())
            )
            return {"unknown" if value is None else str(value): int(n) for value, n in rows}

    def count_rejections(self) -> dict[str, int]:
        """Rejections and warnings counted by stage and kind."""
        t = schema.rejections
        with self.reading() as conn:
            rows = conn.execute(
                select(t.c.stage, t.c.kept, func.count()).group_by(t.c.stage, t.c.kept)
            )
            return {
                f"{stage} {'warnings' if kept else 'rejected'}": int(n) for stage, kept, n in rows
            }

    def article_rows(self, story: str | None = None) -> Iterator[dict[str, Any]]:
        """Articles as export rows, joined with their source."""
        query = self._article_query()
        if story is not None:
            query = query.where(schema.articles.c.story_id == story)
        with self.reading() as conn:
            for row in conn.execute(query.order_by(schema.articles.c.id)):
                yield dict(row._mapping)

    def table_rows(self, kind: str, story: str | None = None) -> Iterator[dict[str, Any]]:
        """Rows of the events, stories, statements or takes table, optionally for one story."""
        t = EXPORT_TABLES[kind]
        query = select(t)
        if story is not None:
            if "story_id" in t.c:
                query = query.where(t.c.story_id == story)
            elif kind == "stories":
                query = query.where(t.c.id == story)
            elif kind == "statements":
                a = schema.articles
                query = query.where(t.c.article_id.in_(select(a.c.id).where(a.c.story_id == story)))
        with self.reading() as conn:
            for row in conn.execute(query.order_by(t.c.id)):
                yield dict(row._mapping)

    def pledge_rows(self, story: str | None = None) -> Iterator[dict[str, Any]]:
        """Pledges with their evidence (article id, origin, source, quote) nested."""
        p, e, a, s = schema.pledges, schema.pledge_evidence, schema.articles, schema.sources
        query = select(p).order_by(p.c.country, p.c.kind, p.c.date, p.c.id)
        if story is not None:
            query = query.where(p.c.story_id == story)
        with self.reading() as conn:
            for row in list(conn.execute(query)):
                evidence = conn.execute(
                    select(e.c.article_id, a.c.origin, s.c.name.label("source"), e.c.quote)
                    .join(a, a.c.id == e.c.article_id)
                    .outerjoin(s, s.c.id == a.c.source_id)
                    .where(e.c.pledge_id == row.id)
                    .order_by(e.c.id)
                )
                yield {**dict(row._mapping), "evidence": [dict(r._mapping) for r in evidence]}

    # internals

    def _article_query(self) -> Any:
        a, s = schema.articles, schema.sources
        return select(a, s.c.name.label("source")).outerjoin(s, s.c.id == a.c.source_id)

    def _insert_ignoring(self, table: schema.Table, keys: list[str]) -> Any:
        if self.backend == "postgresql":
            return postgresql.insert(table).on_conflict_do_nothing(index_elements=keys)
        return sqlite.insert(table).on_conflict_do_nothing(index_elements=keys)

    @staticmethod
    def _count(conn: Connection, table: schema.Table) -> int:
        return int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)


def _article_from_row(row: Row[Any]) -> Article:
    m = row._mapping
    return Article(
        id=m["id"],
        origin=m["origin"],
        title=m["title"],
        text=m["text"],
        source_id=m["source_id"],
        source=m["source"],
        source_country=m["source_country"],
        external_id=m["external_id"],
        url=m["url"],
        author=m["author"],
        published=m["published"],
        published_precision=m["published_precision"],
        language=m["language"],
        title_en=m["title_en"],
        text_en=m["text_en"],
        raw_item_id=m["raw_item_id"],
        position=m["position"],
        content_hash=m["content_hash"],
        event_id=m["event_id"],
        story_id=m["story_id"],
        duplicate_of=m["duplicate_of"],
    )


def _new_id(result: Any) -> int:
    key = result.inserted_primary_key
    assert key is not None, "insert returned no primary key"
    return int(key[0])

"""Online event clustering (the `cluster` stage): stable ids, logged changes, then stories.

Each new article joins the recent event it is closest to on average (average link: its mean
similarity to the event's members, exact because events keep sums of unit vectors) or opens a
new one. Similarity mixes key-weighted TF-IDF (`eventtext`: names, places, numbers and entity
keys weigh more) with a multilingual sentence embedding of title and lead (`embed`). An article
dated more than `event_window_days` outside an event's span cannot join it. Candidates come from
an index of recent events (`eventindex`), never a scan of everything. One pass depends on
arrival order, so after each batch the neighbourhoods the batch touched are re-clustered
(`recluster`), with stable ids and every merge, split and move logged. Events are then linked
into stories (`stories`). Indexes stay in memory between batches of one process.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import Connection

from worldtake import recluster, stories
from worldtake.embed import encode_cached
from worldtake.eventindex import (
    TOP_ENTITIES,
    TOP_TERMS,
    ArticleFeatures,
    Cluster,
    ClusterIndex,
    Member,
    Packed,
    Run,
    candidates,
    is_within,
    post_cluster,
    score_article,
)
from worldtake.eventtext import (
    BUCKETS,
    article_date,
    count_terms,
    embedding_text,
    entity_keys,
    lexical_text,
    weigh_terms,
)
from worldtake.models import Article
from worldtake.store import events as queries

if TYPE_CHECKING:
    from worldtake.pipeline import StageContext
    from worldtake.settings import Settings


def assign_events(context: StageContext, conn: Connection, articles: list[Article]) -> None:
    """Stage: put each article into an event (existing or new), then events into stories."""
    settings = context.settings
    feats = describe_articles(conn, articles, settings.encoder)
    url = context.store.url
    run = open_run(conn, settings, feats, url)
    for feat in feats:
        assign_one(conn, run, feat)
    recluster.consolidate_events(conn, run)
    stories.link_stories(run)
    save_run(conn, run, feats)
    keep_warm(run, url)


def describe_articles(
    conn: Connection, articles: Sequence[Article], encoder_name: str
) -> list[ArticleFeatures]:
    """Compute every article's features: embedding, terms, entities, date."""
    if not articles:
        return []
    context = queries.article_context(conn, [a.id for a in articles])
    vectors = encode_cached(encoder_name, [embedding_text(a) for a in articles])
    feats = []
    for article, vector in zip(articles, vectors, strict=True):
        extra = context.get(article.id, {})
        entities = entity_keys(extra.get("mentions", []))
        entities |= {f"country:{c}" for c in extra.get("countries", [])}
        feats.append(
            ArticleFeatures(
                article_id=article.id,
                vector=vector,
                terms=count_terms(lexical_text(article), entities),
                entities=entities,
                date=article_date(article, extra.get("dates", []), extra.get("as_of")),
                duplicate_of=article.duplicate_of,
                title=article.title_en or article.title,
            )
        )
    return feats


@dataclass
class _Warm:
    """Indexes and document frequencies kept between batches while the store is unchanged."""

    doc_count: int
    events: ClusterIndex
    stories: ClusterIndex
    df: np.ndarray
    postings: dict[int, set[str]]
    known: dict[int, Packed]


KNOWN_MEMBERS = 50_000
_WARM: dict[str, _Warm] = {}


def open_run(
    conn: Connection, settings: Settings, feats: list[ArticleFeatures], store_url: str = ""
) -> Run:
    """The recent events and stories as indexes, and the IDF updated with this batch.

    Indexes are kept in memory between batches of one process and reused as long as the
    store's document count is the one they were saved with (else they are read again).
    """
    doc_count = queries.lexicon_count(conn, "events")
    warm = _WARM.pop(store_url, None)
    if warm is None or warm.doc_count != doc_count or not feats:
        warm = _load_warm(conn, settings, feats, doc_count)
    else:
        _prune(warm, settings, feats)
    for feat in feats:
        warm.df[list(feat.terms)] += 1
    run = Run(settings, warm.events, warm.stories, warm.df, doc_count + len(feats))
    run.idf = (np.log((run.doc_count + 1) / (run.df + 1)) + 1.0).astype(np.float32)
    run.postings = warm.postings
    run.known = warm.known
    return run


def _load_warm(
    conn: Connection, settings: Settings, feats: list[ArticleFeatures], doc_count: int
) -> _Warm:
    dim = int(feats[0].vector.shape[0]) if feats else 512
    limit = settings.index_limit
    events = ClusterIndex(
        dim, _load_clusters(conn, "event", _since(feats, settings.event_window_days), limit, dim)
    )
    stories = ClusterIndex(
        dim, _load_clusters(conn, "story", _since(feats, settings.story_window_days), limit, dim)
    )
    df_bytes = queries.load_lexicon(conn, "events")[1]
    df = np.zeros(BUCKETS, dtype=np.int32)
    if df_bytes is not None:
        df = np.frombuffer(df_bytes, dtype=np.int32).copy()
    warm = _Warm(doc_count, events, stories, df, {}, {})
    run = Run(settings, events, stories, df, doc_count)
    for cluster in events.clusters:
        post_cluster(run, cluster)
    warm.postings = run.postings
    return warm


def _since(feats: list[ArticleFeatures], days: int) -> str | None:
    dated = [f.date for f in feats if f.date]
    if not dated:
        return None
    return (date.fromisoformat(min(dated)) - timedelta(days=days)).isoformat()


def _prune(warm: _Warm, settings: Settings, feats: list[ArticleFeatures]) -> None:
    """Drop merged events and those dated out of the window, when they are a quarter or more."""
    for level, days in (
        ("events", settings.event_window_days),
        ("stories", settings.story_window_days),
    ):
        index: ClusterIndex = getattr(warm, level)
        since = _since(feats, days)
        keep = [
            c
            for c in index.clusters
            if c.size > 0 and (since is None or c.last_date is None or c.last_date >= since)
        ]
        keep = keep[-settings.index_limit :]
        if len(keep) < 0.75 * len(index.clusters):
            setattr(warm, level, ClusterIndex(index.matrix.shape[1], keep))
            if level == "events":
                ids = {c.id for c in keep}
                for term in list(warm.postings):
                    warm.postings[term] &= ids
                    if not warm.postings[term]:
                        del warm.postings[term]


def keep_warm(run: Run, store_url: str) -> None:
    """Keep this run's indexes for the next batch (called once its changes are written)."""
    for cluster in [*run.events.clusters, *run.stories.clusters]:
        cluster.dirty = False
        cluster.loaded_size = cluster.size
    for article_id, member in run.batch.items():
        run.known[article_id] = Packed.pack(member)
    while len(run.known) > KNOWN_MEMBERS:
        del run.known[next(iter(run.known))]
    _WARM[store_url] = _Warm(
        run.doc_count, run.events, run.stories, run.df, run.postings, run.known
    )


def _load_clusters(
    conn: Connection, level: str, since: str | None, limit: int, dim: int
) -> list[Cluster]:
    clusters = []
    rows = list(reversed(queries.load_index(conn, level, since, limit)))
    ids = [row.event_id if level == "event" else row.story_id for row in rows]
    known = queries.record_titles(conn, level, ids)
    for row, cluster_id in zip(rows, ids, strict=True):
        vector = np.frombuffer(row.vector_sum, dtype=np.float32).copy()
        if vector.shape[0] != dim:
            continue
        clusters.append(
            Cluster(
                id=cluster_id,
                vector_sum=vector,
                size=int(row.size),
                terms={int(k): float(v) for k, v in (getattr(row, "terms", None) or {}).items()},
                entities=Counter(row.entities or {}),
                first_date=getattr(row, "first_date", None),
                last_date=row.last_date,
                story_id=known.get(cluster_id, ("", None))[1],
                title=known.get(cluster_id, ("", None))[0] or "",
                loaded_size=int(row.size),
            )
        )
    return clusters


def assign_one(conn: Connection, run: Run, feat: ArticleFeatures) -> None:
    """Put one article into the closest event that it may join, or open a new event."""
    weighted = weigh_terms(feat.terms, run.idf)
    if feat.duplicate_of is not None:
        original = run.memberships.get(feat.duplicate_of) or queries.event_of(
            conn, [feat.duplicate_of]
        ).get(feat.duplicate_of)
        if original is not None and run.events.get(original) is not None:
            join(run, feat, weighted, original)
            return
    window = run.settings.event_window_days
    best, best_score = None, run.settings.event_threshold
    for cluster in candidates(run, feat.vector, weighted):
        if not is_within(feat.date, cluster, window):
            continue
        score = score_article(feat.vector, weighted, cluster)
        if score >= best_score:
            best, best_score = cluster, score
    if best is None:
        best = Cluster(f"e{feat.article_id}", np.zeros_like(feat.vector), title=feat.title)
        run.events.add(best)
        run.opened.add(best.id)
    join(run, feat, weighted, best.id)


def join(run: Run, feat: ArticleFeatures, weighted: dict[int, float], event_id: str) -> None:
    """Record an article's event and add it to the event's sums."""
    run.memberships[feat.article_id] = event_id
    run.batch[feat.article_id] = Member(
        feat.article_id, feat.vector, weighted, feat.date, feat.title
    )
    cluster = run.events.get(event_id)
    if cluster is not None:
        cluster.absorb(feat.vector, weighted, feat)
        run.events.refresh(cluster)
        post_cluster(run, cluster)


def save_run(conn: Connection, run: Run, feats: list[ArticleFeatures]) -> None:
    """Write the lexicon, vectors, memberships, logged changes and changed events and stories."""
    queries.save_lexicon(conn, "events", run.doc_count, run.df.tobytes())
    queries.save_article_vectors(
        conn,
        [
            {
                "article_id": f.article_id,
                "vector": f.vector.astype(np.float16).tobytes(),
                "date": f.date,
                "entities": sorted(f.entities),
            }
            for f in feats
        ],
    )
    stories_of = {c.id: c.story_id for c in run.events.clusters}
    placed = {**run.moves, **run.memberships}
    queries.set_memberships(conn, [(a, e, stories_of.get(e)) for a, e in placed.items()])
    # events opened and regrouped within this batch were never seen: nothing to log for them
    for gone, keep, why in run.merges:
        queries.mark_merged(conn, gone, keep)
        if gone not in run.opened:
            queries.log_change(conn, "merge", "event", gone, keep, [], why)
    for parent, child, ids in run.splits:
        if parent not in run.opened:
            queries.log_change(conn, "split", "event", parent, child, ids, "regrouped")
    for (old, new), ids in run.moved.items():
        if old not in run.opened:
            queries.log_change(conn, "move", "event", old, new, ids, "regrouped")
    _save_clusters(conn, run)


def _save_clusters(conn: Connection, run: Run) -> None:
    merged = {gone for gone, _, _ in run.merges}
    dirty_events = [c for c in run.events.clusters if c.dirty]
    queries.save_index_rows(conn, "event", [_event_row(c) for c in dirty_events])
    live = [c for c in dirty_events if c.id not in merged and c.size > 0]
    days = queries.event_days(conn, [c.id for c in live])
    queries.refresh_events(
        conn,
        [
            {"id": c.id, "story_id": c.story_id, "title": c.title, **_event_date(days, c)}
            for c in live
        ],
    )
    dirty_stories = [c for c in run.stories.clusters if c.dirty]
    queries.save_index_rows(conn, "story", [_story_row(c) for c in dirty_stories])
    titles = {s.id: stories.story_title(run, s) for s in dirty_stories}
    queries.refresh_stories(conn, [{"id": c.id, "title": titles[c.id]} for c in dirty_stories])


def _event_row(c: Cluster) -> dict[str, Any]:
    top_terms = dict(sorted(c.terms.items(), key=lambda kv: -kv[1])[:TOP_TERMS])
    return {
        "event_id": c.id,
        "vector_sum": c.vector_sum.astype(np.float32).tobytes(),
        "size": c.size,
        "terms": {str(k): round(v, 4) for k, v in top_terms.items()},
        "entities": dict(c.entities.most_common(TOP_ENTITIES)),
        "first_date": c.first_date,
        "last_date": c.last_date,
        "active": c.size > 0,
    }


def _story_row(c: Cluster) -> dict[str, Any]:
    return {
        "story_id": c.id,
        "vector_sum": c.vector_sum.astype(np.float32).tobytes(),
        "size": c.size,
        "entities": dict(c.entities.most_common(TOP_ENTITIES)),
        "last_date": c.last_date,
    }


def _event_date(days: dict[str, str], c: Cluster) -> dict[str, Any]:
    day = days.get(c.id) or c.first_date
    return {
        "date": day,
        "date_precision": "day" if day else None,
        "first_seen": c.first_date,
        "last_seen": c.last_date,
    }

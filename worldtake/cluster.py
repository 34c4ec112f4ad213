"""Online event clustering with stable ids and a logged merge history; events linked into stories.

Each new article joins the most similar recent event or opens a new one. Similarity mixes a
multilingual sentence embedding (title and lead), TF-IDF over hashed words (original and English
text), shared entities (countries, people, organisations from enrichment, names otherwise), and
time: an article dated outside an event's span by more than `event_window_days` cannot join it.
Candidates come from an index of recent events (top-k by embedding), never from a full scan.
An event keeps the id it was opened with (`e<first article id>`); when an article shows two
events to be one, the smaller is merged into the larger and the move is logged.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import Connection

from worldtake.embed import load_encoder
from worldtake.models import Article
from worldtake.sentences import sentence_spans
from worldtake.store import events as queries

if TYPE_CHECKING:
    from worldtake.pipeline import StageContext
    from worldtake.settings import Settings

BUCKETS = 1 << 18
TOP_TERMS = 300
TOP_ENTITIES = 40
CANDIDATES = 10
LEAD_CHARS = 400
SHORT_MARGIN = 0.15
"""Short items (few distinct words) give noisier similarities: their threshold is raised by up
to this much, linearly, below 150 distinct words."""
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*)")


@dataclass(frozen=True)
class ArticleFeatures:
    """What clustering compares: embedding, hashed term counts, entity keys, date."""

    article_id: int
    vector: np.ndarray
    terms: dict[int, float]
    entities: frozenset[str]
    date: str | None
    duplicate_of: int | None = None
    title: str = ""


@dataclass
class Cluster:
    """Running state of an event or a story in the index: sums, counts and date span."""

    id: str
    vector_sum: np.ndarray
    size: int = 0
    terms: dict[int, float] = field(default_factory=dict)
    entities: Counter[str] = field(default_factory=Counter)
    first_date: str | None = None
    last_date: str | None = None
    story_id: str | None = None
    title: str = ""
    dirty: bool = False

    def centroid(self) -> np.ndarray:
        """Unit vector of the mean embedding."""
        norm = float(np.linalg.norm(self.vector_sum))
        return self.vector_sum / norm if norm else self.vector_sum

    def absorb(self, feats: ArticleFeatures) -> None:
        """Add one article's features to the running sums."""
        self.vector_sum = self.vector_sum + feats.vector
        self.size += 1
        add_terms(self.terms, feats.terms)
        self.entities.update(feats.entities)
        self.first_date, self.last_date = widen_span(self.first_date, self.last_date, feats.date)
        self.dirty = True


class ClusterIndex:
    """Recent clusters with a matrix of unit centroids for top-k retrieval by dot product."""

    def __init__(self, dim: int, clusters: Sequence[Cluster] = ()):
        self.clusters: list[Cluster] = []
        self.position: dict[str, int] = {}
        self.matrix = np.zeros((max(16, len(clusters) * 2), dim), dtype=np.float32)
        for cluster in clusters:
            self.add(cluster)

    def add(self, cluster: Cluster) -> None:
        """Put a cluster in the index."""
        if len(self.clusters) == self.matrix.shape[0]:
            grown = np.zeros((self.matrix.shape[0] * 2, self.matrix.shape[1]), dtype=np.float32)
            grown[: len(self.clusters)] = self.matrix[: len(self.clusters)]
            self.matrix = grown
        self.position[cluster.id] = len(self.clusters)
        self.clusters.append(cluster)
        self.matrix[len(self.clusters) - 1] = cluster.centroid()

    def refresh(self, cluster: Cluster) -> None:
        """Recompute a cluster's row after it changed."""
        self.matrix[self.position[cluster.id]] = cluster.centroid()

    def remove(self, cluster: Cluster) -> None:
        """Take a cluster out of retrieval (its row is zeroed)."""
        self.matrix[self.position[cluster.id]] = 0.0

    def get(self, cluster_id: str) -> Cluster | None:
        """The cluster with this id, if it is in the index."""
        at = self.position.get(cluster_id)
        return None if at is None else self.clusters[at]

    def nearest(self, vector: np.ndarray, k: int) -> list[tuple[Cluster, float]]:
        """The k clusters whose centroids are closest to `vector`, with their cosine."""
        count = len(self.clusters)
        if count == 0:
            return []
        scores = self.matrix[:count] @ vector
        top = np.argpartition(-scores, k)[:k] if count > k else np.arange(count)
        ranked = sorted(top, key=lambda i: -scores[i])
        return [(self.clusters[i], float(scores[i])) for i in ranked if scores[i] > 0.0]


@dataclass
class _Run:
    """One batch's working state: indexes, lexicon and the changes to write."""

    settings: Settings
    events: ClusterIndex
    stories: ClusterIndex
    df: np.ndarray
    doc_count: int
    idf: np.ndarray = field(default_factory=lambda: np.ones(1, dtype=np.float32))
    memberships: dict[int, str] = field(default_factory=dict)
    merges: list[tuple[str, str]] = field(default_factory=list)


def assign_events(context: StageContext, conn: Connection, articles: list[Article]) -> None:
    """Stage: put each article into an event (existing or new), then events into stories."""
    settings = context.settings
    feats = describe_articles(conn, articles, settings.encoder)
    run = _open_run(conn, settings, feats)
    for feat in feats:
        _assign_one(conn, run, feat)
    _link_stories(run)
    _save_run(conn, run, feats)


def describe_articles(
    conn: Connection, articles: Sequence[Article], encoder_name: str
) -> list[ArticleFeatures]:
    """Compute every article's features: embedding, terms, entities, date."""
    if not articles:
        return []
    context = queries.article_context(conn, [a.id for a in articles])
    vectors = load_encoder(encoder_name).encode_texts([embedding_text(a) for a in articles])
    mentions = _mention_finder()
    feats = []
    for article, vector in zip(articles, vectors, strict=True):
        extra = context.get(article.id, {})
        day = article_date(article, extra.get("dates", []), extra.get("as_of"))
        feats.append(
            ArticleFeatures(
                article_id=article.id,
                vector=vector,
                terms=count_terms(_lexical_text(article)),
                entities=find_entities(article, extra.get("countries", []), day, mentions),
                date=day,
                duplicate_of=article.duplicate_of,
                title=article.title_en or article.title,
            )
        )
    return feats


def embedding_text(article: Article) -> str:
    """Title and lead (the first sentences, up to about 400 characters) of an article."""
    body = article.text
    if body.startswith(article.title):
        body = body[len(article.title) :]
    lead = ""
    for start, end in sentence_spans(body):
        if len(lead) + end - start > LEAD_CHARS and lead:
            break
        lead += " " + body[start:end]
    return f"{article.title}.{lead}"[: LEAD_CHARS * 2]


def count_terms(text: str) -> dict[int, float]:
    """Sub-linear term counts of `text`'s words, hashed into a fixed number of buckets."""
    counts = Counter(zlib.crc32(w.lower().encode("utf-8")) % BUCKETS for w in _WORD.findall(text))
    return {t: 1.0 + math.log(n) for t, n in counts.items()}


def add_terms(total: dict[int, float], terms: dict[int, float]) -> None:
    """Add term weights into `total`, keeping only the heaviest TOP_TERMS."""
    for t, w in terms.items():
        total[t] = total.get(t, 0.0) + w
    if len(total) > TOP_TERMS * 2:
        keep = sorted(total.items(), key=lambda kv: -kv[1])[:TOP_TERMS]
        total.clear()
        total.update(keep)


def lexical_similarity(a: dict[int, float], b: dict[int, float], idf: np.ndarray) -> float:
    """Cosine of two term-weight maps under IDF weighting."""
    if not a or not b:
        return 0.0
    dot = sum(w * b[t] * idf[t] ** 2 for t, w in a.items() if t in b)
    if dot == 0.0:
        return 0.0
    na = math.sqrt(sum((w * idf[t]) ** 2 for t, w in a.items()))
    nb = math.sqrt(sum((w * idf[t]) ** 2 for t, w in b.items()))
    return dot / (na * nb)


def entity_similarity(entities: frozenset[str], cluster: Cluster) -> float | None:
    """Share of the article's entities among the cluster's frequent ones (None: nothing to use)."""
    if not entities or not cluster.entities:
        return None
    floor = max(1, cluster.size // 5)
    common = {k for k, n in cluster.entities.items() if n >= floor}
    if not common:
        return None
    return len(entities & common) / min(len(entities), len(common))


def score_article(feat: ArticleFeatures, cluster: Cluster, idf: np.ndarray) -> float:
    """Similarity of an article to an event: embedding, TF-IDF and entities combined."""
    vector = float(feat.vector @ cluster.centroid())
    lexical = lexical_similarity(feat.terms, cluster.terms, idf)
    entity = entity_similarity(feat.entities, cluster)
    if entity is None:
        return 0.3 * vector + 0.7 * lexical
    return (0.3 * vector + 0.7 * lexical + 0.4 * entity) / 1.4


def article_date(article: Article, mentioned: Sequence[str], as_of: str | None) -> str | None:
    """The day an article reports on: a mentioned date near publication, else its own date."""
    published = article.published[:10] if article.published else None
    if published is None or article.published_precision in ("unknown", "month"):
        published = as_of[:10] if as_of else None
    days = sorted(d[:10] for d in mentioned if len(d) >= 10)
    if published is None:
        return days[0] if days else None
    near = [d for d in days if -30 <= day_gap(published, d) <= 1]
    return near[0] if near else published


def day_gap(a: str, b: str) -> int:
    """Days from a to b (negative when b is earlier)."""
    return (date.fromisoformat(b[:10]) - date.fromisoformat(a[:10])).days


def widen_span(
    first: str | None, last: str | None, day: str | None
) -> tuple[str | None, str | None]:
    """A date span widened to include `day`."""
    if day is None:
        return first, last
    return (min(first, day) if first else day), (max(last, day) if last else day)


def is_within(day: str | None, cluster: Cluster, days: int) -> bool:
    """True when `day` lies within `days` of the cluster's date span (or either is undated)."""
    if day is None or cluster.first_date is None or cluster.last_date is None:
        return True
    return day_gap(cluster.first_date, day) >= -days and day_gap(cluster.last_date, day) <= days


def find_entities(
    article: Article,
    countries: Sequence[str],
    day: str | None,
    mentions: Callable[[str, str | None], list[Any]] | None,
) -> frozenset[str]:
    """Entity keys of an article: enrichment's countries and mentions, and capitalised names."""
    head = f"{article.title}. {article.text[: LEAD_CHARS * 3]}"
    keys = {f"country:{c}" for c in countries}
    if mentions is not None:
        keys |= {f"{m.kind}:{m.key}" for m in mentions(head, day)}
    keys |= {f"name:{n.lower()}" for n in _NAME.findall(head) if len(n) > 3}
    return frozenset(keys)


def _mention_finder() -> Callable[[str, str | None], list[Any]] | None:
    try:
        from worldtake.enrich.entities import find_mentions
    except ImportError:
        return None
    try:
        find_mentions("Kyiv", None)
    except (OSError, ValueError, KeyError):
        return None
    return lambda text, day: list(find_mentions(text, on_date=day))


def _lexical_text(article: Article) -> str:
    parts = [article.title, article.text]
    if article.title_en:
        parts.append(article.title_en)
    if article.text_en:
        parts.append(article.text_en)
    return " ".join(parts)


def _open_run(conn: Connection, settings: Settings, feats: list[ArticleFeatures]) -> _Run:
    dim = int(feats[0].vector.shape[0]) if feats else 512
    dated = [f.date for f in feats if f.date]
    since = None
    if dated:
        since = (
            date.fromisoformat(min(dated)) - timedelta(days=settings.event_window_days)
        ).isoformat()
    events = ClusterIndex(dim, _load_clusters(conn, "event", since, settings.index_limit, dim))
    story_since = None
    if dated:
        story_since = (
            date.fromisoformat(min(dated)) - timedelta(days=settings.story_window_days)
        ).isoformat()
    stories = ClusterIndex(
        dim, _load_clusters(conn, "story", story_since, settings.index_limit, dim)
    )
    doc_count, df_bytes = queries.load_lexicon(conn, "events")
    df = np.zeros(BUCKETS, dtype=np.int32)
    if df_bytes is not None:
        df = np.frombuffer(df_bytes, dtype=np.int32).copy()
    for feat in feats:
        df[list(feat.terms)] += 1
    run = _Run(settings, events, stories, df, doc_count + len(feats))
    run.idf = np.log((run.doc_count + 1) / (run.df + 1)).astype(np.float32) + 1.0
    return run


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
            )
        )
    return clusters


def _assign_one(conn: Connection, run: _Run, feat: ArticleFeatures) -> None:
    if feat.duplicate_of is not None:
        original = run.memberships.get(feat.duplicate_of) or queries.event_of(
            conn, [feat.duplicate_of]
        ).get(feat.duplicate_of)
        if original is not None:
            _join(run, feat, original)
            return
    idf = run.idf
    window = run.settings.event_window_days
    scored = [
        (score_article(feat, cluster, idf), cluster)
        for cluster, _ in run.events.nearest(feat.vector, CANDIDATES)
        if is_within(feat.date, cluster, window)
    ]
    scored.sort(key=lambda pair: -pair[0])
    threshold = run.settings.event_threshold + SHORT_MARGIN * max(0.0, 1 - len(feat.terms) / 150)
    passing = [c for s, c in scored if s >= threshold]
    if not passing:
        cluster = Cluster(f"e{feat.article_id}", np.zeros_like(feat.vector), title=feat.title)
        run.events.add(cluster)
        _join(run, feat, cluster.id)
        return
    _join(run, feat, passing[0].id)
    if len(passing) > 1:
        _merge_if_same(run, passing[0], passing[1], idf)


def _join(run: _Run, feat: ArticleFeatures, event_id: str) -> None:
    run.memberships[feat.article_id] = event_id
    cluster = run.events.get(event_id)
    if cluster is not None:
        cluster.absorb(feat)
        run.events.refresh(cluster)


def _merge_if_same(run: _Run, a: Cluster, b: Cluster, idf: np.ndarray) -> None:
    vector = float(a.centroid() @ b.centroid())
    lexical = lexical_similarity(a.terms, b.terms, idf)
    if 0.3 * vector + 0.7 * lexical < run.settings.merge_threshold:
        return
    keep, gone = (a, b) if a.size >= b.size else (b, a)
    keep.vector_sum = keep.vector_sum + gone.vector_sum
    keep.size += gone.size
    add_terms(keep.terms, gone.terms)
    keep.entities.update(gone.entities)
    keep.first_date, keep.last_date = widen_span(keep.first_date, keep.last_date, gone.first_date)
    keep.first_date, keep.last_date = widen_span(keep.first_date, keep.last_date, gone.last_date)
    keep.dirty = True
    run.events.refresh(keep)
    run.events.remove(gone)
    for article_id, event_id in run.memberships.items():
        if event_id == gone.id:
            run.memberships[article_id] = keep.id
    run.merges.append((gone.id, keep.id))


def _link_stories(run: _Run) -> None:
    merged = {gone for gone, _ in run.merges}
    for event in run.events.clusters:
        if not event.dirty or event.id in merged:
            continue
        if event.story_id is None:
            event.story_id = _choose_story(run, event)
        story = run.stories.get(event.story_id)
        if story is not None and event.dirty:
            story.dirty = True


def _choose_story(run: _Run, event: Cluster) -> str:
    vector = event.centroid()
    best, best_score = None, run.settings.story_threshold
    for story, cosine in run.stories.nearest(vector, CANDIDATES):
        gap = (
            day_gap(story.last_date, event.first_date)
            if event.first_date and story.last_date
            else 0
        )
        if gap > run.settings.story_window_days:
            continue
        entity = entity_similarity(frozenset(_top(event.entities)), story)
        score = cosine if entity is None else 0.6 * cosine + 0.4 * entity
        if score >= best_score:
            best, best_score = story, score
    if best is None:
        best = Cluster(f"s{event.id[1:]}", np.zeros_like(vector), title=event.title)
        run.stories.add(best)
    best.vector_sum = best.vector_sum + vector
    best.size += 1
    best.entities.update(_top(event.entities))
    best.first_date, best.last_date = widen_span(best.first_date, best.last_date, event.last_date)
    best.dirty = True
    run.stories.refresh(best)
    return best.id


def _top(entities: Counter[str]) -> list[str]:
    return [k for k, _ in entities.most_common(TOP_ENTITIES)]


def _save_run(conn: Connection, run: _Run, feats: list[ArticleFeatures]) -> None:
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
    for gone, keep in run.merges:
        moved = queries.move_event(conn, gone, keep, stories_of.get(keep))
        queries.log_change(conn, "merge", "event", gone, keep, moved, "an article fitted both")
    queries.set_memberships(
        conn,
        [(a, e, stories_of.get(e)) for a, e in run.memberships.items()],
    )
    _save_clusters(conn, run)


def _save_clusters(conn: Connection, run: _Run) -> None:
    dirty_events = [c for c in run.events.clusters if c.dirty]
    queries.save_index_rows(conn, "event", [_event_row(c) for c in dirty_events])
    queries.refresh_events(
        conn,
        [
            {"id": c.id, "story_id": c.story_id, "title": c.title, **_event_date(conn, c)}
            for c in dirty_events
            if c.id not in {gone for gone, _ in run.merges}
        ],
    )
    dirty_stories = [c for c in run.stories.clusters if c.dirty]
    queries.save_index_rows(conn, "story", [_story_row(c) for c in dirty_stories])
    queries.refresh_stories(conn, [{"id": c.id, "title": c.title} for c in dirty_stories])


def _event_row(c: Cluster) -> dict[str, Any]:
    top_terms = dict(sorted(c.terms.items(), key=lambda kv: -kv[1])[:TOP_TERMS])
    return {
        "event_id": c.id,
        "vector_sum": c.vector_sum.astype(np.float32).tobytes(),
        "size": c.size,
        "terms": {str(k): round(v, 3) for k, v in top_terms.items()},
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


def _event_date(conn: Connection, c: Cluster) -> dict[str, Any]:
    day = queries.event_day(conn, c.id)
    return {
        "date": day or c.first_date,
        "date_precision": "day" if (day or c.first_date) else None,
        "first_seen": c.first_date,
        "last_seen": c.last_date,
    }

"""The event and story index: clusters as sums of unit vectors, retrieval, average-link scores.

A cluster keeps the sum of its members' unit embeddings and unit TF-IDF term vectors, so the
mean similarity between an article and all members of an event (average link) is one dot
product, and so is the mean similarity between two events. Retrieval over the recent clusters
is top-k by embedding plus a small inverted index over each event's heaviest terms.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from worldtake.eventtext import day_gap, dot_terms

if TYPE_CHECKING:
    from worldtake.settings import Settings

TOP_TERMS = 400
TOP_ENTITIES = 40
CANDIDATES = 12
EMBEDDING_SHARE = 0.35
"""Weight of the embedding in the similarity; the rest is key-weighted TF-IDF."""


@dataclass(frozen=True)
class ArticleFeatures:
    """What clustering compares: embedding, raw term weights, entity keys, date, title."""

    article_id: int
    vector: np.ndarray
    terms: dict[int, float]
    entities: frozenset[str]
    date: str | None
    duplicate_of: int | None = None
    title: str = ""


@dataclass(frozen=True)
class Member:
    """One article of an event as re-clustering sees it: vector, unit term vector, date."""

    article_id: int
    vector: np.ndarray
    weighted: dict[int, float]
    date: str | None
    title: str


@dataclass(frozen=True)
class Packed:
    """A member kept between batches in little memory: float16 vector, term arrays."""

    vector: np.ndarray
    terms: np.ndarray
    weights: np.ndarray
    date: str | None
    title: str

    @classmethod
    def pack(cls, m: Member) -> Packed:
        """Pack a member."""
        terms = np.fromiter(m.weighted.keys(), dtype=np.int32, count=len(m.weighted))
        weights = np.fromiter(m.weighted.values(), dtype=np.float32, count=len(m.weighted))
        return cls(m.vector.astype(np.float16), terms, weights, m.date, m.title)

    def unpack(self, article_id: int) -> Member:
        """The member again."""
        weighted = dict(zip(self.terms.tolist(), self.weights.tolist(), strict=True))
        return Member(article_id, self.vector.astype(np.float32), weighted, self.date, self.title)


@dataclass
class Cluster:
    """Running state of an event or a story: sums of unit vectors, counts and date span."""

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
    loaded_size: int = 0

    def centroid(self) -> np.ndarray:
        """Unit vector of the mean embedding."""
        norm = float(np.linalg.norm(self.vector_sum))
        return self.vector_sum / norm if norm else self.vector_sum

    def absorb(
        self, vector: np.ndarray, weighted: dict[int, float], feats: ArticleFeatures
    ) -> None:
        """Add one article's unit embedding, unit term vector, entities and date."""
        self.vector_sum = self.vector_sum + vector
        self.size += 1
        add_terms(self.terms, weighted)
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
        """Take a cluster out of retrieval (its row is zeroed, its size set to 0)."""
        self.matrix[self.position[cluster.id]] = 0.0
        cluster.size = 0

    def get(self, cluster_id: str) -> Cluster | None:
        """The cluster with this id, if it is in the index."""
        at = self.position.get(cluster_id)
        return None if at is None else self.clusters[at]

    def live(self) -> list[Cluster]:
        """Clusters still in retrieval (not merged away)."""
        return [c for c in self.clusters if c.size > 0]

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
class Run:
    """One batch's working state: indexes, IDF, memberships and the changes to write."""

    settings: Settings
    events: ClusterIndex
    stories: ClusterIndex
    df: np.ndarray
    doc_count: int
    idf: np.ndarray = field(default_factory=lambda: np.ones(1, dtype=np.float32))
    memberships: dict[int, str] = field(default_factory=dict)
    merges: list[tuple[str, str, str]] = field(default_factory=list)
    """(gone, kept, why) of events merged in this batch."""
    splits: list[tuple[str, str, list[int]]] = field(default_factory=list)
    postings: dict[int, set[str]] = field(default_factory=dict)
    batch: dict[int, Member] = field(default_factory=dict)
    moves: dict[int, str] = field(default_factory=dict)
    known: dict[int, Packed] = field(default_factory=dict)
    """Members of earlier batches kept in memory, packed into arrays."""
    opened: set[str] = field(default_factory=set)
    moved: dict[tuple[str, str], list[int]] = field(default_factory=dict)


def add_terms(total: dict[int, float], terms: dict[int, float]) -> None:
    """Add term weights into `total`, keeping only the heaviest TOP_TERMS now and then."""
    for t, w in terms.items():
        total[t] = total.get(t, 0.0) + w
    if len(total) > TOP_TERMS * 2:
        keep = sorted(total.items(), key=lambda kv: -kv[1])[:TOP_TERMS]
        total.clear()
        total.update(keep)


def score_article(vector: np.ndarray, weighted: dict[int, float], cluster: Cluster) -> float:
    """Average-link similarity of an article to an event: TF-IDF and embedding combined."""
    if cluster.size == 0:
        return 0.0
    lexical = dot_terms(weighted, cluster.terms) / cluster.size
    embedded = float(vector @ cluster.vector_sum) / cluster.size
    return (1 - EMBEDDING_SHARE) * lexical + EMBEDDING_SHARE * embedded


def score_clusters(a: Cluster, b: Cluster) -> float:
    """Average-link similarity of two events (mean over all pairs of their members)."""
    if a.size == 0 or b.size == 0:
        return 0.0
    pairs = a.size * b.size
    lexical = dot_terms(a.terms, b.terms) / pairs
    embedded = float(a.vector_sum @ b.vector_sum) / pairs
    return (1 - EMBEDDING_SHARE) * lexical + EMBEDDING_SHARE * embedded


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


def spans_meet(a: Cluster, b: Cluster, days: int) -> bool:
    """True when two clusters' date spans come within `days` of each other."""
    return is_within(b.first_date, a, days) or is_within(b.last_date, a, days)


def post_cluster(run: Run, cluster: Cluster) -> None:
    """Index a cluster under its heaviest key-ish terms (rare terms carry the most IDF)."""
    top = sorted(cluster.terms.items(), key=lambda kv: -kv[1])[:8]
    for term, _ in top:
        run.postings.setdefault(term, set()).add(cluster.id)


def candidates(run: Run, vector: np.ndarray, weighted: dict[int, float]) -> list[Cluster]:
    """Events near an article: top-k by embedding plus events sharing its heaviest terms."""
    found = {c.id: c for c, _ in run.events.nearest(vector, CANDIDATES)}
    for term, _ in sorted(weighted.items(), key=lambda kv: -kv[1])[:8]:
        for event_id in list(run.postings.get(term, ()))[-CANDIDATES:]:
            cluster = run.events.get(event_id)
            if cluster is not None and cluster.size > 0:
                found.setdefault(event_id, cluster)
    return list(found.values())


def age_of(event_id: str) -> tuple[int, str]:
    """Sort key of an event id by age: the number of the article that opened it."""
    digits = "".join(ch for ch in event_id.split(".")[0] if ch.isdigit())
    return (int(digits) if digits else 0, event_id)


def entity_overlap(entities: Sequence[str], cluster: Cluster) -> float | None:
    """Share of the given entities among a cluster's frequent ones (None: nothing to use)."""
    if not entities or not cluster.entities:
        return None
    floor = max(1, cluster.size // 5)
    common = {k for k, n in cluster.entities.items() if n >= floor}
    if not common:
        return None
    return len(set(entities) & common) / min(len(entities), len(common))


def top_entities(entities: Counter[str]) -> list[str]:
    """The most frequent entity keys (at most TOP_ENTITIES)."""
    return [k for k, _ in entities.most_common(TOP_ENTITIES)]

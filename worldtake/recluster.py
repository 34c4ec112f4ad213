"""Re-clustering recent events after each batch: merge close events, split mixed ones.

Assigning articles one at a time depends on their order: an early article can open a second
event for a happening that already has one, and an event can catch reports of a similar but
different happening. After each batch, each event the batch touched is looked at again with
its neighbours (the nearest recent events on the same subject): when one of them is close,
or it has grown by half since it was last looked at, the members of the whole neighbourhood
are grouped again by average-link clustering on direct similarity mixed with shared nearest
neighbours (cut at `merge_threshold`; members dated more than `event_window_days` apart never
group). Ids stay stable: each new group takes the id of the old event that gave it the most
members (the larger, then older, event wins a tie), a group with no id left takes
`e<its first article id>` and is logged as split from the event most of it came from, an old
event left with no group is logged as merged into the group most of it went to, and single
articles moving between events are logged as moves.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sqlalchemy import Connection

from worldtake.eventindex import (
    EMBEDDING_SHARE,
    Cluster,
    Member,
    Run,
    add_terms,
    age_of,
    post_cluster,
    score_clusters,
    spans_meet,
    widen_span,
)
from worldtake.eventtext import count_terms, day_gap, weigh_terms
from worldtake.store import events as queries

NEIGHBOURS = 8
NEAR = 0.15
"""Average-link similarity from which a neighbouring event joins a neighbourhood (a topic)."""
CLOSE = 0.28
"""A neighbour at least this close makes a neighbourhood worth regrouping."""
SHARED = 5
"""How many nearest members each member lists, for the shared-neighbour similarity."""
SHARED_SHARE = 0.5
"""Weight of the shared-neighbour similarity in regrouping; the rest is the direct one."""
NEIGHBOUR_FLOOR = 0.3
"""Direct similarity a member needs to count as a neighbour at all."""
HOOD_MAX = 600
SPLIT_SIZE = 6
"""An event alone is looked at again only from this size on (two groups of three)."""
GROWTH = 1.5


def consolidate_events(conn: Connection, run: Run) -> None:
    """Regroup the neighbourhood of every touched event that has a close neighbour or grew."""
    done: set[str] = set()
    touched = sorted((e for e in run.events.live() if e.dirty), key=lambda e: -e.size)
    for event in touched:
        if event.id in done or event.size == 0:
            continue
        hood, closest = neighbourhood(run, event)
        if closest < CLOSE and not (event.size >= SPLIT_SIZE and has_grown(event)):
            continue
        done |= {c.id for c in hood}
        regroup(conn, run, hood)


def neighbourhood(run: Run, event: Cluster) -> tuple[list[Cluster], float]:
    """The event and its recent neighbours on the same subject (a topic), within the cap, and
    the similarity of the closest of them (0 when it has none)."""
    window = run.settings.event_window_days
    hood, total, closest = [event], event.size, 0.0
    for other, _ in run.events.nearest(event.centroid(), NEIGHBOURS + 1):
        if other is event or other.size == 0 or not spans_meet(event, other, window):
            continue
        score = score_clusters(event, other)
        if total + other.size <= HOOD_MAX and score >= NEAR:
            hood.append(other)
            total += other.size
            closest = max(closest, score)
    return hood, closest


def has_grown(event: Cluster) -> bool:
    """True when an event has at least two members and grew by half since it was loaded."""
    if event.size < 2:
        return False
    before = max(1, event.loaded_size)
    return math.floor(math.log(event.size, GROWTH)) > math.floor(math.log(before, GROWTH))


def regroup(conn: Connection, run: Run, hood: list[Cluster]) -> None:
    """Group the members of a neighbourhood again and give the groups stable ids."""
    members, was = load_members(conn, run, hood)
    if len(members) < 2:
        return
    labels = group_members(members, run.settings.merge_threshold, run.settings.event_window_days)
    groups: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        groups.setdefault(int(label), []).append(index)
    named = name_groups(
        conn, run, [[was[members[i].article_id] for i in g] for g in groups.values()], hood
    )
    by_id = {c.id: c for c in hood}
    for new_id, indexes in zip(named, groups.values(), strict=True):
        group = [members[i] for i in indexes]
        cluster = by_id.get(new_id) or run.events.get(new_id)
        if cluster is None:
            source = Counter(was[m.article_id] for m in group).most_common(1)[0][0]
            cluster = Cluster(new_id, np.zeros_like(hood[0].vector_sum))
            cluster.story_id = by_id[source].story_id
            cluster.entities.update(by_id[source].entities)
            cluster.title = min(group, key=lambda m: m.article_id).title
            run.events.add(cluster)
            ids = sorted(m.article_id for m in group)
            run.splits.append((source, new_id, ids))
        rebuild(cluster, group)
        run.events.refresh(cluster)
        post_cluster(run, cluster)
        for m in group:
            if was[m.article_id] != new_id:
                _move(run, m.article_id, was[m.article_id], new_id)
    id_of = dict(zip(groups, named, strict=True))
    _retire_empty(run, hood, [id_of[int(label)] for label in labels], members, was)


def name_groups(
    conn: Connection, run: Run, origins: list[list[str]], hood: list[Cluster]
) -> list[str]:
    """An id for each group: the old event that gave it most members, else a fresh one."""
    rank = {c.id: (-c.size, age_of(c.id)) for c in hood}
    pairs = sorted(
        (
            (n, rank[old], old, g)
            for g, ids in enumerate(origins)
            for old, n in Counter(ids).items()
        ),
        key=lambda p: (-p[0], p[1]),
    )
    names: dict[int, str] = {}
    used: set[str] = set()
    for _, _, old, g in pairs:
        if g not in names and old not in used:
            names[g] = old
            used.add(old)
    for g, ids in enumerate(origins):
        if g not in names:
            names[g] = free_id(conn, run, f"e{min(_number(i) for i in ids)}")
    return [names[g] for g in range(len(origins))]


def _number(event_id: str) -> int:
    return age_of(event_id)[0]


def _move(run: Run, article_id: int, old: str, new: str) -> None:
    if article_id in run.memberships:
        run.memberships[article_id] = new
    else:
        run.moves[article_id] = new
    if not any(new == child and article_id in ids for _, child, ids in run.splits):
        run.moved.setdefault((old, new), []).append(article_id)


def _retire_empty(
    run: Run, hood: list[Cluster], now: list[str], members: list[Member], was: dict[int, str]
) -> None:
    """Old events left with no group are merged into the group most of their members joined."""
    for cluster in hood:
        if cluster.id in now:
            continue
        went = Counter(
            new for m, new in zip(members, now, strict=True) if was[m.article_id] == cluster.id
        )
        target = went.most_common(1)[0][0] if went else now[0]
        run.events.remove(cluster)
        cluster.dirty = True
        run.merges.append((cluster.id, target, "regrouped with its neighbours"))
        for pair in [p for p in run.moved if p == (cluster.id, target)]:
            del run.moved[pair]


def group_members(members: Sequence[Member], threshold: float, window: int) -> np.ndarray:
    """Average-link groups of members (labels from 1), cut at similarity `threshold`.

    The similarity mixes the direct one with shared neighbours: two reports of one happening
    list mostly the same nearest reports, while two happenings of one kind (two arrests for
    drunk driving in one team) are close directly but each has its own nearest reports. The
    shared count adapts to how close a subject's reports are, which no single cut does.
    """
    direct = similarity_matrix(members)
    similarity = SHARED_SHARE * shared_neighbours(direct) + (1 - SHARED_SHARE) * direct
    distance = 1.0 - similarity
    days = [m.date for m in members]
    for i, a in enumerate(days):
        for j in range(i + 1, len(days)):
            b = days[j]
            if a and b and abs(day_gap(a, b)) > window:
                distance[i, j] = distance[j, i] = 2.0
    np.fill_diagonal(distance, 0.0)
    distance = np.clip((distance + distance.T) / 2, 0.0, 2.0)
    tree = linkage(squareform(distance, checks=False), method="average")
    return np.asarray(fcluster(tree, t=1.0 - threshold, criterion="distance"))


def shared_neighbours(similarity: np.ndarray, k: int = SHARED) -> np.ndarray:
    """Jaccard overlap of members' nearest-neighbour lists (each list holds the member itself).

    Each member lists its `k` most similar members with at least NEIGHBOUR_FLOOR; the overlap
    is divided as if every list were full, so a small neighbourhood does not make any two
    members look alike.
    """
    count = len(similarity)
    others = similarity.copy()
    np.fill_diagonal(others, -np.inf)
    listed = np.eye(count, dtype=np.float32)
    if count > 1:
        nearest = np.argsort(-others, axis=1)[:, : min(k, count - 1)]
        rows = np.repeat(np.arange(count), nearest.shape[1])
        cols = nearest.ravel()
        keep = others[rows, cols] >= NEIGHBOUR_FLOOR
        listed[rows[keep], cols[keep]] = 1.0
    common = listed @ listed.T
    return np.asarray(common / (2 * (k + 1) - common))


def similarity_matrix(members: Sequence[Member]) -> np.ndarray:
    """Pairwise similarity of members: key-weighted TF-IDF and embedding, as in assignment."""
    vocabulary: dict[int, int] = {}
    for m in members:
        for t in m.weighted:
            vocabulary.setdefault(t, len(vocabulary))
    terms = np.zeros((len(members), max(1, len(vocabulary))), dtype=np.float32)
    for row, m in enumerate(members):
        for t, w in m.weighted.items():
            terms[row, vocabulary[t]] = w
    vectors = np.stack([m.vector.astype(np.float32) for m in members])
    return (1 - EMBEDDING_SHARE) * (terms @ terms.T) + EMBEDDING_SHARE * (vectors @ vectors.T)


def load_members(
    conn: Connection, run: Run, hood: list[Cluster]
) -> tuple[list[Member], dict[int, str]]:
    """The articles now in the given events (this batch's from memory), and their event."""
    ids = {c.id for c in hood}
    merged_in = [gone for gone, keep, _ in run.merges if keep in ids]
    was: dict[int, str] = {}
    for article_id, event_id in queries.member_events(conn, [*ids, *merged_in]).items():
        was[article_id] = event_id if event_id in ids else _merged_target(run, event_id)
    current = {**run.moves, **run.memberships}
    for article_id, event_id in current.items():
        if event_id in ids:
            was[article_id] = event_id
        else:
            was.pop(article_id, None)
    fresh = {a: run.batch[a] for a in was if a in run.batch}
    fresh.update({a: run.known[a].unpack(a) for a in was if a in run.known and a not in fresh})
    older = queries.member_features(conn, [a for a in was if a not in fresh])
    members = []
    for article_id in sorted(was):
        if article_id in fresh:
            members.append(fresh[article_id])
        elif article_id in older:
            title, text, vector, day, entities = older[article_id]
            weighted = weigh_terms(count_terms(f"{title}\n{text}", entities), run.idf)
            members.append(Member(article_id, vector, weighted, day, title))
    return members, {m.article_id: was[m.article_id] for m in members}


def _merged_target(run: Run, event_id: str) -> str:
    for gone, keep, _ in run.merges:
        if gone == event_id:
            return _merged_target(run, keep)
    return event_id


def rebuild(cluster: Cluster, members: list[Member]) -> None:
    """Recompute a cluster's sums and span from its members."""
    cluster.vector_sum = np.sum([m.vector.astype(np.float32) for m in members], axis=0)
    cluster.size = len(members)
    cluster.loaded_size = len(members)
    cluster.terms = {}
    cluster.first_date = cluster.last_date = None
    for m in members:
        add_terms(cluster.terms, m.weighted)
        cluster.first_date, cluster.last_date = widen_span(
            cluster.first_date, cluster.last_date, m.date
        )
    cluster.dirty = True


def free_id(conn: Connection, run: Run, wanted: str) -> str:
    """`wanted`, or `wanted.2`, `wanted.3`… when an event (even a merged one) already has it."""
    taken = queries.existing_event_ids(conn, wanted)
    taken |= {c.id for c in run.events.clusters if c.id.split(".")[0] == wanted}
    candidate, n = wanted, 1
    while candidate in taken:
        n += 1
        candidate = f"{wanted}.{n}"
    return candidate

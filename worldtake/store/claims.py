"""Queries for statements and pledges: save article claims, rebuild pledge histories, read them.

`pledge_claims` holds what each article says (one row per country x kind it states); `pledges`
is rebuilt from it, per story and (country, kind): claims in date order, and each run of the
same polarity is one pledge with the evidence of every article in the run. A changed position
starts a new pledge, so a country's history stays readable.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, or_, select, tuple_

from worldtake.claims.records import PledgeClaim, StanceClaim, Statement
from worldtake.store import schema


@dataclass(frozen=True)
class PledgeCell:
    """A country's latest position on one kind, as of a date: one cell of the matrix."""

    pledge_id: int
    country: str
    kind: str
    polarity: str
    date: str | None
    condition: str | None
    amount: str | None
    evidence: int


def save_statements(
    conn: Connection, article_id: int, statements: Sequence[Statement], date: str | None
) -> None:
    """Replace the statements of one article."""
    t = schema.statements
    conn.execute(delete(t).where(t.c.article_id == article_id))
    if statements:
        conn.execute(
            insert(t),
            [
                {
                    "article_id": article_id,
                    "speaker": s.speaker,
                    "speaker_kind": s.speaker_kind,
                    "speaker_country": s.speaker_country,
                    "verb": s.verb,
                    "content": s.content,
                    "is_direct": s.is_direct,
                    "date": s.date or date,
                    "start": s.start,
                    "end": s.end,
                }
                for s in statements
            ],
        )


def save_pledge_claims(
    conn: Connection,
    article_id: int,
    claims: Sequence[PledgeClaim],
    field: str = "text",
    backend: str = "rules",
) -> set[tuple[str, str]]:
    """Replace one article's pledge claims; return the (country, kind) pairs touched."""
    t = schema.pledge_claims
    old = conn.execute(select(t.c.country, t.c.kind).where(t.c.article_id == article_id))
    touched = {(row.country, row.kind) for row in old}
    conn.execute(delete(t).where(t.c.article_id == article_id))
    if claims:
        conn.execute(
            insert(t),
            [
                {
                    "article_id": article_id,
                    "country": c.country,
                    "kind": c.kind,
                    "polarity": c.polarity,
                    "condition": c.condition,
                    "amount": c.amount,
                    "beneficiary": c.beneficiary,
                    "quote": c.quote,
                    "start": c.start,
                    "end": c.end,
                    "field": field,
                    "backend": backend,
                    "date": c.date,
                }
                for c in claims
            ],
        )
    return touched | {(c.country, c.kind) for c in claims}


def save_stances(
    conn: Connection, article_id: int, stances: Sequence[StanceClaim], field: str = "text"
) -> None:
    """Replace one article's stances on deploying foreign troops."""
    t = schema.stances
    conn.execute(delete(t).where(t.c.article_id == article_id))
    if stances:
        conn.execute(
            insert(t),
            [
                {
                    "article_id": article_id,
                    "country": s.country,
                    "stance": s.stance,
                    "speaker": s.speaker,
                    "quote": s.quote,
                    "start": s.start,
                    "end": s.end,
                    "date": s.date,
                    "field": field,
                }
                for s in stances
            ],
        )


def stance_rows(
    conn: Connection, story: str | None = None, as_of: str | None = None
) -> list[dict[str, Any]]:
    """Each country's stances in date order (up to `as_of`), with article, outlet and quote."""
    t, a, s = schema.stances, schema.articles, schema.sources
    query = (
        select(
            t.c.country,
            t.c.stance,
            t.c.date,
            t.c.article_id,
            a.c.origin,
            s.c.name.label("source"),
            t.c.quote,
        )
        .join(a, a.c.id == t.c.article_id)
        .outerjoin(s, s.c.id == a.c.source_id)
    )
    if story is not None:
        query = query.where(a.c.story_id == story)
    if as_of is not None:
        query = query.where(or_(t.c.date.is_(None), t.c.date <= as_of[:10]))
    rows = conn.execute(query.order_by(t.c.country, t.c.date, t.c.id))
    return [dict(r._mapping) for r in rows]


def pairs_of_articles(conn: Connection, article_ids: Sequence[int]) -> set[tuple[str, str]]:
    """The (country, kind) pairs the claims of these articles speak of."""
    t = schema.pledge_claims
    pairs: set[tuple[str, str]] = set()
    for start in range(0, len(article_ids), 500):
        chunk = list(article_ids[start : start + 500])
        rows = conn.execute(select(t.c.country, t.c.kind).where(t.c.article_id.in_(chunk)))
        pairs.update((row.country, row.kind) for row in rows)
        p, e = schema.pledges, schema.pledge_evidence
        held = conn.execute(
            select(p.c.country, p.c.kind)
            .join(e, e.c.pledge_id == p.c.id)
            .where(e.c.article_id.in_(chunk))
        )
        pairs.update((row.country, row.kind) for row in held)
    return pairs


def rebuild_pledges(conn: Connection, pairs: Iterable[tuple[str, str]] | None = None) -> int:
    """Rebuild `pledges` and their evidence for (country, kind) `pairs` (all when None)."""
    p, e, c, a = schema.pledges, schema.pledge_evidence, schema.pledge_claims, schema.articles
    wanted = None if pairs is None else sorted(set(pairs))
    if wanted == []:
        return 0
    old = select(p.c.id)
    if wanted is not None:
        old = old.where(tuple_(p.c.country, p.c.kind).in_(wanted))
    old_ids = list(conn.execute(old).scalars())
    for start in range(0, len(old_ids), 500):
        chunk = old_ids[start : start + 500]
        conn.execute(delete(e).where(e.c.pledge_id.in_(chunk)))
        conn.execute(delete(p).where(p.c.id.in_(chunk)))
    query = select(c, a.c.story_id, a.c.published).join(a, a.c.id == c.c.article_id)
    if wanted is not None:
        query = query.where(tuple_(c.c.country, c.c.kind).in_(wanted))
    rows = list(conn.execute(query))
    rows.sort(key=lambda r: (r.story_id or "", r.country, r.kind, _claim_day(r), r.id))
    made = 0
    current: tuple[Any, ...] | None = None
    pledge_id = 0
    for row in rows:
        run = (row.story_id, row.country, row.kind, row.beneficiary)
        if current is None or current[:4] != run or current[4] != row.polarity:
            pledge_id = _insert_pledge(conn, row)
            current = (*run, row.polarity)
            made += 1
        conn.execute(
            insert(e).values(
                pledge_id=pledge_id,
                article_id=row.article_id,
                quote=row.quote,
                start=row.start,
                end=row.end,
            )
        )
        _fill_pledge(conn, pledge_id, row)
    return made


def pledge_cells(
    conn: Connection, story: str | None = None, as_of: str | None = None
) -> list[PledgeCell]:
    """The latest position of every (country, kind) on `as_of` (all dates when None)."""
    p = schema.pledges
    query = select(p)
    if story is not None:
        query = query.where(p.c.story_id == story)
    if as_of is not None:
        query = query.where(or_(p.c.date.is_(None), p.c.date <= as_of[:10]))
    latest: dict[tuple[str, str], Any] = {}
    for row in conn.execute(query.order_by(p.c.date, p.c.id)):
        latest[(row.country, row.kind)] = row
    counts = _evidence_counts(conn, [r.id for r in latest.values()])
    return [
        PledgeCell(
            r.id, r.country, r.kind, r.polarity, r.date, r.condition, r.amount, counts.get(r.id, 0)
        )
        for (country, kind), r in sorted(latest.items())
    ]


def pledge_history(
    conn: Connection,
    country: str,
    kind: str | None = None,
    story: str | None = None,
    as_of: str | None = None,
) -> list[dict[str, Any]]:
    """Every position of `country` (on `kind`) in date order, each with its evidence quotes."""
    p, e, a, s = schema.pledges, schema.pledge_evidence, schema.articles, schema.sources
    query = select(p).where(p.c.country == country)
    if kind is not None:
        query = query.where(p.c.kind == kind)
    if story is not None:
        query = query.where(p.c.story_id == story)
    if as_of is not None:
        query = query.where(or_(p.c.date.is_(None), p.c.date <= as_of[:10]))
    history = []
    for row in list(conn.execute(query.order_by(p.c.kind, p.c.date, p.c.id))):
        evidence = conn.execute(
            select(e.c.article_id, a.c.origin, s.c.name.label("source"), a.c.published, e.c.quote)
            .join(a, a.c.id == e.c.article_id)
            .outerjoin(s, s.c.id == a.c.source_id)
            .where(e.c.pledge_id == row.id)
            .order_by(a.c.published, e.c.id)
        )
        history.append({**dict(row._mapping), "evidence": [dict(r._mapping) for r in evidence]})
    return history


def _insert_pledge(conn: Connection, row: Any) -> int:
    result = conn.execute(
        insert(schema.pledges).values(
            story_id=row.story_id,
            country=row.country,
            kind=row.kind,
            polarity=row.polarity,
            condition=row.condition,
            amount=row.amount,
            date=_claim_day(row) or None,
            beneficiary=row.beneficiary,
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _fill_pledge(conn: Connection, pledge_id: int, row: Any) -> None:
    """Take the condition and amount from later evidence when the first had none."""
    p = schema.pledges
    for column in ("condition", "amount"):
        value = getattr(row, column)
        if value:
            conn.execute(
                p.update()
                .where(and_(p.c.id == pledge_id, p.c[column].is_(None)))
                .values({column: value})
            )


def _evidence_counts(conn: Connection, ids: list[int]) -> dict[int, int]:
    e = schema.pledge_evidence
    counts: dict[int, int] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for row in conn.execute(
            select(e.c.pledge_id, e.c.article_id).where(e.c.pledge_id.in_(chunk))
        ):
            counts[row.pledge_id] = counts.get(row.pledge_id, 0) + 1
    return counts


def _claim_day(row: Any) -> str:
    """A claim's own day (the happening its sentence names), else its article's."""
    return (row.date or row.published or "")[:10]

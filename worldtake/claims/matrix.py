"""The pledge matrix (countries x kinds, latest position as of a date) and a cell's evidence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from worldtake.claims.lexicon import COALITION, KINDS
from worldtake.errors import WorldtakeError
from worldtake.store import Store
from worldtake.store import claims as claims_store
from worldtake.store.claims import PledgeCell


@dataclass(frozen=True)
class PledgeMatrix:
    """Rows of countries (the coalition last), columns of kinds, and the cells that are filled."""

    countries: tuple[str, ...]
    kinds: tuple[str, ...]
    cells: dict[tuple[str, str], PledgeCell]


def pledge_matrix(store: Store, story: str | None = None, as_of: str | None = None) -> PledgeMatrix:
    """Every country's latest position on every kind as of `as_of` (ISO date), for one story."""
    _check_date(as_of)
    with store.reading() as conn:
        cells = claims_store.pledge_cells(conn, story, as_of)
    found = {c.country for c in cells}
    countries = sorted(found - {COALITION}) + ([COALITION] if COALITION in found else [])
    kinds = tuple(k for k in KINDS if any(c.kind == k for c in cells))
    return PledgeMatrix(tuple(countries), kinds, {(c.country, c.kind): c for c in cells})


def pledge_evidence(
    store: Store,
    country: str,
    kind: str | None = None,
    story: str | None = None,
    as_of: str | None = None,
) -> list[dict[str, Any]]:
    """A country's positions (on one kind) in date order, each with its quotes and outlets."""
    _check_date(as_of)
    if kind is not None and kind not in KINDS:
        raise WorldtakeError(f"unknown kind {kind!r}; choose one of {', '.join(KINDS)}")
    with store.reading() as conn:
        return claims_store.pledge_history(conn, country.upper(), kind, story, as_of)


@dataclass(frozen=True)
class CountryStance:
    """A country's latest stance on deploying foreign troops, as of a date, with its evidence."""

    country: str
    stance: str
    since: str | None
    evidence: tuple[dict[str, Any], ...]
    history: tuple[str, ...]


def stance_table(
    store: Store, story: str | None = None, as_of: str | None = None
) -> list[CountryStance]:
    """Every country's latest stance (`supports` / `opposes`) as of `as_of`, opposers first."""
    _check_date(as_of)
    with store.reading() as conn:
        rows = claims_store.stance_rows(conn, story, as_of)
    by_country: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_country.setdefault(row["country"], []).append(row)
    table = []
    for country, found in by_country.items():
        latest = found[-1]["stance"]
        run = [r for r in found if r["stance"] == latest]
        changes = [
            r["stance"]
            for i, r in enumerate(found)
            if i == 0 or found[i - 1]["stance"] != r["stance"]
        ]
        table.append(CountryStance(country, latest, run[0]["date"], tuple(run), tuple(changes)))
    return sorted(table, key=lambda c: (c.stance != "opposes", c.country))


def stance_records(table: list[CountryStance]) -> list[dict[str, Any]]:
    """The stance table as export rows: country, stance, since, history, evidence."""
    return [
        {
            "country": c.country,
            "stance": c.stance,
            "since": c.since,
            "history": list(c.history),
            "evidence": [
                {k: e[k] for k in ("article_id", "origin", "source", "date", "quote")}
                for e in c.evidence
            ],
        }
        for c in table
    ]


def _check_date(as_of: str | None) -> None:
    if as_of is None:
        return
    parts = as_of[:10].split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise WorldtakeError(f"--as-of wants an ISO date (YYYY-MM-DD), got {as_of!r}")

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


def _check_date(as_of: str | None) -> None:
    if as_of is None:
        return
    parts = as_of[:10].split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise WorldtakeError(f"--as-of wants an ISO date (YYYY-MM-DD), got {as_of!r}")

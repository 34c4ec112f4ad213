"""The claims stages of `process`: statements and pledge claims per article, then pledges."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from worldtake.claims.lexicon import LANGUAGES
from worldtake.claims.model import ModelAnswer, ask_model
from worldtake.claims.pledges import extract_pledges
from worldtake.claims.records import PledgeClaim, StanceClaim, Statement
from worldtake.claims.stances import extract_stances
from worldtake.claims.statements import extract_statements
from worldtake.enrich.entities import find_mentions
from worldtake.errors import Rejected
from worldtake.models import Article
from worldtake.settings import Settings
from worldtake.store import claims as claims_store
from worldtake.store import enrichment

if TYPE_CHECKING:
    from worldtake.pipeline import StageContext


@dataclass(frozen=True)
class ArticleClaims:
    """What one article states: statements, pledge claims and stances, and the text read."""

    statements: tuple[Statement, ...]
    pledges: tuple[PledgeClaim, ...]
    field: str
    backend: str
    refused: tuple[str, ...] = ()
    stances: tuple[StanceClaim, ...] = ()


@dataclass(frozen=True)
class ReadableText:
    """The text claims are read in, which field it is, and where the body starts in it."""

    text: str
    field: str
    languages: tuple[str, ...] | None
    body_offset: int


def read_article_claims(
    article: Article, settings: Settings, event_dates: Sequence[dict[str, Any]] = ()
) -> ArticleClaims:
    """Statements, pledges and stances of one article, in its own language or in English.

    Each is dated by the day its sentence names (`event_dates`, spans in the article text)
    when that day is not after publication, else by the (possibly inferred) publication date.
    """
    readable = readable_text(article)
    text, languages = readable.text, readable.languages
    published = (article.published or "")[:10] or None
    days = _days_in_text(readable, event_dates)
    mentions = find_mentions(text, on_date=published)
    statements = tuple(
        replace(s, date=_date_of(s.start, s.end, days, published))
        for s in extract_statements(text, mentions, languages)
    )
    stances = tuple(
        replace(s, date=_date_of(s.start, s.end, days, published))
        for s in extract_stances(text, mentions, statements, languages)
    )
    if settings.claims_backend == "model":
        answer = _ask_model(text, settings)
        claims, backend, refused = answer.claims, "model", answer.refused
    else:
        claims = tuple(extract_pledges(text, mentions, languages, published))
        backend, refused = "rules", ()
    dated = tuple(replace(c, date=_date_of(c.start, c.end, days, published)) for c in claims)
    return ArticleClaims(statements, dated, readable.field, backend, refused, stances)


def record_claims(context: StageContext, conn: Connection, article: Article) -> None:
    """Stage: replace one article's statements, stances and pledge claims (model refusals are
    recorded)."""
    days = enrichment.event_dates_of(conn, [article.id]).get(article.id, [])
    found = read_article_claims(article, context.settings, days)
    date = (article.published or "")[:10] or None
    claims_store.save_statements(conn, article.id, found.statements, date)
    claims_store.save_stances(conn, article.id, found.stances, found.field)
    claims_store.save_pledge_claims(conn, article.id, found.pledges, found.field, found.backend)
    if found.refused:
        raise Rejected("model pledges refused: " + "; ".join(found.refused))


def rebuild_pledges(context: StageContext, conn: Connection, articles: list[Article]) -> None:
    """Stage: rebuild the pledge histories of every (country, kind) these articles speak of."""
    pairs = claims_store.pairs_of_articles(conn, [a.id for a in articles])
    claims_store.rebuild_pledges(conn, pairs)


def readable_text(article: Article) -> ReadableText:
    """The original title and text when our lexicon has the language, else the English
    translation (title_en, text_en); a title that opens the text is not read twice."""
    language = (article.language or "").split("-")[0].lower() or None
    covered = language in LANGUAGES or language is None
    if covered or not (article.text_en or article.title_en):
        languages = (language,) if language in LANGUAGES else None
        return _joined(article.title, article.text, "text", languages)
    return _joined(article.title_en or "", article.text_en or "", "text_en", ("en",))


def _joined(title: str, body: str, field: str, languages: tuple[str, ...] | None) -> ReadableText:
    if not title or body.startswith(title.strip()):
        return ReadableText(body or title, field, languages, 0)
    if not body:
        return ReadableText(title, field, languages, len(title) + 1)
    return ReadableText(f"{title}\n{body}", field, languages, len(title) + 1)


def _days_in_text(
    readable: ReadableText, event_dates: Sequence[dict[str, Any]]
) -> list[tuple[int, int, str]]:
    """Event dates as spans of the text read (they are found in the original body only)."""
    if readable.field != "text":
        return []
    shift = readable.body_offset
    return [(d["start"] + shift, d["end"] + shift, str(d["date"])[:10]) for d in event_dates]


def _date_of(
    start: int, end: int, days: list[tuple[int, int, str]], published: str | None
) -> str | None:
    """The day the sentence names, when not after publication; else the publication day."""
    for day_start, day_end, day in days:
        if start <= day_start and day_end <= end and (published is None or day <= published):
            return day
    return published


def _ask_model(text: str, settings: Settings) -> ModelAnswer:
    if not settings.claims_model_url:
        raise Rejected("claims_backend is `model` but claims_model_url is not set")
    return ask_model(
        text,
        settings.claims_model_url,
        settings.claims_model,
        settings.claims_model_key,
        settings.claims_model_timeout,
    )

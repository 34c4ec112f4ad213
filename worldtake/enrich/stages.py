"""The enrichment stages of `process`: language, dates, entities, translation; all idempotent."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from worldtake.enrich.dates import find_event_dates, infer_publication_dates
from worldtake.enrich.entities import Mention, countries_of, find_mentions
from worldtake.enrich.language import detect_language
from worldtake.enrich.translate import Translation, Translator, open_translator, translate_texts
from worldtake.errors import Rejected
from worldtake.models import Article, Rejection
from worldtake.settings import Settings
from worldtake.store import enrichment

if TYPE_CHECKING:
    from worldtake.pipeline import StageContext

KNOWN_PRECISIONS = ("exact", "day", "month")
CONFIDENT = 0.9


def tag_language(context: StageContext, conn: Connection, article: Article) -> None:
    """Store the article's language, the confidence in it and other languages present."""
    guess = detect_language(article.title, article.text, context.settings.languages)
    language, confidence = guess.language, guess.confidence
    if article.language and article.language != language and confidence < CONFIDENT:
        language, confidence = article.language, 1.0  # the source's word beats a weak guess
    enrichment.update_article(
        conn,
        article.id,
        language=language,
        language_confidence=confidence,
        language_also=list(guess.also),
    )


def date_articles(context: StageContext, conn: Connection, articles: list[Article]) -> None:
    """Infer dates of undated items from their text and file order; store the days they name."""
    inferred: dict[int, tuple[str, str]] = {}
    for raw_item_id in sorted({a.raw_item_id for a in articles if a.raw_item_id is not None}):
        if any(a.raw_item_id == raw_item_id and not _is_dated(a) for a in articles):
            inferred.update(_infer_raw_item(conn, raw_item_id))
    limit = context.settings.enrich_max_chars
    for article in articles:
        reference = _reference_date(article, inferred)
        if article.id in inferred and not _is_dated(article):
            day, evidence = inferred[article.id]
            enrichment.update_article(
                conn,
                article.id,
                published=day,
                published_precision="inferred",
                published_evidence=evidence,
            )
        rows = [
            {"date": d.date, "precision": "day", "phrase": d.phrase, "start": d.start, "end": d.end}
            for d in find_event_dates(article.text[:limit], reference)
        ]
        enrichment.replace_event_dates(conn, article.id, rows)


def find_entities(context: StageContext, conn: Connection, article: Article) -> None:
    """Store the article's entity mentions and its countries."""
    limit = context.settings.enrich_max_chars
    on_date = article.published[:10] if article.published else None
    mentions = find_mentions(article.text[:limit], on_date)
    rows = [_mention_row(m, "text") for m in mentions]
    if article.title and not article.text.startswith(article.title):
        title_mentions = find_mentions(article.title, on_date)
        rows += [_mention_row(m, "title") for m in title_mentions]
        mentions += title_mentions
    enrichment.replace_mentions(conn, article.id, rows)
    enrichment.update_article(conn, article.id, countries=countries_of(mentions))
    if len(article.text) > limit:
        raise Rejected(
            f"only the first {limit} of {len(article.text)} characters read for entities"
        )


def translate_articles(context: StageContext, conn: Connection, articles: list[Article]) -> None:
    """Put English titles (and texts, when `translate_text` is on) beside the originals."""
    translator = _translator(context.settings)
    by_language: dict[str, list[Article]] = {}
    for article in articles:
        language = article.language
        if not language or language == "en":
            enrichment.update_article(conn, article.id, translator=None, translation_note=None)
        elif not translator.can_translate(language, "en"):
            note = f"untranslated: {translator.name} has no route from {language} to en"
            enrichment.update_article(conn, article.id, translator="none", translation_note=note)
        else:
            by_language.setdefault(language, []).append(article)
    for language, group in sorted(by_language.items()):
        titles = translate_texts(conn, translator, [a.title for a in group], language)
        texts = [Translation(None, translator.name)] * len(group)
        if context.settings.translate_text:
            texts = translate_texts(conn, translator, [a.text for a in group], language)
        for article, title, text in zip(group, titles, texts, strict=True):
            _store_translation(context, conn, article, title, text)


def _store_translation(
    context: StageContext, conn: Connection, article: Article, title: Translation, text: Translation
) -> None:
    reason = title.reason or text.reason
    enrichment.update_article(
        conn,
        article.id,
        title_en=title.text,
        text_en=text.text,
        translator=title.backend if title.text is not None else "none",
        translation_note=f"untranslated: {reason}" if reason else None,
    )
    if reason:
        rejection = Rejection(
            article.origin, f"translation: {reason}", stage="translate", kept=True
        )
        context.store.record_rejection(
            conn, rejection, source_id=article.source_id, article_id=article.id
        )


@cache
def _translator_for(
    name: str, url: str, api: str, model: str, key: str, timeout: float
) -> Translator:
    settings = Settings(
        translator=name,
        translator_url=url,
        translator_api=api,
        translator_model=model,
        translator_key=key,
        translator_timeout=timeout,
    )
    return open_translator(settings)


def _translator(settings: Settings) -> Translator:
    return _translator_for(
        settings.translator,
        settings.translator_url,
        settings.translator_api,
        settings.translator_model,
        settings.translator_key,
        settings.translator_timeout,
    )


def _is_dated(article: Article) -> bool:
    return bool(article.published) and article.published_precision in KNOWN_PRECISIONS


def _infer_raw_item(conn: Connection, raw_item_id: int) -> dict[int, tuple[str, str]]:
    items = enrichment.items_of_raw_item(conn, raw_item_id)
    as_of_text = enrichment.raw_item_as_of(conn, raw_item_id)
    as_of = date.fromisoformat(as_of_text[:10]) if as_of_text else None
    known = [i.published if i.precision in KNOWN_PRECISIONS else None for i in items]
    guesses = infer_publication_dates([i.text for i in items], known, as_of)
    return {
        item.id: (guess.date, guess.evidence)
        for item, guess in zip(items, guesses, strict=True)
        if guess is not None
    }


def _reference_date(article: Article, inferred: dict[int, tuple[str, str]]) -> date | None:
    if _is_dated(article) and article.published:
        try:
            return date.fromisoformat(article.published[:10])
        except ValueError:
            return None
    if article.id in inferred:
        return date.fromisoformat(inferred[article.id][0])
    return None


def _mention_row(mention: Mention, field: str) -> dict[str, object]:
    return {
        "kind": mention.kind,
        "key": mention.key,
        "text": mention.text,
        "start": mention.start,
        "end": mention.end,
        "role": mention.role,
        "field": field,
    }

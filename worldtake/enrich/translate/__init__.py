"""Translation to English behind one small interface, with backends none, apertium, argos, http.

`open_translator(settings)` picks the backend the settings name (`auto`: an HTTP server when
`translator_url` is set, else Apertium when its binary is installed, else Argos Translate when
its language packages are installed, else `none`). `translate_cached` and `translate_texts`
look each text up by its content hash before asking the backend, so nothing is translated
twice. A backend that cannot translate raises `TranslationError` with the reason.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Connection

from worldtake.enrich.translate.base import TranslationError
from worldtake.settings import Settings
from worldtake.store import enrichment

BACKENDS = ("auto", "none", "apertium", "argos", "http")
BATCH_CHARS = 100_000

__all__ = [
    "BACKENDS",
    "Translation",
    "TranslationError",
    "Translator",
    "open_translator",
    "translate_cached",
    "translate_texts",
]


class Translator(Protocol):
    """A translation backend: its name, whether it can do a pair, and the translation."""

    @property
    def name(self) -> str:
        """The backend's name, stored beside each translation it makes."""
        ...

    def can_translate(self, source: str, target: str) -> bool:
        """True when the backend has a route from `source` to `target` (ISO 639-1)."""
        ...

    def translate(self, text: str, source: str, target: str) -> str:
        """Translate `text`; raise TranslationError with the reason when the backend cannot."""
        ...

    def translate_many(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        """Translate several texts, in order; raise TranslationError when the call fails."""
        ...


@dataclass(frozen=True)
class Translation:
    """A translated text and its backend, or no text and the reason it is missing."""

    text: str | None
    backend: str
    reason: str | None = None


def open_translator(settings: Settings) -> Translator:
    """The backend the `translator` setting names; `auto` picks the best one installed."""
    from worldtake.enrich.translate import apertium, argos, http, none

    choice = settings.translator
    if choice not in BACKENDS:
        raise ValueError(f"unknown translator {choice!r}; choose one of {', '.join(BACKENDS)}")
    if choice == "http" or (choice == "auto" and settings.translator_url):
        return http.HttpTranslator.from_settings(settings)
    if choice == "apertium" or (choice == "auto" and apertium.is_installed()):
        return apertium.ApertiumTranslator()
    if choice == "argos" or (choice == "auto" and argos.is_installed()):
        return argos.ArgosTranslator()
    return none.NoTranslator()


def translation_key(text: str, source: str, target: str) -> str:
    """The cache key of a translation: a hash of the pair and the text."""
    return hashlib.sha256(f"{source}>{target}\n{text}".encode()).hexdigest()


def translate_cached(
    conn: Connection, translator: Translator, text: str, source: str, target: str = "en"
) -> Translation:
    """Translate one text, reusing a cached translation; raise TranslationError on failure."""
    found = translate_texts(conn, translator, [text], source, target)[0]
    if found.text is None:
        raise TranslationError(found.reason or "not translated")
    return found


def translate_texts(
    conn: Connection,
    translator: Translator,
    texts: Sequence[str],
    source: str,
    target: str = "en",
) -> list[Translation]:
    """Translate texts in batches, cached by content; a text that fails carries its reason."""
    done: dict[str, Translation] = {}
    missing: list[str] = []
    for text in dict.fromkeys(texts):
        if not text.strip():
            done[text] = Translation(None, translator.name, "nothing to translate: empty text")
            continue
        cached = enrichment.cached_translation(conn, translation_key(text, source, target))
        if cached is not None:
            done[text] = Translation(cached[0], cached[1])
        else:
            missing.append(text)
    for batch in _batches(missing):
        results = _translate_batch(translator, batch, source, target)
        for text, result in zip(batch, results, strict=True):
            done[text] = result
            if result.text is not None:
                key = translation_key(text, source, target)
                enrichment.cache_translation(conn, key, source, target, result.backend, result.text)
    return [done[text] for text in texts]


def _translate_batch(
    translator: Translator, texts: list[str], source: str, target: str
) -> list[Translation]:
    try:
        return [
            Translation(t, translator.name)
            for t in translator.translate_many(texts, source, target)
        ]
    except TranslationError:
        if len(texts) == 1:
            return [_translate_one(translator, texts[0], source, target)]
    return [_translate_one(translator, text, source, target) for text in texts]


def _translate_one(translator: Translator, text: str, source: str, target: str) -> Translation:
    try:
        return Translation(translator.translate(text, source, target), translator.name)
    except TranslationError as exc:
        return Translation(None, translator.name, str(exc))


def _batches(texts: list[str]) -> list[list[str]]:
    batches: list[list[str]] = []
    size = BATCH_CHARS + 1
    for text in texts:
        if size + len(text) > BATCH_CHARS:
            batches.append([])
            size = 0
        batches[-1].append(text)
        size += len(text)
    return batches

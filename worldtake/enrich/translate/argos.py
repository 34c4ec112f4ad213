"""The Argos Translate backend: used when the user has installed its language packages.

It never downloads a package itself; with none installed it offers no pair.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from worldtake.enrich.translate.base import TranslationError, translate_each


def is_installed() -> bool:
    """True when argostranslate is importable and has at least one installed package."""
    return bool(installed_pairs())


@cache
def installed_pairs() -> frozenset[tuple[str, str]]:
    """(source, target) pairs of the installed Argos packages."""
    languages = _languages()
    return frozenset(
        (lang.code, other.code)
        for lang in languages
        for other in languages
        if lang is not other and lang.get_translation(other) is not None
    )


class ArgosTranslator:
    """Translation by argostranslate's installed models."""

    name = "argos"

    def can_translate(self, source: str, target: str) -> bool:
        """True when an installed package (or argos's own pivot) covers the pair."""
        return (source, target) in installed_pairs()

    def translate(self, text: str, source: str, target: str) -> str:
        """Translate with the installed model; raise TranslationError when the pair is missing."""
        if not self.can_translate(source, target):
            raise TranslationError(
                f"no Argos Translate package from {source} to {target} is installed"
            )
        by_code = {lang.code: lang for lang in _languages()}
        return str(by_code[source].get_translation(by_code[target]).translate(text))

    def translate_many(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        """Translate each text with the installed model."""
        return translate_each(self.translate, texts, source, target)


def _languages() -> list[Any]:
    try:
        from argostranslate import translate
    except ImportError:
        return []
    return list(translate.get_installed_languages())

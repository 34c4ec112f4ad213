"""The `none` backend: translates nothing, so articles keep their original text only."""

from __future__ import annotations

from collections.abc import Sequence

from worldtake.enrich.translate.base import TranslationError, translate_each


class NoTranslator:
    """No translation backend is installed or chosen."""

    name = "none"

    def can_translate(self, source: str, target: str) -> bool:
        """Never: this backend has no language pairs."""
        return False

    def translate(self, text: str, source: str, target: str) -> str:
        """Refuse, saying that no backend is installed."""
        raise TranslationError(
            "no translator: install Apertium or Argos packages, or set translator_url"
        )

    def translate_many(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        """Refuse, as `translate` does."""
        return translate_each(self.translate, texts, source, target)

"""What every translation backend shares: its error and translating many texts one by one."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from worldtake.errors import WorldtakeError


class TranslationError(WorldtakeError):
    """A backend could not translate a text; the message says why."""


def translate_each(
    translate: Callable[[str, str, str], str], texts: Sequence[str], source: str, target: str
) -> list[str]:
    """Translate texts one call each (for backends without a batch call)."""
    return [translate(text, source, target) for text in texts]

"""The HTTP backend: a LibreTranslate server or an OpenAI-compatible endpoint the user set up.

The URL comes from the user's own settings (`translator_url`), never from fetched content.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import httpx

from worldtake.enrich.translate.base import TranslationError, translate_each
from worldtake.settings import Settings

APIS = ("libretranslate", "openai")
MAX_CHARS = 200_000


@dataclass(frozen=True)
class HttpTranslator:
    """Translation by a server speaking the LibreTranslate API or the OpenAI chat API."""

    url: str
    api: str = "libretranslate"
    model: str = ""
    key: str = ""
    timeout: float = 60.0
    name: str = "http"

    @classmethod
    def from_settings(cls, settings: Settings) -> HttpTranslator:
        """Build from the translator_* settings; raise ValueError when the URL is missing."""
        if not settings.translator_url:
            raise ValueError("the http translator needs the translator_url setting")
        if settings.translator_api not in APIS:
            raise ValueError(
                f"translator_api must be one of {APIS}, got {settings.translator_api!r}"
            )
        return cls(
            url=settings.translator_url.rstrip("/"),
            api=settings.translator_api,
            model=settings.translator_model,
            key=settings.translator_key,
            timeout=settings.translator_timeout,
        )

    def can_translate(self, source: str, target: str) -> bool:
        """True when the server lists the pair (an OpenAI-compatible model takes any pair)."""
        if self.api == "openai":
            return True
        return target in _libretranslate_targets(self.url, self.timeout).get(source, ())

    def translate(self, text: str, source: str, target: str) -> str:
        """Ask the server; raise TranslationError with the server's reason when it fails."""
        if len(text) > MAX_CHARS:
            raise TranslationError(
                f"text of {len(text)} characters is over the {MAX_CHARS} to translate"
            )
        if self.api == "openai":
            return self._translate_openai(text, source, target)
        payload = {"q": text, "source": source, "target": target, "format": "text"}
        if self.key:
            payload["api_key"] = self.key
        answer = _post(f"{self.url}/translate", payload, self.timeout, {})
        translated = answer.get("translatedText")
        if not isinstance(translated, str):
            raise TranslationError(f"translator at {self.url} answered without translatedText")
        return translated

    def translate_many(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        """Translate each text with one request."""
        return translate_each(self.translate, texts, source, target)

    def _translate_openai(self, text: str, source: str, target: str) -> str:
        prompt = (
            f"Translate the following text from {source} to {target}. "
            "Answer with the translation only.\n\n" + text
        )
        payload = {"model": self.model, "messages": [{"role": "user", "content": prompt}]}
        headers = {"Authorization": f"Bearer {self.key}"} if self.key else {}
        answer = _post(f"{self.url}/chat/completions", payload, self.timeout, headers)
        try:
            return str(answer["choices"][0]["message"]["content"]).strip()
        except (KeyError, IndexError, TypeError) as exc:
            raise TranslationError(f"translator at {self.url} gave no choices[0].message") from exc


@cache
def _libretranslate_targets(url: str, timeout: float) -> dict[str, tuple[str, ...]]:
    try:
        response = httpx.get(f"{url}/languages", timeout=timeout)
        response.raise_for_status()
        listing = response.json()
    except (httpx.HTTPError, ValueError):
        return {}
    return {
        str(entry["code"]): tuple(entry.get("targets", ()))
        for entry in listing
        if isinstance(entry, dict) and "code" in entry
    }


def _post(url: str, payload: dict[str, Any], timeout: float, headers: dict[str, str]) -> Any:
    try:
        response = httpx.post(url, json=payload, timeout=timeout, headers=headers)
    except httpx.HTTPError as exc:
        raise TranslationError(f"translator at {url} unreachable: {exc}") from exc
    if response.status_code != 200:
        reason = response.text[:200].strip()
        raise TranslationError(f"translator at {url} answered {response.status_code}: {reason}")
    try:
        return response.json()
    except ValueError as exc:
        raise TranslationError(
            f"translator at {url} answered with something other than JSON"
        ) from exc

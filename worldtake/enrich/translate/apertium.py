"""The Apertium backend: offline rule-based translation by the installed Debian language pairs.

Where no pair leads straight to the target, the text goes through Spanish or Catalan.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from functools import cache

from worldtake.enrich.translate.base import TranslationError, translate_each

PIVOTS = ("es", "ca")
MAX_CHARS = 200_000
TIMEOUT_S = 300
SEPARATOR = "\n\n[[[worldtake]]]\n\n"


def is_installed() -> bool:
    """True when the apertium binary is on the PATH and at least one pair is installed."""
    return shutil.which("apertium") is not None and bool(installed_pairs())


@cache
def installed_pairs() -> dict[tuple[str, str], str]:
    """Installed pairs as {(source, target): mode}, with ISO 639-1 codes where they exist."""
    binary = shutil.which("apertium")
    if binary is None:
        return {}
    listing = subprocess.run(
        [binary, "-l"], capture_output=True, text=True, timeout=60, check=False
    ).stdout
    pairs: dict[tuple[str, str], str] = {}
    for mode in listing.split():
        parts = mode.split("-")
        if len(parts) != 2 or "_" in mode:
            continue  # variants (spa-eng_US) and chained modes (eco-es-fr)
        source, target = (_short_code(p) for p in parts)
        pairs.setdefault((source, target), mode)
    return pairs


def find_route(source: str, target: str) -> list[str]:
    """The modes that take `source` to `target`: one, two through a pivot, or none."""
    pairs = installed_pairs()
    if (source, target) in pairs:
        return [pairs[(source, target)]]
    for pivot in PIVOTS:
        if (source, pivot) in pairs and (pivot, target) in pairs:
            return [pairs[(source, pivot)], pairs[(pivot, target)]]
    return []


class ApertiumTranslator:
    """Translation by the `apertium` command, one process per mode in the route."""

    name = "apertium"

    def can_translate(self, source: str, target: str) -> bool:
        """True when an installed pair, or two through a pivot, lead there."""
        return bool(find_route(source, target))

    def translate(self, text: str, source: str, target: str) -> str:
        """Run the text through each mode of the route; raise TranslationError without one."""
        if len(text) > MAX_CHARS:
            raise TranslationError(
                f"text of {len(text)} characters is over the {MAX_CHARS} to translate"
            )
        route = find_route(source, target)
        if not route:
            raise TranslationError(f"no Apertium pair from {source} to {target} is installed")
        for mode in route:
            text = _run_mode(mode, text)
        return text.strip()

    def translate_many(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        """Translate many texts in one run of each mode, split again on a separator line."""
        if not texts:
            return []
        joined = SEPARATOR.join(t.replace(SEPARATOR.strip(), " ") for t in texts)
        parts = self.translate(joined, source, target).split(SEPARATOR.strip())
        if len(parts) != len(texts):
            return translate_each(self.translate, texts, source, target)
        return [p.strip() for p in parts]


def _run_mode(mode: str, text: str) -> str:
    binary = shutil.which("apertium") or "apertium"
    try:
        done = subprocess.run(
            [binary, "-u", "-f", "txt", mode],
            input=text,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise TranslationError(f"apertium {mode} took over {TIMEOUT_S} s") from exc
    if done.returncode != 0:
        raise TranslationError(f"apertium {mode} failed: {done.stderr.strip()[:200]}")
    return done.stdout


def _short_code(code: str) -> str:
    import pycountry

    found = pycountry.languages.get(alpha_3=code) if len(code) == 3 else None
    return str(getattr(found, "alpha_2", code)) if found else code

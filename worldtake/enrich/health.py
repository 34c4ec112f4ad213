"""What `worldtake doctor` says about enrichment: language, dates and translation backends."""

from __future__ import annotations

import shutil
from importlib.metadata import PackageNotFoundError, version

from worldtake.settings import Settings

Status = tuple[str, str]
"""(status, detail): status is ok, warning, missing or error."""


def lingua_status(settings: Settings) -> Status:
    """lingua's version and the languages it chooses among."""
    from worldtake.enrich.language import parse_languages

    codes = parse_languages(settings.languages)
    return "ok", f"lingua {_version('lingua-language-detector')}, {len(codes)} languages"


def langid_status(settings: Settings) -> Status:
    """py3langid, the fast path for long texts."""
    return "ok", f"py3langid {_version('py3langid')} (fast path for long texts)"


def dateparser_status(settings: Settings) -> Status:
    """dateparser, for publication dates written in words."""
    return "ok", f"dateparser {_version('dateparser')}"


def apertium_status(settings: Settings) -> Status:
    """The apertium binary and the pairs installed, with the routes to English."""
    from worldtake.enrich.translate import apertium

    if shutil.which("apertium") is None:
        return "missing", "apertium not installed (Debian: apertium and apertium-<pair>)"
    pairs = apertium.installed_pairs()
    if not pairs:
        return "warning", "apertium installed but no language pair"
    to_english = sorted({s for s, _ in pairs} | {t for _, t in pairs})
    routes = [c for c in to_english if c != "en" and apertium.find_route(c, "en")]
    listed = ", ".join(f"{s}-{t}" for s, t in sorted(pairs))
    return "ok", f"pairs {listed}; to English from {', '.join(routes) or 'none'}"


def argos_status(settings: Settings) -> Status:
    """Argos Translate and its installed packages (never downloaded by worldtake)."""
    from worldtake.enrich.translate import argos

    try:
        import argostranslate  # noqa: F401
    except ImportError:
        return "missing", "argostranslate not installed (optional)"
    pairs = argos.installed_pairs()
    if not pairs:
        return "warning", "argostranslate installed without language packages"
    return "ok", "packages " + ", ".join(f"{s}-{t}" for s, t in sorted(pairs))


def http_translator_status(settings: Settings) -> Status:
    """The HTTP translator the settings name, and whether it answers."""
    if not settings.translator_url:
        return "missing", "translator_url not set (optional)"
    from worldtake.enrich.translate.http import HttpTranslator

    translator = HttpTranslator.from_settings(settings)
    if settings.translator_api == "libretranslate" and not translator.can_translate("es", "en"):
        return "warning", f"{settings.translator_url} lists no es->en pair or does not answer"
    return "ok", f"{settings.translator_api} at {settings.translator_url}"


def translator_status(settings: Settings) -> Status:
    """The backend the `translator` setting picks now."""
    from worldtake.enrich.translate import open_translator

    name = open_translator(settings).name
    if name == "none":
        return "warning", "no translator: articles keep their original text only"
    return "ok", f"{settings.translator} -> {name}"


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "(not installed)"

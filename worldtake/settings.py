"""The one table of settings: defaults < worldtake.toml < WORLDTAKE_* environment < CLI flags."""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from worldtake.errors import SettingError

ENV_PREFIX = "WORLDTAKE_"
CONFIG_FILE = "worldtake.toml"


def _setting(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    """Every setting worldtake reads, with its default and what it does."""

    db: str = _setting("worldtake.db", "Store: a SQLite file path or a database URL.")
    host: str = _setting("127.0.0.1", "Address `serve` and `demo` listen on.")
    port: int = _setting(8642, "Port `serve` and `demo` listen on (0 picks a free one).")
    batch_size: int = _setting(200, "Items written per transaction by ingest and process.")
    max_file_bytes: int = _setting(
        200_000_000, "Largest local file ingest reads; larger ones are refused with the reason."
    )
    log_level: str = _setting("WARNING", "Logging level of the CLI (DEBUG, INFO, WARNING).")
    # fetching and polling
    max_download_bytes: int = _setting(
        10_000_000, "Largest response the fetcher reads; a longer one is cut and refused."
    )
    allow_networks: str = _setting(
        "", "Comma-separated networks (CIDR) the fetcher may reach although private or local."
    )
    user_agent: str = _setting(
        "worldtake/0.1 (+https://github.com/worldtake/worldtake)",
        "User-Agent the fetcher sends.",
    )
    fetch_timeout: float = _setting(20.0, "Seconds the fetcher waits to connect or to read.")
    max_redirects: int = _setting(5, "Redirects the fetcher follows before refusing.")
    host_delay: float = _setting(1.0, "Seconds between two requests to the same host.")
    respect_robots: bool = _setting(True, "Whether page fetches obey the site's robots.txt.")
    fetch_full_text: bool = _setting(
        True, "Whether items of fetched feeds with only a short summary get their link's article."
    )
    watch_every: int = _setting(900, "Seconds between two polls of a healthy source by `watch`.")
    # duplicates, events and stories
    encoder: str = _setting(
        "use", "Sentence encoder for events: `use`, `e5`, or `st:PATH` (a local model)."
    )
    duplicate_threshold: float = _setting(
        0.8, "Shingle overlap (Jaccard, or containment for teasers) that makes a duplicate."
    )
    dedupe_window: int = _setting(
        200_000, "How many recent articles near-duplicates are sought in."
    )
    event_threshold: float = _setting(
        0.4, "Similarity an article needs to join an existing event (else it opens one)."
    )
    merge_threshold: float = _setting(
        0.24, "Average-link similarity at which recent events are regrouped into one."
    )
    event_window_days: int = _setting(
        3, "Days outside an event's date span after which an article cannot join it."
    )
    story_threshold: float = _setting(
        0.45, "Similarity an event needs to join an existing story (else it opens one)."
    )
    story_window_days: int = _setting(
        240, "Days since a story's last event after which a new event cannot join it."
    )
    index_limit: int = _setting(20_000, "Most recent events and stories held in the search index.")
    # enrichment: language, dates, entities, translation
    languages: str = _setting(
        "en,es,fr,de,it,pt,ru,uk,pl,nl,ar,zh,ja,ko,tr,fa,hi,id,vi,sv,cs,ro,el,hu,he,da,fi,nb,sk,bg",
        "Languages (ISO 639-1, comma-separated) language identification chooses among.",
    )
    translator: str = _setting(
        "auto", "Translation backend: `auto`, `none`, `apertium`, `argos` or `http`."
    )
    translate_text: bool = _setting(
        False, "Whether to translate article texts too (titles are always translated)."
    )
    translator_url: str = _setting(
        "", "Base URL of a LibreTranslate server or an OpenAI-compatible endpoint (`http`)."
    )
    translator_api: str = _setting(
        "libretranslate", "API the translator_url speaks: `libretranslate` or `openai`."
    )
    translator_model: str = _setting("", "Model name sent to an OpenAI-compatible translator.")
    translator_key: str = _setting("", "API key sent to the HTTP translator, if it wants one.")
    translator_timeout: float = _setting(60.0, "Seconds the HTTP translator may take per text.")
    enrich_max_chars: int = _setting(
        1_000_000, "Characters of an article that dates and entities read; the rest is skipped."
    )
    # claims: statements and pledges
    claims_backend: str = _setting(
        "rules", "Pledge extraction: `rules` (the default, tested) or `model` (claims_model_url)."
    )
    claims_model_url: str = _setting(
        "", "Base URL of an OpenAI-compatible endpoint for the `model` pledge backend."
    )
    claims_model: str = _setting("", "Model name sent to the pledge model endpoint.")
    claims_model_key: str = _setting("", "API key sent to the pledge model endpoint, if any.")
    claims_model_timeout: float = _setting(60.0, "Seconds the pledge model may take per article.")


SETTINGS: tuple[dataclasses.Field[Any], ...] = dataclasses.fields(Settings)
SETTING_NAMES = frozenset(f.name for f in SETTINGS)


def describe_settings() -> list[dict[str, str]]:
    """Return the settings table: name, type, default and help of every setting."""
    return [
        {
            "name": f.name,
            "type": _type_name(f),
            "default": str(f.default),
            "help": f.metadata["help"],
        }
        for f in SETTINGS
    ]


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    config_path: Path | None = None,
) -> Settings:
    """Read settings from defaults, the config file, the environment, then `overrides`."""
    values: dict[str, Any] = {}
    path = config_path if config_path is not None else Path(CONFIG_FILE)
    if path.is_file():
        values.update(_read_config(path))
    elif config_path is not None:
        raise SettingError(f"config file not found: {config_path}")
    env = os.environ if environ is None else environ
    for f in SETTINGS:
        raw = env.get(ENV_PREFIX + f.name.upper())
        if raw is not None:
            values[f.name] = raw
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    return Settings(**{name: coerce_setting(name, value) for name, value in values.items()})


def coerce_setting(name: str, value: Any) -> Any:
    """Convert `value` (often a string) to the type of setting `name`, or raise SettingError."""
    fields = {f.name: f for f in SETTINGS}
    if name not in fields:
        raise SettingError(f"unknown setting {name!r}; `worldtake settings` lists them")
    kind = _type_name(fields[name])
    try:
        if kind == "bool":
            return _parse_bool(value)
        if kind == "int":
            return int(value)
        if kind == "float":
            return float(value)
        return str(value)
    except (TypeError, ValueError) as exc:
        raise SettingError(f"setting {name!r} wants a {kind}, got {value!r}") from exc


def parse_assignment(text: str) -> tuple[str, str]:
    """Split a `NAME=VALUE` flag into its parts."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise SettingError(f"expected NAME=VALUE, got {text!r}")
    return name.strip(), value.strip()


def _read_config(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingError(f"{path}: not valid TOML: {exc}") from exc
    section = data.get("worldtake", data)
    if not isinstance(section, dict):
        raise SettingError(f"{path}: [worldtake] must be a table")
    return dict(section)


def _parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off"}:
        return False
    raise ValueError(value)


def _type_name(f: dataclasses.Field[Any]) -> str:
    return f.type if isinstance(f.type, str) else f.type.__name__

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

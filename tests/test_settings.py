"""Settings: one table, read from defaults < file < environment < flags, all documented."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

from worldtake.errors import SettingError
from worldtake.settings import describe_settings, load_settings


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [s["name"] for s in describe_settings() if f"`{s['name']}`" not in readme]
    assert not missing, f"settings missing from README.md's table: {missing}"


def test_sources_override_in_order_file_environment_flags(tmp_path: Path) -> None:
    config = tmp_path / "worldtake.toml"
    config.write_text('[worldtake]\ndb = "from-file.db"\nport = 9000\nbatch_size = 7\n', "utf-8")
    env = {"WORLDTAKE_PORT": "9100", "WORLDTAKE_BATCH_SIZE": "8"}
    settings = load_settings({"batch_size": "9"}, environ=env, config_path=config)
    assert (settings.db, settings.port, settings.batch_size) == ("from-file.db", 9100, 9)
    assert load_settings(environ={}, config_path=tmp_path / "absent.toml" if False else None).db


def test_wrong_names_and_types_are_refused_with_the_value() -> None:
    with pytest.raises(SettingError, match="unknown setting 'colour'"):
        load_settings({"colour": "red"}, environ={})
    with pytest.raises(SettingError, match="wants a int, got 'many'"):
        load_settings(environ={"WORLDTAKE_BATCH_SIZE": "many"})


def test_a_named_config_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(SettingError, match="config file not found"):
        load_settings(environ={}, config_path=tmp_path / "nope.toml")

"""Settings come from defaults, then the config file, then the environment."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsprism.config import Settings, load_settings
from newsprism.errors import InputError


def test_defaults_refuse_private_networks(tmp_path: Path) -> None:
    settings = load_settings(env={}, path=tmp_path / "absent.toml")
    assert settings.allow_private_networks is False
    assert settings.db_url.endswith("newsprism.db")


def test_file_overrides_defaults_and_environment_overrides_file(tmp_path: Path) -> None:
    path = tmp_path / "newsprism.toml"
    path.write_text('allow_private_networks = true\nhttp_timeout_s = 5\ndb = "/tmp/a.db"\n')
    settings = load_settings(env={"NEWSPRISM_HTTP_TIMEOUT_S": "7.5"}, path=path)
    assert settings.allow_private_networks is True
    assert settings.http_timeout_s == 7.5
    assert settings.db == "/tmp/a.db"


def test_environment_switch_allows_private_networks(tmp_path: Path) -> None:
    env = {"NEWSPRISM_ALLOW_PRIVATE_NETWORKS": "1"}
    assert load_settings(env=env, path=tmp_path / "absent.toml").allow_private_networks


def test_bad_value_names_the_setting(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"NEWSPRISM_MAX_REDIRECTS.*'max_redirects'"):
        load_settings(env={"NEWSPRISM_MAX_REDIRECTS": "many"}, path=tmp_path / "absent.toml")


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        ("NEWSPRISM_CLUSTER_WINDOW_DAYS", "nan", "a finite number"),
        ("NEWSPRISM_CLUSTER_WINDOW_DAYS", "1e10", "at most 100000"),
        ("NEWSPRISM_CLUSTER_WINDOW_DAYS", "-3", "above zero"),
        ("NEWSPRISM_HTTP_TIMEOUT_S", "0", "above zero"),
        ("NEWSPRISM_PER_HOST_DELAY_S", "-1", "zero or more"),
        ("NEWSPRISM_PORT", "70000", "at most 65535"),
    ],
)
def test_a_number_out_of_range_names_the_setting(
    tmp_path: Path, name: str, value: str, problem: str
) -> None:
    with pytest.raises(InputError, match=f"{name}: setting .* must be {problem}"):
        load_settings(env={name: value}, path=tmp_path / "absent.toml")
    assert load_settings(env={"NEWSPRISM_PER_HOST_DELAY_S": "0"}, path=tmp_path / "absent.toml")


def test_broken_config_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "newsprism.toml"
    path.write_text("this is = = not toml")
    with pytest.raises(InputError, match=str(path)):
        load_settings(env={}, path=path)


def test_with_db_replaces_only_the_database() -> None:
    settings = Settings(http_timeout_s=3.0)
    assert settings.with_db("x.db").db == "x.db"
    assert settings.with_db("x.db").http_timeout_s == 3.0
    assert settings.with_db(None) is settings


def test_a_config_file_named_by_the_environment_must_exist(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(InputError, match=rf"NEWSPRISM_CONFIG: {re.escape(str(missing))}: no such"):
        load_settings(env={"NEWSPRISM_CONFIG": str(missing)})
    with pytest.raises(InputError, match="a directory, not a file"):
        load_settings(env={"NEWSPRISM_CONFIG": str(tmp_path)})


def test_an_unknown_setting_in_the_file_is_named_with_the_closest_one(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("cluster_windw_days = 3\n", encoding="utf-8")
    with pytest.raises(
        InputError,
        match=r"unknown setting 'cluster_windw_days' \(did you mean 'cluster_window_days'",
    ):
        load_settings(env={}, path=path)


def test_a_config_file_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_bytes(b"port = 8001\n# caf\xe9\n")
    with pytest.raises(InputError, match=r"config file .*c\.toml: 'utf-8' codec can't decode"):
        load_settings(env={}, path=path)

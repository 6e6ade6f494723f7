from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

import wxdata.config as config
from wxdata.config import DEFAULT_API_BASE, DEFAULT_CONCURRENCY, AppConfig, load_settings
from wxdata.core.errors import ConfigError

SECRET = "s3cr3t-never-shown-0123456789"
TOML = f"""
[wxdata]
api_base = "http://127.0.0.1:9/"
cache_url = "sqlite:////tmp/x.sqlite3"
concurrency = 6
refresh_hours = 2

[[wxdata.apps]]
name = "鲜果优选"
appid = "wx0001"
secret = "{SECRET}"

[[wxdata.apps]]
appid = "wx0002"
secret = "other"
"""


@pytest.fixture
def secrets_file(tmp_path: Path) -> Path:
    path = tmp_path / "secrets.toml"
    path.write_text(TOML, encoding="utf-8")
    return path


def test_no_configuration_means_demo() -> None:
    settings = load_settings(env={}, secrets_path=None)
    assert settings.source == "demo" and settings.apps == ()
    assert settings.api_base == DEFAULT_API_BASE and settings.concurrency == DEFAULT_CONCURRENCY
    assert settings.cache_url.startswith("sqlite:///")


def test_secrets_file_configures_live_apps(secrets_file: Path) -> None:
    settings = load_settings(env={}, secrets_path=secrets_file)
    assert settings.source == "live"
    names = [(a.name, a.appid) for a in settings.apps]
    assert names == [("鲜果优选", "wx0001"), ("wx0002", "wx0002")]
    assert settings.api_base == "http://127.0.0.1:9"
    assert settings.concurrency == 6 and settings.refresh_interval == timedelta(hours=2)
    assert settings.app("鲜果优选").appid == "wx0001" and settings.app("wx0002").name == "wx0002"


def test_environment_overrides_the_file_for_a_single_app(secrets_file: Path) -> None:
    env = {"WXDATA_APPID": "wx9", "WXDATA_SECRET": "envsecret", "WXDATA_CONCURRENCY": "2",
           "WXDATA_API_BASE": "http://127.0.0.1:1", "WXDATA_SOURCE": "demo"}
    settings = load_settings(env=env, secrets_path=secrets_file)
    assert [a.appid for a in settings.apps] == ["wx9"]
    assert settings.concurrency == 2 and settings.api_base == "http://127.0.0.1:1"
    assert settings.source == "demo"


def test_secrets_file_from_environment_variable(secrets_file: Path) -> None:
    settings = load_settings(env={"WXDATA_SECRETS_FILE": str(secrets_file)})
    assert len(settings.apps) == 2


def test_secret_never_in_repr(secrets_file: Path) -> None:
    settings = load_settings(env={}, secrets_path=secrets_file)
    assert SECRET not in repr(settings) and SECRET not in str(settings.apps[0])
    assert settings.apps[0].secret == SECRET  # kept, only never shown


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("[wxdata\nbroken", "unreadable"),
        ("[[wxdata.apps]]\nname = 'x'\nappid = 'wx1'\n", "bad_app"),
        ("[wxdata]\nconcurrency = 0\n", "bad_value"),
        ("[wxdata]\nconcurrency = 'many'\n", "bad_value"),
        ("[wxdata]\nsource = 'cloud'\n", "bad_value"),
        ("[wxdata]\nsource = 'live'\n", "live_without_apps"),
    ],
)
def test_bad_configuration_says_what_to_fix(tmp_path: Path, text: str, code: str) -> None:
    path = tmp_path / "secrets.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(env={}, secrets_path=path)
    assert info.value.code == code
    assert "{" not in info.value.message("en") and "{" not in info.value.message("zh")


def test_unknown_app_lists_the_known_ones(secrets_file: Path) -> None:
    settings = load_settings(env={}, secrets_path=secrets_file)
    with pytest.raises(ConfigError, match="wx0001"):
        settings.app("nope")


def test_app_label() -> None:
    assert AppConfig("shop", "wx1", "s").label == "shop · wx1"  # one label everywhere (core.apps)
    assert AppConfig("wx1", "wx1", "s").label == "wx1"


def test_limits_have_sane_defaults_and_can_be_set(tmp_path: Path) -> None:
    settings = load_settings(env={}, secrets_path=None)
    assert settings.max_weeks == 104 and settings.refresh_cooldown == timedelta(minutes=5)
    tuned = load_settings(env={"WXDATA_MAX_WEEKS": "200", "WXDATA_REFRESH_COOLDOWN_MINUTES": "0"},
                          secrets_path=None)
    assert tuned.max_weeks == 200 and tuned.refresh_cooldown == timedelta(0)
    with pytest.raises(ConfigError):
        load_settings(env={"WXDATA_MAX_WEEKS": "0"}, secrets_path=None)


def test_span_limits_per_period_from_the_file_and_the_environment(tmp_path: Path) -> None:
    """Each period has its own limit (a day costs a call as a week does, so 104 days would be
    a meagre limit and 104 months a careless one); the file sets them, the environment wins."""
    defaults = load_settings(env={}, secrets_path=None)
    assert [defaults.max_periods(k) for k in ("day", "week", "month")] == [180, 104, 36]
    path = tmp_path / "secrets.toml"
    path.write_text("[wxdata]\nmax_days = 400\nmax_months = 60\n", encoding="utf-8")
    from_file = load_settings(env={}, secrets_path=path)
    assert (from_file.max_days, from_file.max_weeks, from_file.max_months) == (400, 104, 60)
    env = {"WXDATA_MAX_DAYS": "7", "WXDATA_MAX_MONTHS": "2"}
    overridden = load_settings(env=env, secrets_path=path)
    assert (overridden.max_periods("day"), overridden.max_periods("month")) == (7, 2)


@pytest.mark.parametrize(("name", "value"), [("WXDATA_MAX_DAYS", "0"),
                                             ("WXDATA_MAX_MONTHS", "-3"),
                                             ("WXDATA_MAX_DAYS", "lots")])
def test_a_span_limit_below_one_is_refused_naming_the_setting(name: str, value: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(env={name: value}, secrets_path=None)
    setting = name.removeprefix("WXDATA_").lower()
    assert info.value.code == "bad_value" and setting in info.value.message("en")
    assert value in info.value.message("en")


def test_the_readme_names_every_variable_the_settings_read() -> None:
    """An operator configures from the README's table: a variable the code reads but the table
    leaves out (or one the table promises that nothing reads) is a setting nobody can find."""
    code = Path(config.__file__).read_text(encoding="utf-8")
    names = set(re.findall(r'"(WXDATA_[A-Z_]+)"', code))
    listed = re.search(r'names = \(([^)]*)\)', code)
    assert listed is not None
    names |= {f"WXDATA_{n.upper()}" for n in re.findall(r'"([a-z_]+)"', listed.group(1))}
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    table = {m for line in readme.splitlines() if line.startswith("| `WXDATA_")
             for m in re.findall(r"`(WXDATA_[A-Z_]+)", line.split("|")[1])}
    assert names - table == set()
    assert table - names == set()

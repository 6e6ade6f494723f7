"""Settings from ``.streamlit/secrets.toml`` and ``WXDATA_*`` environment variables.

The file holds a ``[wxdata]`` table (``api_base``, ``cache_url``, ...) and one ``[[wxdata.apps]]``
entry per mini program (``name``, ``appid``, ``secret``); see ``.streamlit/secrets.toml.example``.
Environment variables override it for a single app (``WXDATA_APPID`` + ``WXDATA_SECRET``). With no
configuration at all the source is the built-in demo.

>>> load_settings(env={}, secrets_path=None).source
'demo'
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

from wxdata.core.apps import AppInfo, find_app
from wxdata.core.errors import ConfigError
from wxdata.core.goals import Goal, parse_goals
from wxdata.core.periods import PeriodKind
from wxdata.core.secrets import remember_secret, remember_url_secrets

SourceKind = Literal["demo", "live"]

DEFAULT_API_BASE = "https://api.weixin.qq.com"
DEFAULT_CONCURRENCY = 4
DEFAULT_REFRESH_INTERVAL = timedelta(hours=6)
#: A refresh does not ask again for a week fetched less than this long ago: ten clicks (or ten
#: colleagues) on "refresh" within a few minutes cost one round of calls, not ten.
DEFAULT_REFRESH_COOLDOWN = timedelta(minutes=5)
DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_ATTEMPTS = 4
#: The longest span one load may ask for, per period (each cohort is one API call of the mini
#: program's shared daily quota); longer needs ``--max-days``, ``--max-weeks`` or
#: ``--max-months``. Weeks: two years; days: about half a year (a daily export is for recent
#: detail, and 180 calls is already a good part of a day's quota); months: three years, as the
#: monthly API reaches back further for the same cost.
DEFAULT_MAX_DAYS = 180
DEFAULT_MAX_WEEKS = 104
DEFAULT_MAX_MONTHS = 36
DEFAULT_SECRETS_PATHS = (Path(".streamlit/secrets.toml"), Path("~/.streamlit/secrets.toml"))


def default_cache_url() -> str:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return f"sqlite:///{base / 'wxretain' / 'cache.sqlite3'}"


@dataclass(frozen=True)
class AppConfig(AppInfo):
    """One configured mini program. The secret is kept out of ``repr`` so it never lands in a
    log, and out of :class:`AppInfo`, which is all the layers above the sources ever see."""

    secret: str = field(repr=False, default="")
    #: ``goals = { new_d1 = 0.35, new_w1 = 0.30 }`` of its ``[[wxdata.apps]]`` table
    goals: tuple[Goal, ...] = ()

    def __post_init__(self) -> None:
        remember_secret(self.secret)  # blanked out of every message and log from now on

    def info(self) -> AppInfo:
        return AppInfo(self.name, self.appid)


@dataclass(frozen=True)
class Settings:
    apps: tuple[AppConfig, ...] = ()
    api_base: str = DEFAULT_API_BASE
    #: ``sqlite:///path`` or ``postgresql://user:password@host:port/db``; out of ``repr``
    #: because it may hold a database password.
    cache_url: str = field(default_factory=default_cache_url, repr=False)
    source: SourceKind = "demo"
    concurrency: int = DEFAULT_CONCURRENCY
    refresh_interval: timedelta = DEFAULT_REFRESH_INTERVAL
    refresh_cooldown: timedelta = DEFAULT_REFRESH_COOLDOWN
    timeout: float = DEFAULT_TIMEOUT
    max_weeks: int = DEFAULT_MAX_WEEKS
    max_days: int = DEFAULT_MAX_DAYS
    max_months: int = DEFAULT_MAX_MONTHS

    def max_periods(self, kind: PeriodKind) -> int:
        """The longest span of ``kind`` one load may ask for: ``max_days``, ``max_weeks`` or
        ``max_months``."""
        limits: dict[PeriodKind, int] = {"day": self.max_days, "week": self.max_weeks,
                                         "month": self.max_months}
        return limits[kind]

    def goals(self, appid: str) -> tuple[Goal, ...]:
        """The goals configured for ``appid`` (none for an app not configured)."""
        return next((app.goals for app in self.apps if app.appid == appid), ())

    def app(self, name_or_appid: str) -> AppConfig:
        """The configured app called ``name_or_appid`` (its name or its appid)."""
        return find_app(self.apps, name_or_appid)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError("unreadable", path=str(path), detail=str(exc)[:200]) from None


def _apps_from_table(entries: Any, path: Path) -> tuple[AppConfig, ...]:
    apps = []
    for index, entry in enumerate(entries or [], start=1):
        for name in ("appid", "secret"):
            if not isinstance(entry, dict) or not str(entry.get(name, "")).strip():
                raise ConfigError("bad_app", path=str(path), index=index, field=name)
        appid = str(entry["appid"]).strip()
        name = str(entry.get("name") or appid)
        goals = parse_goals(entry.get("goals"), where=f"[[wxdata.apps]] {name} ({path})")
        apps.append(AppConfig(name, appid, str(entry["secret"]), goals))
    return tuple(apps)


def _number(name: str, value: Any, minimum: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = minimum - 1
    if number < minimum:
        raise ConfigError("bad_value", name=name, value=str(value), hint=f">= {minimum:g}")
    return number


def _find_secrets(secrets_path: Path | None, env: Mapping[str, str]) -> Path | None:
    if env.get("WXDATA_SECRETS_FILE"):
        return Path(env["WXDATA_SECRETS_FILE"]).expanduser()
    if secrets_path is not None:
        return secrets_path
    return next((p.expanduser() for p in DEFAULT_SECRETS_PATHS if p.expanduser().exists()), None)


def load_settings(
    *, env: Mapping[str, str] | None = None, secrets_path: Path | None = None
) -> Settings:
    """Settings from the secrets file (if any) overridden by the environment."""
    env = os.environ if env is None else env
    path = _find_secrets(secrets_path, env)
    table: dict[str, Any] = {}
    if path is not None and path.exists():
        table = _read_toml(path).get("wxdata", {})
    settings = Settings(apps=_apps_from_table(table.get("apps"), path or Path("?")))
    merged = {**{k: v for k, v in table.items() if k != "apps"}, **_env_values(env)}
    settings = _apply(settings, merged)
    if env.get("WXDATA_APPID") and env.get("WXDATA_SECRET"):
        appid = env["WXDATA_APPID"].strip()
        app = AppConfig(env.get("WXDATA_APP_NAME") or appid, appid, env["WXDATA_SECRET"])
        settings = replace(settings, apps=(app,))
    source = merged.get("source") or ("live" if settings.apps else "demo")
    if source == "live" and not settings.apps:
        raise ConfigError("live_without_apps")
    if source == "live":
        return replace(settings, source="live")
    if source != "demo":
        raise ConfigError("bad_value", name="source", value=str(source), hint="demo | live")
    return replace(settings, source="demo")


def _env_values(env: Mapping[str, str]) -> dict[str, str]:
    names = ("api_base", "cache_url", "source", "concurrency", "refresh_hours", "timeout",
             "max_days", "max_weeks", "max_months", "refresh_cooldown_minutes")
    return {n: env[f"WXDATA_{n.upper()}"] for n in names if env.get(f"WXDATA_{n.upper()}")}


def _apply(settings: Settings, values: Mapping[str, Any]) -> Settings:
    changes: dict[str, Any] = {}
    if values.get("api_base"):
        changes["api_base"] = str(values["api_base"]).rstrip("/")
    if values.get("cache_url"):
        changes["cache_url"] = str(values["cache_url"])
        remember_url_secrets(changes["cache_url"])  # a database password is a secret too
    if "concurrency" in values:
        changes["concurrency"] = int(_number("concurrency", values["concurrency"], 1))
    if "refresh_hours" in values:
        hours = _number("refresh_hours", values["refresh_hours"], 0)
        changes["refresh_interval"] = timedelta(hours=hours)
    if "timeout" in values:
        changes["timeout"] = _number("timeout", values["timeout"], 0.1)
    if "refresh_cooldown_minutes" in values:
        minutes = _number("refresh_cooldown_minutes", values["refresh_cooldown_minutes"], 0)
        changes["refresh_cooldown"] = timedelta(minutes=minutes)
    for limit in ("max_days", "max_weeks", "max_months"):
        if limit in values:
            changes[limit] = int(_number(limit, values[limit], 1))
    return replace(settings, **changes)


def declares_sign_in(
    *, env: Mapping[str, str] | None = None, secrets_path: Path | None = None
) -> bool:
    """The settings file (the one :func:`load_settings` reads) has an ``[auth]`` or ``[access]``
    table. Sign-in itself is read by Streamlit from its own secrets; when the two files differ,
    the dashboard must notice rules it would otherwise not apply (``dashboard.auth``)."""
    env = os.environ if env is None else env
    path = _find_secrets(secrets_path, env)
    if path is None or not path.exists():
        return False
    table = _read_toml(path)
    return "auth" in table or "access" in table

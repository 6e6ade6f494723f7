"""Settings from ``.streamlit/secrets.toml`` and ``WXDATA_*`` environment variables.

The file holds a ``[wxdata]`` table (``api_base``, ``cache_url``, ...) and one ``[[wxdata.apps]]``
entry per mini program (``name``, ``appid``, ``secret``); see ``.streamlit/secrets.toml.example``.
Environment variables override it for a single app (``WXDATA_APPID`` + ``WXDATA_SECRET``). With no
configuration at all the source is the built-in demo.

The same file's ``[[digest]]`` tables are the Monday digests and alerts (:class:`DigestConfig`,
docs/digest.md), and ``[wxdata] base_url`` the dashboard's public address their links point at.
A bad ``[[digest]]`` table never stops the dashboard: it is kept as an error naming the digest
and the key (``Settings.digest_errors``), and ``wxdata digest`` / ``wxdata alert`` refuse to send.

>>> load_settings(env={}, secrets_path=None).source
'demo'
"""

from __future__ import annotations

import copy
import os
import threading
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qs, unquote, urlsplit

from wxdata.core.apps import AppInfo, find_app
from wxdata.core.errors import ConfigError
from wxdata.core.goals import Goal, parse_goals
from wxdata.core.periods import PERIOD_KINDS, PeriodKind
from wxdata.core.secrets import remember_secret, remember_url_secrets
from wxdata.i18n import Lang

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


Channel = Literal["wecom", "feishu", "dingtalk", "email"]
CHANNELS: tuple[Channel, ...] = ("wecom", "feishu", "dingtalk", "email")
ALERT_RULES = ("drop", "goal", "data")
#: Where each channel's webhook posts (any host: a proxy or the tests' loopback server), and the
#: part of its URL that is the credential: the query parameter, or (Feishu) the last path part.
WEBHOOK_SHAPES: dict[str, tuple[str, str]] = {
    "wecom": ("/cgi-bin/webhook/send", "key"),
    "feishu": ("/open-apis/bot/v2/hook/", ""),
    "dingtalk": ("/robot/send", "access_token"),
}
SMTP_SCHEMES = ("smtps", "smtp", "smtp+plain")
DIGEST_KEYS = frozenset({"name", "apps", "channel", "webhook", "secret", "smtp_url", "to",
                         "from", "lang", "periods", "alerts", "goals"})


@dataclass(frozen=True)
class DigestConfig:
    """One ``[[digest]]`` table. The webhook, the signing secret and the SMTP password are
    credentials: out of ``repr``, and remembered for redaction when the table is read."""

    name: str
    channel: Channel
    apps: tuple[str, ...] = ()  # app ids or names; empty: every app
    webhook: str = field(default="", repr=False)
    secret: str = field(default="", repr=False)
    smtp_url: str = field(default="", repr=False)
    smtp_password: str = field(default="", repr=False)
    to: tuple[str, ...] = ()
    sender: str = ""
    lang: Lang = "zh"
    periods: tuple[PeriodKind, ...] = ("week",)
    alerts: tuple[str, ...] = ()
    #: ``{ new_w1 = 0.25 }``: goals of this digest's own, beside each app's ``goals`` (rule
    #: ``goal``; the same names, :mod:`wxdata.core.goals`)
    goals: tuple[Goal, ...] = ()


def _digest_error(digest: str, key: str, hint: str) -> ConfigError:
    return ConfigError("bad_digest", digest=digest, key=key, hint=hint)


def _strings(value: Any, digest: str, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _digest_error(digest, key, '["…", "…"]')
    return tuple(v.strip() for v in value)


def _choices(value: Any, digest: str, key: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    chosen = _strings(value, digest, key)
    if not chosen or any(v not in allowed for v in chosen):
        raise _digest_error(digest, key, " | ".join(allowed))
    return tuple(dict.fromkeys(chosen))


def _check_webhook(url: Any, channel: str, digest: str) -> str:
    path, part = WEBHOOK_SHAPES[channel]
    if not isinstance(url, str) or not url.strip():
        raise _digest_error(digest, "webhook", f"https://…{path}…")
    parts = urlsplit(url.strip())
    credential = parse_qs(parts.query).get(part, [""])[0] if part else \
        parts.path.rpartition("/")[2]
    if parts.scheme not in ("https", "http") or not parts.hostname \
            or path not in parts.path or not credential:
        remember_secret(credential)  # even a malformed URL is not echoed with its key
        raise _digest_error(digest, "webhook", f"https://…{path}{'…' if not part else ''}"
                            + (f"?{part}=…" if part else ""))
    remember_secret(credential)
    return url.strip()


def _check_smtp(entry: dict[str, Any], digest: str, env: Mapping[str, str]) -> dict[str, Any]:
    url = entry.get("smtp_url")
    parts = urlsplit(url) if isinstance(url, str) else None
    if not isinstance(url, str) or parts is None or parts.scheme not in SMTP_SCHEMES \
            or not parts.hostname:
        raise _digest_error(digest, "smtp_url", "smtps://user@smtp.example.com:465")
    remember_url_secrets(url)
    password = env.get("WXDATA_SMTP_PASSWORD", "") or unquote(parts.password or "")
    remember_secret(password)
    to = _strings(entry.get("to"), digest, "to")
    if not to or any("@" not in address for address in to):
        raise _digest_error(digest, "to", '["pm@example.com"]')
    user = unquote(parts.username or "")
    sender = entry.get("from") or (user if "@" in user else
                                   f"{user or 'wxretain'}@{parts.hostname}")
    if not isinstance(sender, str) or "@" not in sender:
        raise _digest_error(digest, "from", "wxretain@example.com")
    return {"smtp_url": url, "smtp_password": password, "to": to, "sender": sender}


def read_digest(entry: Any, index: int, env: Mapping[str, str]) -> DigestConfig:
    """One ``[[digest]]`` table, checked; a :class:`ConfigError` (``bad_digest``) naming the
    digest (its name, else ``#index``) and the key otherwise. Credentials are remembered for
    redaction before anything can be said about them."""
    if not isinstance(entry, dict):
        raise _digest_error(f"#{index}", "[[digest]]", "a table")
    for key in ("webhook", "secret"):
        if isinstance(entry.get(key), str):
            remember_secret(entry[key])
    name = entry.get("name")
    digest = name.strip() if isinstance(name, str) and name.strip() else f"#{index}"
    if digest.startswith("#"):
        raise _digest_error(digest, "name", '"fruit-weekly"')
    unknown = sorted(set(entry) - DIGEST_KEYS)
    if unknown:
        raise _digest_error(digest, unknown[0], ", ".join(sorted(DIGEST_KEYS)))
    channel = entry.get("channel")
    if channel not in CHANNELS:
        raise _digest_error(digest, "channel", " | ".join(CHANNELS))
    values: dict[str, Any] = {}
    if channel == "email":
        values = _check_smtp(entry, digest, env)
    else:
        values["webhook"] = _check_webhook(entry.get("webhook"), channel, digest)
        secret = entry.get("secret", "")
        if not isinstance(secret, str):
            raise _digest_error(digest, "secret", '"SEC…"')
        values["secret"] = secret.strip()
    lang = entry.get("lang", "zh")
    if lang not in ("zh", "en"):
        raise _digest_error(digest, "lang", "zh | en")
    apps = _strings(entry["apps"], digest, "apps") if "apps" in entry else ()
    periods = _choices(entry.get("periods", ["week"]), digest, "periods", PERIOD_KINDS)
    alerts = _choices(entry["alerts"], digest, "alerts", ALERT_RULES) \
        if "alerts" in entry else ()
    goals = parse_goals(entry.get("goals"), where=f"[[digest]] {digest}")
    return DigestConfig(digest, channel, apps, lang=lang, periods=periods,  # type: ignore[arg-type]
                        alerts=alerts, goals=goals, **values)


def read_digests(entries: Any, env: Mapping[str, str]
                 ) -> tuple[tuple[DigestConfig, ...], tuple[ConfigError, ...]]:
    """Every ``[[digest]]`` table: the good ones, and an error per bad one (or per repeated
    name: a digest's name keys what it has sent)."""
    if entries is None:
        return (), ()
    if not isinstance(entries, list):
        return (), (_digest_error("#1", "[[digest]]", "[[digest]] tables"),)
    good: list[DigestConfig] = []
    bad: list[ConfigError] = []
    for index, entry in enumerate(entries, start=1):
        try:
            digest = read_digest(entry, index, env)
        except ConfigError as exc:
            bad.append(exc)
            continue
        if any(d.name == digest.name for d in good):
            bad.append(_digest_error(digest.name, "name", "a name of its own"))
            continue
        good.append(digest)
    return tuple(good), tuple(bad)


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
    #: the dashboard's public address (``https://wxretain.corp.cn``), for the digests' links
    base_url: str = ""
    digests: tuple[DigestConfig, ...] = ()
    #: ``[[digest]]`` tables that could not be read, each naming the digest and the key
    digest_errors: tuple[ConfigError, ...] = ()

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


#: The secrets files parsed so far: path -> (what ``stat`` said of it then, its document). A
#: dashboard rerun asks for the settings several times (the door, the sidebar, the caps, the
#: goals, the digest panel); the file is parsed again only when it changed.
_PARSED: dict[Path, tuple[tuple[int, int, int], dict[str, Any]]] = {}
_PARSED_LOCK = threading.Lock()


def _read_toml(path: Path) -> dict[str, Any]:
    """The file's TOML, parsed once per version of the file (its mtime, size and inode): a copy,
    so that no caller can change what the next one reads."""
    try:
        info = path.stat()
        stamp = (info.st_mtime_ns, info.st_size, info.st_ino)
        with _PARSED_LOCK:
            kept = _PARSED.get(path)
        if kept is not None and kept[0] == stamp:
            return copy.deepcopy(kept[1])
        with path.open("rb") as handle:
            document = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError("unreadable", path=str(path), detail=str(exc)[:200]) from None
    with _PARSED_LOCK:
        _PARSED[path] = (stamp, document)
    return copy.deepcopy(document)


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
    document: dict[str, Any] = {}
    if path is not None and path.exists():
        document = _read_toml(path)
    table: dict[str, Any] = document.get("wxdata", {})
    digests, digest_errors = read_digests(document.get("digest"), env)
    settings = Settings(apps=_apps_from_table(table.get("apps"), path or Path("?")),
                        digests=digests, digest_errors=digest_errors)
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
             "max_days", "max_weeks", "max_months", "refresh_cooldown_minutes", "base_url")
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
    if values.get("base_url"):
        base = str(values["base_url"]).strip().rstrip("/")
        if not base.startswith(("https://", "http://")):
            raise ConfigError("bad_value", name="base_url", value=base,
                              hint="https://wxretain.example.com")
        changes["base_url"] = base
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

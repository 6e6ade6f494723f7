"""One exception tree for wxdata; every message is safe to show to a user.

::

    WxDataError                 .code (i18n key), .params; str() is English, .message(lang)
    ├── DateError               bad date, end before start, not a natural week, no ended week
    ├── ConfigError             unreadable secrets.toml, unknown app, bad setting
    ├── PayloadError            an answer or file that is not a valid weekly payload (never cached)
    ├── CacheError              the cache file is unreadable: ``wxdata cache clear``
    ├── NoDataError             the source has nothing for a week (outside the demo's years)
    └── ApiError                WeChat said no, or the transport failed; .errcode, .transient
        ├── TransientError      -1, 45011, 61503, HTTP 5xx, non-JSON, timeout, connection: retry
        ├── TokenError          40001/40014/42001: get the token again, retry once
        ├── CredentialError     40013/40125/40164: stop the whole run, say what to fix
        ├── QuotaError          45009: stop asking today, keep what was fetched
        ├── WeekRefusedError    61501: that week cannot be asked for
        └── PermanentError      48001 unauthorized, and our own bugs (41001, 41002, 47001, 61500)

Lower-level exceptions (requests, sqlite3, json) are translated into this tree at one boundary each
(client, cache, payload); nothing above those modules catches anything else. Messages never carry
the AppSecret, an access token or a request URL: :func:`redact` is applied to any text that came
from outside before it is kept.
"""

from __future__ import annotations

import re
from typing import Any

from wxdata.i18n import DEFAULT_LANG, Lang, t

_QUERY_SECRET = re.compile(r"((?:access_token|appsecret|secret)=)[^&\s\"']+", re.IGNORECASE)
_JSON_SECRET = re.compile(r"(\"(?:access_token|secret)\"\s*:\s*\")[^\"]*", re.IGNORECASE)


def redact(text: str, *secrets: str) -> str:
    """``text`` with query-string and JSON tokens and the given secret values replaced by ``***``.

    >>> redact("GET /x?access_token=abc&y=1")
    'GET /x?access_token=***&y=1'
    """
    text = _JSON_SECRET.sub(r"\1***", _QUERY_SECRET.sub(r"\1***", text))
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


class WxDataError(Exception):
    """Base of every wxdata error. ``code`` names the message in :mod:`wxdata.i18n`."""

    family = "error"

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params: dict[str, Any] = params
        super().__init__(self.message("en"))

    @property
    def key(self) -> str:
        return f"{self.family}.{self.code}"

    def message(self, lang: Lang = DEFAULT_LANG) -> str:
        # A nested error (e.g. the reason an item of a file is invalid) speaks the same language.
        params = {k: v.message(lang) if isinstance(v, WxDataError) else v
                  for k, v in self.params.items()}
        return t(self.key, lang, **params)


class DateError(WxDataError, ValueError):
    family = "date"


class ConfigError(WxDataError):
    family = "config"


class PayloadError(WxDataError):
    family = "payload"


class CacheError(WxDataError):
    family = "cache"


class NoDataError(WxDataError):
    family = "source"


class ApiError(WxDataError):
    """WeChat answered with an errcode, or the call failed on the way."""

    family = "api"
    transient = False
    #: stop every remaining call of the run (credentials) rather than only this week
    stops_run = False

    def __init__(self, code: str, *, errcode: int | None = None, **params: Any) -> None:
        self.errcode = errcode
        super().__init__(code, errcode="" if errcode is None else errcode, **params)


class TransientError(ApiError):
    transient = True


class TokenError(ApiError):
    transient = True


class CredentialError(ApiError):
    stops_run = True


class QuotaError(ApiError):
    stops_run = True


class WeekRefusedError(ApiError):
    pass


class PermanentError(ApiError):
    pass


_BY_ERRCODE: dict[int, tuple[type[ApiError], str]] = {
    -1: (TransientError, "busy"),
    40001: (TokenError, "token_invalid"),
    40014: (TokenError, "token_invalid"),
    42001: (TokenError, "token_invalid"),
    40013: (CredentialError, "bad_appid"),
    40125: (CredentialError, "bad_secret"),
    40164: (CredentialError, "ip_not_whitelisted"),
    41001: (PermanentError, "our_bug"),
    41002: (PermanentError, "our_bug"),
    45009: (QuotaError, "daily_quota"),
    45011: (TransientError, "minute_quota"),
    47001: (PermanentError, "our_bug"),
    48001: (PermanentError, "unauthorized"),
    61500: (PermanentError, "our_bug"),
    61501: (WeekRefusedError, "week_refused"),
    61503: (TransientError, "not_ready"),
}

_IP = re.compile(r"\b(\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f:]*:[0-9a-f:.]+)\b", re.IGNORECASE)


def api_error(errcode: int, errmsg: str = "", *, appid: str = "", week: str = "") -> ApiError:
    """The exception for a WeChat ``{"errcode": N, "errmsg": ...}`` answer."""
    cls, code = _BY_ERRCODE.get(errcode, (PermanentError, "unknown"))
    errmsg = redact(errmsg)
    params: dict[str, Any] = {"appid": appid, "week": week, "errmsg": errmsg}
    if errcode == 40164:
        match = _IP.search(errmsg.replace("invalid ip", " "))
        params["ip"] = match.group(1) if match else "?"
    return cls(code, errcode=errcode, **params)


def transport_error(code: str, *, week: str = "", detail: str = "") -> TransientError:
    """A failure without an errcode: timeout, reset, HTTP 5xx, a body that is not JSON."""
    return TransientError(code, week=week, detail=redact(detail))

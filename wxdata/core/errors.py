"""One exception tree for wxdata; every message is safe to show to a user.

::

    WxDataError                 .code (i18n key), .params; str() is English, .message(lang)
    ├── DateError               bad date, end before start, not a natural week, no ended week
    ├── ConfigError             unreadable secrets.toml, unknown app, bad setting
    ├── PayloadError            an answer or file that is not a valid weekly payload (never cached)
    ├── CacheError              the store cannot be used: busy, unwritable, unreachable, damaged
    │                           (``wxdata cache clear``), or not ours; .code whatever the store
    ├── NoDataError             the source has nothing for a week (outside the demo's years)
    └── ApiError                WeChat said no, or the transport failed; .errcode, .transient
        ├── TransientError      -1, 45011, 61503, HTTP 5xx, non-JSON, timeout, connection: retry
        ├── TokenError          40001/40014/42001: get the token again, retry once
        ├── CredentialError     40013/40125/40164: stop the whole run, say what to fix
        ├── QuotaError          45009: stop asking today, keep what was fetched
        ├── WeekRefusedError    61501: that week cannot be asked for
        └── PermanentError      48001 unauthorized, and our own bugs (41001, 41002, 47001, 61500)

Lower-level exceptions (requests, sqlite3, psycopg, json) are translated into this tree at one
boundary each (``wechat.http``, ``store``, ``core.payload``); nothing above those modules catches
anything else.
Which errcode becomes which class is ``wechat.http``'s table. Messages never carry the AppSecret,
an access token or a request URL: :func:`wxdata.core.secrets.redact` is applied to every
parameter when an error is made and to every message when it is read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Self

from wxdata.core.secrets import redact
from wxdata.i18n import DEFAULT_LANG, Lang, t


class WxDataError(Exception):
    """Base of every wxdata error. ``code`` names the message in :mod:`wxdata.i18n`."""

    family = "error"

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        # Texts from outside (WeChat's errmsg, a file's content) may echo a credential.
        self.params: dict[str, Any] = {k: redact(v) if isinstance(v, str) else v
                                       for k, v in params.items()}
        super().__init__(self.message("en"))

    @property
    def key(self) -> str:
        return f"{self.family}.{self.code}"

    def copy(self, **changes: Any) -> Self:
        """A fresh exception like this one, with some parameters changed: one exception object
        raised in several threads would share (and grow) a single traceback."""
        return type(self)(self.code, **{**self.params, **changes})

    def message(self, lang: Lang = DEFAULT_LANG,
                quote: Callable[[str], str] | None = None) -> str:
        """The message in ``lang``; ``quote`` is applied to every text parameter (the dashboard
        shows them as text, never as Markdown)."""
        # A nested error (e.g. the reason an item of a file is invalid) speaks the same language.
        params = {k: v.message(lang, quote) if isinstance(v, WxDataError)
                  else quote(v) if quote is not None and isinstance(v, str) else v
                  for k, v in self.params.items()}
        return redact(t(self.key, lang, **params))


class DateError(WxDataError, ValueError):
    family = "date"


class ConfigError(WxDataError):
    family = "config"


class PayloadError(WxDataError):
    family = "payload"


class CacheError(WxDataError):
    family = "cache"

    @property
    def key(self) -> str:
        # One code means one thing whatever the store (busy: wait; not_ours: point elsewhere),
        # but the words differ: a file and its folder, or a database server (``backend``).
        backend = self.params.get("backend")
        return f"{self.family}.{backend}.{self.code}" if backend else super().key


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

    def copy(self, **changes: Any) -> Self:
        params = {k: v for k, v in {**self.params, **changes}.items() if k != "errcode"}
        return type(self)(self.code, errcode=self.errcode, **params)


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


#: The errcode of an answer whose errcode is not a number at all.
UNKNOWN_ERRCODE = -999
_WHOLE = re.compile(r"-?[0-9]{1,12}")


def errcode_of(answer: Any) -> int:
    """The errcode of a WeChat answer: 0 for a data answer (no errcode, 0, null or "0"); a whole
    number written as a number or as text (``45009``, ``45009.0``, ``"45009"``) as that number;
    anything else :data:`UNKNOWN_ERRCODE`.

    >>> [errcode_of(a) for a in ({"ref_date": "x"}, {"errcode": "45009"}, {"errcode": [1]})]
    [0, 45009, -999]
    """
    if not isinstance(answer, dict):
        return 0
    raw = answer.get("errcode", 0)
    if isinstance(raw, str):
        raw = raw.strip()
        if _WHOLE.fullmatch(raw):  # ASCII digits only: "¹".isdigit() is True, int("¹") fails
            raw = int(raw)
    if raw is None or (isinstance(raw, int | float) and not isinstance(raw, bool) and raw == 0):
        return 0
    if isinstance(raw, int | float) and not isinstance(raw, bool) and float(raw).is_integer() \
            and abs(raw) < 1e12:
        return int(raw)
    return UNKNOWN_ERRCODE

"""Access tokens for WeChat's server API: the stable token by default, single-flight refresh.

The stable token (``POST /cgi-bin/stable_token``) is the same for every caller while it is valid,
so any number of processes can share a mini program without knocking each other's token out, as
the classic ``GET /cgi-bin/token`` does. Tokens live in memory only: a token is a credential for up
to two hours and never goes to a log, an exception, a ``repr`` or the cache.

:func:`request_json` is also the transport boundary of :mod:`wxdata.wechat.client`: every ``requests``
exception becomes a :class:`~wxdata.core.errors.TransientError` whose text has no URL in it (requests
puts the whole URL, token included, into its messages).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any

import requests

from wxdata.config import DEFAULT_TIMEOUT, AppConfig
from wxdata.core.errors import (
    ApiError,
    PermanentError,
    TransientError,
    api_error,
    redact,
    transport_error,
)

log = logging.getLogger("wxdata.wechat.token")

#: Refetch this long before WeChat's expiry so a call never leaves with a token about to die.
EXPIRY_MARGIN = 300.0
#: WeChat's documented limits on ``force_refresh: true``.
FORCE_MIN_INTERVAL = 30.0
FORCE_DAILY_LIMIT = 20
_DAY = 86_400.0


class _RedactingFilter(logging.Filter):
    """urllib3 logs every request line at DEBUG, access token (or classic secret) included."""

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        clean = redact(text)
        if clean != text:
            record.msg, record.args = clean, ()
        return True


# Installed once, on the logger urllib3 writes request lines to, so that turning on DEBUG logging
# to diagnose the dashboard never writes a live credential to disk.
logging.getLogger("urllib3.connectionpool").addFilter(_RedactingFilter())


def request_json(
    session: requests.Session,
    method: str,
    url: str,
    *,
    timeout: float,
    params: Mapping[str, str] | None = None,
    body: Mapping[str, Any] | None = None,
    week: str = "",
) -> Any:
    """One HTTP call whose answer must be JSON; transport failures become ``TransientError``."""
    failure: TransientError | None = None
    try:
        response = session.request(method, url, params=params, json=body, timeout=timeout)
        content = response.content
    except requests.Timeout:
        failure = transport_error("timeout", week=week, detail=f"{timeout:g} s")
    except requests.RequestException as exc:
        # The class name says enough (reset, refused, SSL); str(exc) would carry the URL.
        failure = transport_error("connection", week=week, detail=type(exc).__name__)
    if failure is not None:
        # Raised outside the except block: not even __context__ keeps the requests exception.
        raise failure
    return _json_answer(response, content, week)


def _json_answer(response: requests.Response, content: bytes, week: str) -> Any:
    status = response.status_code
    if status >= 500 or status == 429:
        raise transport_error("http_status", week=week, detail=f"HTTP {status}")
    try:
        return json.loads(content) if content else None
    except ValueError:
        pass
    kind = response.headers.get("Content-Type", "?").split(";")[0]
    if status >= 400:
        # A 404 page is a wrong address, not a busy WeChat: retrying cannot help.
        raise PermanentError("bad_address", week=week, detail=f"HTTP {status}")
    raise transport_error("not_json", week=week, detail=f"HTTP {status}, {kind}")


def copy_error(exc: ApiError, **changes: Any) -> ApiError:
    """A new exception like ``exc`` (one object raised in many threads would share a traceback)."""
    params = {k: v for k, v in exc.params.items() if k != "errcode"}
    return type(exc)(exc.code, errcode=exc.errcode, **{**params, **changes})


class _TokenProvider:
    """What both providers share: the cache, the lock, the answer checks."""

    endpoint = ""

    def __init__(
        self,
        app: AppConfig,
        *,
        api_base: str,
        session: requests.Session | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.api_base = api_base.rstrip("/")
        self.timeout = timeout
        self._session = session or requests.Session()
        self._own_session = session is None
        self._clock = clock
        # Held during the fetch itself: that is the single flight. Waiters re-check on entry.
        self._lock = threading.Lock()
        self._token: str | None = None
        self._renew_at = 0.0
        # Fetches finished so far, and how the last one failed: a thread that queued behind a
        # failed fetch shares its error instead of knocking on the token endpoint again.
        self._generation = 0
        self._failure: ApiError | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(app={self.app.appid!r}, api_base={self.api_base!r})"

    def token(self) -> str:
        """A token that is valid for at least a few more minutes."""
        return self._single_flight(None, lambda: self._fetch(force=False))

    def refresh(self, dead: str) -> str:
        """A replacement for ``dead``, which WeChat just refused; one fetch however many ask."""
        return self._single_flight(dead, lambda: self._replace(dead))

    def _single_flight(self, dead: str | None, fetch: Callable[[], str]) -> str:
        queued_at = self._generation
        with self._lock:
            if self._token is not None and self._token != dead and self._clock() < self._renew_at:
                return self._token
            if self._failure is not None and self._generation != queued_at:
                raise copy_error(self._failure)
            try:
                token = fetch()
            except ApiError as exc:
                self._failure = exc
                raise
            else:
                self._failure = None
            finally:
                self._generation += 1  # counted when done: a thread that came after asks anew
            return token

    def _replace(self, dead: str) -> str:
        return self._fetch(force=False)

    def close(self) -> None:
        if self._own_session:
            self._session.close()

    def _fetch(self, *, force: bool) -> str:
        raise NotImplementedError

    def _accept(self, answer: Any) -> str:
        """Keep the token of a successful answer; raise the error of any other."""
        if not isinstance(answer, dict):
            raise transport_error("token_answer", detail="not a JSON object")
        errcode = answer.get("errcode", 0)
        if errcode not in (0, None):
            code = errcode if isinstance(errcode, int) else -999
            raise api_error(code, str(answer.get("errmsg", "")), appid=self.app.appid)
        token, expires_in = answer.get("access_token"), answer.get("expires_in")
        if not isinstance(token, str) or not token or not isinstance(expires_in, int | float):
            raise transport_error("token_answer", detail="no access_token/expires_in")
        margin = min(EXPIRY_MARGIN, float(expires_in) / 2)
        self._token, self._renew_at = token, self._clock() + float(expires_in) - margin
        log.debug("new %s token for %s, valid %ss", self.endpoint, self.app.appid, expires_in)
        return token


class StableTokenProvider(_TokenProvider):
    """``POST /cgi-bin/stable_token``: the same token for every caller while it is valid.

    A refused token is replaced by asking again without ``force_refresh`` (WeChat renews it near
    expiry). Only when WeChat answers the very token it just refused a second time is
    ``force_refresh: true`` used, at most once per 30 s and 20 times per 24 h, because forcing
    invalidates the token for every other process of the same mini program.
    """

    endpoint = "stable_token"

    def __init__(
        self,
        app: AppConfig,
        *,
        api_base: str,
        session: requests.Session | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(app, api_base=api_base, session=session, timeout=timeout, clock=clock)
        self._dead_answers = 0
        self._forced: deque[float] = deque()

    @property
    def forced_refreshes(self) -> int:
        """How many ``force_refresh: true`` calls this provider made in the last 24 h."""
        with self._lock:
            self._forget_old_forces()
            return len(self._forced)

    def _replace(self, dead: str) -> str:
        token = self._fetch(force=False)
        if token != dead:
            self._dead_answers = 0
            return token
        self._dead_answers += 1
        if self._dead_answers >= 2 and self._may_force():
            self._forced.append(self._clock())
            self._dead_answers = 0
            log.warning("WeChat keeps answering a refused token for %s: forcing a new one "
                        "(%d in 24 h)", self.app.appid, len(self._forced))
            return self._fetch(force=True)
        return token

    def _forget_old_forces(self) -> None:
        while self._forced and self._clock() - self._forced[0] >= _DAY:
            self._forced.popleft()

    def _may_force(self) -> bool:
        self._forget_old_forces()
        if len(self._forced) >= FORCE_DAILY_LIMIT:
            return False
        return not self._forced or self._clock() - self._forced[-1] >= FORCE_MIN_INTERVAL

    def _fetch(self, *, force: bool) -> str:
        body = {"grant_type": "client_credential", "appid": self.app.appid,
                "secret": self.app.secret, "force_refresh": force}
        url = f"{self.api_base}/cgi-bin/stable_token"
        return self._accept(request_json(self._session, "POST", url, body=body,
                                         timeout=self.timeout))


class ClassicTokenProvider(_TokenProvider):
    """``GET /cgi-bin/token``: every call issues a new token and retires the previous one.

    Use only where the stable token is unavailable: two processes that each hold a classic
    provider for the same mini program keep invalidating each other's token.
    """

    endpoint = "token"

    def _fetch(self, *, force: bool) -> str:
        params = {"grant_type": "client_credential", "appid": self.app.appid,
                  "secret": self.app.secret}
        url = f"{self.api_base}/cgi-bin/token"
        return self._accept(request_json(self._session, "GET", url, params=params,
                                         timeout=self.timeout))


TokenProvider = StableTokenProvider | ClassicTokenProvider

__all__ = ["ClassicTokenProvider", "StableTokenProvider", "TokenProvider", "copy_error",
           "request_json"]

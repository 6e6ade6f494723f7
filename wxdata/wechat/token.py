"""The access token for WeChat's server API: the stable token, fetched once however many ask.

The stable token (``POST /cgi-bin/stable_token``) is the same for every caller while it is valid,
so any number of processes and replicas can share a mini program without knocking each other's
token out, as the classic ``GET /cgi-bin/token`` does (which is why this project never uses the
classic one). Tokens live in memory only: a token is a credential for up to two hours and never
goes to a log, an exception, a ``repr`` or the cache.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

import requests

from wxdata.config import DEFAULT_TIMEOUT, AppConfig
from wxdata.core.flight import SingleFlight
from wxdata.core.secrets import logger, remember_secret
from wxdata.wechat.http import raise_for_errcode, request_json, transport_error

log = logger("wxdata.wechat.token")

#: Refetch this long before WeChat's expiry so a call never leaves with a token about to die.
EXPIRY_MARGIN = 300.0
#: WeChat's documented limits on ``force_refresh: true``.
FORCE_MIN_INTERVAL = 30.0
FORCE_DAILY_LIMIT = 20
_DAY = 86_400.0
STABLE_TOKEN_PATH = "/cgi-bin/stable_token"


class StableTokenProvider:
    """``POST /cgi-bin/stable_token``: the same token for every caller while it is valid.

    A refused token is replaced by asking again without ``force_refresh`` (WeChat renews it near
    expiry). Only when WeChat answers the very token it just refused a second time is
    ``force_refresh: true`` used, at most once per 30 s and 20 times per 24 h, because forcing
    invalidates the token for every other process of the same mini program.

    One fetch is in flight at a time: threads that ask meanwhile share its token or its error.
    """

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
        self._lock = threading.Lock()  # guards the fields below, never held during a call
        self._token: str | None = None
        self._renew_at = 0.0
        self._dead_answers = 0
        self._forced: deque[float] = deque()
        self._flight: SingleFlight[str, str] = SingleFlight()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(app={self.app.appid!r}, api_base={self.api_base!r})"

    def token(self) -> str:
        """A token that is valid for at least a few more minutes."""
        return self._current(None) or self._flight.run(
            "fetch", lambda: self._current(None) or self._fetch(force=False))

    def refresh(self, dead: str) -> str:
        """A replacement for ``dead``, which WeChat just refused; one fetch however many ask."""
        return self._current(dead) or self._flight.run(
            "fetch", lambda: self._current(dead) or self._replace(dead))

    @property
    def forced_refreshes(self) -> int:
        """How many ``force_refresh: true`` calls this provider made in the last 24 h."""
        with self._lock:
            self._forget_old_forces()
            return len(self._forced)

    def close(self) -> None:
        if self._own_session:
            self._session.close()

    def _current(self, dead: str | None) -> str | None:
        """The token held, unless it is ``dead`` or due for renewal."""
        with self._lock:
            if self._token is not None and self._token != dead and self._clock() < self._renew_at:
                return self._token
        return None

    def _replace(self, dead: str) -> str:
        token = self._fetch(force=False)
        if token != dead:
            self._dead_answers = 0
            return token
        self._dead_answers += 1
        if self._dead_answers >= 2 and self._may_force():
            with self._lock:
                self._forced.append(self._clock())
                forced = len(self._forced)
            self._dead_answers = 0
            log.warning("WeChat keeps answering a refused token for %s: forcing a new one "
                        "(%d in 24 h)", self.app.appid, forced)
            return self._fetch(force=True)
        return token

    def _forget_old_forces(self) -> None:
        while self._forced and self._clock() - self._forced[0] >= _DAY:
            self._forced.popleft()

    def _may_force(self) -> bool:
        with self._lock:
            self._forget_old_forces()
            if len(self._forced) >= FORCE_DAILY_LIMIT:
                return False
            return not self._forced or self._clock() - self._forced[-1] >= FORCE_MIN_INTERVAL

    def _fetch(self, *, force: bool) -> str:
        body = {"grant_type": "client_credential", "appid": self.app.appid,
                "secret": self.app.secret, "force_refresh": force}
        answer = request_json(self._session, "POST", self.api_base + STABLE_TOKEN_PATH,
                              body=body, timeout=self.timeout)
        return self._accept(answer)

    def _accept(self, answer: Any) -> str:
        """Keep the token of a successful answer; raise the error of any other."""
        if not isinstance(answer, dict):
            raise transport_error("token_answer", detail="not a JSON object")
        raise_for_errcode(answer, appid=self.app.appid)
        token, expires_in = answer.get("access_token"), answer.get("expires_in")
        if not isinstance(token, str) or not token or not isinstance(expires_in, int | float) \
                or isinstance(expires_in, bool) or not 0 < expires_in < 10**7:
            raise transport_error("token_answer", detail="no access_token/expires_in")
        remember_secret(token)  # a token is a credential: never in a message or a log line
        margin = min(EXPIRY_MARGIN, float(expires_in) / 2)
        with self._lock:
            self._token, self._renew_at = token, self._clock() + float(expires_in) - margin
        log.debug("new stable token for %s, valid %ss", self.app.appid, expires_in)
        return token


#: What the client needs of a token provider (tests may pass their own).
TokenProvider = StableTokenProvider

__all__ = ["FORCE_DAILY_LIMIT", "FORCE_MIN_INTERVAL", "STABLE_TOKEN_PATH", "StableTokenProvider",
           "TokenProvider"]

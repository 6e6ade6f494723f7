"""The WeChat client: one cohort (a day, week or month) of retention per call, with retries and
nothing secret leaking; the period says which API (:attr:`Period.API_PATH`). Beside it, with the
same retries: a period's visit trend (:meth:`WeChatClient.visits`) and an API's quota left
today (:meth:`WeChatClient.quota`).

Against the fake WeChat server (:mod:`wxdata.testing.fake`), a week old enough for all five
offsets to be published:

>>> from wxdata.core.periods import Day, last_ended_week
>>> from wxdata.testing.fake import FAKE_APPID, FAKE_SECRET, FakeWeChat
>>> app = AppConfig("demo", FAKE_APPID, FAKE_SECRET)
>>> with FakeWeChat() as fake, WeChatClient(app, api_base=fake.url) as client:
...     client.retention(last_ended_week().shift(-4)).offsets
5
>>> with FakeWeChat() as fake, WeChatClient(app, api_base=fake.url) as client:
...     client.retention(Day.last_ended().shift(-40)).offsets
10

What is retried, and how (the error table of ``docs/wechat-api.md``):

- transient faults (errcode -1, 45011, 61503, HTTP 5xx, a body that is not JSON, timeouts, resets,
  and an answer with no keys at all) are retried up to ``max_attempts`` times with exponential
  backoff plus jitter (``backoff_base * 2**n + U(0, backoff_base)``, capped at ``backoff_max``);
  45011 (per-minute quota) always waits the cap, since sooner would meet the same quota;
- a refused token (40001, 40014, 42001) is replaced through the provider's single-flight
  ``refresh`` and the call is repeated at once, without spending the transient budget; when
  WeChat hands back the very token it refused, one attempt (with backoff) is spent waiting for a
  change or a forced refresh, and if that same token comes back refused again the call stops;
- everything else (credentials, quota, a refused week, our own bugs, an invalid payload) is
  raised at once.

Every error raised names the cohort; none carries a token, the secret or a URL.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

import requests
from requests.adapters import HTTPAdapter
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from wxdata.config import DEFAULT_API_BASE, DEFAULT_MAX_ATTEMPTS, DEFAULT_TIMEOUT, AppConfig
from wxdata.core.errors import ApiError, TokenError, TransientError
from wxdata.core.payload import Retention, parse_payload
from wxdata.core.periods import Period
from wxdata.core.secrets import logger
from wxdata.core.visits import QUOTA_PATH, VISIT_PATHS, Quota, Visits, parse_quota, parse_visits
from wxdata.wechat.http import raise_for_errcode, request_json
from wxdata.wechat.token import StableTokenProvider, TokenProvider

log = logger("wxdata.wechat.client")
T = TypeVar("T")

#: Fresh tokens a single call may try before a refused token costs a transient attempt.
_FREE_TOKEN_RETRIES = 3
#: Connections kept per host: above any sensible fetch concurrency, so threads never queue.
_POOL_SIZE = 32


class _CallTokens:
    """Tokens refused during one ``retention`` call, across its attempts."""

    def __init__(self) -> None:
        self.refused: set[str] = set()
        self.spent: set[str] = set()  # dead tokens that already cost an attempt
        self.hopeless = False


def _is_retried(exc: BaseException) -> bool:
    return isinstance(exc, ApiError) and exc.transient


def with_week(exc: ApiError, period: str) -> ApiError:
    """``exc`` naming ``period`` (errors from the token endpoint do not know which period asked)."""
    return exc if exc.params.get("week") else exc.copy(week=period)


class WeChatClient:
    """Daily, weekly and monthly retention of one mini program; safe to share between threads."""

    def __init__(
        self,
        app: AppConfig,
        *,
        api_base: str = DEFAULT_API_BASE,
        timeout: float = DEFAULT_TIMEOUT,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        tokens: TokenProvider | None = None,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        backoff_base: float = 0.5,
        backoff_max: float = 8.0,
    ) -> None:
        self.app = app
        self.api_base = api_base.rstrip("/")
        self.timeout = timeout
        self.max_attempts = max(1, max_attempts)
        self.backoff_max = backoff_max
        self._backoff = wait_exponential_jitter(multiplier=backoff_base, max=backoff_max,
                                                jitter=backoff_base)
        self._own_session = session is None
        self._session = session or _pooled_session()
        self._own_tokens = tokens is None
        self._tokens: TokenProvider = tokens or StableTokenProvider(
            app, api_base=self.api_base, session=self._session, timeout=timeout)
        self._sleep = sleep
        self._calls = 0
        self._calls_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"WeChatClient(app={self.app.appid!r}, api_base={self.api_base!r})"

    @property
    def calls(self) -> int:
        """HTTP requests made to the retention endpoint, retries included."""
        with self._calls_lock:
            return self._calls

    def retention(self, period: Period) -> Retention:
        """The published keys of ``period`` (a day, week or month); raises an
        :class:`~wxdata.core.errors.ApiError` subclass or a
        :class:`~wxdata.core.errors.PayloadError`, never a ``requests`` exception."""
        return self._call(lambda token: self._ask(period, token), period)

    def visits(self, period: Period) -> Visits:
        """The visit trend of ``period``: its new and active users as WeChat counts them
        outside retention (the consistency check), with the same retries and errors."""
        return self._call(lambda token: self._ask_visits(period, token), period)

    def quota(self, cgi_path: str) -> Quota:
        """What is left today of the daily quota of the API at ``cgi_path`` (e.g. a period's
        ``API_PATH``)."""
        return self._call(lambda token: self._ask_quota(cgi_path, token), None)

    def _call(self, ask: Callable[[str], T], period: Period | None) -> T:
        tokens = _CallTokens()
        retrying = Retrying(
            stop=stop_after_attempt(self.max_attempts),
            wait=self._wait,
            retry=retry_if_exception(lambda exc: _is_retried(exc) and not tokens.hopeless),
            sleep=self._sleep,
            before_sleep=self._log_retry,
            reraise=True,
        )
        what = period.iso if period is not None else "quota"
        try:
            result: T = retrying(self._attempt, ask, what, tokens)
            return result
        except ApiError as exc:
            if period is None:
                raise
            named = with_week(exc, period.label)
            if named is exc:
                raise
            raise named from None

    def close(self) -> None:
        if self._own_tokens:
            self._tokens.close()
        if self._own_session:
            self._session.close()

    def __enter__(self) -> WeChatClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _attempt(self, ask: Callable[[str], T], what: str, seen: _CallTokens) -> T:
        while True:
            token = self._tokens.token()
            try:
                return ask(token)
            except TokenError:
                seen.refused.add(token)
                fresh = self._tokens.refresh(token)
                if fresh not in seen.refused and len(seen.refused) <= _FREE_TOKEN_RETRIES:
                    log.info("%s: token refused, retrying with a new one", what)
                    continue
                # WeChat handed back a token it refuses: one attempt of the budget may wait
                # for it to change (or for a forced refresh); a second would be wasted.
                seen.hopeless = fresh in seen.spent
                seen.spent.add(fresh)
                raise

    def _ask(self, period: Period, token: str) -> Retention:
        with self._calls_lock:
            self._calls += 1
        begin, end = period.api_dates
        answer = request_json(
            self._session, "POST", self.api_base + period.API_PATH,
            params={"access_token": token}, body={"begin_date": begin, "end_date": end},
            timeout=self.timeout, week=period.label,
        )
        raise_for_errcode(answer, appid=self.app.appid, week=period.label)
        payload = parse_payload(answer, expect=period)
        if payload.is_empty:
            # Not computed yet (seen before ~10:00 UTC+8, sometimes until 15:00): retried, and
            # never cached as zeros.
            raise TransientError("empty_week", week=period.label, appid=self.app.appid)
        return payload

    def _ask_visits(self, period: Period, token: str) -> Visits:
        begin, end = period.api_dates
        answer = request_json(
            self._session, "POST", self.api_base + VISIT_PATHS[period.kind],
            params={"access_token": token}, body={"begin_date": begin, "end_date": end},
            timeout=self.timeout, week=period.label,
        )
        raise_for_errcode(answer, appid=self.app.appid, week=period.label)
        return parse_visits(answer, expect=period)

    def _ask_quota(self, cgi_path: str, token: str) -> Quota:
        answer = request_json(
            self._session, "POST", self.api_base + QUOTA_PATH,
            params={"access_token": token}, body={"cgi_path": cgi_path},
            timeout=self.timeout,
        )
        raise_for_errcode(answer, appid=self.app.appid)
        return parse_quota(answer)

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, ApiError) and exc.errcode == 45011:
            return self.backoff_max  # the per-minute quota: sooner would meet the same quota
        return float(self._backoff(state))

    def _log_retry(self, state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        code = exc.code if isinstance(exc, ApiError) else type(exc).__name__
        errcode = exc.errcode if isinstance(exc, ApiError) else None
        wait = state.next_action.sleep if state.next_action else 0.0
        what = state.args[1] if len(state.args) > 1 else "?"
        log.warning("%s %s: %s (errcode %s), attempt %d of %d failed; next in %.1f s",
                    self.app.appid, what, code, errcode, state.attempt_number,
                    self.max_attempts, wait)


def _pooled_session() -> requests.Session:
    session = requests.Session()
    adapter = HTTPAdapter(pool_connections=4, pool_maxsize=_POOL_SIZE)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


__all__ = ["WeChatClient", "with_week"]

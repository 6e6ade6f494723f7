"""A fake WeChat API on loopback, for tests and for trying the live path without a mini program.

Real HTTP (stdlib ``ThreadingHTTPServer`` in a background thread), WeChat's rules (natural days,
weeks and months only, today / the current week / month refused, stable token semantics,
JSON-only stable_token), and faults scripted per cohort and endpoint: errcode answers, HTML 502
pages, slow answers, bodies that are not JSON, invalid or empty payloads.

>>> from wxdata.config import AppConfig
>>> from wxdata.core.periods import last_ended_week
>>> from wxdata.wechat.client import WeChatClient
>>> app = AppConfig("demo", FAKE_APPID, FAKE_SECRET)
>>> with FakeWeChat() as fake, WeChatClient(app, api_base=fake.url, backoff_base=0.05) as client:
...     fake.fail(-1, times=2)                       # two "system busy" answers, then the data
...     client.retention(last_ended_week()).offsets, fake.calls["weekly"]
(1, 3)
"""

from __future__ import annotations

import json
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from types import FrameType
from typing import Any

from wxdata.core.payload import Retention
from wxdata.core.periods import PERIODS, Period, now_cst
from wxdata.core.visits import QUOTA_PATH, VISIT_PATHS
from wxdata.i18n import DEFAULT_LANG, Lang, t
from wxdata.testing.http import Reply, Serving, reset_reply
from wxdata.testing.rules import (
    FAULT_NAMES,
    Fault,
    FaultScript,
    TokenBook,
    demo_data,
    error_answer,
    fault_answer,
    parse_fault,
    requested_period,
)

FAKE_APPID = "wxfake00000000001"
FAKE_SECRET = "fake-secret-for-local-tests-only"

#: The endpoint name each period's calls are counted under (``calls``, ``log``, ``fail(on=)``).
ENDPOINTS = {"day": "daily", "week": "weekly", "month": "monthly"}
#: The same for each period's visit trend ("visits_weekly" …) and the quota API ("quota").
VISIT_ENDPOINTS = {kind: f"visits_{name}" for kind, name in ENDPOINTS.items()}
_RETENTION_PATHS = {cls.API_PATH: cls for cls in PERIODS.values()}
_VISIT_PATHS = {VISIT_PATHS[kind]: cls for kind, cls in PERIODS.items()}
#: The quota answers of the paths it knows; any other cgi_path is 76021 (reported errcode).
_QUOTA_ENDPOINTS = {**{cls.API_PATH: ENDPOINTS[kind] for kind, cls in PERIODS.items()},
                    **{VISIT_PATHS[kind]: VISIT_ENDPOINTS[kind] for kind in PERIODS}}

_BAD_GATEWAY = (b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                b"<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n")
_NOT_JSON = b"<html><body>upstream answered nonsense</body></html>"


class FakeWeChat(Serving):
    """The fake server. ``calls`` counts requests received per endpoint ("daily", "weekly",
    "monthly", "visits_daily", "visits_weekly", "visits_monthly", "quota", "stable_token",
    "stable_token_force"); ``log`` lists them without tokens/secrets (a retention request's
    entry has the ``dates`` it sent and the cohort they named)."""

    def __init__(
        self,
        *,
        apps: Mapping[str, str] | None = None,
        latency: float = 0.0,
        token_ttl: float = 7200,
        now: Callable[[], datetime] | None = None,
        data: Callable[[str, Period], Retention | None] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        slow_seconds: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
        drip_seconds: float = 0.05,
        daily_limit: int = 100_000,
    ) -> None:
        self.apps = dict(apps) if apps is not None else {FAKE_APPID: FAKE_SECRET}
        self.latency, self.slow_seconds, self.drip_seconds = latency, slow_seconds, drip_seconds
        self.now = now or now_cst
        self.data = data or demo_data(self.now)
        self.host, self.port = host, port
        self.calls: Counter[str] = Counter()
        #: bytes of "drip" answers actually written before the client hung up
        self.dripped = 0
        self.log: list[dict[str, Any]] = []
        #: each API's daily quota (the quota API answers it, less the calls counted)
        self.daily_limit = daily_limit
        self._disagree: dict[tuple[str, str], tuple[int, int]] = {}
        self._lock = threading.Lock()
        self._tokens = TokenBook(clock, token_ttl)
        self._faults = FaultScript()
        self._stopping = threading.Event()
        self.thread_name = "fake-wechat"

    # -- control -------------------------------------------------------------------------------
    # url, start, stop and the context manager: testing.http.Serving

    def fail(self, fault: Fault, *, week: Period | None = None, times: int = 1,
             on: str | None = None) -> None:
        """Answer the next ``times`` matching requests (-1: all) with ``fault``.

        ``fault``: an errcode (answered as ``{"errcode", "errmsg"}``), or one of "502" (HTML
        page), "timeout" (answers after ``slow_seconds``), "notjson", "badpayload", "wrongweek",
        "empty", "camel" (the cloud-call form), "reset" (closes the connection unanswered),
        "drip" (the right answer, one byte every ``drip_seconds``), "leak" (an error whose
        errmsg echoes the token and the AppSecret, as WeChat's messages have been seen to),
        "bigkey" (a key 3,000,000), "bignumber" (10^30 users) and "markdown" (an errmsg
        written as Markdown: a link, an image, a coloured badge).
        ``week``: the cohort (a day, week or month) it answers; None matches any cohort of
        ``on``: "daily", "weekly" (the default for ``week=None``) or "monthly"; "visits_daily",
        "visits_weekly" or "visits_monthly" for the visit trend; ``on="token"`` scripts the
        token endpoints instead.
        """
        endpoint = on or (ENDPOINTS[week.kind] if week is not None else "weekly")
        self._faults.add(fault, week=week, times=times, on=endpoint)

    def clear_faults(self) -> None:
        self._faults.clear()

    def disagree(self, period: Period, *, new: int = 0, active: int = 0) -> None:
        """Let ``period``'s visit trend differ from its retention key 0 by ``new`` new and
        ``active`` active users (a real discrepancy the consistency check must show)."""
        with self._lock:
            self._disagree[(period.kind, period.iso)] = (new, active)

    def expire_tokens(self) -> None:
        """Every token issued so far is expired from now on (answers 42001)."""
        self._tokens.expire_all()

    def pause(self, seconds: float) -> bool:
        """Wait ``seconds`` between dripped bytes (one was just written); True when the server
        is stopping meanwhile (see ``Answerer``)."""
        with self._lock:
            self.dripped += 1
        return self._stopping.wait(seconds)

    def issued_tokens(self) -> list[str]:
        """Every token handed out, for tests that scan logs and messages for leaks."""
        return self._tokens.issued()

    # -- answering -----------------------------------------------------------------------------

    def _record(self, endpoint: str, reply: Reply, week: Period | None = None,
                fault: Fault | None = None, dates: tuple[Any, Any] | None = None) -> Reply:
        entry: dict[str, Any] = {"endpoint": endpoint, "status": 0 if reply.reset else reply.status,
                                 "week": week.iso if week else None, "fault": fault}
        if dates is not None:  # what a retention request asked for, as sent
            entry["dates"] = dates
        if reply.content_type.startswith("application/json"):
            entry["errcode"] = json.loads(reply.data).get("errcode", 0)
        with self._lock:
            self.log.append(entry)
        return reply

    def _count(self, endpoint: str) -> None:
        with self._lock:
            self.calls[endpoint] += 1

    def answer(self, method: str, path: str, query: dict[str, str], body: bytes) -> Reply:
        """The reply to one request (the HTTP handler only reads and writes bytes)."""
        if self.latency:
            self._stopping.wait(self.latency)
        if path in _RETENTION_PATHS:
            return self._retention(_RETENTION_PATHS[path], method, query, body)
        if path in _VISIT_PATHS:
            return self._retention(_VISIT_PATHS[path], method, query, body, visits=True)
        if path == QUOTA_PATH and method == "POST":
            return self._quota(query, body)
        if path == "/cgi-bin/stable_token" and method == "POST":
            return self._stable_token(body)
        return Reply(404, raw=b"<html><body>404 Not Found</body></html>",
                      content_type="text/html")

    def _retention(self, cls: type[Period], method: str, query: dict[str, str],
                   body: bytes, *, visits: bool = False) -> Reply:
        endpoint = (VISIT_ENDPOINTS if visits else ENDPOINTS)[cls.kind]
        self._count(endpoint)
        errcode, appid = self._tokens.check(query.get("access_token"))
        if not errcode and method != "POST":
            errcode = 43002
        period: Period | None = None
        request = _json(body)
        dates = (request.get("begin_date"), request.get("end_date")) \
            if isinstance(request, dict) else None
        if not errcode:
            errcode, period = requested_period(request, cls)
        if not errcode and period is not None and not period.has_ended(self.now()):
            errcode = 61501  # today, the current week or month, or the future
        if errcode or period is None:
            reply = Reply(body=error_answer(errcode or 47001))
            return self._record(endpoint, reply, period, dates=dates)
        fault = self._faults.take(endpoint, period)
        make = self._visits if visits else self._payload
        reply = self._retention_reply(appid, period, fault, query.get("access_token", ""), make)
        return self._record(endpoint, reply, period, fault, dates)

    def _retention_reply(self, appid: str, week: Period, fault: Fault | None, token: str,
                         make: Callable[[str, Period], dict[str, Any]]) -> Reply:
        if fault == "leak":
            # an errcode wxretain does not know, so that its errmsg is shown to the user
            return Reply(body={"errcode": 40097, "errmsg": f"invalid args: token {token} of "
                               f"app {appid} secret {self.apps.get(appid, '')} rid: 1"})
        if fault == "drip":
            reply = Reply(body=make(appid, week))
            reply.drip = self.drip_seconds
            return reply
        if fault == "502":
            return Reply(502, raw=_BAD_GATEWAY, content_type="text/html")
        if fault == "notjson":
            return Reply(raw=_NOT_JSON, content_type="text/html")
        if fault == "reset":
            return reset_reply()
        if fault == "timeout" and self._stopping.wait(self.slow_seconds):
            return reset_reply()
        answer = make(appid, week)
        if fault is None or fault == "timeout":
            return Reply(body=answer)
        return Reply(body=fault_answer(fault, week, answer, lambda w: make(appid, w)))

    def _payload(self, appid: str, week: Period) -> dict[str, Any]:
        payload = self.data(appid, week)
        if payload is None:
            return {"ref_date": week.ref_date, "visit_uv_new": [], "visit_uv": []}
        return payload.to_api()

    def _visits(self, appid: str, period: Period) -> dict[str, Any]:
        """The visit trend answer: the new and active users of retention's key 0 (unless told
        to ``disagree``), sessions and page views made up from them."""
        payload = self.data(appid, period)
        new = payload.new.get(0, 0) if payload is not None else 0
        active = payload.active.get(0, 0) if payload is not None else 0
        with self._lock:
            more_new, more_active = self._disagree.get((period.kind, period.iso), (0, 0))
        new, active = max(0, new + more_new), max(0, active + more_active)
        return {"list": [{"ref_date": period.ref_date, "session_cnt": active * 3 // 2,
                          "visit_pv": active * 4, "visit_uv": active, "visit_uv_new": new,
                          "stay_time_uv": 95.5, "stay_time_session": 63.7,
                          "visit_depth": 2.8}]}

    def _quota(self, query: dict[str, str], body: bytes) -> Reply:
        self._count("quota")
        errcode, _ = self._tokens.check(query.get("access_token"))
        request = _json(body)
        path = request.get("cgi_path") if isinstance(request, dict) else None
        if not errcode and path not in _QUOTA_ENDPOINTS:
            errcode = 76021  # "cgi_path填错了" (reported)
        if errcode:
            return self._record("quota", Reply(body=error_answer(errcode)))
        with self._lock:
            used = self.calls[_QUOTA_ENDPOINTS[str(path)]]
        remain = max(0, self.daily_limit - used)
        reply = Reply(body={"errcode": 0, "errmsg": "ok", "quota": {
            "daily_limit": self.daily_limit, "used": min(used, self.daily_limit),
            "remain": remain}})
        return self._record("quota", reply)

    def _token_fault(self, endpoint: str, request: Any) -> Reply | None:
        fault = self._faults.take("token", None)
        if fault is None:
            return None
        if fault == "leak":
            secret = request.get("secret", "") if isinstance(request, dict) else ""
            leak = f"invalid args: secret {secret} rid: 2"
            reply = Reply(body={"errcode": 40097, "errmsg": leak})
        elif isinstance(fault, int):
            reply = Reply(body=error_answer(fault))
        elif fault == "502":
            reply = Reply(502, raw=_BAD_GATEWAY, content_type="text/html")
        elif fault == "timeout" and not self._stopping.wait(self.slow_seconds):
            return None
        elif fault == "notjson":
            reply = Reply(raw=_NOT_JSON, content_type="text/html")
        else:
            reply = reset_reply()
        return self._record(endpoint, reply, fault=fault)

    def _credentials(self, appid: Any, secret: Any) -> int:
        if not isinstance(appid, str) or not appid:
            return 41002
        if appid not in self.apps:
            return 40013
        if not isinstance(secret, str) or not secret:
            return 41004
        return 0 if secret == self.apps[appid] else 40125

    def _stable_token(self, body: bytes) -> Reply:
        self._count("stable_token")
        request = _json(body)
        scripted = self._token_fault("stable_token", request)
        if scripted is not None:
            return scripted
        if not isinstance(request, dict):
            # WeChat reads only a JSON body here; a form body looks like no appid at all.
            return self._record("stable_token", Reply(body=error_answer(41002)))
        errcode = self._credentials(request.get("appid"), request.get("secret"))
        if not errcode and request.get("grant_type") != "client_credential":
            errcode = 40002
        if errcode:
            return self._record("stable_token", Reply(body=error_answer(errcode)))
        force = request.get("force_refresh") is True
        if force:
            self._count("stable_token_force")
        token, expires_in = self._tokens.stable(request["appid"], force=force)
        reply = Reply(body={"access_token": token, "expires_in": expires_in})
        return self._record("stable_token", reply)


def _json(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


@contextmanager
def _until_signalled() -> Iterator[threading.Event]:
    """An event set by SIGINT/SIGTERM while inside; the previous handlers come back after."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop  # signals reach only the main thread; whoever started us stops us
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def serve(*, port: int, latency: float = 0.0, faults: Sequence[str] = (),
          host: str = "127.0.0.1", lang: Lang = DEFAULT_LANG) -> None:
    """Run the fake until SIGINT/SIGTERM (``wxdata fake-server``); prints how to use it."""
    scripted = [parse_fault(spec) for spec in faults]  # a bad spec fails before binding
    with _until_signalled() as stop, FakeWeChat(latency=latency, host=host, port=port) as fake:
        for fault, period, times, endpoint in scripted:
            fake.fail(fault, week=period, times=times, on=endpoint)
        print(t("api.fake_serving", lang, url=fake.url, appid=FAKE_APPID, secret=FAKE_SECRET),
              flush=True)
        while not stop.wait(0.2):
            pass


__all__ = ["FAKE_APPID", "FAKE_SECRET", "FAULT_NAMES", "FakeWeChat", "Fault", "parse_fault",
           "serve"]

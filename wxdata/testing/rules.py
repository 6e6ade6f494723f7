"""The rules behind :mod:`wxdata.testing.fake`: issued tokens, scripted faults, WeChat-like answers.

Kept apart from the HTTP plumbing so that each rule can be read on its own. Nothing here does
I/O; the clock is injected.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from wxdata.core.errors import ConfigError, DateError
from wxdata.core.payload import Retention
from wxdata.core.periods import Period, last_ended_week, parse_date, period_class
from wxdata.sources.demo import DEMO_APPS, demo_payload

Fault = int | str
#: Faults that are not an errcode answer (see :meth:`wxdata.testing.fake.FakeWeChat.fail`).
FAULT_NAMES = ("502", "timeout", "notjson", "badpayload", "wrongweek", "empty", "camel", "reset",
               "drip", "leak", "bigkey", "bignumber", "markdown")
#: The caller IP named in a 40164 answer (TEST-NET-3, never a real host).
BLOCKED_IP = "203.0.113.7"
#: A stable token is renewed by WeChat during its last five minutes.
RENEW_WINDOW = 300.0

#: The endpoints a fault can be scripted on: retention, visit trend, the token.
ENDPOINT_NAMES = ("daily", "weekly", "monthly", "visits_daily", "visits_weekly",
                  "visits_monthly", "token")

ERRMSG: dict[int, str] = {
    -1: "system error",
    40001: "invalid credential, access_token is invalid or not latest",
    40002: "invalid grant_type",
    40013: "invalid appid",
    40014: "invalid access_token",
    40125: "invalid appsecret",
    40164: f"invalid ip {BLOCKED_IP} ipv6 ::ffff:{BLOCKED_IP}, not in whitelist",
    41001: "access_token missing",
    41002: "appid missing",
    41004: "appsecret missing",
    42001: "access_token expired",
    43002: "require POST method",
    45009: "reach max api daily quota limit",
    45011: "api minute-quota reach limit  mustslower  retry next minute",
    47001: "data format error",
    48001: "api unauthorized",
    61500: "date format error",
    61501: "date range error",
    61503: "data not ready, please try again later",
    76021: "cgi_path not found, please check",
}


def error_answer(errcode: int) -> dict[str, Any]:
    """``{"errcode", "errmsg"}`` as WeChat writes it, with a request id."""
    rid = f"{secrets.token_hex(4)}-{secrets.token_hex(4)}-{secrets.token_hex(4)}"
    return {"errcode": errcode, "errmsg": f"{ERRMSG.get(errcode, 'error')} rid: {rid}"}


@dataclass
class _Issued:
    appid: str
    expires_at: float
    revoked: bool = False


class TokenBook:
    """Every stable token the fake issued, with WeChat's semantics."""

    def __init__(self, clock: Callable[[], float], ttl: float) -> None:
        self._clock, self._ttl = clock, ttl
        self._lock = threading.Lock()
        self._tokens: dict[str, _Issued] = {}
        self._current: dict[str, str] = {}  # appid -> newest token

    def stable(self, appid: str, *, force: bool) -> tuple[str, int]:
        """The current stable token (a new one if forced, expired or in its last minutes)."""
        with self._lock:
            token = self._current.get(appid)
            issued = self._tokens.get(token or "")
            now = self._clock()
            if issued and not issued.revoked and not force and \
                    issued.expires_at - now > min(RENEW_WINDOW, self._ttl / 2):
                return token or "", int(issued.expires_at - now)
            if issued and force:
                issued.revoked = True
            return self._issue(appid), int(self._ttl)

    def _issue(self, appid: str) -> str:
        token = f"{secrets.token_urlsafe(48)}"
        self._tokens[token] = _Issued(appid, self._clock() + self._ttl)
        self._current[appid] = token
        return token

    def check(self, token: str | None) -> tuple[int, str]:
        """(errcode, appid) for a presented token: 0 when it may be used."""
        if not token:
            return 41001, ""
        with self._lock:
            issued = self._tokens.get(token)
            if issued is None or issued.revoked:
                return 40001, ""
            if self._clock() >= issued.expires_at:
                return 42001, issued.appid
            return 0, issued.appid

    def expire_all(self) -> None:
        with self._lock:
            now = self._clock()
            for issued in self._tokens.values():
                issued.expires_at = min(issued.expires_at, now)

    def issued(self) -> list[str]:
        with self._lock:
            return list(self._tokens)


@dataclass
class _Scripted:
    fault: Fault
    week: Period | None
    times: int
    on: str


class FaultScript:
    """Faults waiting for matching requests: the first match answers, ``times`` counts down."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[_Scripted] = []

    def add(self, fault: Fault, *, week: Period | None, times: int, on: str) -> None:
        check_fault(fault)
        if on not in ENDPOINT_NAMES:
            raise ValueError(f"on must be one of {', '.join(ENDPOINT_NAMES)}, not {on!r}")
        if on == "token" and week is not None:
            raise ValueError("token requests carry no week: script them with week=None")
        with self._lock:
            self._faults.append(_Scripted(fault, week, times, on))

    def take(self, on: str, week: Period | None) -> Fault | None:
        with self._lock:
            for scripted in self._faults:
                if scripted.on == on and scripted.times != 0 and \
                        scripted.week in (None, week):
                    scripted.times -= 1 if scripted.times > 0 else 0
                    return scripted.fault
            return None

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()


def check_fault(fault: Fault) -> None:
    if isinstance(fault, bool) or not isinstance(fault, int | str):
        raise ValueError(f"fault must be an errcode or one of {FAULT_NAMES}")
    if isinstance(fault, str) and fault not in FAULT_NAMES:
        raise ValueError(f"unknown fault {fault!r}; use an errcode or one of {FAULT_NAMES}")


_SPEC = re.compile(r"^\s*([^=\s]+)\s*=\s*([^*\s]+)\s*(?:\*\s*(-?\d+|forever))?\s*$")
_SPEC_HINT = ("[day:|month:]WHEN=FAULT[*TIMES], e.g. 2026-W40=61501, any=502, any=-1*3, "
              "any=timeout*forever, day:2026-11-03=61503, month:any=45009")
#: The endpoint a spec's ``day:`` / ``week:`` / ``month:`` prefix scripts (none: weekly).
_SPEC_KINDS = {"day": "daily", "week": "weekly", "month": "monthly"}


def parse_fault(spec: str) -> tuple[Fault, Period | None, int, str]:
    """A ``--fail`` spec: ``"2026-W40=61501"`` -> ``(61501, <2026-W40>, 1, "weekly")``,
    ``"any=-1*3"`` -> ``(-1, None, 3, "weekly")``, ``"day:2026-11-03=61503"`` -> ``(61503,
    <2026-11-03>, 1, "daily")``, ``"month:any=502"`` -> ``("502", None, 1, "monthly")``.

    Without a prefix the cohort is a week: ``any`` or anything :meth:`Week.parse` reads (a date
    stands for its week, as before days and months existed); ``day:`` and ``month:`` name a day
    or a month the same way. ``*forever`` (or ``*-1``) never runs out. A bad spec is a
    :class:`ConfigError` that shows the expected form.
    """
    match = _SPEC.match(spec)
    if not match:
        raise ConfigError("bad_value", name="--fail", value=spec, hint=_SPEC_HINT)
    where, what, times = match.groups()
    kind, _, when = where.rpartition(":") if ":" in where else ("week", "", where)
    fault: Fault = int(what) if re.fullmatch(r"-?\d+", what) and what != "502" else what
    try:
        check_fault(fault)
        endpoint = _SPEC_KINDS[kind.lower()]
        period = None if when.lower() == "any" else period_class(kind.lower()).parse(when)
    except (ValueError, DateError, KeyError):
        raise ConfigError("bad_value", name="--fail", value=spec, hint=_SPEC_HINT) from None
    count = -1 if times in ("forever", "-1") else int(times or 1)
    return fault, period, count, endpoint


def requested_period(body: Any, cls: type[Period]) -> tuple[int, Period | None]:
    """(errcode, cohort) for a retention request body of ``cls``'s API, by WeChat's rules on
    dates (a day: begin = end; a week: Monday..Sunday; a month: the 1st..its last day)."""
    if not isinstance(body, dict):
        return 47001, None
    begin, end = body.get("begin_date"), body.get("end_date")
    if not isinstance(begin, str) or not isinstance(end, str):
        return 47001, None
    try:
        if not (re.fullmatch(r"\d{8}", begin) and re.fullmatch(r"\d{8}", end)):
            raise DateError("bad_date", value=begin)
        parse_date(begin), parse_date(end)
    except DateError:
        return 61500, None
    try:
        return 0, cls.from_api_dates(begin, end)
    except DateError:
        return 61501, None


def demo_data(now: Callable[[], datetime]) -> Callable[[str, Period], Retention | None]:
    """Believable numbers for any appid: the first demo app, only keys published by ``now``."""

    def data(appid: str, week: Period) -> Retention | None:
        moment = now()
        return demo_payload(DEMO_APPS[0], week, last_ended_week(moment), moment)

    return data


def fault_answer(fault: Fault, week: Period, answer: dict[str, Any],
                 other: Callable[[Period], dict[str, Any]]) -> dict[str, Any]:
    """The JSON body of a payload fault; ``answer`` is the true one, ``other`` gives another's."""
    if isinstance(fault, int):
        return error_answer(fault)
    if fault == "badpayload":
        return {"ref_date": week.ref_date, "visit_uv_new": [{"key": "zero", "value": -1}],
                "visit_uv": "none"}
    if fault == "wrongweek":
        return other(week.shift(-1))
    if fault == "empty":
        return {"ref_date": week.ref_date, "visit_uv_new": [], "visit_uv": []}
    if fault == "markdown":  # an errmsg a dashboard must show as text
        return {"errcode": 40097, "errmsg": "[LOGIN AGAIN](https://evil.example/login) "
                "![p](https://evil.example/p.png) :red[**urgent**] rid: 3"}
    if fault == "bigkey":  # once made a dashboard allocate 20 GB
        return {**answer, "visit_uv_new": [{"key": 0, "value": 1}, {"key": 3_000_000, "value": 1}]}
    if fault == "bignumber":  # once poisoned every later export of the week
        return {**answer, "visit_uv_new": [{"key": 0, "value": 10**30}]}
    if fault == "camel":
        return {"refDate": answer["ref_date"], "visitUvNew": answer["visit_uv_new"],
                "visitUv": answer["visit_uv"], "errMsg": f"openapi.analysis.{week.CLOUD_CALL}:ok"}
    return answer

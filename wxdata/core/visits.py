"""Two checks beside retention: a period's visit trend, and what is left of an API's quota.

**Visit trend** (``getDailyVisitTrend``, ``getWeeklyVisitTrend``, ``getMonthlyVisitTrend``;
``docs/wechat-api.md``): one answer per period with the same date rules as retention, its
``list`` holding one row of ``visit_uv_new`` (new users), ``visit_uv`` (active users),
``session_cnt``, ``visit_pv`` and three averages. Its new and active users are the same people
as retention's key 0 of the same period, so the two answers must agree; :class:`Visits` is one
validated row, checked like a retention answer (the period asked for, whole counts).

**Quota** (``POST /cgi-bin/openapi/quota/get``): ``daily_limit``, ``used`` and ``remain`` of one
API path today, the way to know before a long refresh whether the calls it needs are left.

>>> from datetime import date
>>> from wxdata.core.periods import Day
>>> v = parse_visits({"list": [{"ref_date": "20261103", "visit_uv_new": 120, "visit_uv": 900,
...                             "session_cnt": 1500, "visit_pv": 4000}]},
...                   expect=Day(date(2026, 11, 3)))
>>> v.new_users, v.active_users, v.period.iso
(120, 900, '2026-11-03')
>>> parse_quota({"errcode": 0, "quota": {"daily_limit": 100000, "used": 12, "remain": 99988}})
Quota(daily_limit=100000, used=12, remain=99988)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from wxdata.core.errors import DateError, PayloadError
from wxdata.core.periods import Period, PeriodKind, period_of_ref_date

#: The visit trend API of each period.
VISIT_PATHS: dict[PeriodKind, str] = {
    "day": "/datacube/getweanalysisappiddailyvisittrend",
    "week": "/datacube/getweanalysisappidweeklyvisittrend",
    "month": "/datacube/getweanalysisappidmonthlyvisittrend",
}
#: The API that tells an API's quota.
QUOTA_PATH = "/cgi-bin/openapi/quota/get"
_MOST = 10**10  # as for retention: a count past this is no real mini program's


@dataclass(frozen=True)
class Visits:
    """A period's visit trend: its new and active users (and sessions, page views)."""

    period: Period
    new_users: int
    active_users: int
    sessions: int = 0
    page_views: int = 0


@dataclass(frozen=True)
class Quota:
    """What is left today of one API's daily quota."""

    daily_limit: int
    used: int
    remain: int


def _count(row: Mapping[str, Any], field: str, name: str, required: bool = True) -> int:
    value = row.get(field)
    if value is None and not required:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < _MOST:
        raise PayloadError("bad_visit_value", week=name, field=field, item=repr(value)[:40])
    return value


def parse_visits(obj: Any, *, expect: Period) -> Visits:
    """The row of ``expect`` in a visit trend answer; a PayloadError naming what is wrong."""
    name = expect.label
    rows = obj.get("list") if isinstance(obj, Mapping) else None
    if not isinstance(rows, list):
        raise PayloadError("not_a_list", week=name, field="list")
    for row in rows:
        if not isinstance(row, Mapping) or not isinstance(row.get("ref_date"), str):
            raise PayloadError("missing_field", week=name, field="ref_date")
        try:
            period = period_of_ref_date(row["ref_date"])
        except DateError:
            raise PayloadError("bad_visit_ref_date", week=name,
                               value=row["ref_date"][:40]) from None
        if period != expect:
            continue
        return Visits(period, _count(row, "visit_uv_new", name), _count(row, "visit_uv", name),
                      _count(row, "session_cnt", name, False),
                      _count(row, "visit_pv", name, False))
    raise PayloadError("no_visit_row", week=name)


def parse_quota(obj: Any) -> Quota:
    """The ``quota`` object of a quota answer."""
    quota = obj.get("quota") if isinstance(obj, Mapping) else None
    if not isinstance(quota, Mapping):
        raise PayloadError("missing_field", week=QUOTA_PATH, field="quota")
    values = [_count(quota, f, QUOTA_PATH) for f in ("daily_limit", "used", "remain")]
    return Quota(*values)


__all__ = ["QUOTA_PATH", "VISIT_PATHS", "Quota", "Visits", "parse_quota", "parse_visits"]

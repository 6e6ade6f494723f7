"""Synthetic but believable daily, weekly and monthly retention for two sample mini programs.

Two years of days, weeks and months ending at the newest ended one, so the demo always looks
current. The three tell one story: a week's new users are about the sum of its days', a
month's the sum of its weeks', and the launch and the festival fall on the same dates. What a
PM should be able to find in it:

- a Spring Festival dip: fewer new users in the festival week and the one after, and fewer
  returning users in those calendar weeks for every cohort (a column in the calendar view);
- a launch that lifts retention: from :data:`LAUNCH_WEEKS_AGO` weeks ago the fruit shop's
  onboarding release raises new-user retention by about a fifth;
- in days, a weekday pattern (more new users at the weekend, more people coming back on
  weekend days) and the seven festival days;
- recent cohorts with fewer keys, exactly as WeChat publishes them (cohort P's key k only once
  P+k has ended).

Every number is drawn from a generator seeded by (appid, week), so a week's numbers never change
between runs or sessions.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import MappingProxyType

import numpy as np

from wxdata.core.apps import AppInfo
from wxdata.core.errors import NoDataError
from wxdata.core.goals import Goal
from wxdata.core.notes import Note
from wxdata.core.payload import Retention
from wxdata.core.periods import (
    Day,
    Month,
    Period,
    PeriodKind,
    Week,
    last_ended_week,
    now_cst,
    period_class,
)
from wxdata.core.report import LoadResult, ProgressFn
from wxdata.sources.base import SourceName, serve

DEMO_WEEKS = 104
LAUNCH_WEEKS_AGO = 30
#: The first day of the Spring Festival (lunar new year) in each year.
SPRING_FESTIVAL = {
    2024: date(2024, 2, 10), 2025: date(2025, 1, 29), 2026: date(2026, 2, 17),
    2027: date(2027, 2, 6), 2028: date(2028, 1, 26), 2029: date(2029, 2, 13),
    2030: date(2030, 2, 3), 2031: date(2031, 1, 23), 2032: date(2032, 2, 11),
}


@dataclass(frozen=True)
class DemoApp(AppInfo):
    """A synthetic mini program: its name and appid (:meth:`AppInfo.info`) and its curves."""

    new_users: int  # typical weekly new users
    active_ratio: float  # active users per new user
    new_curve: tuple[float, float]  # (W1 rate, power-law exponent) of new users
    active_curve: tuple[float, float]
    growth: float  # weekly growth of new users
    launch_lift: float  # retention multiplier after the launch (1.0: no launch)


#: The demo's goals, as ``[[wxdata.apps]] goals`` would set them: the fruit shop aims at a W1
#: its launch reached, the puzzle at one it misses, so that the demo shows both verdicts.
DEMO_GOALS: dict[str, tuple[Goal, ...]] = {
    "wxdemo00freshmart": (Goal("new", "week", 1, 0.30), Goal("new", "day", 1, 0.30),
                          Goal("new", "month", 1, 0.22)),
    "wxdemo0000puzzle": (Goal("new", "week", 1, 0.22), Goal("new", "day", 1, 0.25)),
}


def demo_notes(now: datetime | None = None) -> dict[str, tuple[Note, ...]]:
    """The demo's notes, as admins would add them (ids below 0: not in any store): the fruit
    shop's launch, on the Monday its retention rises, and a sale of its inside the default
    twelve weeks; a campaign of the puzzle's."""
    newest = last_ended_week(now)
    launch = newest.start - timedelta(weeks=LAUNCH_WEEKS_AGO - 1)
    sale = newest.start - timedelta(weeks=5) + timedelta(days=4)
    campaign = newest.start - timedelta(weeks=8)
    fresh, puzzle = "wxdemo00freshmart", "wxdemo0000puzzle"
    return {
        fresh: (Note(fresh, launch, launch, "v2.0 上线:新会员体系 / v2.0 release: new membership",
                     "demo", None, -1),
                Note(fresh, sale, sale + timedelta(days=2), "会员日促销 / Members' day sale",
                     "demo", None, -2)),
        puzzle: (Note(puzzle, campaign, campaign + timedelta(days=13),
                      "拼图节活动 / Puzzle festival campaign", "demo", None, -3),),
    }


DEMO_APPS: tuple[DemoApp, ...] = (
    DemoApp("鲜果优选(示例)", "wxdemo00freshmart", 18_000, 3.2, (0.28, 0.55), (0.52, 0.32),
            0.004, 1.2),
    DemoApp("拼图大作战(示例)", "wxdemo0000puzzle", 52_000, 2.1, (0.19, 0.75), (0.41, 0.45),
            -0.002, 1.0),
)


def festival_weeks() -> frozenset[Week]:
    """The festival week and the week after, every year."""
    weeks = [Week.containing(day).shift(k) for day in SPRING_FESTIVAL.values() for k in (0, 1)]
    return frozenset(weeks)


def _festival_days() -> frozenset[date]:
    """The festival's first day and the six after it (the public holiday), every year."""
    return frozenset(day + timedelta(days=k) for day in SPRING_FESTIVAL.values() for k in range(7))


_FESTIVAL_DAYS = _festival_days()
#: Weekday pattern of the daily demo (Monday first): more new users at the weekend, and more
#: of any cohort coming back on a weekend day. The sizes average to 1 over a week.
_WEEKDAY_SIZE = (0.92, 0.90, 0.91, 0.94, 1.02, 1.17, 1.14)
_WEEKEND_RETURN = 1.10
#: Of a week's active users, how many a whole month has (people visit in several weeks).
_MONTH_ACTIVE_PER_WEEK = 2.3


def _in_festival(period: Period) -> bool:
    """A cohort period touched by the Spring Festival holiday."""
    if isinstance(period, Week):
        return period in festival_weeks()
    return any(period.start <= day <= period.end for day in _FESTIVAL_DAYS)


def _rng(appid: str, period: Period) -> np.random.Generator:
    # weeks keep the seed they had before days and months existed: their numbers never change
    kind = "" if period.kind == "week" else f"{period.kind}:"
    return np.random.default_rng(zlib.crc32(f"{kind}{appid}:{period.start.isoformat()}".encode()))


def _rate(period: Period, curve: tuple[float, float], lift: float, k: int) -> float:
    """The chance that one of the cohort comes back at offset ``k``."""
    w1, exponent = curve
    if isinstance(period, Week):
        return float(min(0.95, w1 * lift * k ** -exponent))
    if isinstance(period, Month):  # a month later is about four weeks later, seen over a month
        return float(min(0.95, 1.6 * w1 * lift * (4 * k) ** -exponent))
    rate = float(min(0.95, 0.9 * w1 * lift * k ** (-exponent * 0.9)))  # on day D+k
    return rate * (_WEEKEND_RETURN if period.shift(k).start.weekday() >= 5 else 1.0)


def _series(rng: np.random.Generator, base: int, curve: tuple[float, float], lift: float,
            period: Period, keys: Sequence[int]) -> dict[int, int]:
    values = {0: base}
    for k in keys:
        if k == 0:
            continue
        rate = _rate(period, curve, lift, k)
        if _in_festival(period.shift(k)):
            rate *= 0.72
        values[k] = int(rng.binomial(base, rate))
    return values


def _size(app: DemoApp, period: Period, weeks_old: float, rng: np.random.Generator) -> float:
    """New users of the cohort: the weekly trend, spread over days or summed over a month."""
    weekly = app.new_users * (1 + app.growth) ** (-weeks_old)
    if isinstance(period, Day):
        size = weekly / 7 * _WEEKDAY_SIZE[period.start.weekday()] * rng.lognormal(0, 0.08)
        return float(size * (0.58 if period.start in _FESTIVAL_DAYS else 1.0))
    size = weekly * period.days / 7 * rng.lognormal(0, 0.06 if isinstance(period, Week) else 0.03)
    return float(size * (0.58 if isinstance(period, Week) and _in_festival(period) else 1.0))


def demo_payload(app: DemoApp, period: Period, newest: Week, now: datetime | None = None) -> \
        Retention:
    """One synthetic cohort (a day, week or month) of ``app``; ``newest`` (the newest ended
    week) anchors the trend and the launch, so that days, weeks and months tell one story."""
    rng = _rng(app.appid, period)
    weeks_old = (newest.start - period.start).days / 7
    size = _size(app, period, weeks_old, rng)
    new_base = int(size)
    active_ratio = app.active_ratio * (_MONTH_ACTIVE_PER_WEEK / 4.35 * period.days / 7
                                       if isinstance(period, Month) else 1.0)
    active_base = int(size * active_ratio * rng.lognormal(0, 0.03))
    lift = app.launch_lift if weeks_old < LAUNCH_WEEKS_AGO else 1.0
    keys = period.published_keys(now)
    new = _series(rng, new_base, app.new_curve, lift, period, keys)
    active = _series(rng, active_base, app.active_curve, 1 + (lift - 1) / 2, period, keys)
    return Retention(period, MappingProxyType(new), MappingProxyType(active))


#: How far back the demo goes, per period: two years of days and weeks, two years of months.
DEMO_SPAN: dict[PeriodKind, int] = {"day": 7 * DEMO_WEEKS, "week": DEMO_WEEKS, "month": 24}


def demo_window(now: datetime | None = None, kind: PeriodKind = "week") -> tuple[Period, Period]:
    """The first and last cohort of ``kind`` the demo has data for."""
    newest = period_class(kind).last_ended(now)
    return newest.shift(-(DEMO_SPAN[kind] - 1)), newest


@dataclass
class DemoSource:
    """Two synthetic mini programs over the last two years; needs no configuration."""

    now: datetime | None = None
    name: SourceName = "demo"

    def apps(self) -> tuple[AppInfo, ...]:
        return tuple(app.info() for app in DEMO_APPS)

    def load(self, app_ids: Sequence[str], periods: Sequence[Period], *, refresh: bool = False,
             progress: ProgressFn | None = None) -> LoadResult:
        known = {app.appid: app for app in DEMO_APPS}
        anchor = last_ended_week(self.now)
        windows = {kind: demo_window(self.now, kind) for kind in {p.kind for p in periods}}
        lookup: dict[str, dict[Period, Retention]] = {
            appid: {p: demo_payload(known[appid], p, anchor, self.now) for p in periods
                    if windows[p.kind][0] <= p <= windows[p.kind][1]}
            for appid in app_ids if appid in known
        }
        first = windows[periods[0].kind][0].label if periods else ""
        missing = NoDataError("demo_out_of_range", first=first, week="")
        result = serve(app_ids, periods, lookup, missing, self.now or now_cst(), self.now)
        if progress is not None:
            progress(len(periods) * len(app_ids), len(periods) * len(app_ids))
        return result

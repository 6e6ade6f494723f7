"""Synthetic but believable weekly retention for two sample mini programs.

Two years of weeks ending at the newest ended week, so the demo always looks current. What a
PM should be able to find in it:

- a Spring Festival dip: fewer new users in the festival week and the one after, and fewer
  returning users in those calendar weeks for every cohort (a column in the calendar view);
- a launch that lifts retention: from :data:`LAUNCH_WEEKS_AGO` weeks ago the fruit shop's
  onboarding release raises new-user retention by about a fifth;
- recent weeks with fewer keys, exactly as WeChat publishes them (week W's key k only once
  week W+k has ended).

Every number is drawn from a generator seeded by (appid, week), so a week's numbers never change
between runs or sessions.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from types import MappingProxyType

import numpy as np

from wxdata.core.apps import AppInfo
from wxdata.core.errors import NoDataError
from wxdata.core.payload import WeeklyRetention
from wxdata.core.report import LoadResult, ProgressFn
from wxdata.core.weeks import Week, last_ended_week, now_cst
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
class DemoApp:
    name: str
    appid: str
    new_users: int  # typical weekly new users
    active_ratio: float  # active users per new user
    new_curve: tuple[float, float]  # (W1 rate, power-law exponent) of new users
    active_curve: tuple[float, float]
    growth: float  # weekly growth of new users
    launch_lift: float  # retention multiplier after the launch (1.0: no launch)


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


def _rng(appid: str, week: Week) -> np.random.Generator:
    return np.random.default_rng(zlib.crc32(f"{appid}:{week.start.isoformat()}".encode()))


def _series(rng: np.random.Generator, base: int, curve: tuple[float, float], lift: float,
            week: Week, offsets: int) -> dict[int, int]:
    w1, exponent = curve
    holidays = festival_weeks()
    values = {0: base}
    for k in range(1, offsets):
        rate = min(0.95, w1 * lift * k ** -exponent)
        if week.shift(k) in holidays:
            rate *= 0.72
        values[k] = int(rng.binomial(base, rate))
    return values


def demo_payload(app: DemoApp, week: Week, newest: Week, now: datetime | None = None) -> \
        WeeklyRetention:
    """One synthetic week of ``app``; ``newest`` anchors the trend and the launch."""
    rng = _rng(app.appid, week)
    age = (newest.start - week.start).days // 7
    size = app.new_users * (1 + app.growth) ** (-age) * rng.lognormal(0, 0.06)
    if week in festival_weeks():
        size *= 0.58
    new_base = int(size)
    active_base = int(size * app.active_ratio * rng.lognormal(0, 0.03))
    lift = app.launch_lift if age < LAUNCH_WEEKS_AGO else 1.0
    offsets = week.published_offsets(now)
    new = _series(rng, new_base, app.new_curve, lift, week, offsets)
    active = _series(rng, active_base, app.active_curve, 1 + (lift - 1) / 2, week, offsets)
    return WeeklyRetention(week, MappingProxyType(new), MappingProxyType(active))


def demo_window(now: datetime | None = None) -> tuple[Week, Week]:
    """The first and last week the demo has data for."""
    newest = last_ended_week(now)
    return newest.shift(-(DEMO_WEEKS - 1)), newest


@dataclass
class DemoSource:
    """Two synthetic mini programs over the last two years; needs no configuration."""

    now: datetime | None = None
    name: SourceName = "demo"

    def apps(self) -> tuple[AppInfo, ...]:
        return tuple(AppInfo(app.name, app.appid) for app in DEMO_APPS)

    def load(self, app_ids: Sequence[str], weeks: Sequence[Week], *, refresh: bool = False,
             progress: ProgressFn | None = None) -> LoadResult:
        first, newest = demo_window(self.now)
        known = {app.appid: app for app in DEMO_APPS}
        lookup = {
            appid: {w: demo_payload(known[appid], w, newest, self.now)
                    for w in weeks if first <= w <= newest}
            for appid in app_ids if appid in known
        }
        missing = NoDataError("demo_out_of_range", first=first.label, week="")
        result = serve(app_ids, weeks, lookup, missing, self.now or now_cst(), self.now)
        if progress is not None:
            progress(len(weeks) * len(app_ids), len(weeks) * len(app_ids))
        return result

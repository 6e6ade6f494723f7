from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from datetime import date, datetime

import pandas as pd
import pytest

from wxdata.config import Settings
from wxdata.core.errors import PayloadError
from wxdata.core.payload import (
    MAX_ANSWERS,
    MAX_ANSWERS_OF,
    MAX_FILE_BYTES,
    Retention,
    loads,
    parse_many,
)
from wxdata.core.periods import CST, Day, Month, Week, last_n_weeks
from wxdata.core.tidy import TIDY_COLUMNS
from wxdata.sources import DemoSource, FileSource, make_source
from wxdata.sources.demo import DEMO_APPS, DEMO_WEEKS, LAUNCH_WEEKS_AGO, SPRING_FESTIVAL

NOW = datetime(2026, 11, 28, 12, tzinfo=CST)
APPIDS = [app.appid for app in DEMO_APPS]


def demo_frame(weeks: int = DEMO_WEEKS) -> pd.DataFrame:
    return DemoSource(now=NOW).load(APPIDS, last_n_weeks(weeks, NOW)).frame


def test_no_configuration_gives_the_demo() -> None:
    assert make_source(Settings()).name == "demo"


def test_demo_has_two_apps_and_two_years() -> None:
    result = DemoSource(now=NOW).load(APPIDS, last_n_weeks(DEMO_WEEKS, NOW))
    frame = result.frame
    assert list(frame.columns) == TIDY_COLUMNS
    assert sorted(frame["app_id"].unique()) == sorted(APPIDS)
    assert frame.groupby("app_id")["cohort_start"].nunique().tolist() == [DEMO_WEEKS, DEMO_WEEKS]
    assert all(r.status == "supplied" for r in result.reports) and result.ok


_FRAME_DIGEST = """
import hashlib, sys
from datetime import datetime
from wxdata.core.periods import CST, period_class
from wxdata.core.tidy import export_frame
from wxdata.sources.demo import DEMO_APPS, DemoSource
now = datetime(2026, 11, 28, 12, tzinfo=CST)
for kind in ("day", "week", "month"):
    frame = DemoSource(now=now).load([a.appid for a in DEMO_APPS],
                                     period_class(kind).last_n(20, now)).frame
    print(kind, hashlib.sha256(export_frame(frame, kind).to_csv().encode()).hexdigest())
"""


def test_demo_is_deterministic_within_and_across_processes() -> None:
    """Issue 18, item 8: the numbers of a cohort never change between sessions, replicas or
    runs, so two processes (each with its own hash seed) draw the same frames."""
    pd.testing.assert_frame_equal(demo_frame(10), demo_frame(10))
    here = io.StringIO()
    with contextlib.redirect_stdout(here):
        exec(_FRAME_DIGEST, {})  # this process: its own hash seed, modules already imported
    runs = [subprocess.run([sys.executable, "-c", _FRAME_DIGEST], capture_output=True,
                           text=True, check=True, timeout=240,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2")]
    assert runs == [here.getvalue()] * 2
    lines = here.getvalue().split("\n")[:-1]
    assert [line.split()[0] for line in lines] == ["day", "week", "month"]
    assert len({line.split()[1] for line in lines}) == 3  # three different frames, each hashed


def _daily(weeks: int) -> pd.DataFrame:
    return DemoSource(now=NOW).load(APPIDS, Day.last_n(7 * weeks, NOW)).frame


def test_the_daily_demo_tells_the_weekly_story() -> None:
    """Issue 14, item 6: a week's new users are about the sum of its days', with a weekday
    pattern and the keys WeChat publishes for days (D0..D7, D14, D30, never D8..D13)."""
    days, weeks = _daily(20), demo_frame(20)
    new = days[(days["metric"] == "new") & (days["offset"] == 0)].copy()
    new["week"] = new["cohort_start"] - pd.to_timedelta(new["cohort_start"].dt.day_of_week, "D")
    per_week = new.groupby(["app_id", "week"])["users"]
    summed = per_week.sum()[per_week.count() == 7]  # whole weeks only
    weekly = weeks[(weeks["metric"] == "new") & (weeks["offset"] == 0)] \
        .set_index(["app_id", "cohort_start"])["users"]
    ratio = (summed / weekly.reindex(summed.index)).dropna()
    assert len(ratio) >= 2 * 19 and ratio.between(0.8, 1.2).all()
    weekend = new["cohort_start"].dt.day_of_week >= 5
    assert new[weekend]["users"].mean() > 1.1 * new[~weekend]["users"].mean()
    assert set(days["offset"]) == set(Day.KEYS)
    newest = days[days["cohort_start"] == days["cohort_start"].max()]
    assert set(newest["offset"]) == {0}  # yesterday: only its own day so far


def test_the_festival_shows_in_days_and_months_have_two_keys() -> None:
    festival = pd.Timestamp(SPRING_FESTIVAL[2026])
    days = DemoSource(now=NOW).load(APPIDS[:1], Day.span("2026-01-20", "2026-03-10", NOW)).frame
    new = days[(days["metric"] == "new") & (days["offset"] == 0)].set_index("cohort_start")
    during = new.loc[festival:festival + pd.Timedelta(days=6), "users"].mean()
    around = new.drop(new.loc[festival:festival + pd.Timedelta(days=6)].index)["users"].mean()
    assert during < 0.75 * around
    months = DemoSource(now=NOW).load(APPIDS, Month.last_n(24, NOW)).frame
    assert set(months["offset"]) == {0, 1}
    assert set(months[months["cohort_start"] == months["cohort_start"].max()]["offset"]) == {0}
    rates = months.loc[months["offset"] == 1, "rate"]
    assert rates.between(0.05, 0.9).all()


def test_demo_recent_weeks_have_fewer_keys_like_wechat() -> None:
    frame = demo_frame(8)
    keys = frame[frame["metric"] == "new"].groupby("cohort_start")["offset"].max()
    # Newest ended week: key 0 only; one more key per older week, up to the documented 0..4.
    assert keys.tolist()[-5:] == [4, 3, 2, 1, 0]
    assert keys.tolist()[:3] == [4, 4, 4]


def test_demo_rates_are_believable() -> None:
    frame = demo_frame()
    rates = frame.loc[frame["offset"] > 0, "rate"]
    assert rates.between(0.01, 0.9).all()
    by_offset = frame[frame["metric"] == "new"].groupby("offset")["rate"].mean()
    assert by_offset.is_monotonic_decreasing  # retention decays with the offset


def _w1(frame: pd.DataFrame, appid: str) -> pd.Series:
    rows = frame[(frame["app_id"] == appid) & (frame["metric"] == "new")
                 & (frame["offset"] == 1)]
    return rows.set_index("cohort_start")["rate"]


def test_demo_spring_festival_dip_and_launch_lift() -> None:
    frame = demo_frame()
    fresh = DEMO_APPS[0].appid
    sizes = frame[(frame["app_id"] == fresh) & (frame["metric"] == "new")
                  & (frame["offset"] == 0)].set_index("cohort_start")["users"]
    festival = pd.Timestamp(Week.containing(SPRING_FESTIVAL[2026]).start)
    assert sizes[festival] < 0.75 * sizes.median()
    w1 = _w1(frame, fresh).dropna()
    newest = w1.index.max()
    launched = w1[w1.index > newest - pd.Timedelta(weeks=LAUNCH_WEEKS_AGO - 1)]
    before = w1[w1.index < newest - pd.Timedelta(weeks=LAUNCH_WEEKS_AGO + 1)]
    assert launched.mean() > 1.1 * before.mean()


def test_demo_weeks_outside_its_window_are_missing_not_failed() -> None:
    old = [Week(date(2020, 1, 6))]
    result = DemoSource(now=NOW).load(APPIDS[:1], old)
    assert result.frame.empty
    assert [r.status for r in result.reports] == ["missing"]
    assert "two years" in result.reports[0].reason("en")


def test_file_source_serves_imported_weeks_and_reports_the_rest() -> None:
    source = FileSource(now=NOW)
    week = Week(date(2026, 11, 2))
    source.add("wxA", [Retention(week, {0: 10, 1: 4}, {0: 20})], name="Shop")
    source.add("wxA", [Retention(week, {0: 12, 1: 6}, {0: 20})])  # newest import wins
    assert [(a.name, a.appid) for a in source.apps()] == [("Shop", "wxA")]
    assert source.periods() == [week]
    result = source.load(["wxA"], [week, week.shift(1)])
    assert result.frame[result.frame["metric"] == "new"]["users"].tolist() == [12, 6]
    assert [r.status for r in result.reports] == ["supplied", "missing"]
    assert len(result.provisional) == 1  # 2026-11-02 is not final on 2026-11-28


def test_a_week_outside_the_demo_names_itself_in_its_reason() -> None:
    now = datetime(2026, 11, 28, tzinfo=CST)
    old = Week.containing(date(2023, 1, 4))
    result = DemoSource(now=now).load([DEMO_APPS[0].appid], [old])
    (report,) = result.reports
    assert report.status == "missing" and old.label in report.reason("en")
    assert old.label in report.reason("zh")


def _daily_file(days: list[Day]) -> str:
    """A saved file of daily answers as a cloud function writes it (one JSON list)."""
    answers = [Retention(d, {k: 20_000 - 300 * k for k in Day.KEYS},
                         {k: 90_000 - 900 * k for k in Day.KEYS}).to_api() for d in days]
    return json.dumps(answers)


def test_ten_years_of_days_import_from_one_file() -> None:
    # the ten years to 2026-11-27: 3,652 daily answers, over the 2,000 one cap allowed for all
    days = list(Day.between(Day(date(2016, 11, 28)), Day(date(2026, 11, 27))))
    text = _daily_file(days)
    assert len(days) == 3652 > MAX_ANSWERS and len(text.encode()) <= MAX_FILE_BYTES
    payloads = loads(text)
    assert [p.period for p in payloads] == days
    source = FileSource(now=NOW)
    source.add("wxA", payloads)
    assert source.periods("day") == days
    result = source.load(["wxA"], days)
    assert result.ok and result.frame["cohort_start"].nunique() == 3652
    assert len(result.frame) == 3652 * 2 * len(Day.KEYS)


def test_a_file_with_more_days_than_its_cap_is_refused_naming_both_numbers() -> None:
    cap = MAX_ANSWERS_OF["day"]
    days = [Day(date(2010, 1, 1)).shift(n) for n in range(cap + 1)]
    with pytest.raises(PayloadError) as info:
        loads(_daily_file(days))
    assert info.value.code == "too_many_day_answers"
    assert f"{cap + 1} days" in info.value.message("en")  # the period is named, not "answers"
    assert f"{cap + 1} 天" in info.value.message("zh") and f"{cap} 天" in info.value.message("zh")
    # weeks keep their own cap: as many weeks as days were allowed is too many
    weeks = [Retention(Week(date(1990, 1, 1)).shift(n), {0: 1}, {0: 1}).to_api()
             for n in range(MAX_ANSWERS + 1)]
    with pytest.raises(PayloadError) as info:
        parse_many(weeks)
    assert info.value.code == "too_many_week_answers" and f"{MAX_ANSWERS + 1}" in str(info.value)

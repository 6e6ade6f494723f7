from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from wxdata.config import Settings
from wxdata.core.payload import Retention
from wxdata.core.periods import CST, Week, last_n_weeks
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


def test_demo_is_deterministic() -> None:
    pd.testing.assert_frame_equal(demo_frame(10), demo_frame(10))


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

"""China's holiday calendar (core/holidays.py) and the day marks built on it (analytics/days.py).

The expected days are the State Council's published schedules, written out by hand:
2025 Spring Festival off 28 Jan - 4 Feb, worked Sun 26 Jan and Sat 8 Feb; 2025 National Day and
Mid-Autumn off 1-8 Oct (the 6th is Mid-Autumn), worked Sun 28 Sep and Sat 11 Oct; 2026 Spring
Festival off 15-23 Feb, worked Sat 14 and Sat 28 Feb; 2026 Mid-Autumn off 25-27 Sep; 2026
National Day off 1-7 Oct, worked Sun 20 Sep and Sat 10 Oct.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from wxdata.analytics import days
from wxdata.core import holidays
from wxdata.core.periods import Day, Month, Week


def _days(first: str, last: str) -> list[date]:
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


@pytest.mark.parametrize(("first", "last", "key"), [
    ("2025-01-28", "2025-02-04", "spring_festival"),
    ("2026-02-15", "2026-02-23", "spring_festival"),
    ("2026-10-01", "2026-10-07", "national_day"),
    ("2026-09-25", "2026-09-27", "mid_autumn_festival"),
])
def test_every_day_off_of_a_festival_is_known(first: str, last: str, key: str) -> None:
    for day in _days(first, last):
        found = holidays.on(day)
        assert found is not None and found.off and found.key == key, day
    before = date.fromisoformat(first) - timedelta(days=1)
    after = date.fromisoformat(last) + timedelta(days=1)
    for day in (before, after):  # the run ends where the schedule says
        found = holidays.on(day)
        assert found is None or found.key != key or not found.off, day


@pytest.mark.parametrize(("day", "key"), [
    ("2025-01-26", "spring_festival"), ("2025-02-08", "spring_festival"),
    ("2025-09-28", "national_day"), ("2025-10-11", "national_day"),
    ("2026-02-14", "spring_festival"), ("2026-02-28", "spring_festival"),
    ("2026-09-20", "national_day"), ("2026-10-10", "national_day"),
])
def test_make_up_working_days_are_weekend_days_worked(day: str, key: str) -> None:
    found = holidays.on(date.fromisoformat(day))
    assert found is not None and not found.off and found.key == key
    assert Day.parse(day).is_weekend  # a Saturday or Sunday that people work
    assert found.name("zh") == f"{holidays.holiday_name(key, 'zh')}调休上班"
    assert found.name("en").endswith("make-up workday")


def test_an_ordinary_day_and_an_ordinary_weekend_have_no_mark() -> None:
    assert holidays.on(date(2026, 11, 3)) is None  # a Tuesday
    assert holidays.on(date(2026, 11, 7)) is None  # a Saturday: a weekend, not a holiday


def test_weeks_and_months_name_their_festivals() -> None:
    assert holidays.of_period(Week.parse("2026-W40")) == ("national_day",)  # 国庆周 (28.9-4.10)
    assert holidays.of_period(Week.parse("2026-W39")) == ("mid_autumn_festival",)
    assert holidays.of_period(Week.parse("2026-W38")) == ()  # only the make-up Sunday, 20 Sep
    # 2025-W41 is 6-12 Oct: Mid-Autumn on the 6th, National Day again on the 7th and 8th
    assert holidays.of_period(Week.parse("2025-W41")) == ("mid_autumn_festival", "national_day")
    assert holidays.of_period(Month.parse("2026-02")) == ("spring_festival",)
    assert holidays.of_period(Month.parse("2026-11")) == ()


def test_touching_festivals_make_one_band() -> None:
    assert holidays.bands(date(2025, 9, 1), date(2025, 10, 31)) == [
        (date(2025, 10, 1), date(2025, 10, 8), ("national_day", "mid_autumn_festival"))]
    # 2026: Mid-Autumn (25-27 Sep) and National Day (1-7 Oct) are three days apart: two bands
    assert holidays.bands(date(2026, 9, 1), date(2026, 10, 31)) == [
        (date(2026, 9, 25), date(2026, 9, 27), ("mid_autumn_festival",)),
        (date(2026, 10, 1), date(2026, 10, 7), ("national_day",))]
    # a span starting inside a run gets the rest of it
    assert holidays.bands(date(2026, 10, 5), date(2026, 10, 20)) == [
        (date(2026, 10, 5), date(2026, 10, 7), ("national_day",))]


def test_every_festival_has_a_name_in_both_languages() -> None:
    for key in holidays.NAME_KEYS:
        zh, en = holidays.holiday_name(key, "zh"), holidays.holiday_name(key, "en")
        assert zh and en and zh != en and not zh.startswith("holiday.")
    assert holidays.holiday_name("national_day", "zh") == "国庆"
    assert holidays.holiday_name("spring_festival", "zh") == "春节"


def test_years_after_the_calendar_are_said_not_guessed() -> None:
    low, high = holidays.covered_years()
    assert low <= 2025 and high >= 2026
    later = date(high + 1, 2, 10)
    assert holidays.on(later) is None  # unknown, not an error
    assert holidays.uncovered_years(date(high, 12, 1), later) == [high + 1]
    notice = holidays.uncovered_notice(date(high, 12, 1), later, "zh")
    assert notice is not None and str(high + 1) in notice and str(high) in notice
    assert holidays.uncovered_notice(date(2026, 1, 1), date(2026, 6, 30), "en") is None
    assert holidays.uncovered_notice(date(2003, 1, 1), date(2026, 6, 30), "en") is None


def test_day_marks_carry_the_calendar() -> None:
    index = pd.DatetimeIndex(["2026-09-30", "2026-10-01", "2026-10-03", "2026-10-10",
                              "2026-11-07", "2026-11-09"])
    marks = days.day_marks(index)
    assert marks["weekend"].tolist() == [False, False, True, True, True, False]
    assert marks["holiday"].tolist() == ["", "国庆", "国庆", "", "", ""]
    assert marks["workday"].tolist() == [False, False, False, True, False, False]
    assert days.day_marks(index, lang="en")["holiday"].tolist()[1] == "National Day"
    assert list(marks.index) == list(index)
    # a calendar of one's own replaces the official one
    own = days.day_marks(index, holidays={date(2026, 11, 9): "店庆"})
    assert own["holiday"].tolist() == ["", "", "", "", "", "店庆"]
    assert not own["workday"].any()

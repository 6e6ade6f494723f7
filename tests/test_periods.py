"""Days and months beside weeks (core/periods.py): natural bounds in UTC+8, API dates and
ref_date, published keys, finality, names, spans, limits (issue 14, item 1). Weeks have their
own file, test_weeks.py."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wxdata.core.errors import DateError
from wxdata.core.periods import (
    CST,
    PERIODS,
    Day,
    Month,
    Period,
    Week,
    check_length,
    period_class,
    period_of_ref_date,
)

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=CST)  # a Tuesday, noon in China


def cst(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), CST)


def test_a_day_is_its_own_bounds_and_asks_begin_equal_end() -> None:
    day = Day(date(2026, 11, 3))
    assert (day.start, day.end, day.days) == (date(2026, 11, 3), date(2026, 11, 3), 1)
    assert day.api_dates == ("20261103", "20261103") and day.ref_date == "20261103"
    assert day.iso == day.label == "2026-11-03"
    assert day.API_PATH == "/datacube/getweanalysisappiddailyretaininfo"
    assert not day.is_weekend and Day(date(2026, 11, 8)).is_weekend  # a Tuesday, a Sunday


def test_a_month_runs_from_the_first_to_its_last_day() -> None:
    assert Month.parse("2026-02").end == date(2026, 2, 28)
    assert Month.parse("2028-02").end == date(2028, 2, 29)  # a leap year
    month = Month.containing(date(2026, 11, 17))
    assert (month.start, month.end, month.days) == (date(2026, 11, 1), date(2026, 11, 30), 30)
    assert month.api_dates == ("20261101", "20261130") and month.ref_date == "202611"
    assert month.iso == "2026-11" and month.KEYS == (0, 1)
    assert month.shift(2) == Month.parse("2027-01") and month.shift(-11) == Month.parse("2025-12")
    with pytest.raises(DateError, match="first of a month"):
        Month(date(2026, 11, 2))


def test_ref_dates_say_which_api_answered() -> None:
    assert period_of_ref_date("20261102-20261108") == Week(date(2026, 11, 2))
    assert period_of_ref_date("20261103") == Day(date(2026, 11, 3))
    assert period_of_ref_date(" 202611 ") == Month(date(2026, 11, 1))
    for bad in ("2026113", "20261301", "202613", "20261103-20261104", ""):
        with pytest.raises(DateError):
            period_of_ref_date(bad)


def test_the_same_start_in_two_periods_is_two_different_cohorts() -> None:
    monday = date(2026, 11, 2)
    assert Day(monday) != Week(monday) and len({Day(monday), Week(monday)}) == 2
    with pytest.raises(TypeError):
        _ = Day(monday) < Week(monday)  # type: ignore[operator]


@pytest.mark.parametrize(("cls", "begin", "end", "ok"), [
    (Day, "20261103", "20261103", True), (Day, "20261103", "20261104", False),
    (Month, "20261101", "20261130", True), (Month, "20261101", "20261129", False),
    (Month, "20261102", "20261130", False), (Week, "20261102", "20261108", True),
])
def test_only_natural_periods_come_from_api_dates(cls: type[Period], begin: str, end: str,
                                                   ok: bool) -> None:
    if ok:
        assert cls.from_api_dates(begin, end).api_dates == (begin, end)
    else:
        with pytest.raises(DateError) as info:
            cls.from_api_dates(begin, end)
        assert info.value.code == f"not_natural_{cls.kind}"


def test_a_days_key_k_appears_once_day_d_plus_k_has_ended() -> None:
    day = Day(date(2026, 10, 1))
    assert day.published_keys(cst(date(2026, 10, 1))) == ()  # the day itself is not over
    assert day.published_keys(cst(date(2026, 10, 2))) == (0,)
    assert day.published_keys(cst(date(2026, 10, 9))) == (0, 1, 2, 3, 4, 5, 6, 7)
    assert day.published_keys(cst(date(2026, 10, 15))) == (0, 1, 2, 3, 4, 5, 6, 7)
    assert day.published_keys(cst(date(2026, 10, 16))) == (0, 1, 2, 3, 4, 5, 6, 7, 14)
    assert day.published_keys(cst(date(2026, 11, 1))) == Day.KEYS  # D30 = 10-31 has ended


def test_a_day_is_final_one_day_after_its_d30_can_appear() -> None:
    day = Day(date(2026, 10, 1))
    assert day.final_at() == cst(date(2026, 11, 2))  # D30 on 11-01, computed by 11-02
    assert not day.is_final(datetime(2026, 11, 1, 15, 59, tzinfo=UTC))  # 23:59 in China
    assert day.is_final(datetime(2026, 11, 1, 16, 0, tzinfo=UTC))


def test_a_months_m1_appears_once_the_next_month_has_ended() -> None:
    month = Month.parse("2026-09")
    assert month.published_keys(cst(date(2026, 10, 31))) == (0,)
    assert month.published_keys(cst(date(2026, 11, 1))) == (0, 1)
    assert month.final_at() == cst(date(2026, 11, 2))


def test_the_weekly_rule_is_the_one_it_was() -> None:
    week = Week(date(2026, 10, 5))
    assert week.final_at() == cst(week.start + timedelta(days=36))


def test_offset_names() -> None:
    assert [Day.offset_name(k) for k in Day.KEYS] == \
        ["D0", "D1", "D2", "D3", "D4", "D5", "D6", "D7", "D14", "D30"]
    assert Week.offset_name(4) == "W4" and Month.offset_name(1) == "M1"


def test_spans_of_days_and_months_are_cut_to_what_has_ended() -> None:
    days = Day.span("2026-11-28", "2026-12-05", now=NOW)
    assert [d.iso for d in days] == ["2026-11-28", "2026-11-29", "2026-11-30"]  # not today
    months = Month.span("2026-09", "2026-12", now=NOW)
    assert [m.iso for m in months] == ["2026-09", "2026-10", "2026-11"]  # not this month
    snapped = Month.span("2026-09-17", "2026-10-02", now=NOW)  # dates inside snap to the month
    assert [m.iso for m in snapped] == ["2026-09", "2026-10"]
    with pytest.raises(DateError) as info:
        Day.span("2026-12-01", "2026-12-03", now=NOW)
    assert info.value.code == "no_ended_day" and "2026-11-30" in info.value.message("en")
    with pytest.raises(DateError) as info:
        Month.span("2026-12", "2026-12", now=NOW)
    assert info.value.code == "no_ended_month" and "2026-11" in info.value.message("zh")


def test_last_n_and_the_limits_per_period() -> None:
    assert [d.iso for d in Day.last_n(2, now=NOW)] == ["2026-11-29", "2026-11-30"]
    assert [m.iso for m in Month.last_n(2, now=NOW)] == ["2026-10", "2026-11"]
    with pytest.raises(DateError) as info:
        check_length(Day.last_n(181, now=NOW), 180)
    assert info.value.code == "too_many_days" and "--max-days" in info.value.message("en")
    with pytest.raises(DateError) as info:
        check_length(Month.last_n(37, now=NOW), 36)
    assert info.value.code == "too_many_months" and "--max-months" in info.value.message("zh")
    assert Day.earliest() == Day(date(2017, 1, 1)) and Month.earliest() == Month.parse("2017-01")
    with pytest.raises(DateError) as info:
        Month.span("2016-12", "2017-02", now=NOW)
    assert info.value.code == "too_early"


def test_period_class_names_the_three_and_refuses_the_rest() -> None:
    assert [period_class(k) for k in ("day", "week", "month")] == [Day, Week, Month]
    with pytest.raises(DateError) as info:
        period_class("year")
    assert info.value.code == "bad_period" and "year" in info.value.message("en")


@given(st.sampled_from(sorted(PERIODS)), st.dates(date(2017, 1, 1), date(2030, 12, 31)))
def test_every_period_holds_its_day_and_round_trips_its_names(kind: str, day: date) -> None:
    cls = period_class(kind)
    period = cls.containing(day)
    assert period.start <= day <= period.end
    assert period.shift(1).start == period.end + timedelta(days=1)  # periods tile the calendar
    assert period.shift(1).shift(-1) == period
    assert cls.parse(period.iso) == period
    assert period_of_ref_date(period.ref_date) == period
    assert cls.from_api_dates(*period.api_dates) == period
    assert period.final_at() > period.key_appears_at(cls.KEYS[-1]) > period.ends_at()


def test_the_newest_ended_day_and_month_are_judged_in_china() -> None:
    assert Day.last_ended(NOW) == Day(date(2026, 11, 30))
    assert Month.last_ended(NOW) == Month(date(2026, 11, 1))
    # 2026-11-30 20:00 UTC is already 12-01 in China: November has ended there
    assert Month.last_ended(datetime(2026, 11, 30, 20, tzinfo=UTC)) == Month(date(2026, 11, 1))
    assert Day.last_ended(datetime(2026, 11, 30, 20, tzinfo=UTC)) == Day(date(2026, 11, 30))
    assert Day.last_ended(datetime(2026, 11, 30, 15, tzinfo=UTC)) == Day(date(2026, 11, 29))

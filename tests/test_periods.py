"""Days and months as the data layer relies on them (weeks: test_weeks.py): each period's natural
bounds, the dates a request sends and the ref_date an answer carries, when its keys appear and
when it is final (worked out by hand below), spans cut to what has ended, and the properties
every kind shares."""

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
    period_of_ref_date,
)

#: A Wednesday morning in China, 2026-11-25 10:00 UTC+8 (02:00 UTC).
NOW = datetime(2026, 11, 25, 10, tzinfo=CST)


def test_a_day_a_week_and_a_month_of_one_date_are_three_cohorts() -> None:
    start = date(2026, 6, 1)  # a Monday and a 1st
    day, week, month = Day(start), Week(start), Month(start)
    assert len({day, week, month}) == 3 and day != week and week != month
    assert [p.end for p in (day, week, month)] == [start, date(2026, 6, 7), date(2026, 6, 30)]
    assert [p.ref_date for p in (day, week, month)] == ["20260601", "20260601-20260607",
                                                        "202606"]


@pytest.mark.parametrize(("period", "dates"), [
    (Day(date(2026, 11, 3)), ("20261103", "20261103")),
    (Month(date(2026, 2, 1)), ("20260201", "20260228")),
    (Month(date(2028, 2, 1)), ("20280201", "20280229")),
    (Month(date(2026, 12, 1)), ("20261201", "20261231")),
])
def test_api_dates_are_the_natural_bounds(period: Period, dates: tuple[str, str]) -> None:
    assert period.api_dates == dates
    assert type(period).from_api_dates(*dates) == period


@pytest.mark.parametrize(("cls", "begin", "end"), [
    (Day, "20261103", "20261104"), (Month, "20261001", "20261030"),
    (Month, "20261002", "20261031"),
])
def test_a_request_for_a_non_natural_period_is_a_date_error(cls: type[Period], begin: str,
                                                            end: str) -> None:
    with pytest.raises(DateError) as caught:
        cls.from_api_dates(begin, end)
    assert caught.value.code == f"not_natural_{cls.kind}"


def test_a_month_must_start_on_the_first() -> None:
    with pytest.raises(DateError):
        Month(date(2026, 11, 2))


def test_a_days_keys_appear_day_by_day_and_it_is_final_a_day_after_key_30() -> None:
    day = Day(date(2026, 10, 20))
    # key k appears when day+k has ended: 10-21 00:00 for key 0, 11-20 00:00 for key 30
    assert day.key_appears_at(0) == datetime(2026, 10, 21, tzinfo=CST)
    assert day.key_appears_at(30) == datetime(2026, 11, 20, tzinfo=CST)
    assert day.final_at() == datetime(2026, 11, 21, tzinfo=CST)
    assert day.published_keys(datetime(2026, 10, 28, 9, tzinfo=CST)) == (0, 1, 2, 3, 4, 5, 6, 7)
    assert day.published_keys(datetime(2026, 11, 3, 23, tzinfo=CST)) == Day.KEYS[:8]
    assert day.published_keys(datetime(2026, 11, 4, tzinfo=CST)) == (0, 1, 2, 3, 4, 5, 6, 7, 14)
    assert not day.is_final(datetime(2026, 11, 20, 23, 59, tzinfo=CST))
    assert day.is_final(datetime(2026, 11, 21, tzinfo=CST))


def test_a_months_key_1_appears_when_the_next_month_ends() -> None:
    month = Month(date(2026, 9, 1))
    assert month.published_keys(datetime(2026, 10, 31, 23, tzinfo=CST)) == (0,)
    assert month.published_keys(datetime(2026, 11, 1, tzinfo=CST)) == (0, 1)
    assert month.final_at() == datetime(2026, 11, 2, tzinfo=CST)


def test_the_newest_ended_day_and_month_are_yesterday_and_last_month() -> None:
    assert Day.last_ended(NOW) == Day(date(2026, 11, 24))
    assert Month.last_ended(NOW) == Month(date(2026, 10, 1))
    # 2026-11-30 20:00 UTC is already 12-01 in China: November has ended there
    assert Month.last_ended(datetime(2026, 11, 30, 20, tzinfo=UTC)) == Month(date(2026, 11, 1))
    assert Day.last_ended(datetime(2026, 11, 30, 20, tzinfo=UTC)) == Day(date(2026, 11, 30))


def test_spans_snap_to_whole_months_and_cut_what_has_not_ended() -> None:
    months = Month.span("2026-08-15", "2026-11-20", now=NOW)
    assert [m.iso for m in months] == ["2026-08", "2026-09", "2026-10"]
    assert [m.iso for m in Month.span("2026-09", "2026-10", now=NOW)] == ["2026-09", "2026-10"]
    days = Day.span("2026-11-20", "2026-11-30", now=NOW)
    assert [d.iso for d in days] == ["2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23",
                                     "2026-11-24"]
    with pytest.raises(DateError) as caught:
        Day.span("2026-11-25", "2026-11-25", now=NOW)  # today only
    assert caught.value.code == "no_ended_day"


def test_a_span_longer_than_allowed_names_its_kind() -> None:
    for periods, code in ((Day.last_n(91, NOW), "too_many_days"),
                          (Month.last_n(25, NOW), "too_many_months")):
        with pytest.raises(DateError) as caught:
            check_length(periods, len(periods) - 1)
        assert caught.value.code == code
        check_length(periods, len(periods))  # exactly the most is allowed


@given(st.sampled_from(sorted(PERIODS)), st.dates(date(2017, 1, 1), date(2990, 1, 1)))
def test_every_period_round_trips_through_its_ref_date_and_contains_its_day(
        kind: str, day: date) -> None:
    cls = PERIODS[kind]  # type: ignore[index]
    period = cls.containing(day)
    assert period.start <= day <= period.end
    assert period_of_ref_date(period.ref_date) == period
    assert cls.from_api_dates(*period.api_dates) == period
    assert cls.parse(period.iso) == period
    assert period.shift(1).start == period.end + timedelta(days=1)
    assert period.shift(1).shift(-1) == period

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wxdata.core.errors import DateError
from wxdata.core.periods import (
    CST,
    EARLIEST,
    Week,
    check_length,
    last_ended_week,
    last_n_weeks,
    parse_date,
    span,
)


def cst(*args: int) -> datetime:
    return datetime(*args, tzinfo=CST)  # type: ignore[misc]


def test_week_label_and_api_dates() -> None:
    week = Week.containing(date(2026, 11, 4))
    assert week.start == date(2026, 11, 2)
    assert week.end == date(2026, 11, 8)
    assert week.label == "2026-W45 · 11-02..11-08"
    assert week.api_dates == ("20261102", "20261108")
    assert week.ref_date == "20261102-20261108"


def test_a_week_must_start_on_monday() -> None:
    with pytest.raises(DateError, match="not a Monday"):
        Week(date(2026, 11, 3))


def test_week_ends_at_monday_midnight_china_time_not_server_time() -> None:
    week = Week(date(2026, 11, 16))
    # Sunday 2026-11-22 16:30 UTC is Monday 00:30 in China: over there.
    assert week.has_ended(datetime(2026, 11, 22, 16, 30, tzinfo=UTC))
    # Sunday 15:59 UTC is Sunday 23:59 in China: not yet.
    assert not week.has_ended(datetime(2026, 11, 22, 15, 59, tzinfo=UTC))


def test_last_ended_week_uses_china_date() -> None:
    # Sunday 2026-11-29 17:00 UTC is already Monday 01:00 on 2026-11-30 in China.
    now = datetime(2026, 11, 29, 17, 0, tzinfo=UTC)
    assert last_ended_week(now) == Week(date(2026, 11, 23))
    # Two hours earlier it is Sunday 23:00 in China: the week of 11-23 has not ended.
    assert last_ended_week(datetime(2026, 11, 29, 15, 0, tzinfo=UTC)) == Week(
        date(2026, 11, 16)
    )


def test_span_covers_every_overlapping_ended_week_and_never_the_current_one() -> None:
    weeks = span("2026-11-04", "2026-12-31", now=cst(2026, 11, 28, 12))
    assert [w.iso for w in weeks] == ["2026-W45", "2026-W46", "2026-W47"]
    assert Week.containing(date(2026, 11, 28)) not in weeks


def test_span_of_one_day_is_its_week() -> None:
    assert span("2026-11-11", "2026-11-11", now=cst(2026, 11, 28)) == [Week(date(2026, 11, 9))]


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2026-11-10", "2026-11-01", "before the start"),
        ("2026-13-01", "2026-11-01", "is not a date"),
        ("yesterday", "2026-11-01", "is not a date"),
        ("2026-11-25", "2026-11-28", "has ended yet"),
    ],
)
def test_bad_spans_say_what_to_do(start: str, end: str, message: str) -> None:
    with pytest.raises(DateError, match=message):
        span(start, end, now=cst(2026, 11, 28))


def test_no_ended_week_message_names_the_newest_ended_week() -> None:
    with pytest.raises(DateError) as info:
        span("2026-11-25", "2026-11-28", now=cst(2026, 11, 28))
    assert "2026-W47" in str(info.value)
    assert "2026-W47" in info.value.message("zh")


def test_week_is_final_one_day_after_its_last_key_can_appear() -> None:
    week = Week(date(2026, 10, 5))
    # key 4 can first appear once 11-08 (Sunday) has ended, but WeChat computes it during the
    # Monday morning (by 10:00, sometimes by 15:00): final from Tuesday 11-10, 00:00 UTC+8
    assert week.shift(4).has_ended(cst(2026, 11, 9, 0, 0))
    assert not week.is_final(cst(2026, 11, 9, 9, 30))
    assert not week.is_final(cst(2026, 11, 9, 16, 0))
    assert not week.is_final(cst(2026, 11, 9, 23, 59))
    assert week.is_final(cst(2026, 11, 10, 0, 0))


def test_finality_is_judged_in_china_whatever_the_servers_zone() -> None:
    week = Week(date(2026, 10, 5))
    utc = UTC
    assert not week.is_final(datetime(2026, 11, 9, 15, 59, tzinfo=utc))  # 23:59 in China
    assert week.is_final(datetime(2026, 11, 9, 16, 0, tzinfo=utc))  # 00:00 on 11-10 in China
    los_angeles = timezone(timedelta(hours=-8))
    assert week.is_final(datetime(2026, 11, 9, 8, 0, tzinfo=los_angeles))  # still the 9th there


@pytest.mark.parametrize(("days_after_monday", "keys"), [(6, 0), (7, 1), (14, 2), (34, 4), (35, 5)])
def test_published_offsets_grow_one_per_ended_week(days_after_monday: int, keys: int) -> None:
    week = Week(date(2026, 10, 5))
    now = datetime.combine(week.start + timedelta(days=days_after_monday), datetime.min.time(), CST)
    assert week.published_keys(now) == tuple(range(keys))


def test_parse_week_forms() -> None:
    assert Week.parse("2026-W45") == Week(date(2026, 11, 2))
    assert Week.parse("2026w45") == Week(date(2026, 11, 2))
    assert Week.parse("20261105") == Week(date(2026, 11, 2))
    with pytest.raises(DateError):
        Week.parse("2026-W60")


def test_non_natural_week_is_refused() -> None:
    with pytest.raises(DateError, match="not a natural week"):
        Week.from_api_dates("20261103", "20261109")
    with pytest.raises(DateError, match="not a natural week"):
        Week.from_api_dates("20261102", "20261115")


def test_last_n_weeks() -> None:
    weeks = last_n_weeks(3, cst(2026, 11, 28))
    assert [w.iso for w in weeks] == ["2026-W45", "2026-W46", "2026-W47"]
    with pytest.raises(DateError):
        last_n_weeks(0)


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        Week(date(2026, 11, 2)).has_ended(datetime(2026, 11, 28))


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))
moments = st.datetimes(
    min_value=datetime(2001, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)
)


@given(days)
def test_containing_week_holds_the_day(day: date) -> None:
    week = Week.containing(day)
    assert week.start <= day <= week.end
    assert week.start.weekday() == 0 and week.end.weekday() == 6


@given(days)
def test_ref_date_and_iso_round_trip(day: date) -> None:
    week = Week.containing(day)
    assert Week.from_ref_date(week.ref_date) == week
    assert Week.parse(week.iso) == week
    assert Week.from_api_dates(*week.api_dates) == week


@given(days, days, moments)
def test_span_properties(a: date, b: date, now: datetime) -> None:
    start, end = min(a, b), max(a, b)
    try:
        weeks = span(start, end, now=now)
    except DateError as exc:
        if exc.code == "too_early":  # WeChat has no data before 2017: never asked for
            assert start < EARLIEST
            return
        assert exc.code == "no_ended_week"
        assert Week.containing(start) > last_ended_week(now)
        return
    assert start >= EARLIEST
    assert all(w.has_ended(now) for w in weeks)
    assert all(later.start - earlier.start == timedelta(days=7)
               for earlier, later in itertools.pairwise(weeks))
    assert weeks[0] == Week.containing(start)
    assert weeks[-1] == min(Week.containing(end), last_ended_week(now))


@given(moments)
def test_last_ended_week_is_ended_and_the_next_is_not(now: datetime) -> None:
    week = last_ended_week(now)
    assert week.has_ended(now)
    assert not week.shift(1).has_ended(now)


@given(st.text(max_size=12))
def test_parse_date_never_raises_anything_but_date_error(text: str) -> None:
    try:
        day = parse_date(text)
    except DateError as exc:
        assert exc.code == "bad_date" and exc.params["value"] == text
    else:  # what it reads is the date the text spells, in either form
        assert text.strip().replace("-", "") == day.strftime("%Y%m%d")


@pytest.mark.parametrize("text", ["0001-W01", "9999-W52", "9999-12-31", "1899-12-31"])
def test_weeks_outside_the_calendar_we_serve_are_date_errors_not_overflows(text: str) -> None:
    with pytest.raises(DateError) as info:
        Week.parse(text)
    assert info.value.code in ("out_of_range", "bad_week")


def test_spans_start_in_2017_at_the_earliest_and_can_be_capped() -> None:
    now = datetime(2026, 11, 28, tzinfo=CST)
    with pytest.raises(DateError) as info:
        span("1900-01-01", "2026-01-01", now=now)
    assert info.value.code == "too_early" and "2017-01-02" in info.value.message("zh")
    with pytest.raises(DateError) as info:
        last_n_weeks(100_000, now=now)  # sync --weeks 100000 once ran until killed
    assert info.value.code == "too_early" and info.value.params["earliest"] == "2017-01-02"
    weeks = span("2017-01-02", "2026-11-22", now=now)
    assert (weeks[0], weeks[-1], len(weeks)) == (Week(date(2017, 1, 2)), Week(date(2026, 11, 16)),
                                                 516)
    with pytest.raises(DateError) as info:
        check_length(weeks, 104)
    assert info.value.code == "too_many_weeks" and "--max-weeks" in str(info.value)
    assert (info.value.params["n"], info.value.params["most"]) == (516, 104)
    # the cap itself is allowed, one week more is not
    assert check_length(weeks[-104:], 104) is None  # type: ignore[func-returns-value]
    with pytest.raises(DateError) as info:
        check_length(weeks[-105:], 104)
    assert info.value.params["n"] == 105 and info.value.params["first"] == weeks[-105].label

"""The dashboard's pure parts: number formats, link parameters, tables and sentences."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from wxdata.analytics import anomalies
from wxdata.core.periods import CST, Day, Month, Week
from wxdata.core.report import PeriodReport
from wxdata.dashboard.urlstate import Selection, Span, parse_selection, parse_span
from wxdata.present import export, fmt, narrative, tables

APPS = ["wx1", "wx2"]
NOW = datetime(2026, 11, 28, 12, tzinfo=CST)


@pytest.mark.parametrize(("value", "zh", "en"), [
    (0, "0", "0"), (9_999, "9,999", "9,999"), (10_000, "1.0万", "10,000"),
    (183_456, "18.3万", "183,456"), (123_456_789, "1.2亿", "123,456,789"),
    (float("nan"), "—", "—"), (None, "—", "—"),
])
def test_counts_use_wan_in_chinese_and_commas_in_english(value: float | None, zh: str,
                                                        en: str) -> None:
    assert fmt.count(value, "zh") == zh and fmt.count(value, "en") == en


def test_rates_points_and_p_values() -> None:
    assert fmt.pct(0.28349) == "28.3%" and fmt.pct(1.0) == "100.0%" and fmt.pct(np.nan) == "—"
    assert fmt.pp(-0.031, "zh") == "-3.1 个百分点" and fmt.pp(0.004, "en") == "+0.4 pp"
    assert fmt.change(0.05) == "+5.0%"
    assert [fmt.p_value(p) for p in (0.0004, 0.0081, 0.0123, 0.5)] == \
        ["<0.001", "0.008", "0.01", "0.50"]


def test_an_empty_link_is_the_default_view() -> None:
    selection, notices = parse_selection({}, apps=APPS)
    assert selection == Selection(("wx1",)) and notices == []
    assert selection.to_params("wx1") == {}


@pytest.mark.parametrize("selection", [
    Selection(("wx2",), Span(26), "active", "en"),
    Selection(("wx1", "wx2"), Span(8)),
    Selection(("wx1",), Span(None, Week.parse("2026-W30"), Week.parse("2026-W45"))),
    Selection(("wx1",), Span(90, kind="day"), "active"),
    Selection(("wx2",), Span(kind="month"), lang="en"),
    Selection(("wx1",), Span(None, Day.parse("2026-09-01"), Day.parse("2026-11-03"), "day")),
    Selection(("wx1",), Span(None, Month.parse("2025-01"), Month.parse("2026-10"), "month")),
])
def test_a_view_survives_the_round_trip_through_its_link(selection: Selection) -> None:
    params = selection.to_params("wx1")
    assert parse_selection(params, apps=APPS) == (selection, [])


@pytest.mark.parametrize(("raw", "param", "used"), [
    ({"weeks": "13"}, "weeks", "12"), ({"weeks": "-1"}, "weeks", "12"),
    ({"metric": "dau"}, "metric", "new"), ({"lang": "fr"}, "lang", "zh"),
    ({"app": "wx9"}, "app", "wx1"), ({"from": "yesterday"}, "from", "12"),
])
def test_a_bad_parameter_falls_back_and_says_which_value_is_used(
        raw: dict[str, str], param: str, used: str) -> None:
    _, notices = parse_selection(raw, apps=APPS)
    assert [(n.param, n.used) for n in notices] == [(param, used)]
    value = raw[param]
    for lang in ("zh", "en"):
        assert f"{param}={value}" in notices[0].message(lang) and used in notices[0].message(lang)


@pytest.mark.parametrize(("raw", "notices", "first", "last"), [
    ({"from": "0001-W01", "to": "9999-W52"}, [("from", "12"), ("to", "12")], None, None),
    ({"from": "2030-01-01"}, [("from", "12")], None, None),  # once "to=2030-01-01..None"
    ({"from": "2015-W10", "to": "2017-W05"}, [("from", "2017-W01")], "2017-W01", "2017-W05"),
    # all of it before WeChat's first week: once a span ending before it began (a DateError)
    ({"to": "2016-W10"}, [("to", "12")], None, None),
    ({"from": "2015-W10", "to": "2016-W01"}, [("from", "12"), ("to", "12")], None, None),
    ({"from": "2020-W01", "to": "2026-W47"}, [("from", "2024-W48")], "2024-W48", "2026-W47"),
    ({"from": "2026-W30", "to": "2026-W99"}, [("to", "2026-W47")], "2026-W30", "2026-W47"),
    ({"to": "2026-W40"}, [], "2026-W29", "2026-W40"),
    ({"from": "2026-W45", "to": "2026-W30"}, [], "2026-W30", "2026-W45"),
])
def test_every_corrected_span_parameter_is_named_with_the_value_used(
        raw: dict[str, str], notices: list[tuple[str, str]], first: str | None,
        last: str | None) -> None:
    span, said = parse_span(raw, now=NOW)
    assert [(n.param, n.used) for n in said] == notices
    assert (span.first.iso if span.first else None, span.last.iso if span.last else None) == \
        (first, last)
    if first is None:
        assert span == Span()


@pytest.mark.parametrize(("raw", "period", "count", "params"), [
    ({"period": "day"}, "day", 60, {"period": "day"}),
    ({"period": "MONTH", "months": "24"}, "month", 24, {"period": "month", "months": "24"}),
    ({"days": "90"}, "day", 90, {"period": "day", "days": "90"}),  # the count says the period
    ({"weeks": "104"}, "week", 104, {"weeks": "104"}),
    ({"weeks": "8"}, "week", 8, {"weeks": "8"}),  # no longer offered, but old links open
])
def test_the_period_and_its_preset_come_from_the_link_and_go_back_into_it(
        raw: dict[str, str], period: str, count: int, params: dict[str, str]) -> None:
    selection, notices = parse_selection(raw, apps=APPS)
    assert (selection.period, selection.span.count, notices) == (period, count, [])
    assert selection.to_params("wx1") == params
    assert len(selection.span.periods(NOW)) == count
    assert {p.kind for p in selection.span.periods(NOW)} == {period}


@pytest.mark.parametrize(("raw", "notices"), [
    ({"period": "hour"}, [("period", "week")]),
    ({"period": "day", "days": "12"}, [("days", "60")]),  # 12 is a week preset, not a day one
    ({"period": "day", "weeks": "26"}, [("weeks", "")]),  # another period's count is unused
    ({"period": "month", "months": "8"}, [("months", "12")]),
])
def test_a_period_or_count_that_cannot_be_used_is_named(raw: dict[str, str],
                                                       notices: list[tuple[str, str]]) -> None:
    _, said = parse_selection(raw, apps=APPS)
    assert [(n.param, n.used) for n in said] == notices


def test_a_custom_range_of_days_or_months_is_in_their_own_iso_names() -> None:
    days, _ = parse_span({"from": "2026-11-20", "to": "2026-12-30"}, kind="day", now=NOW)
    assert (days.first.iso, days.last.iso) == ("2026-11-20", "2026-11-27")  # 11-28 is today
    months, notices = parse_span({"from": "2026-03-15", "to": "2026-10"}, kind="month", now=NOW)
    assert (months.first.iso, months.last.iso, notices) == ("2026-03", "2026-10", [])
    assert [m.iso for m in months.periods(NOW)][:2] == ["2026-03", "2026-04"]
    long, said = parse_span({"from": "2017-01", "to": "2026-10"}, kind="month", now=NOW)
    assert (long.first.iso, [(n.param, n.used) for n in said]) == ("2023-11", [("from", "2023-11")])


@pytest.mark.parametrize(("kind", "k", "zh", "en"), [
    ("day", 0, "当日", "D0"), ("day", 1, "次日", "D1"), ("day", 7, "7日", "D7"),
    ("day", 30, "30日", "D30"), ("week", 1, "W1", "W1"), ("month", 1, "M1", "M1"),
])
def test_offsets_are_named_as_each_period_names_them(kind: str, k: int, zh: str,
                                                     en: str) -> None:
    assert fmt.offset_label(kind, k, "zh") == zh and fmt.offset_label(kind, k, "en") == en  # type: ignore[arg-type]


def test_cohort_labels_per_period() -> None:
    saturday = pd.Timestamp("2026-11-07")
    assert fmt.cohort_label(saturday, "day", "zh") == "2026-11-07 周六"
    assert fmt.cohort_label(saturday, "day", "en", short=True) == "11-07 Sat"
    assert fmt.cohort_label(saturday, "week") == "2026-W45 · 11-02..11-08"
    assert fmt.cohort_label(saturday, "week", short=True) == "W45 · 11-02"
    assert fmt.cohort_label(saturday, "month", "en") == "2026-11"
    assert fmt.is_weekend(saturday) and not fmt.is_weekend(pd.Timestamp("2026-11-09"))


def test_sentences_speak_of_the_period_on_screen() -> None:
    day = narrative.sentences([kpi(w1_week=pd.Timestamp("2026-11-10"))], "zh", "day")
    assert day[0].startswith("新用户次日留存较之前 4 个同星期几批次的均值下降 3.1 个百分点 "
                             "(p=0.01)")
    assert "2026-11-10 周二" in day[0] and "较上周同日增长 5.0%" in day[1]
    month = narrative.sentences([kpi(latest_week=pd.Timestamp("2026-10-01"))], "en", "month")
    assert "M1 retention of new users fell 3.1 pp" in month[0]
    assert month[1].startswith("Latest month (2026-10)")


def test_unknown_apps_are_dropped_but_known_ones_kept() -> None:
    selection, notices = parse_selection({"app": "wx2,wx9,wx2"}, apps=APPS)
    assert selection.app_ids == ("wx2",) and [n.param for n in notices] == ["app"]


def test_a_reversed_custom_range_is_put_in_order_and_snapped() -> None:
    selection, notices = parse_selection({"from": "2026-11-04", "to": "2026-10-20"}, apps=APPS)
    weeks = selection.span.periods(NOW)
    assert notices == [] and weeks[0].iso == "2026-W43" and weeks[-1].iso == "2026-W45"


def test_a_long_custom_range_keeps_the_newest_104_weeks() -> None:
    span, _ = parse_span({"from": "2020-W01", "to": "2026-W47"}, now=NOW)
    weeks = span.periods(NOW)
    assert len(weeks) == 104 and weeks[-1].iso == "2026-W47"


def wow_frame() -> pd.DataFrame:
    index = pd.to_datetime(["2026-11-02", "2026-10-26"])
    return pd.DataFrame({"size": [18_000, 15_000], "size_change": [0.2, -0.05],
                         "rate_1": [0.30, 0.26], "delta_1": [0.04, -0.002],
                         "p_1": [0.001, 0.7], "significant_1": [True, False]}, index=index)


def test_week_over_week_table_has_arrows_points_and_stars_first() -> None:
    table = tables.wow_table(wow_frame(), "zh")
    assert list(table.columns)[-1] == "ΔW1"  # the unit is in the caption (issue 19.10)
    assert list(table.iloc[0]) == ["2026-W45 · 11-02..11-08", "1.8万", "▲ +20.0%", "30.0%",
                                   "★ ▲ +4.0"]  # the star first: a narrow column never clips it
    assert table.iloc[1, -1] == "▼ -0.2"
    tiny = tables.wow_table(wow_frame().assign(delta_1=[0.0004, -0.0004]), "en")
    assert list(tiny["ΔW1"]) == ["★ +0.0", "+0.0"]  # no arrow, no "-0.0"


def test_week_over_week_colour_only_where_significant() -> None:
    styles = tables.wow_styler(wow_frame(), "zh").to_html()
    assert "#07883F" in styles and "#D93025" not in styles  # the fall is not significant ...
    assert "#8F959E" in styles  # ... so it is grey
    falling = wow_frame().assign(delta_1=[-0.04, 0.002])
    styles = tables.wow_styler(falling, "zh").to_html()
    assert "#D93025" in styles and "#07883F" not in styles


def test_flagged_weeks_are_those_outside_the_band() -> None:
    band = pd.DataFrame({"rate": [0.2, 0.3, np.nan, 0.25], "expected": [0.25] * 4,
                         "low": [0.22] * 4, "high": [0.28] * 4, "t": [-5.0, 5.0, np.nan, 0.0],
                         "flagged": [True, True, False, False]},
                        index=pd.to_datetime(["2026-10-19", "2026-10-26", "2026-11-02",
                                              "2026-11-09"]))
    assert anomalies.flagged_weeks(band) == list(pd.to_datetime(["2026-10-19", "2026-10-26"]))


def kpi(**fields: object) -> SimpleNamespace:
    base = {"metric": "new", "latest_week": pd.Timestamp("2026-11-16"), "latest_size": 18_234,
            "size_change": 0.05, "w1_week": pd.Timestamp("2026-11-09"), "w1_delta": -0.031,
            "w1_p": 0.01}
    return SimpleNamespace(**{**base, **fields})


def test_a_significant_change_is_a_sentence_with_its_p_value() -> None:
    sentences = narrative.sentences([kpi(), kpi(metric="active", w1_delta=0.004, w1_p=0.6)], "zh")
    assert sentences[0].startswith("新用户次周留存较前 4 周均值下降 3.1 个百分点 (p=0.01)")
    assert "1.8万" in sentences[1] and "增长 5.0%" in sentences[1]
    assert "在每周的正常波动之内" in sentences[2]
    english = narrative.sentences([kpi(w1_delta=0.02, w1_p=0.0001)], "en")[0]
    assert "rose 2.0 pp" in english and "(p<0.001)" in english
    assert "beyond the usual week-to-week variation" in english


def test_a_change_without_enough_history_is_not_judged() -> None:
    sentence = narrative.sentences([kpi(w1_p=float("nan"))], "zh")[-1]
    assert "-3.1 个百分点" in sentence and "暂不判断是否显著" in sentence and "p" not in sentence


def test_no_sentence_without_numbers() -> None:
    assert narrative.sentences([kpi(w1_delta=float("nan"), size_change=float("nan"))], "zh") == []


def test_the_data_page_says_which_cells_are_above_the_cohorts_own_week() -> None:
    week = Week(date(2026, 9, 7))
    odd = PeriodReport("wx1", week, "fetched", True, datetime(2026, 10, 20, tzinfo=CST),
                     above_base=(("new", 2), ("active", 4)))
    plain_week = PeriodReport("wx1", week.shift(-1), "cached", True,
                            datetime(2026, 10, 20, tzinfo=CST))
    for lang, said in (("en", "new users W2, active users W4"), ("zh", "W2")):
        states = tables.week_states([odd, plain_week], {"wx1": "Fruit"}, lang)
        detail = dict(zip(states["week"], states["detail"], strict=True))
        assert said in detail[pd.Timestamp(week.start)] and "100%" in detail[
            pd.Timestamp(week.start)]
        assert "100%" not in detail[pd.Timestamp(week.shift(-1).start)]


def test_download_names_say_the_period_so_a_daily_file_never_replaces_a_weekly_one() -> None:
    days = Day.last_n(30, NOW)
    weeks = Week.span(days[0].start, days[-1].end, NOW)
    daily, weekly = export.file_stem(["wx1"], days), export.file_stem(["wx1"], weeks)
    assert daily == "wxretain-wx1-day-2026-10-29-2026-11-27"  # 11-28 is today
    assert weekly == "wxretain-wx1-week-2026-W44-2026-W47" and daily != weekly


@pytest.mark.parametrize("count", ["²", "٣", "1e3", " 12 3"])
def test_a_count_that_is_not_plain_digits_falls_back_with_a_notice(count: str) -> None:
    """Hypothesis found ``?weeks=²``: ``"²".isdigit()`` is true and ``int("²")`` raised."""
    selection, notices = parse_selection({"weeks": count}, apps=["wx1"])
    assert selection.span.count == 12 and [(n.param, n.value) for n in notices] == \
        [("weeks", count)]

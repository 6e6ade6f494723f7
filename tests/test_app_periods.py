"""Days and months on every page (issue 14): the caps of a custom range come from the settings,
the warm-up warms every period's default view, the 30日 tile names a figure, the daily
period-over-period table fits a laptop, the calendar view places days and months, and no daily
or monthly view speaks of weeks."""

from __future__ import annotations

import json
import math
import re
from math import nan
from typing import Any

import numpy as np
import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.fixtures_app import (
    PAGES,
    ROOT,
    AppFactory,
    figures,
    heatmap_rows,
    heatmap_trace,
    run,
    shown,
    values,
)
from tests.test_auth_app import ACCESS, AUTH, PM
from wxdata.analytics import cohort
from wxdata.core.errors import TransientError
from wxdata.core.periods import DEFAULT_SPANS, Day, Month, Period, last_ended_week, last_n_weeks
from wxdata.core.report import LoadResult, PeriodReport
from wxdata.core.tidy import TIDY_COLUMNS
from wxdata.dashboard import keys, warmup
from wxdata.dashboard.urlstate import max_periods, parse_span
from wxdata.i18n import t
from wxdata.present import charts, fmt
from wxdata.present.charts.style import ORANGE
from wxdata.sources import DemoSource
from wxdata.sources.demo import DEMO_APPS, demo_payload

FRESH = DEMO_APPS[0].appid

# -- custom-range caps from the settings (item 4) ------------------------------------------------


def test_the_caps_of_a_custom_range_are_the_settings_limits(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert (max_periods("day"), max_periods("week"), max_periods("month")) == (180, 104, 36)
    newest = Day.last_ended()
    asked = {"from": newest.shift(-199).iso, "to": newest.iso}
    span, notices = parse_span(asked, kind="day")
    assert span.first == newest.shift(-179) and [n.param for n in notices] == ["from"]
    monkeypatch.setenv("WXDATA_MAX_DAYS", "40")
    monkeypatch.setenv("WXDATA_MAX_MONTHS", "7")
    assert (max_periods("day"), max_periods("week"), max_periods("month")) == (40, 104, 7)
    span, notices = parse_span(asked, kind="day")
    assert span.first == newest.shift(-39) and span.last == newest
    assert [(n.param, n.used) for n in notices] == [("from", newest.shift(-39).iso)]
    month = Month.last_ended()
    span, _ = parse_span({"from": month.shift(-20).iso}, kind="month")
    assert span.first == month.shift(-6)


def test_a_daily_range_longer_than_max_days_is_cut_on_the_page(
        app: AppFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WXDATA_MAX_DAYS", "45")
    newest = Day.last_ended()
    at = app("heatmap", period="day", **{"from": newest.shift(-99).iso, "to": newest.iso})
    assert len(heatmap_rows(figures(at)[0])) == 45
    picker = at.sidebar.date_input(key="w_range")
    assert picker.proto.help == t("sidebar.range.help.day", "zh", n=45)


# -- no daily or monthly view speaks of weeks (item 1) -------------------------------------------

#: Where a day or month view may say 周 / week: weekday names (周六, Sat), the weekend (周末),
#: the same weekday a week before (较上周同日, a day's comparison), 周期 (period), and the
#: period-over-period page's address (``/week_over_week``, kept for old links).
ZH_ALLOWED = re.compile(r"周[一二三四五六日]|周末|上周同日|周期")
EN_ALLOWED = re.compile(r"week(day|end)s?|a week before|/?week_over_week", re.IGNORECASE)
EN_WEEK = re.compile(r"\bweek", re.IGNORECASE)


def _proto_texts(message: Any, out: list[str]) -> None:
    """Every string of an element's protobuf (labels, help, options, bodies), and every string
    of a Plotly spec (titles, axis titles, hover templates, legend names)."""
    for field, value in message.ListFields():
        for item in (value if field.is_repeated else [value]):
            if field.type == field.TYPE_MESSAGE:
                _proto_texts(item, out)
            elif field.type == field.TYPE_STRING:
                if field.name == "spec":
                    _json_texts(json.loads(item), out)
                else:
                    out.append(item)


def _json_texts(value: Any, out: list[str]) -> None:
    if isinstance(value, dict):
        for item in value.values():
            _json_texts(item, out)
    elif isinstance(value, list):
        for item in value:
            _json_texts(item, out)
    elif isinstance(value, str):
        out.append(value)


def page_texts(at: AppTest) -> list[str]:
    """What a reader of the page can read, sidebar included: every element's texts, the data
    grids' headers and cells. The period switch itself (日 / 周 / 月) is left out: it names
    every period on purpose."""
    out: list[str] = []

    def walk(node: Any) -> None:
        if getattr(node, "key", None) == keys.PERIOD_WIDGET:
            return
        if getattr(node, "proto", None) is not None:
            _proto_texts(node.proto, out)
        if getattr(node, "type", "") == "arrow_data_frame":
            frame = node.value
            out.extend(str(c) for c in frame.columns)
            out.extend(str(v) for c in frame.columns for v in frame[c].unique()[:60])
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return out


def week_words(texts: list[str], lang: str) -> list[str]:
    """The texts that speak of weeks where they mean the period."""
    if lang == "zh":
        return [x for x in texts if "周" in ZH_ALLOWED.sub("", x)]
    return [x for x in texts if EN_WEEK.search(EN_ALLOWED.sub("", x))]


def test_the_week_check_sees_weeks_and_lets_weekdays_be() -> None:
    assert week_words(["11-07 周六", "较上周同日增长 3%", "周期", "周末"], "zh") == []
    assert week_words(["每周数据状态", "共 12 周"], "zh") == ["每周数据状态", "共 12 周"]
    assert week_words(["Sat", "the same weekday a week before", "/week_over_week?x"], "en") == []
    assert week_words(["State of every week", "12 weeks"], "en") == ["State of every week",
                                                                     "12 weeks"]


PERIODS_LANGS = [(p, lang) for p in ("day", "month") for lang in ("zh", "en")]


@pytest.mark.parametrize(("period", "lang"), PERIODS_LANGS)
@pytest.mark.parametrize("page", [*PAGES, "heatmap-calendar", "not_found"])
def test_no_daily_or_monthly_page_speaks_of_weeks(app: AppFactory, page: str, period: str,
                                                  lang: str) -> None:
    query = {"calendar": "true"} if page == "heatmap-calendar" else \
        {"path": "/nosuch"} if page == "not_found" else {}
    at = app(page.split("-")[0], period=period, lang=lang, **query)
    texts = page_texts(at)
    assert t("page.heatmap.title", lang) in texts or page != "heatmap"  # the walk reads it all
    assert week_words(texts, lang) == []


def _payloads(periods: list[Period]) -> bytes:
    newest = last_ended_week()
    return json.dumps([demo_payload(DEMO_APPS[0], p, newest).to_api() for p in periods]).encode()


def _own_words(alerts: list[str]) -> list[str]:
    """The dashboard's sentence of an alert, without the bullets of reasons under it (those are
    the wechat layer's messages)."""
    return [a.split("\n\n")[0] for a in alerts]


@pytest.mark.parametrize(("period", "lang"), PERIODS_LANGS)
def test_refresh_and_import_speak_of_the_period(app: AppFactory, period: str,
                                                lang: str) -> None:
    at = app("data", period=period, lang=lang)
    run(at.button(key=keys.REFRESH).click())
    n = DEFAULT_SPANS[period]  # type: ignore[index]
    assert [s.value for s in at.success] == [t(f"data.refresh.ok.{period}", lang, ok=n)]
    cls = Day if period == "day" else Month
    newest = cls.last_ended()
    periods = [newest.shift(-k) for k in range(5, -1, -1)]
    at.session_state[keys.UPLOAD_QUEUE] = [("saved.json", _payloads(periods))]
    run(at)
    imported = t(f"data.upload.ok.{period}", lang, n=6, first=periods[0].label,
                 last=newest.label)
    assert any(imported in shown(s.value) for s in at.success)
    covers = t(f"status.file_covers.{period}", lang, first=periods[0].label, last=newest.label,
               n=6)
    assert covers in [c.value for c in at.sidebar.caption]
    assert week_words(page_texts(at), lang) == []


def test_a_file_of_weeks_and_days_says_how_many_of_each(app: AppFactory) -> None:
    days = Day.last_n(3)
    weeks = last_n_weeks(2)
    at = app("data", lang="en")
    at.session_state[keys.UPLOAD_QUEUE] = [("mixed.json", _payloads([*weeks, *days]))]
    run(at)
    said = shown(at.success[0].value)
    assert t("data.upload.ok", "en", n=2, first=weeks[0].label, last=weeks[-1].label) in said
    assert t("data.upload.ok.day", "en", n=3, first=days[0].label, last=days[-1].label) in said
    run(at.sidebar.segmented_control(key=keys.PERIOD_WIDGET).set_value("month"))
    none = t("status.file_none", "en", period=t("period.noun.month", "en"))
    assert none in [c.value for c in at.sidebar.caption]
    # the import's own report names the weeks the file held; nothing else speaks of weeks
    assert week_words([x for x in page_texts(at) if "mixed" not in x], "en") == []


@pytest.mark.parametrize(("period", "lang"), PERIODS_LANGS)
def test_failed_periods_are_named_as_days_or_months(
        app: AppFactory, monkeypatch: pytest.MonkeyPatch, period: str, lang: str) -> None:
    """Half the span fails: the warning, the failed count and "these days" are the period's;
    then every cohort fails, and the page says so in the period's words."""
    original = DemoSource.load
    share = {"failed": 0.5}

    def flaky(self: DemoSource, app_ids: Any, periods: Any, **kwargs: Any) -> LoadResult:
        result = original(self, app_ids, periods, **kwargs)
        cut = len(periods) - int(len(periods) * share["failed"])
        lost = {p for p in periods[cut:]}
        reports = tuple(PeriodReport(r.app_id, r.period, "failed", False, error=TransientError(
            "busy", errcode=-1, week=r.period.label)) if r.period in lost else r
            for r in result.reports)
        frame = result.frame[~result.frame["cohort_start"].isin(
            [pd.Timestamp(p.start) for p in lost])]
        return LoadResult(frame, reports)

    monkeypatch.setattr(DemoSource, "load", flaky)
    st.cache_data.clear()
    at = app("heatmap", period=period, lang=lang)
    n = DEFAULT_SPANS[period]  # type: ignore[index]
    assert _own_words([w.value for w in at.warning]) == [
        t(f"warn.partial.{period}", lang, n=n // 2)]
    failed = t(f"status.failed.{period}", lang, n=n // 2)
    assert any(failed in c.value for c in at.sidebar.caption)
    assert t(f"status.these.{period}", lang) in at.warning[0].value
    assert week_words(_own_words(page_texts(at)), lang) == []
    share["failed"] = 1.0
    st.cache_data.clear()
    at = app("overview", period=period, lang=lang)
    assert _own_words([e.value for e in at.error]) == [t(f"empty.all_failed.{period}", lang)]


@pytest.mark.parametrize(("period", "lang"), PERIODS_LANGS)
def test_a_file_without_the_periods_asked_for_says_so_in_their_words(
        app: AppFactory, period: str, lang: str) -> None:
    cls = Day if period == "day" else Month
    old = cls.last_ended().shift(-DEFAULT_SPANS[period] - 3)  # type: ignore[index]
    at = app("data", lang=lang)
    at.session_state[keys.UPLOAD_QUEUE] = [("old.json", _payloads([old]))]
    run(at)
    run(at.sidebar.segmented_control(key=keys.PERIOD_WIDGET).set_value(period))
    source = t("status.file", lang)
    assert [i.value for i in at.info] == [t(f"empty.no_data.{period}", lang, source=source)]
    assert week_words(page_texts(at), lang) == []


@pytest.mark.parametrize(("period", "lang"), PERIODS_LANGS)
def test_a_viewer_is_told_in_the_periods_words_what_admins_may_do(period: str,
                                                                  lang: str) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.secrets = {"auth": AUTH, "access": ACCESS}
    at.user = {"is_logged_in": True, "email": PM}
    at.query_params.update(period=period, lang=lang)
    at.switch_page("pages/data.py")
    run(at)
    notice = t(f"auth.admin_only.{period}", lang, contact=ACCESS["contact"])
    assert [shown(c.value) for c in at.caption if "lock" in c.value] == \
        [f":material/lock: {notice}"]
    assert week_words(page_texts(at), lang) == []


# -- the calendar view for days and months (item 2) ----------------------------------------------

# Two Mondays a week apart and the Sunday between (D0 only): 11-02's D1 came back on 11-03, its
# D7 on 11-09, its D30 on 12-02; 11-09's D1 on 11-10 and D7 on 11-16.
DAYS = [("2026-11-02", {0: 1000, 1: 400, 7: 200, 30: 100}), ("2026-11-08", {0: 900}),
        ("2026-11-09", {0: 1200, 1: 540, 7: 216})]


def _tidy(cohorts: list[tuple[str, dict[int, int]]], kind: str) -> pd.DataFrame:
    rows = []
    for start, users in cohorts:
        first = pd.Timestamp(start)
        last = first + pd.offsets.MonthEnd(0) if kind == "month" else first
        rows += [(FRESH, first, last, "new", k, n, n / users[0]) for k, n in users.items()]
    return pd.DataFrame(rows, columns=TIDY_COLUMNS)


def test_a_daily_calendar_puts_each_cell_on_the_day_users_came_back() -> None:
    cells = cohort.calendar_view(_tidy(DAYS, "day"), period=Day)
    fig = charts.calendar_heatmap(cells, lang="zh", period="day").to_plotly_json()
    trace = fig["data"][0]
    assert list(trace["x"]) == ["11-03", "11-09", "11-10", "11-16", "12-02"]
    assert list(trace["y"]) == ["11-02 周一", "11-08 周日", "11-09 周一"]
    z = np.asarray(values(trace["z"]), dtype=float)
    by_hand = [[40.0, 20.0, nan, nan, 10.0], [nan] * 5, [nan, nan, 45.0, 18.0, nan]]
    np.testing.assert_allclose(z, by_hand)
    assert list(trace["customdata"][2][2]) == ["2026-11-10 周二", "45.0%", "2026-11-09 周一"]
    assert "回访日" in trace["hovertemplate"]
    assert fig["layout"]["xaxis"]["title"]["text"] == t("chart.calendar_axis.day", "zh")
    assert fig["layout"]["meta"]["weekend"] == ["11-08 周日"]
    assert [x for x in fig["layout"]["yaxis"]["ticktext"] if "<span" in x] == [
        f'<span style="color:{ORANGE}">11-08 周日</span>']
    assert fig["layout"]["xaxis"]["ticktext"] == ["11-03", "11-09", "11-10", "11-16", "12-02"]


def test_a_monthly_calendar_puts_each_cell_in_the_month_users_came_back() -> None:
    months = [("2026-09-01", {0: 1000, 1: 300}), ("2026-10-01", {0: 1100, 1: 352}),
              ("2026-11-01", {0: 1000})]
    cells = cohort.calendar_view(_tidy(months, "month"), period=Month)
    fig = charts.calendar_heatmap(cells, lang="en", period="month").to_plotly_json()
    trace = fig["data"][0]
    assert list(trace["x"]) == ["2026-10", "2026-11"] and list(trace["y"]) == [
        "2026-09", "2026-10", "2026-11"]
    np.testing.assert_allclose(np.asarray(values(trace["z"]), dtype=float),
                               [[30.0, nan], [nan, 32.0], [nan, nan]])
    assert fig["layout"]["xaxis"]["title"]["text"] == "Calendar month of the return"


@pytest.mark.parametrize("period", ["day", "month"])
def test_the_heatmap_page_offers_the_calendar_view_for_days_and_months(
        app: AppFactory, period: str) -> None:
    """Every cell of the calendar is the triangle's cell of the same cohort, moved to the
    cohort's period + its offset."""
    at = app("heatmap", period=period)
    triangle = heatmap_trace(figures(at)[0])
    run(at.toggle(key=keys.CALENDAR).set_value(True))
    assert at.toggle(key=keys.CALENDAR).label == t(f"page.heatmap.calendar.{period}", "zh")
    calendar = figures(at)[0]["data"][0]
    cls = Day if period == "day" else Month
    rows = [cls.last_n(DEFAULT_SPANS[period])[i] for i in range(len(calendar["y"]))]  # type: ignore[index]
    keys_ = cls.KEYS
    tri, cal = values(triangle["z"]), values(calendar["z"])
    column = {name: j for j, name in enumerate(calendar["x"])}
    placed = 0
    for i, cohort_ in enumerate(rows):
        for j, k in enumerate(keys_):
            if k == 0 or math.isnan(tri[i][j]):
                continue
            back = cohort_.shift(k)
            name = f"{back.start:%m-%d}" if period == "day" else back.iso
            assert cal[i][column[name]] == pytest.approx(tri[i][j])
            placed += 1
    assert placed == sum(not math.isnan(v) for row in cal for v in row) > 0


# -- the daily period-over-period table at 1280 px (item 6) --------------------------------------


def test_the_daily_table_shows_the_tracked_days_and_every_day_on_request(
        app: AppFactory) -> None:
    at = app("week_over_week", period="day")
    tracked = ["次日", "7日", "14日", "30日"]
    fixed = [t("table.cohort.day", "zh"), t("table.size", "zh"), t("table.size_change", "zh")]
    pairs = [h for name in tracked for h in (name, t("table.delta.day", "zh", offset=name))]
    assert list(at.dataframe[0].value.columns) == [*fixed, *pairs]
    newest = Day.last_ended()
    assert at.dataframe[0].value.iloc[0, 0] == fmt.cohort_label(newest.start, "day", "zh",
                                                                short=True)  # "12-01 周二"
    weekly = app("week_over_week").dataframe[0].value
    assert len(at.dataframe[0].value.columns) == len(weekly.columns)  # as wide as the weeks'
    assert keys.OFFSETS not in at.query_params
    run(at.segmented_control(key=keys.OFFSETS).set_value("all"))
    every = ["次日", *(f"{k}日" for k in (2, 3, 4, 5, 6, 7, 14, 30))]
    assert list(at.dataframe[0].value.columns) == [
        *fixed, *(h for name in every for h in (name, t("table.delta.day", "zh", offset=name)))]
    assert at.query_params[keys.OFFSETS] == "all"
    again = app("week_over_week", period="day", offsets="all")  # the choice lives in the link
    assert len(again.dataframe[0].value.columns) == 3 + 2 * 9
    assert not [c for c in app("week_over_week", period="month").segmented_control
                if c.key == keys.OFFSETS]


# -- the warm-up warms every period (item 3) -----------------------------------------------------


def test_the_warm_up_warms_the_default_view_of_every_period_weeks_first(
        monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    original = DemoSource.load

    def counting(self: DemoSource, app_ids: Any, periods: Any, **kwargs: Any) -> LoadResult:
        asked.append(f"{periods[0].kind}:{len(periods)}")
        return original(self, app_ids, periods, **kwargs)

    monkeypatch.setattr(DemoSource, "load", counting)
    st.cache_data.clear()
    warmup.run()
    assert asked == ["week:12", "day:60", "month:12"]
    asked.clear()
    st.cache_data.clear()
    monkeypatch.setattr(warmup, "READY_AFTER_S", -1.0)  # out of time: the weekly view only
    warmup.run()
    assert asked == ["week:12"]

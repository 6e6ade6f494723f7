"""Days and months (issue 14, item 5): every page for every period in both languages, daily links,
the period switch, daily heatmaps, tiles and the data grid."""

from __future__ import annotations

import json

import pytest

from tests.fixtures_app import (
    PAGES,
    AppFactory,
    figures,
    heatmap_rows,
    heatmap_trace,
    run,
    strip_mark,
)
from wxdata.core.periods import Day, Month
from wxdata.i18n import t

WOW_TITLES = {"day": ("日环比", "Day over day"), "week": ("周环比", "Week over week"),
              "month": ("月环比", "Month over month")}



@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("period", ["day", "week", "month"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_draws_for_every_period_in_both_languages(app: AppFactory, page: str,
                                                            period: str, lang: str) -> None:
    at = app(page, period=period, lang=lang)
    title = WOW_TITLES[period][lang == "en"] if page == "week_over_week" else \
        t(f"page.{page}.title", lang)  # type: ignore[arg-type]
    assert at.title[0].value == title
    assert figures(at), f"{page} drew no chart for {period}"
    assert not at.error
    if page == "data":
        assert len(at.dataframe) >= 1  # the tidy table



def test_a_daily_link_selects_days_and_keeps_them_across_pages_and_languages(
        app: AppFactory) -> None:
    at = app("heatmap", period="day", days="90")
    assert at.sidebar.segmented_control(key="w_period").value == "day"
    rows = [strip_mark(r) for r in heatmap_rows(figures(at)[0])]
    assert len(rows) == 90 and rows[-1].startswith(f"{Day.last_ended().start:%m-%d}")
    run(at.switch_page("pages/curves.py"))
    run(at.sidebar.segmented_control(key="w_lang").set_value("en"))
    assert at.sidebar.segmented_control(key="w_period").value == "day"
    assert at.sidebar.selectbox(key="w_span").value == "90"
    assert dict(at.query_params) == {"period": "day", "days": "90", "lang": "en"}
    run(at.switch_page("pages/week_over_week.py"))
    assert at.title[0].value == "Day over day"
    assert dict(at.query_params) == {"period": "day", "days": "90", "lang": "en"}



def test_the_period_switch_in_the_sidebar_changes_every_page_and_the_link(
        app: AppFactory) -> None:
    at = app("heatmap", weeks="26")
    run(at.sidebar.segmented_control(key="w_period").set_value("month"))
    assert at.sidebar.selectbox(key="w_span").value == "12"  # 26 is no month preset
    rows = [strip_mark(r) for r in heatmap_rows(figures(at)[0])]
    assert rows == [m.iso for m in Month.last_n(12)]
    assert heatmap_trace(figures(at)[0])["x"] == ["M0", "M1"]
    assert dict(at.query_params) == {"period": "month"}
    run(at.sidebar.segmented_control(key="w_period").set_value("week"))
    assert dict(at.query_params) == {}
    assert len(heatmap_rows(figures(at)[0])) == 12



def test_a_daily_heatmap_has_the_published_days_as_columns_and_weekday_rows(
        app: AppFactory) -> None:
    spec = figures(app("heatmap", period="day", days="90"))[0]
    trace = heatmap_trace(spec)
    assert trace["x"] == ["当日", "次日", "2日", "3日", "4日", "5日", "6日", "7日", "14日", "30日"]
    rows = heatmap_rows(spec)
    assert len(rows) == 90
    days = Day.last_n(90)
    weekdays = "一二三四五六日"
    assert [strip_mark(r) for r in rows] == [f"{d.start:%m-%d} 周{weekdays[d.start.weekday()]}"
                                             for d in days]
    weekend = spec["layout"]["meta"]["weekend"]
    assert [strip_mark(r) for r in weekend] == [f"{d.start:%m-%d} 周{weekdays[d.start.weekday()]}"
                                                for d in days if d.is_weekend]
    assert len(weekend) in (25, 26, 27)  # 90 days hold 12 or 13 weekends
    axis = spec["layout"]["yaxis2"]
    styled = [text for text in axis["ticktext"] if "<span" in text]
    assert len(styled) == len(weekend)



@pytest.mark.parametrize(("period", "lang", "tiles"), [  # each then names its cohort (19.4)
    ("day", "zh", ["新用户", "次日留存", "7日留存", "30日留存"]),
    ("day", "en", ["New users", "D1 retention", "D7 retention", "D30 retention"]),
    ("week", "zh", ["新用户", "W1留存", "W4留存", "W12 预测"]),
    ("month", "zh", ["新用户", "M1留存"]),
    ("month", "en", ["New users", "M1 retention"]),
])
def test_the_overview_tiles_follow_the_period(app: AppFactory, period: str, lang: str,
                                              tiles: list[str]) -> None:
    at = app("overview", period=period, lang=lang)
    assert [m.label.split(" · ")[0] for m in at.metric] == tiles
    assert all(m.value != "—" for m in at.metric)  # days open on 60: a cohort with D30 is in



def test_the_daily_30_day_tile_is_the_newest_cohort_with_day_30(app: AppFactory) -> None:
    """Issue 14, item 5: at 30 days no cohort has its D30 yet; the default is 60 days, and a
    shorter span says on the tile what to choose."""
    at = app("overview", period="day")
    newest = Day.last_ended().shift(-30)  # day 30 of a cohort appears once day +30 has ended
    assert newest.iso in at.metric[3].help and at.metric[3].value.endswith("%")
    assert at.metric[2].value.endswith("%") and Day.last_ended().shift(-7).iso in \
        at.metric[2].help
    at = app("overview", period="day", days="30")
    assert at.metric[3].value == "—"
    assert at.metric[3].help == t("kpi.rate.none.help", "zh", offset="30日", k=30, n=31)



@pytest.mark.parametrize("period", ["day", "month"])
def test_the_data_grid_names_the_offset_after_the_period(app: AppFactory, period: str) -> None:
    grid = app("data", period=period).dataframe[0]
    config = json.loads(grid.proto.columns)
    headers = [config.get(name, {}).get("label") or name for name in grid.value.columns]
    assert t(f"page.data.column.{period}_offset", "zh") in headers
    letter = "D" if period == "day" else "M"
    assert set(grid.value["offset"]) <= {f"{letter}{k}" for k in (Day if period == "day"
                                                                  else Month).KEYS}

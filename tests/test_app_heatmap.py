"""The heatmap page under AppTest: rows, marks, toggles, the calendar view, one colour scale for
several apps, the cohort-size column and a focused week."""

from __future__ import annotations

import math

import pytest

from tests.fixtures_app import (
    FRESH,
    PUZZLE,
    AppFactory,
    figures,
    heatmap_rows,
    heatmap_trace,
    labels,
    link_notices,
    run,
    strip_mark,
    values,
)
from wxdata.core.periods import last_ended_week, last_n_weeks
from wxdata.dashboard import keys
from wxdata.i18n import t


def test_heatmap_has_one_row_per_ended_week_newest_on_top(app: AppFactory) -> None:
    spec = figures(app("heatmap"))[0]
    rows = [strip_mark(r) for r in heatmap_rows(spec)]
    assert rows == labels(last_n_weeks(12))
    main_axis = spec["layout"]["yaxis2"]  # the average row sits on yaxis, the triangle below
    assert main_axis["categoryarray"][-1].startswith(last_ended_week().label)  # top = last



def test_heatmap_marks_provisional_rows_and_leaves_unpublished_cells_blank(
        app: AppFactory) -> None:
    spec = figures(app("heatmap"))[0]
    rows = heatmap_rows(spec)
    assert rows[-1].endswith(t("chart.mark.provisional", "zh"))
    assert not rows[0].endswith(t("chart.mark.provisional", "zh"))
    main = heatmap_trace(spec)  # the bars of cohort sizes come after it
    newest_cells = values(main["z"])[-1]
    assert all(math.isnan(v) for v in newest_cells)  # only W0 is published; W0 is its own trace
    assert main["text"][-1] == [""] * len(newest_cells)



def test_toggles_change_the_figure(app: AppFactory) -> None:
    at = app("heatmap")
    rates = heatmap_trace(figures(at)[0])
    run(at.segmented_control(key="values").set_value("users"))
    users = figures(at)[0]
    assert "%" in rates["text"][0][1] and "%" not in users["data"][-1]["text"][0][1]
    assert "万" in users["data"][-2]["text"][0][0] or users["data"][-2]["text"][0][0][0].isdigit()
    assert at.query_params["values"] == "users"
    run(at.segmented_control(key="order").set_value("bottom"))
    bottom = figures(at)[0]
    assert bottom["layout"]["yaxis"]["categoryarray"][-1].startswith(last_n_weeks(12)[0].label)
    run(at.toggle(key="both").set_value(True))
    assert len(figures(at)) == 2



def test_calendar_view_puts_columns_on_calendar_weeks(app: AppFactory) -> None:
    at = app("heatmap", calendar="true")
    spec = figures(at)[0]
    # A column per calendar week someone came back in: every week of the span after the first
    # (offset 0 is left out), oldest first; the rows stay the cohorts.
    assert spec["data"][0]["x"] == [w.iso for w in last_n_weeks(12)[1:]]
    assert [strip_mark(r) for r in heatmap_rows(spec)] == labels(last_n_weeks(12))



def test_several_apps_draw_a_heatmap_each(app: AppFactory) -> None:
    at = app("heatmap", app=f"{FRESH},{PUZZLE}")
    assert len(figures(at)) == 2



@pytest.mark.parametrize("query", [{}, {"both": "true"}, {"calendar": "true"},
                                   {"values": "users"}])
def test_every_heatmap_on_the_page_shares_one_colour_scale(app: AppFactory,
                                                           query: dict[str, str]) -> None:
    """Issue 11.10: the same green meant one rate for one app and another for the next."""
    specs = figures(app("heatmap", app=f"{FRESH},{PUZZLE}", **query))
    assert len(specs) == (4 if query.get("both") else 2)
    scales = {(heatmap_trace(s)["zmin"], heatmap_trace(s)["zmax"]) for s in specs}
    assert len(scales) == 1 and next(iter(scales))[0] == 0



def test_a_colour_scale_per_app_is_one_toggle_away(app: AppFactory) -> None:
    at = app("heatmap")
    assert not [w for w in at.toggle if w.key == keys.SCALE_PER_APP]  # one app: nothing to pick
    at = app("heatmap", app=f"{FRESH},{PUZZLE}", metric="active")
    run(at.toggle(key=keys.SCALE_PER_APP).set_value(True))
    tops = [heatmap_trace(s)["zmax"] for s in figures(at)]
    assert len(set(tops)) == 2 and min(tops) > 0



def test_the_heatmap_has_a_cohort_size_column(app: AppFactory) -> None:
    spec = figures(app("heatmap"))[0]
    (bars,) = [d for d in spec["data"] if d["type"] == "bar"]
    assert list(bars["y"]) == heatmap_rows(spec)
    assert all("万" in text or text[0].isdigit() for text in bars["text"] if text)
    at = app("week_over_week", app=f"{FRESH},{PUZZLE}", wow_app=PUZZLE)
    assert at.segmented_control(key="wow_app").value == PUZZLE



def test_a_link_to_a_week_outlines_its_row_and_a_bad_one_is_noticed(app: AppFactory) -> None:
    week = last_n_weeks(12)[4]
    spec = figures(app("heatmap", focus=week.iso))[0]
    (box,) = spec["layout"]["shapes"]
    rows = spec["layout"][box["yref"].replace("y", "yaxis")]["categoryarray"]
    assert rows[round((box["y0"] + box["y1"]) / 2)].startswith(week.label)
    assert box["y1"] - box["y0"] == 1  # a box around the row, not a line through it
    at = app("heatmap", focus="someday")
    assert "shapes" not in figures(at)[0]["layout"]
    assert any("focus=someday" in n for n in link_notices(at))

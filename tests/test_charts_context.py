"""Holidays and goals drawn on the time charts (present/charts/context.py): the bands are the
official days off between the first and last cohort, named; the goal is a dashed line at its
rate; and the Overview's trend carries both for the demo."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from tests.fixtures_app import AppFactory, figures
from wxdata.present import charts
from wxdata.present.charts.context import holiday_bands, span_of
from wxdata.sources.demo import DEMO_APPS


def _rects(fig: go.Figure) -> list[Any]:
    return [s for s in fig.layout.shapes if s.type == "rect"]


def test_the_bands_are_the_days_off_named() -> None:
    fig = go.Figure()
    drawn = holiday_bands(fig, date(2025, 9, 1), date(2026, 10, 31), "zh")
    rects = _rects(fig)
    assert drawn == len(rects)
    spans = {(pd.Timestamp(r.x0).date(), pd.Timestamp(r.x1).date()) for r in rects}
    assert (date(2025, 10, 1), date(2025, 10, 9)) in spans  # 国庆·中秋 2025: 1-8 Oct
    assert (date(2026, 2, 15), date(2026, 2, 24)) in spans  # 春节 2026: 15-23 Feb
    assert (date(2026, 10, 1), date(2026, 10, 8)) in spans
    names = [a.text for a in fig.layout.annotations]
    assert "国庆·中秋" in names and "春节" in names and "国庆" in names
    english = go.Figure()
    holiday_bands(english, date(2026, 2, 1), date(2026, 2, 28), "en")
    assert [a.text for a in english.layout.annotations] == ["Spring Festival"]
    assert holiday_bands(go.Figure(), date(2026, 11, 1), date(2026, 11, 30), "zh") == 0


def test_a_trend_draws_its_goal_and_the_holidays_of_its_span() -> None:
    weeks = pd.date_range("2026-08-31", periods=8, freq="7D")
    sizes, rates = pd.Series(1000.0, index=weeks), pd.Series(0.3, index=weeks)
    fig = charts.trend(sizes, rates, lang="zh", rate_name="W1", goal=0.32)
    lines = [s for s in fig.layout.shapes if s.type == "line"]
    assert len(lines) == 1 and lines[0].y0 == lines[0].y1 == 32.0
    assert lines[0].yref == "y2"  # on the rate's axis, not the sizes'
    assert "目标 32.0%" in [a.text for a in fig.layout.annotations]
    # the span (31 Aug - 25 Oct) holds 中秋 (25-27 Sep) and 国庆 (1-7 Oct)
    assert len(_rects(fig)) == 2
    bare = charts.trend(sizes, rates, lang="zh", rate_name="W1")
    assert not [s for s in bare.layout.shapes if s.type == "line"]
    assert span_of([], 7) is None


def test_the_overview_trend_shows_the_demo_goal(app: AppFactory) -> None:
    fresh = DEMO_APPS[0].appid
    spec = figures(app("overview", app=fresh, weeks="52"))[-1]
    shapes = spec["layout"].get("shapes", [])
    assert any(s["type"] == "line" and s["y0"] == 30.0 for s in shapes)  # the demo's W1 goal
    assert any(s["type"] == "rect" for s in shapes)  # a year holds holidays


def test_a_flagged_holiday_cohort_names_its_holiday() -> None:
    from wxdata.core.periods import Day, Week
    from wxdata.present.narrative import Flag

    national = Flag(Week.parse("2026-W40"), 1, 0.20, 0.30).sentence("zh")
    assert national.startswith("2026-W40 · 09-28..10-04(国庆期间):W1 留存 20.0%,低于正常范围")
    spring = Flag(Day.parse("2026-02-17"), 1, 0.40, 0.30).sentence("en")
    assert "(Spring Festival)" in spring and "above its usual range" in spring
    plain = Flag(Week.parse("2026-W45"), 1, 0.20, 0.30).sentence("zh")
    assert "(" not in plain.split(":")[0]

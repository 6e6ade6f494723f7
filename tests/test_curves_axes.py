"""Issue 19 item 7 and issue 16 on the curves: the linear axis starts after W0, picked cohorts
and the average stand apart, a goal is marked where it applies, the page says why a range is
wide and where the mix moved the average."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.fixtures_app import AppFactory, figures
from wxdata.core.goals import Goal
from wxdata.present import charts


def cohorts() -> pd.DataFrame:
    starts = pd.date_range("2026-10-05", periods=3, freq="7D")
    return pd.DataFrame({0: 1.0, 1: [.30, .31, .29], 2: [.20, .21, np.nan],
                         3: [.16, np.nan, np.nan]}, index=starts)


def test_the_linear_axis_leaves_w0_out_and_its_top_is_the_highest_rate_after_it() -> None:
    fig = charts.decay_curves(cohorts(), lang="zh", horizon=4)
    assert fig.layout.xaxis.range[0] > 0 and 0 not in fig.layout.xaxis.tickvals
    assert 31 < fig.layout.yaxis.range[1] < 40  # not 100 %: the curves get the height
    log = charts.decay_curves(cohorts(), lang="zh", horizon=4, log_y=True)
    assert log.layout.xaxis.range[0] < 0 and 0 in log.layout.xaxis.tickvals


def test_picked_cohorts_differ_in_dash_and_marker_and_the_average_is_bold() -> None:
    avg = pd.DataFrame({"rate": [1, .3, .2, .16], "low": [1, .28, .18, .14],
                        "high": [1, .32, .22, .18]}, index=pd.RangeIndex(4))
    fig = charts.decay_curves(cohorts(), lang="zh", horizon=4, picked=True, average=avg)
    picked = [d for d in fig.data if d.legendrank == 1]
    assert len({d.line.dash for d in picked}) == 3 and len({d.marker.symbol for d in picked}) == 3
    (mean,) = [d for d in fig.data if d.line.color == charts.INK and d.mode == "lines+markers"]
    assert mean.line.width >= 3 > max(d.line.width for d in fig.data if d.legendrank == 1000) \
        if any(d.legendrank == 1000 for d in fig.data) else mean.line.width >= 3


def test_a_goal_is_a_dashed_stroke_at_its_offset() -> None:
    goal = Goal("new", "week", 1, 0.35)
    fig = charts.decay_curves(cohorts(), lang="zh", horizon=4, goals=[goal])
    (mark,) = [d for d in fig.data if d.meta == "goal"]
    assert list(mark.x) == [0.55, 1.45] and list(mark.y) == [35.0, 35.0]
    low, high = fig.layout.xaxis.range  # the whole stroke inside the plot (it was cut at 0.7)
    assert low <= 0.55 and high >= 1.45
    assert "目标 35.0%" in mark.text[1]
    assert "红色虚线是目标" in charts.describe(fig, "zh")
    assert fig.layout.yaxis.range[1] >= 35


def test_the_curves_page_draws_the_demo_goal_and_explains_its_range(app: AppFactory) -> None:
    at = app("curves", weeks="26", horizon="26")
    spec = figures(at)[0]
    assert any(d.get("meta") == "goal" for d in spec["data"])
    captions = " ".join(c.value for c in at.caption)
    assert "范围之所以宽" in captions


def test_on_a_phone_the_offsets_stand_upright_and_the_legend_clears_them() -> None:
    fig = charts.decay_curves(cohorts(), lang="zh", horizon=12, narrow=True)
    assert list(fig.layout.xaxis.tickvals) == [1, 2, 4, 6, 8, 10, 12]
    assert fig.layout.xaxis.tickangle == 0 and fig.layout.legend.y < -0.2
    wide = charts.decay_curves(cohorts(), lang="zh", horizon=12)
    assert list(wide.layout.xaxis.tickvals) == list(range(1, 13))

"""Issue 19 item 6 and 10: the week-over-week chart draws changes (or levels), every offset the
table has, and its band's sentence only where a band is drawn; the table in the page."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from tests.fixtures_app import AppFactory, figures
from wxdata.i18n import t
from wxdata.present import charts, tables
from wxdata.present.fmt import period_text
from wxdata.sources.demo import DEMO_APPS


def wow_frame() -> pd.DataFrame:
    starts = pd.date_range("2026-10-05", periods=4, freq="7D")
    return pd.DataFrame({"size": [1000, 1100, 1050, 990], "size_change": [None, .1, -.05, -.06],
                         "rate_1": [.30, .32, .25, .26], "delta_1": [None, .02, -.07, .01],
                         "significant_1": [False, False, True, False],
                         "rate_3": [.12, .13, .11, .12], "delta_3": [None, .01, -.02, .01],
                         "significant_3": [False, False, False, False]}, index=starts)


def test_the_chart_draws_each_change_in_points_with_stars_where_significant() -> None:
    fig = charts.wow_changes(wow_frame(), lang="zh", offsets=(1, 3), title="x")
    lines = [d for d in fig.data if d.mode == "lines+markers"]
    assert [d.name for d in lines] == ["W1", "W3"]  # W3 is on the chart as in the table
    assert [round(float(v), 1) for v in lines[0].y] == [2.0, -7.0, 1.0]
    assert list(lines[0].marker.symbol) == ["circle", "star", "circle"]
    assert fig.layout.yaxis.title.text == t("chart.change_pp", "zh")


def test_a_table_header_names_the_change_without_the_repeated_unit() -> None:
    table = tables.wow_table(wow_frame(), "zh", "week")
    assert list(table.columns[-4:]) == ["W1", "ΔW1", "W3", "ΔW3"]
    narrow = tables.wow_table(wow_frame(), "zh", "week", narrow=True)
    assert narrow.iloc[0, 0] == "W41 · 10-05" and table.iloc[0, 0].startswith("2026-W41")


def test_eight_weeks_draw_no_band_and_say_none(app: AppFactory) -> None:
    at = app("week_over_week", weeks="8", wow_chart="level")
    spec = figures(at)[0]
    assert not any(d.get("fill") == "toself" for d in spec["data"])
    captions = [c.value for c in at.caption]
    assert period_text("page.week_over_week.legend.table", "week", "zh") in captions
    assert period_text("page.week_over_week.legend", "week", "zh") not in captions
    wide = app("week_over_week", weeks="26", wow_chart="level")
    assert any(d.get("fill") == "toself" for d in figures(wide)[0]["data"])
    assert period_text("page.week_over_week.legend", "week", "zh") in [
        c.value for c in wide.caption]


def test_the_page_charts_changes_by_default_and_every_row_is_in_the_page(
        app: AppFactory) -> None:
    at = app("week_over_week", weeks="52")
    spec = figures(at)[0]
    names = [d["name"] for d in spec["data"] if d.get("mode") == "lines+markers"]
    assert names == ["W1", "W2", "W3", "W4"]
    assert spec["layout"]["yaxis"]["title"]["text"] == t("chart.change_pp", "zh")
    (grid,) = at.dataframe
    assert len(grid.value) >= 50
    assert json.loads(grid.proto.columns)[t("table.cohort.week", "zh")] == {"pinned": True}
    assert tables.table_height(52, max_rows=52) == 53 * tables.TABLE_ROW_PX + 20  # no box


@pytest.mark.parametrize("app_id", [a.appid for a in DEMO_APPS])
@pytest.mark.parametrize("offset", [1, 2, 4])
def test_the_normal_range_does_not_swell_after_the_spring_festival(app_id: str,
                                                                  offset: int) -> None:
    """Issue 19, item 6: after the Spring Festival the W4 band swelled to ~4–20 % (median
    width 2 pp): the cohorts whose W4 came back in the festival dipped four in a row, read as a
    new level, and filled the next windows. A cohort measured in a golden week is judged but is
    no baseline: no band is more than twice as wide as the span's typical one."""
    from wxdata.analytics.anomalies import anomalies, came_back_in_golden_week
    from wxdata.core.periods import Week, last_n_weeks
    from wxdata.sources.demo import DemoSource

    frame = DemoSource().load([app_id], last_n_weeks(52)).frame
    band = anomalies(frame, app_id=app_id, offset=offset, flagged_only=False)
    width = band["high"] - band["low"]
    assert len(band) > 20 and width.max() <= 2 * width.median(), width.sort_values().tail()
    festive = came_back_in_golden_week(band.index, offset, Week)
    assert festive.any()  # the span holds the festival: the rule had something to do

"""Figure builders on hand-made frames: what is drawn where, in which words."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from tests.fixtures_app import values
from wxdata.i18n import t
from wxdata.present import charts
from wxdata.present.charts.curves import COHORT_GREY

STARTS = pd.to_datetime(["2026-10-19", "2026-10-26", "2026-11-02"])


def matrices() -> tuple[pd.DataFrame, pd.DataFrame]:
    users = pd.DataFrame({0: [20_000, 18_000, 15_500], 1: [5_000, 4_500, np.nan],
                          2: [3_000, np.nan, np.nan]}, index=STARTS)
    return users.div(users[0], axis=0), users


def average() -> pd.DataFrame:
    return pd.DataFrame({"rate": [1.0, 0.25, 0.15], "low": [1.0, 0.23, 0.13],
                         "high": [1.0, 0.27, 0.17]}, index=pd.Index([0, 1, 2]))


def main_trace(fig: object) -> dict:
    data = fig.to_plotly_json()["data"]  # type: ignore[attr-defined]
    return [d for d in data if d["type"] == "heatmap" and d.get("showscale") is not False][-1]


def test_heatmap_rows_columns_text_and_blank_unpublished_cells() -> None:
    rates, users = matrices()
    fig = charts.heatmap(rates, users, lang="zh", average=average())
    main = main_trace(fig)
    assert list(main["y"]) == ["2026-W43 · 10-19..10-25", "2026-W44 · 10-26..11-01",
                               "2026-W45 · 11-02..11-08"]
    assert list(main["x"]) == ["W0", "W1", "W2"]
    assert main["text"][0] == ["", "25.0%", "15.0%"]  # W0 is drawn by its own, grey trace
    assert main["text"][2] == ["", "", ""]  # only W0 published: blank, never 0%
    z = np.asarray(values(main["z"]), dtype=float)
    assert math.isnan(z[2, 1]) and z[0, 1] == pytest.approx(25.0)
    assert fig.layout.yaxis2.categoryarray[-1] == "2026-W45 · 11-02..11-08"  # newest on top
    avg = fig.to_plotly_json()["data"][0]
    assert list(avg["y"]) == [t("chart.average_row", "zh")] and avg["text"][0][1] == "25.0%"


def test_heatmap_hover_has_rate_and_users_in_chinese_units() -> None:
    rates, users = matrices()
    main = main_trace(charts.heatmap(rates, users, lang="zh"))
    # issue 19.9: one unit for every count of the chart, taken from the largest (2.00万)
    assert main["customdata"][0][1] == "留存率 25.0% · 0.50万 人"
    assert main["customdata"][0][0] == "留存率 100.0% · 2.00万 人"
    assert main["customdata"][2][1] == t("chart.unpublished", "zh")


def test_heatmap_users_mode_writes_counts_and_drops_the_average_row() -> None:
    rates, users = matrices()
    fig = charts.heatmap(rates, users, lang="zh", values="users", average=average())
    data = fig.to_plotly_json()["data"]
    assert all(t("chart.average_row", "zh") not in list(d["y"]) for d in data)
    first_column = [d for d in data if d.get("showscale") is False][-1]
    assert first_column["text"][0][0] == "2.00万"
    assert main_trace(fig)["text"][0][1] == "0.50万"  # the chart's one unit (issue 19.9)
    assert charts.heatmap(rates, users, lang="en", values="users").to_plotly_json()[
        "data"][-2]["text"][0][0] == "20,000"


def test_heatmap_order_marks_blank_rows_and_focus() -> None:
    rates, users = matrices()
    extra = pd.Timestamp("2026-11-09")
    fig = charts.heatmap(rates, users, lang="en", newest_on_top=False, rows=[*STARTS, extra],
                         marks={extra: " · failed to load"}, focus=STARTS[1])
    labels = list(main_trace(fig)["y"])
    assert labels[-1] == "2026-W46 · 11-09..11-15 · failed to load"
    assert fig.layout.yaxis.categoryarray[0] == labels[-1]  # newest at the bottom
    assert np.isnan(np.asarray(values(main_trace(fig)["z"]), dtype=float)[-1]).all()
    assert len(fig.layout.shapes) == 1


@pytest.mark.parametrize("newest_on_top", [True, False])
def test_the_focus_marker_outlines_the_row_rather_than_striking_it(newest_on_top: bool) -> None:
    """Issue 11.5: a rectangle from a row's label to itself is a line through its numbers."""
    rates, users = matrices()
    fig = charts.heatmap(rates, users, lang="en", average=average(), focus=STARTS[1],
                         newest_on_top=newest_on_top)
    (box,) = fig.layout.shapes
    at = list(fig.layout.yaxis2.categoryarray).index(list(main_trace(fig)["y"])[1])
    assert (box.y0, box.y1) == (at - 0.5, at + 0.5)  # the whole row, edge to edge
    assert (box.x0, box.x1) == (-0.5, 2.5) and box.yref == "y2"
    assert box.fillcolor == "rgba(0,0,0,0)" and box.line.width >= 2


def test_decay_curves_highlight_average_band_and_dashed_projection() -> None:
    rates, _ = matrices()
    proj = pd.DataFrame({"rate": 0.3 * np.arange(1, 28) ** -0.5, "low": 0.2 * np.ones(27),
                         "high": 0.4 * np.ones(27)}, index=pd.RangeIndex(1, 28))
    fig = charts.decay_curves(rates, lang="zh", average=average(), projection=proj,
                              model="power", horizon=26, log_y=True)
    traces = fig.to_plotly_json()["data"]
    newest = traces[-1]  # the newest cohort with a curve (W44: W0 and W1) is drawn last
    assert newest["name"] == "2026-W44 · 10-26..11-01" and newest["line"]["color"] == charts.GREEN
    faded = [d for d in traces if d.get("line", {}).get("color") == COHORT_GREY]
    assert len(faded) == 1  # the two older cohorts in one trace, broken by a gap
    assert list(faded[0]["x"]) == [0, 1, 2, None, 0, None]
    assert list(faded[0]["customdata"])[:3] == ["2026-W43 · 10-19..10-25"] * 3
    dashed = [d for d in traces if d.get("line", {}).get("dash") == "dash"]
    assert len(dashed) == 1 and dashed[0]["name"] == "预测:幂律模型"
    assert max(dashed[0]["x"]) == 26
    assert fig.layout.yaxis.type == "log"
    assert any(d.get("fill") == "toself" for d in traces)


def test_an_assumed_tail_is_dotted_and_says_so_and_the_average_names_its_cohorts() -> None:
    rates, _ = matrices()
    k = np.arange(0, 27)
    proj = pd.DataFrame({"rate": np.r_[1.0, 0.3 * k[1:] ** -0.5],
                         "low": np.r_[1.0, 0.2 * np.ones(26)],
                         "high": np.r_[1.0, 0.4 * np.ones(26)], "assumed": k > 12},
                        index=pd.Index(k, name="offset"))
    avg = average().assign(cohorts=[12, 12, 11], users=[1, 1, 1], after_shift=False,
                           since=pd.Timestamp("2026-08-03"))
    fig = charts.decay_curves(rates, lang="zh", average=avg, projection=proj, model="sbg",
                              horizon=26)
    traces = fig.to_plotly_json()["data"]
    dashed = [d for d in traces if d.get("line", {}).get("dash") == "dash"]
    dotted = [d for d in traces if d.get("line", {}).get("dash") == "dot"]
    assert max(dashed[0]["x"]) == 12 and (min(dotted[0]["x"]), max(dotted[0]["x"])) == (12, 26)
    assert dotted[0]["name"] == t("chart.projection.assumed", "zh")
    assert "仅供参考" in dashed[0]["name"]  # the sBG caveat travels with its name
    names = [d["name"] for d in traces]
    assert "加权平均:2026-W32 起 12 个批次(95% 置信区间)" in names
    shifted = avg.assign(after_shift=True)
    fig = charts.decay_curves(rates, lang="en", average=shifted, projection=proj, model="power")
    assert any("since the level shift of 2026-W32" in d["name"]
               for d in fig.to_plotly_json()["data"])


def test_a_band_with_unknown_points_leaves_them_out() -> None:
    rates, _ = matrices()
    avg = average().assign(low=[1.0, 0.23, np.nan], high=[1.0, 0.27, np.nan])
    fig = charts.decay_curves(rates, lang="en", average=avg)
    band = next(d for d in fig.to_plotly_json()["data"] if d.get("fill") == "toself")
    assert list(band["x"]) == [0, 1, 1, 0] and not np.isnan(np.asarray(band["y"])).any()


def test_decay_compare_puts_every_app_on_one_chart() -> None:
    fig = charts.decay_compare({"鲜果": average(), "拼图": average()}, lang="zh",
                               projections={"鲜果": None, "拼图": None})
    names = [d["name"] for d in fig.to_plotly_json()["data"] if d.get("showlegend") is not False]
    assert names == ["鲜果", "拼图"]


def test_wow_rates_marks_flagged_weeks_and_skips_missing_offsets() -> None:
    rates, _ = matrices()
    band = pd.DataFrame({"rate": [0.25, 0.25], "expected": [0.26, 0.3], "low": [0.2, 0.28],
                         "high": [0.3, 0.32], "z": [-0.5, -4.0]}, index=STARTS[:2])
    fig = charts.wow_rates(rates, lang="en", offsets=(1, 2, 4), bands={1: band},
                           flagged={1: [STARTS[1]]})
    traces = fig.to_plotly_json()["data"]
    flagged = [d for d in traces if d["name"] == t("chart.flagged.week", "en")]
    assert len(flagged) == 1 and list(flagged[0]["customdata"]) == ["2026-W44 · 10-26..11-01"]
    lines = [d["name"] for d in traces if d.get("mode") == "lines+markers"]
    assert lines == ["W1", "W2"]  # no W4 column: no W4 line


def test_trend_counts_axis_in_wan_for_chinese() -> None:
    _, users = matrices()
    fig = charts.trend(users[0], users[1] / users[0], lang="zh", rate_name="次周留存")
    assert "万" in "".join(fig.layout.yaxis.ticktext)
    bars = fig.to_plotly_json()["data"][0]
    assert values(bars["y"]) == [20_000, 18_000, 15_500]


def test_coverage_has_a_trace_per_state_present() -> None:
    status = pd.DataFrame({"app": ["a", "a", "a"], "week": list(STARTS),
                           "state": ["final", "provisional", "failed"],
                           "detail": ["x", "y", "errcode 61501"]})
    fig = charts.coverage(status, lang="zh")
    assert [d["name"] for d in fig.to_plotly_json()["data"]] == ["已定", "未定", "失败"]


def test_calendar_heatmap_columns_are_calendar_weeks() -> None:
    cells = pd.DataFrame({pd.Timestamp("2026-10-26"): [0.25, np.nan],
                          pd.Timestamp("2026-11-02"): [0.15, 0.22]}, index=STARTS[:2])
    trace = charts.calendar_heatmap(cells, lang="zh").to_plotly_json()["data"][0]
    assert list(trace["x"]) == ["2026-W44", "2026-W45"]
    assert trace["text"][1] == ["", "22.0%"]



def test_names_and_messages_from_outside_are_text_in_charts_not_html() -> None:
    """Plotly renders a subset of HTML (links included) in legends and hovers."""
    link = '<a href="https://evil.example">click</a>'
    average = pd.DataFrame({"rate": [1.0, 0.3], "low": [1.0, 0.2], "high": [1.0, 0.4]},
                           index=pd.Index([0, 1], name="offset"))
    fig = charts.decay_compare({link: average}, lang="en")
    status = pd.DataFrame({"app": [link], "week": [pd.Timestamp("2026-11-02")],
                           "state": ["failed"], "detail": [link]})
    both = fig.to_json() + charts.coverage(status, lang="en").to_json()
    assert "<a href" not in both and "&lt;a href" in both


def test_log_scale_ticks_are_percent_at_one_two_five_steps() -> None:
    """Issue 11.3: Plotly's own log ticks read "9 8 … 2", without a unit, between 10 and 100 %."""
    rates, _ = matrices()
    for fig in (charts.decay_curves(rates, lang="zh", average=average(), log_y=True),
                charts.decay_compare({"a": average()}, lang="en", log_y=True)):
        axis = fig.layout.yaxis
        assert axis.type == "log" and axis.tickmode == "array"
        assert [v for v in axis.tickvals if 1 <= v <= 100] == [1, 2, 5, 10, 20, 50, 100]
        assert all(text.endswith("%") for text in axis.ticktext)
        assert dict(zip(axis.tickvals, axis.ticktext, strict=True))[20] == "20%"


def test_curve_hovers_name_the_offset_once() -> None:
    """Issue 11.4: the x axis writes W1 for 1, so a template "W%{x}" read "WW1"."""
    rates, _ = matrices()
    proj = pd.DataFrame({"rate": [1.0, 0.3, 0.2], "low": [1.0, 0.2, 0.1],
                         "high": [1.0, 0.4, 0.3]}, index=pd.Index([0, 1, 2]))
    figs = [charts.decay_curves(rates, lang="zh", average=average(), projection=proj,
                                model="power"),
            charts.decay_curves(rates, lang="zh", picked=True),
            charts.decay_compare({"a": average()}, lang="en", projections={"a": ("power", proj)})]
    traces = [d for fig in figs for d in fig.to_plotly_json()["data"] if "hovertemplate" in d]
    assert traces and all("W%{x}" not in d["hovertemplate"] for d in traces)
    for d in traces:
        if "%{text}" in d["hovertemplate"]:
            assert [x_text for x_text in d["text"] if x_text] == [
                f"W{x}" for x in values(d["x"]) if x is not None]


def test_picked_cohorts_get_their_own_colours_above_the_average() -> None:
    """Issue 11.4: with two cohorts picked the second was drawn grey, under the average."""
    rates, _ = matrices()
    fig = charts.decay_curves(rates.iloc[:2], lang="en", average=average(), picked=True)
    traces = fig.to_plotly_json()["data"]
    names = [d["name"] for d in traces]
    average_at = names.index(t("chart.average", "en"))
    picked = [i for i, d in enumerate(traces) if d["name"].startswith("2026-W4")]
    assert len(picked) == 2 and min(picked) > average_at
    colours = [traces[i]["line"]["color"] for i in picked]
    assert len(set(colours)) == 2 and charts.FADED not in colours and charts.INK not in colours
    assert charts.describe(fig, "en") == " ".join(
        t(f"chart.caption.{k}", "en") for k in ("picked", "average"))


def test_the_caption_names_only_the_lines_drawn() -> None:
    """Issue 11.4: two apps were captioned with grey cohort lines and a green newest one."""
    fig = charts.decay_compare({"a": average(), "b": average()}, lang="zh",
                               projections={"a": None, "b": None})
    caption = charts.describe(fig, "zh")
    assert caption == t("chart.caption.apps", "zh")
    assert "灰线" not in caption and "橙色" not in caption
    rates, _ = matrices()
    caption = charts.describe(charts.decay_curves(rates, lang="en"), "en")
    assert caption == t("chart.caption.cohorts", "en") + " " + t("chart.caption.newest", "en")
    caption = charts.describe(charts.decay_curves(rates, lang="zh", average=average()), "zh")
    assert caption == "".join(t(f"chart.caption.{k}", "zh")
                              for k in ("cohorts", "newest", "average"))


def test_the_curves_legend_sits_under_the_plot_not_over_the_title() -> None:
    """Issue 11.4: two apps' legend wrapped upwards over the title."""
    fig = charts.decay_compare({"a": average(), "b": average()}, lang="en", title="New users")
    legend = fig.layout.legend
    assert legend.yanchor == "top" and legend.y < 0


def test_side_by_side_heatmaps_fit_their_text() -> None:
    """Issue 11.2: W0 was clipped to "00.0%", the average row overlapped, English labels
    squeezed the cells."""
    rates, users = matrices()
    marks = {STARTS[2]: t("chart.mark.short.provisional", "en")}
    fig = charts.heatmap(rates, users, lang="en", average=average(), marks=marks, compact=True)
    main = main_trace(fig)
    data = fig.to_plotly_json()["data"]
    w0 = [d for d in data if d["type"] == "heatmap" and d.get("showscale") is False]
    assert [row[0] for row in w0[-1]["text"]] == ["100%"] * 3  # not "100.0%"
    avg_row = [d for d in data if list(d["y"]) == [t("chart.average_row.short", "en")]]
    assert [d["text"][0][0] for d in avg_row] == ["", "100%"]
    assert list(main["y"]) == ["W43 · 10-19", "W44 · 10-26", "W45 · 11-02 prov."]
    assert max(len(label) for label in main["y"]) <= 17
    assert main["textfont"]["size"] <= 11
    assert fig.to_plotly_json()["data"][-1]["type"] == "bar"  # sizes, not a wider colour bar
    assert main["colorbar"]["orientation"] == "h"  # under the cells, not beside them


def test_calendar_heatmap_order_zero_based_scale_and_dense_text() -> None:
    """Issue 11.6: newest on top was ignored, the scale started at the smallest rate (zmin
    without zmax is ignored by Plotly) and 52 weeks of columns showed no numbers."""
    cells = pd.DataFrame({pd.Timestamp("2026-10-26"): [0.25, np.nan],
                          pd.Timestamp("2026-11-02"): [0.15, 0.22]}, index=STARTS[:2])
    labels = ["2026-W43 · 10-19..10-25", "2026-W44 · 10-26..11-01"]
    fig = charts.calendar_heatmap(cells, lang="en")
    trace = fig.to_plotly_json()["data"][0]
    assert list(fig.layout.yaxis.categoryarray) == labels  # last = top: newest on top
    assert fig.layout.yaxis.autorange is None
    assert trace["zmin"] == 0 and trace["zmax"] == pytest.approx(25.0)
    fig = charts.calendar_heatmap(cells, lang="en", newest_on_top=False, zmax=60.0)
    assert list(fig.layout.yaxis.categoryarray) == labels[::-1]
    assert fig.to_plotly_json()["data"][0]["zmax"] == 60.0
    weeks = pd.date_range("2025-11-03", periods=56, freq="7D")
    year = pd.DataFrame(0.2, index=weeks[:52], columns=weeks)
    trace = charts.calendar_heatmap(year, lang="zh").to_plotly_json()["data"][0]
    assert trace["text"][0][0] == "20" and trace["textfont"]["size"] <= 9
    assert trace["customdata"][0][0][1] == "20.0%"  # the hover keeps the decimal
    assert trace["y"][0] == "W45 · 11-03"  # short labels leave the columns room


def test_several_heatmaps_can_share_one_colour_scale() -> None:
    """Issue 11.10: each app's heatmap had its own scale, so one green meant two rates."""
    rates, users = matrices()
    high = rates.copy()
    high[1] = high[1] * 2
    top = charts.scale_top([rates, high])
    assert top == pytest.approx(50.0)
    one, two = (main_trace(charts.heatmap(r, users, lang="zh", zmax=top)) for r in (rates, high))
    assert (one["zmin"], one["zmax"]) == (two["zmin"], two["zmax"]) == (0, pytest.approx(50.0))
    assert main_trace(charts.heatmap(rates, users, lang="zh"))["zmax"] == pytest.approx(25.0)
    assert charts.scale_top([users], "users") == 5_000


def test_the_heatmap_shows_cohort_sizes_beside_the_rates() -> None:
    """Issue 11.10: the users in W0 of each cohort, on the heatmap's rows."""
    rates, users = matrices()
    fig = charts.heatmap(rates, users, lang="zh", average=average())
    bars = [d for d in fig.to_plotly_json()["data"] if d["type"] == "bar"]
    assert len(bars) == 1 and bars[0]["orientation"] == "h"
    assert list(bars[0]["y"]) == list(main_trace(fig)["y"])
    assert list(bars[0]["text"]) == ["2.00万", "1.80万", "1.55万"]
    assert bars[0]["name"] == t("chart.cohort_size", "zh")
    users_mode = charts.heatmap(rates, users, lang="zh", values="users")
    assert not [d for d in users_mode.to_plotly_json()["data"] if d["type"] == "bar"]


@pytest.mark.parametrize("weeks", [3, 12, 52, 104])
def test_date_ticks_fall_on_the_cohort_mondays(weeks: int) -> None:
    """Issue 11.8: Plotly's own date ticks fell on Sundays, between the Monday points."""
    starts = pd.date_range("2024-12-02", periods=weeks, freq="7D")
    rates = pd.DataFrame({1: 0.3}, index=starts)
    sizes = pd.Series(20_000.0, index=starts)
    status = pd.DataFrame({"app": "a", "week": starts, "state": "final", "detail": ""})
    for fig in (charts.wow_rates(rates, lang="zh", offsets=(1,)),
                charts.trend(sizes, rates[1], lang="en", rate_name="W1"),
                charts.coverage(status, lang="zh")):
        axis = fig.layout.xaxis
        assert axis.tickmode == "linear" and pd.Timestamp(axis.tick0).weekday() == 0
        assert axis.dtick % (7 * 24 * 3600 * 1000) == 0  # whole weeks: every tick a Monday
        ticks = (starts[-1] - pd.Timestamp(axis.tick0)) / pd.Timedelta(milliseconds=axis.dtick)
        assert 1 <= ticks + 1 <= 9


def test_a_count_axis_writes_every_tick_in_one_unit() -> None:
    """Issue 11.8: "5,000" beside "1.0万" on one axis."""
    _, users = matrices()
    zh = charts.trend(users[0], users[1] / users[0], lang="zh", rate_name="次周留存")
    assert list(zh.layout.yaxis.ticktext) == ["0", "0.5万", "1.0万", "1.5万", "2.0万"]
    en = charts.trend(users[0], users[1] / users[0], lang="en", rate_name="W1")
    assert list(en.layout.yaxis.ticktext) == ["0", "5,000", "10,000", "15,000", "20,000"]
    rates, _ = matrices()
    # issue 19.9: the bar in the chart's one unit (its W0 cells reach 2.00万), as its cells are
    main = main_trace(charts.heatmap(rates, users, lang="zh", values="users"))
    assert list(main["colorbar"]["ticktext"]) == ["0", "0.10万", "0.20万", "0.30万", "0.40万",
                                                  "0.50万"]
    assert main["text"][0][1] == "0.50万"
    small = users / 10  # under ten thousand: plain numbers in cells and bar alike
    main = main_trace(charts.heatmap(rates, small, lang="zh", values="users"))
    assert list(main["colorbar"]["ticktext"]) == ["0", "100", "200", "300", "400", "500"]
    assert main["text"][0][1] == "500"


def day_matrices() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Four daily cohorts from Friday 2026-11-06 to Monday 2026-11-09, keys as WeChat gives."""
    starts = pd.date_range("2026-11-06", periods=4, freq="D")
    keys = [0, 1, 2, 3, 4, 5, 6, 7, 14, 30]
    users = pd.DataFrame([[1000, 300, 200, 150, 120, 110, 100, 90, 70, np.nan]] * 4,
                         index=starts, columns=keys, dtype="float64")
    return users.div(users[0], axis=0), users


@pytest.mark.parametrize(("lang", "columns", "saturday"), [
    ("zh", ["当日", "次日", "2日", "3日", "4日", "5日", "6日", "7日", "14日", "30日"],
     "11-07 周六"),
    ("en", ["D0", "D1", "D2", "D3", "D4", "D5", "D6", "D7", "D14", "D30"], "11-07 Sat"),
])
def test_a_daily_heatmap_names_its_columns_and_marks_the_weekend_rows(
        lang: str, columns: list[str], saturday: str) -> None:
    rates, users = day_matrices()
    fig = charts.heatmap(rates, users, lang=lang, period="day")  # type: ignore[arg-type]
    main = main_trace(fig)
    assert list(main["x"]) == columns  # no D8..D13 between D7 and D14
    assert list(main["y"])[1] == saturday
    assert fig.layout.meta["weekend"] == list(main["y"])[1:3]  # Saturday and Sunday only
    styled = [text for text in fig.layout.yaxis.ticktext if "<span" in text]
    assert len(styled) == 2 and saturday in styled[0]


def test_a_weekly_heatmap_has_no_weekend_marks() -> None:
    rates, users = matrices()
    fig = charts.heatmap(rates, users, lang="zh")
    assert fig.layout.meta is None and fig.layout.yaxis.ticktext is None


def test_daily_curves_tick_only_the_days_a_reader_knows() -> None:
    rates, _ = day_matrices()
    fig = charts.decay_curves(rates, lang="zh", horizon=90, period="day", log_y=True)
    assert list(fig.layout.xaxis.tickvals) == [0, 1, 7, 14, 30, 60, 90]
    assert list(fig.layout.xaxis.ticktext) == ["当日", "次日", "7日", "14日", "30日", "60日",
                                               "90日"]
    linear = charts.decay_curves(rates, lang="zh", horizon=90, period="day")
    assert list(linear.layout.xaxis.tickvals) == [1, 7, 14, 30, 60, 90]  # D0 is 100 %
    assert fig.layout.xaxis.title.text == t("chart.offset_axis.day", "zh")


def test_monthly_rates_tick_on_months_and_name_m1() -> None:
    starts = pd.date_range("2025-11-01", periods=12, freq="MS")
    rates = pd.DataFrame({0: [1.0] * 12, 1: np.linspace(0.2, 0.3, 12)}, index=starts)
    fig = charts.wow_rates(rates, lang="en", offsets=(1,), period="month")
    assert [d["name"] for d in fig.to_plotly_json()["data"]] == ["M1"]
    assert fig.layout.xaxis.dtick == "M2" and fig.layout.xaxis.tickformat == "%b\n%Y"
    assert fig.layout.xaxis.title.text == "Cohort month"

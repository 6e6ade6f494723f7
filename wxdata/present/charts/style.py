"""The house look of every figure: WeChat's colours, fonts that draw Chinese, shared axes and bands.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from wxdata.core.periods import DEFAULT_PERIOD, PeriodKind
from wxdata.i18n import Lang
from wxdata.present import fmt
from wxdata.present.fmt import count_axis

GREEN = "#07C160"
INK = "#1F2329"
FADED = "#C9CDD4"
RED = "#FA5151"
BLUE = "#10AEFF"
ORANGE = "#FA9D3B"
PALETTE = (GREEN, BLUE, ORANGE, "#6467F0", RED, "#576B95", "#91D300")
#: Pale to WeChat green to deep green: high retention reads as "more green".
#: Dark text stays readable on every colour of it (#07C160 against #1F2329 is 6.7:1).
SCALE = [[0.0, "#F6FCF8"], [0.5, "#8FE0B4"], [1.0, GREEN]]
W0_SCALE = [[0.0, "#EEF0F2"], [1.0, "#EEF0F2"]]
FONT = "PingFang SC, Microsoft YaHei, Noto Sans CJK SC, Noto Sans SC, sans-serif"
HEATMAP_ROW_PX, MIN_HEATMAP_ROW_PX = 30, 20


#: Words of a phone's user agent, its in-app browsers' too (WeCom's ``wxwork``, Feishu's
#: ``Lark`` keep the system's ``Mobile``; their desktop clients do not); a page drawn for one
#: gets the narrow heatmap and the short table.
PHONE_AGENTS = ("Mobile", "Android", "iPhone")


def is_phone(user_agent: str | None) -> bool:
    """Whether ``user_agent`` is a phone's: the width the page will be drawn at is not known to
    the server, the agent is.

    >>> is_phone("Mozilla/5.0 (iPhone; CPU iPhone OS 18_0) Mobile/15E148 wxwork/4.1")
    True
    >>> is_phone("Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0")
    False
    """
    return any(word in (user_agent or "") for word in PHONE_AGENTS)


def layout(fig: go.Figure, *, title: str = "", height: int | None = None) -> go.Figure:
    fig.update_layout(
        template="plotly_white", font={"family": FONT, "color": INK, "size": 13},
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}} if title else None,
        margin={"l": 10, "r": 10, "t": 60 if title else 30, "b": 40}, height=height,
        hoverlabel={"font": {"family": FONT}},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
    )
    return fig


def legend_below(fig: go.Figure) -> go.Figure:
    """The legend under the plot, left-aligned: a legend of several apps' averages and
    projections wraps to three lines, and above the plot it ran over the title."""
    fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.14, "x": 0,
                              "yref": "paper"})
    return fig


#: Weeks between date ticks: the first step that leaves at most :data:`MAX_DATE_TICKS`.
WEEK_STEPS, MAX_DATE_TICKS = (1, 2, 4, 8, 13, 26, 52), 9
WEEK_MS = 7 * 24 * 3600 * 1000


def date_axis(fig: go.Figure, lang: Lang, weeks: Sequence[Any] = (),
              period: PeriodKind = DEFAULT_PERIOD, **kw: Any) -> None:
    """Cohort axes read as month-day in Chinese ("11-02"), "Nov 02" in English, with a tick on
    the Monday of every first, second, fourth... cohort of ``weeks``: Plotly's own date ticks
    fell on Sundays, between the Monday points. Months tick on the 1st of a month."""
    ticks: dict[str, Any] = {}
    if len(weeks) and period == "month":
        first = pd.Timestamp(min(weeks))
        months = (pd.Timestamp(max(weeks)).to_period("M") - first.to_period("M")).n + 1
        step = next((s for s in (1, 2, 3, 6, 12) if months / s <= MAX_DATE_TICKS), 12)
        fig.update_xaxes(tickformat="%Y-%m" if lang == "zh" else "%b\n%Y", tickmode="linear",
                         tick0=first.strftime("%Y-%m-%d"), dtick=f"M{step}", **kw)
        return
    if len(weeks):
        first, last = pd.Timestamp(min(weeks)), pd.Timestamp(max(weeks))
        span = (last - first).days // 7 + 1
        step = next((s for s in WEEK_STEPS if span / s <= MAX_DATE_TICKS), WEEK_STEPS[-1])
        monday = first - pd.Timedelta(days=first.weekday())
        ticks = {"tickmode": "linear", "tick0": monday.strftime("%Y-%m-%d"),
                 "dtick": step * WEEK_MS}
    fig.update_xaxes(tickformat="%m-%d\n%Y" if lang == "zh" else "%b %d\n%Y", **ticks, **kw)


def offset_label(k: object, period: PeriodKind = DEFAULT_PERIOD, lang: Lang = "zh") -> str:
    """An offset's name on an axis or in a legend: W1, D1 (次日 in Chinese), M1."""
    return fmt.offset_label(period, k, lang)


def count_ticks(top: float | None, lang: Lang, values: str) -> dict[str, Any]:
    """Count ticks in one unit for the whole axis (万 in Chinese from ten thousand up)."""
    if values != "users" or top is None or top <= 0:
        return {}
    ticks = _nice_ticks(top)
    return {"tickvals": ticks, "ticktext": count_axis(ticks, lang)}


def count_format(values: Any, lang: Lang) -> Callable[[float], str]:
    """One way to write every count of one chart, its unit taken from the largest of
    ``values``: "0.41万" beside "1.25万" in cells, colour bar and hover alike (:func:`fmt.count`
    picks a unit per number, and a cell said 4,104 under a colour bar of 0.75万). Below ten
    thousand, and in English, plain numbers with commas; two decimals of 万 under 10万."""
    numbers = np.asarray(values, dtype="float64").ravel()
    numbers = numbers[~np.isnan(numbers)]
    top = float(np.abs(numbers).max()) if numbers.size else 0.0
    if lang != "zh" or top < 1e4:
        return lambda v: fmt.DASH if np.isnan(v) else f"{round(v):,}"
    unit, suffix = (1e8, "亿") if top >= 1e8 else (1e4, "万")
    decimals = 2 if top / unit < 10 else 1
    return lambda v: fmt.DASH if np.isnan(v) else \
        "0" if v == 0 else f"{v / unit:.{decimals}f}{suffix}"


def count_scale_ticks(top: float | None, write: Callable[[float], str]) -> dict[str, Any]:
    """A colour bar's count ticks written by ``write`` (:func:`count_format`)."""
    if top is None or top <= 0:
        return {}
    ticks = _nice_ticks(top)
    return {"tickvals": ticks, "ticktext": [write(v) for v in ticks]}


def _nice_ticks(top: float, n: int = 5) -> list[float]:
    raw = top / n
    magnitude = 10 ** np.floor(np.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [float(v) for v in np.arange(0, top + step / 2, step)]


def draw_band(fig: go.Figure, x: Sequence[Any], low: pd.Series, high: pd.Series,
              color: str, name: str, *, opacity: float = 0.15, **kw: Any) -> None:
    """A shaded interval (drawn as one closed polygon so it needs no partner trace) over the
    points where it is known: an offset with no interval (one cohort) is left out, not drawn as
    a gap that would tear the polygon."""
    lows, highs = low.to_numpy(dtype="float64"), high.to_numpy(dtype="float64")
    known = ~(np.isnan(lows) | np.isnan(highs))
    x = [v for v, ok in zip(x, known, strict=True) if ok]
    xs = [*x, *reversed(x)]
    ys = [*(highs[known] * 100), *(lows[known] * 100)[::-1]]
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", fill="toself",
                             fillcolor=with_alpha(color, opacity),
                             line={"width": 0}, hoverinfo="skip", name=name, **kw))


def with_alpha(color: str, alpha: float) -> str:
    red, green, blue = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"

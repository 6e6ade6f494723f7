"""Decay curves: a line per cohort, the average with its band, fitted projections, apps compared.

A projection is dashed with its band where the data speaks, and dotted with a fainter band where
``decay`` marks it ``assumed`` (beyond about three times the last published offset): there the
curve is the model's form, and its legend entry says so. The average's legend names the cohorts
it covers (the current era, see ``analytics.average``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from wxdata.core.goals import Goal
from wxdata.core.periods import DEFAULT_PERIOD, PeriodKind
from wxdata.i18n import Lang, t
from wxdata.present.charts.style import (
    GREEN,
    INK,
    ORANGE,
    PALETTE,
    RED,
    draw_band,
    layout,
    legend_below,
    offset_label,
)
from wxdata.present.fmt import chart_text, cohort_label, pct, period_text

#: The kinds of line :func:`describe` can name (``chart.caption.<kind>``).
CAPTION_PARTS = ("cohorts", "newest", "picked", "average", "goal", "projection", "assumed",
                 "apps", "apps.projection", "apps.assumed")
#: The other cohorts' grey: darker than the house FADED (#C9CDD4 at 70 % was lost on white).
COHORT_GREY = "#A8AEB7"
#: Picked cohorts: a dash and a marker each besides the colour.
PICKED_DASHES = ("solid", "dash", "dot", "dashdot", "longdash")
PICKED_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x")

#: Log-axis ticks (percent): 1-2-5 steps read as rates; Plotly's own minor digits ("9 8 … 2")
#: carry no unit and crowd the decade between 10 % and 100 %.
LOG_TICKS = (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100)
#: Day offsets with a tick: the keys a PM knows (次日, 7日, 30日) and the projections' ends; a
#: tick per day of 90 was a black smear.
DAY_TICKS = (0, 1, 7, 14, 30, 60, 90)


def _retention_axes(fig: go.Figure, *, lang: Lang, log_y: bool, horizon: int,
                    period: PeriodKind = DEFAULT_PERIOD, narrow: bool = False) -> None:
    """Offsets across, rates up. On the linear axis the plot starts after W0 (D0, M0) and its
    top is the highest rate after it: W0 is 100 % by definition, and drawn it took most of the
    height, the curves a band at the bottom (the log axis keeps it: there it costs little)."""
    first = 0 if log_y else 1
    ticks = [k for k in DAY_TICKS if first <= k <= horizon] if period == "day" else \
        list(range(first, horizon + 1))
    if narrow and period != "day" and len(ticks) > 7:  # a phone: W1 and every 2nd (4th)
        step = 2 if horizon <= 14 else 4  # offset, upright: tilted, they ran into the legend
        ticks = [k for k in ticks if k == first or k % step == 0]
    fig.update_xaxes(title=t(f"chart.offset_axis.{period}", lang), tickmode="array",
                     tickvals=ticks, ticktext=[offset_label(k, period, lang) for k in ticks],
                     range=[first - 0.5, horizon + 0.5])  # a goal's stroke spans k ± 0.45
    if log_y:
        fig.update_yaxes(title=t("chart.rate_pct", lang), type="log", tickmode="array",
                         tickvals=list(LOG_TICKS), ticktext=[f"{v:g}%" for v in LOG_TICKS])
    else:
        top = _top_after_w0(fig)
        fig.update_yaxes(title=t("chart.rate_pct", lang), ticksuffix="%", type="linear",
                         rangemode="tozero", range=[0, top] if top else None)


def _top_after_w0(fig: go.Figure) -> float | None:
    """The linear axis's top: 10 % above the highest point drawn after offset 0 (bands too)."""
    highest = 0.0
    for trace in fig.data:
        xs, ys = getattr(trace, "x", None), getattr(trace, "y", None)
        if xs is None or ys is None:
            continue
        for x, y in zip(xs, ys, strict=False):
            if x is not None and y is not None and not pd.isna(y) and float(x) >= 0.5:
                highest = max(highest, float(y))
    return min(100.0, highest * 1.1) if highest > 0 else None


def _offset_labels(x: Any, period: PeriodKind = DEFAULT_PERIOD, lang: Lang = "zh") -> list[str]:
    """Hover text of each point's offset ("W1"): ``%{x}`` on an axis with tick text already
    reads "W1", so a template "W%{x}" said "WW1"."""
    return [offset_label(k, period, lang) for k in x]


def _projection(fig: go.Figure, proj: pd.DataFrame, *, color: str, name: str,
                legendgroup: str, lang: Lang, period: PeriodKind = DEFAULT_PERIOD) -> list[str]:
    """Draws the projection; returns what it drew ("projection", "assumed")."""
    tail = proj[proj.index >= 1]
    assumed = tail["assumed"].to_numpy(dtype=bool) if "assumed" in tail else \
        [False] * len(tail)
    known = tail[~pd.Series(assumed, index=tail.index)]
    guess = tail.loc[tail.index >= (known.index.max() if len(known) else tail.index.min())]
    if len(known):
        draw_band(fig, list(known.index), known["low"], known["high"], color,
                  t("chart.projection.band", lang), legendgroup=legendgroup, showlegend=False)
        _line(fig, known, color=color, dash="dash", name=name, legendgroup=legendgroup,
              text=_offset_labels(known.index, period, lang))
    if any(assumed):
        label = period_text("chart.projection.assumed", period, lang)
        draw_band(fig, list(guess.index), guess["low"], guess["high"], color, label,
                  legendgroup=legendgroup, showlegend=False, opacity=0.06)
        _line(fig, guess, color=color, dash="dot", name=label, legendgroup=legendgroup,
              text=_offset_labels(guess.index, period, lang))
    return (["projection"] if len(known) else []) + (["assumed"] if any(assumed) else [])


def _line(fig: go.Figure, proj: pd.DataFrame, *, color: str, dash: str, name: str,
          legendgroup: str, text: list[str]) -> None:
    fig.add_trace(go.Scatter(
        x=list(proj.index), y=proj["rate"] * 100, mode="lines", name=name,
        legendgroup=legendgroup, line={"color": color, "dash": dash, "width": 2},
        customdata=np.stack([proj["low"] * 100, proj["high"] * 100], axis=-1),
        text=text,
        hovertemplate="%{text}: %{y:.1f}% (%{customdata[0]:.1f}–%{customdata[1]:.1f}%)<extra>"
        + name + "</extra>"))


def average_name(average: pd.DataFrame, lang: Lang,
                 period: PeriodKind = DEFAULT_PERIOD) -> str:
    """The average's legend entry, naming the cohorts it covers when ``average`` says."""
    if "since" not in average or 1 not in average.index:
        return t("chart.average", lang)
    row = average.loc[1]
    since: Any = row["since"]
    if pd.isna(since):
        return t("chart.average", lang)
    key = "chart.average.shift" if bool(row["after_shift"]) else "chart.average.era"
    cohorts: Any = row["cohorts"]
    return t(key, lang, since=cohort_label(since, period, lang).split(" · ")[0], n=int(cohorts))


def decay_curves(rates: pd.DataFrame, *, lang: Lang, average: pd.DataFrame | None = None,
                 projection: pd.DataFrame | None = None, model: str = "",
                 highlight: pd.Timestamp | None = None, picked: bool = False,
                 log_y: bool = False, horizon: int = 12, title: str = "",
                 period: PeriodKind = DEFAULT_PERIOD,
                 goals: Sequence[Goal] = (), narrow: bool = False) -> go.Figure:
    """A faded line per cohort, the highlighted (newest) one in green, the weighted average with
    its confidence band, and the fitted projection dashed to ``horizon`` weeks.

    ``picked``: the reader chose these cohorts, so each gets a colour of its own and its own
    legend entry, drawn above the average (a picked cohort in grey under it was lost).
    ``goals``: each a mark at its offset and target (目标 W1 30.0%), within the horizon.
    ``narrow``: a phone: fewer offset ticks, and the legend clear of the axis title.
    ``fig.layout.meta["drawn"]`` lists what is on the chart, for :func:`describe`.
    """
    fig = go.Figure()
    drawn: list[str] = []
    newest = highlight if highlight is not None else _newest_with_curve(rates)
    if not picked:
        others = rates[rates.index != newest] if newest is not None else rates
        drawn += ["cohorts"] if _faded_cohorts(fig, others, lang, period) else []
    if average is not None and not average.empty:
        drawn.append("average")
        name = average_name(average, lang, period)
        draw_band(fig, list(average.index), average["low"], average["high"], INK, name,
              legendgroup="avg", showlegend=False)
        fig.add_trace(go.Scatter(
            x=list(average.index), y=average["rate"] * 100, mode="lines+markers", name=name,
            legendgroup="avg", line={"color": INK, "width": 3.5}, marker={"size": 8},
            text=_offset_labels(average.index, period, lang),
            hovertemplate="%{text}: %{y:.1f}%<extra>" + name + "</extra>"))
    for goal in goals:
        drawn += ["goal"] if "goal" not in drawn else []
        _goal_mark(fig, goal, lang, period)
    if projection is not None and not projection.empty:
        drawn += _projection(fig, projection.loc[:horizon], color=ORANGE, legendgroup="proj",
                             name=t("chart.projection", lang, model=t(f"model.{model}", lang)),
                             lang=lang, period=period)
    if picked:  # drawn last: on top of the average
        colours = [c for c in PALETTE if c not in (ORANGE, INK)]
        for i, (start, row) in enumerate(rates.iterrows()):
            # a dash and a marker of its own too: picked cohorts of like rates lie on each
            # other, and a colour alone did not tell which line was on top
            _cohort_line(fig, start, row.dropna(), colours[i % len(colours)], period, lang,
                         dash=PICKED_DASHES[i % len(PICKED_DASHES)],
                         symbol=PICKED_SYMBOLS[i % len(PICKED_SYMBOLS)])
        drawn += ["picked"] if len(rates) else []
    elif newest is not None and newest in rates.index:
        _cohort_line(fig, newest, rates[rates.index == newest].iloc[0].dropna(), GREEN, period,
                     lang)
        drawn.append("newest")
    _retention_axes(fig, lang=lang, log_y=log_y, horizon=horizon, period=period, narrow=narrow)
    fig.update_layout(meta={"drawn": drawn, "period": period})
    fig = legend_below(layout(fig, title=title, height=480))
    if narrow:
        fig.update_xaxes(tickangle=0)
        fig.update_layout(legend={"y": -0.25}, margin={"l": 4, "r": 4})
    return fig


def describe(fig: go.Figure, lang: Lang) -> str:
    """What the lines of a :func:`decay_curves` or :func:`decay_compare` figure are, one clause
    per kind of line actually drawn (a caption that names a line not there misleads)."""
    meta: Any = fig.layout.meta or {}
    drawn, period = set(meta.get("drawn", [])), meta.get("period", DEFAULT_PERIOD)
    sentences = [period_text(f"chart.caption.{part}", period, lang) for part in CAPTION_PARTS
                 if part in drawn]
    return ("" if lang == "zh" else " ").join(sentences)


def _cohort_line(fig: go.Figure, start: Any, curve: pd.Series, color: str,
                 period: PeriodKind, lang: Lang, *, dash: str = "solid",
                 symbol: str = "circle") -> None:
    fig.add_trace(go.Scatter(
        x=list(curve.index), y=curve.to_numpy() * 100, mode="lines+markers",
        name=cohort_label(start, period, lang), legendrank=1,
        line={"color": color, "width": 3, "dash": dash}, marker={"size": 8, "symbol": symbol},
        text=_offset_labels(curve.index, period, lang),
        hovertemplate="%{fullData.name}<br>%{text}: %{y:.1f}%<extra></extra>"))


def _faded_cohorts(fig: go.Figure, rates: pd.DataFrame, lang: Lang,
                   period: PeriodKind = DEFAULT_PERIOD) -> bool:
    """Every other cohort as one trace, lines broken by gaps: a hundred cohorts cost one trace
    (a trace each made two years of weeks take a second to build). False when none is drawn."""
    xs: list[Any] = []
    ys: list[Any] = []
    names: list[str] = []
    for start, row in rates.iterrows():
        curve = row.dropna()
        xs += [*curve.index, None]
        ys += [*(curve.to_numpy() * 100), None]
        names += [cohort_label(start, period, lang)] * len(curve) + [""]
    if not names:
        return False
    fig.add_trace(go.Scatter(
        x=xs, y=ys, customdata=names, mode="lines+markers", connectgaps=False,
        text=["" if k is None else offset_label(k, period, lang) for k in xs],
        name=t("chart.other_cohorts", lang), line={"color": COHORT_GREY, "width": 1.2},
        marker={"size": 4}, opacity=0.85, legendrank=1000,
        hovertemplate="%{customdata}<br>%{text}: %{y:.1f}%<extra></extra>"))
    return True


def _goal_mark(fig: go.Figure, goal: Goal, lang: Lang, period: PeriodKind) -> None:
    """A goal where it applies: a dashed red stroke across its offset at its target, labelled;
    a line across every offset would read as a goal for W4 too."""
    label = t("chart.goal", lang, goal=pct(goal.target))
    fig.add_trace(go.Scatter(
        x=[goal.offset - 0.45, goal.offset + 0.45], y=[goal.target * 100] * 2,
        mode="lines+text", text=["", f"{offset_label(goal.offset, period, lang)} {label}"],
        textposition="middle right", textfont={"color": RED, "size": 11},
        line={"color": RED, "dash": "dash", "width": 2}, name=label, legendgroup="goal",
        showlegend=False, hoverinfo="skip", meta="goal"))


def _newest_with_curve(rates: pd.DataFrame) -> pd.Timestamp | None:
    """The newest cohort with at least one published week after W0 (a line, not a dot)."""
    published = rates.drop(columns=[0], errors="ignore").notna().any(axis=1)
    return pd.Timestamp(published[published].index.max()) if published.any() else None


def decay_compare(averages: Mapping[str, pd.DataFrame], *, lang: Lang,
                  projections: Mapping[str, tuple[str, pd.DataFrame] | None] | None = None,
                  log_y: bool = False, horizon: int = 12, title: str = "",
                  period: PeriodKind = DEFAULT_PERIOD) -> go.Figure:
    """Several apps on one chart: each app's weighted average, band and projection."""
    fig = go.Figure()
    drawn = ["apps"] if averages else []
    for i, (app_name, average) in enumerate(averages.items()):
        name = chart_text(app_name)
        color = PALETTE[i % len(PALETTE)]
        draw_band(fig, list(average.index), average["low"], average["high"], color, name,
              legendgroup=name, showlegend=False)
        fig.add_trace(go.Scatter(
            x=list(average.index), y=average["rate"] * 100, mode="lines+markers", name=name,
            legendgroup=name, line={"color": color, "width": 2.5},
            text=_offset_labels(average.index, period, lang),
            hovertemplate="%{text}: %{y:.1f}%<extra>" + name + "</extra>"))
        fitted = (projections or {}).get(app_name)
        if fitted is not None:
            model, proj = fitted
            label = f"{name} · " + t("chart.projection", lang, model=t(f"model.{model}", lang))
            parts = _projection(fig, proj.loc[:horizon], color=color, name=label,
                                legendgroup=name, lang=lang, period=period)
            drawn += [f"apps.{p}" for p in parts if f"apps.{p}" not in drawn]
    _retention_axes(fig, lang=lang, log_y=log_y, horizon=horizon, period=period)
    fig.update_layout(meta={"drawn": drawn, "period": period})
    return legend_below(layout(fig, title=title, height=480))

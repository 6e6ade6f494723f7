"""Figures across cohorts: tracked rates with their expected bands, sizes with W1, week coverage.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from wxdata.analytics.defaults import TRACKED_OFFSETS
from wxdata.core.periods import DEFAULT_PERIOD, PeriodKind
from wxdata.i18n import Lang, t
from wxdata.present.charts.context import goal_line, holiday_bands, span_of
from wxdata.present.charts.style import (
    FADED,
    GREEN,
    ORANGE,
    PALETTE,
    RED,
    count_ticks,
    date_axis,
    draw_band,
    layout,
    offset_label,
    with_alpha,
)
from wxdata.present.fmt import chart_text, cohort_label, count

#: How many days a cohort of each period covers (a month's longest), for the holiday bands.
PERIOD_DAYS: dict[PeriodKind, int] = {"day": 1, "week": 7, "month": 31}


def wow_rates(rates: pd.DataFrame, *, lang: Lang, offsets: Sequence[int] = TRACKED_OFFSETS,
              bands: Mapping[int, pd.DataFrame] | None = None,
              flagged: Mapping[int, Collection[pd.Timestamp]] | None = None,
              title: str = "", period: PeriodKind = DEFAULT_PERIOD) -> go.Figure:
    """W1/W2/W4 (D1/D7, M1) rates across cohorts, each with its expected band and flagged
    cohorts marked.

    ``bands[k]``: index cohort_start with ``low``/``high`` (``cohort.anomalies``).
    """
    fig = go.Figure()
    banded: list[int] = []
    for i, k in enumerate(o for o in offsets if o in rates.columns):
        color, name = PALETTE[i % len(PALETTE)], offset_label(k, period, lang)
        series = rates[k].dropna()
        x = [pd.Timestamp(s) for s in series.index]
        band = (bands or {}).get(k)
        if band is not None and not band[["low", "high"]].dropna().empty:
            banded.append(k)
            draw_band(fig, [pd.Timestamp(s) for s in band.index], band["low"], band["high"], color,
                  name, legendgroup=f"w{k}", showlegend=False)
        fig.add_trace(go.Scatter(
            x=x, y=series.to_numpy() * 100, mode="lines+markers", name=name,
            legendgroup=f"w{k}", line={"color": color, "width": 2}, marker={"size": 5},
            customdata=[cohort_label(s, period, lang) for s in series.index],
            hovertemplate="%{customdata}<br>" + name + ": %{y:.1f}%<extra></extra>"))
        hits = [s for s in (flagged or {}).get(k, ()) if s in series.index]
        if hits:
            fig.add_trace(go.Scatter(
                x=hits, y=series.loc[hits].to_numpy() * 100, mode="markers",
                name=t(f"chart.flagged.{period}", lang), legendgroup="flagged", legendrank=1000,
                showlegend=i == 0,
                marker={"symbol": "circle-open", "size": 14, "color": RED, "line": {"width": 2}},
                customdata=[cohort_label(s, period, lang) for s in hits],
                hovertemplate="%{customdata}<br>" + t(f"chart.flagged.{period}", lang)
                + ": %{y:.1f}%<extra></extra>"))
    date_axis(fig, lang, list(rates.index), period, title=t(f"chart.cohort_axis.{period}", lang))
    fig.update_yaxes(title=t("chart.rate_pct", lang), ticksuffix="%", rangemode="tozero")
    span = span_of(list(rates.index), PERIOD_DAYS[period])
    if span is not None:
        holiday_bands(fig, *span, lang)
    fig.update_layout(meta={"offsets": [o for o in offsets if o in rates.columns],
                            "bands": banded})
    return layout(fig, title=title, height=420)


def wow_changes(wow: pd.DataFrame, *, lang: Lang, offsets: Sequence[int] = TRACKED_OFFSETS,
                flagged: Mapping[int, Collection[pd.Timestamp]] | None = None,
                title: str = "", period: PeriodKind = DEFAULT_PERIOD) -> go.Figure:
    """What a period-over-period page is about: each cohort's change against the one before,
    in percentage points, per offset (a line each, zero drawn), a filled marker where the
    change is significant (the table's ★) and a red ring on a flagged cohort.

    ``wow``: ``cohort.week_over_week`` (index cohort start; ``delta_k``, ``significant_k``).
    """
    fig = go.Figure()
    drawn: list[int] = []
    for i, k in enumerate(o for o in offsets if f"delta_{o}" in wow.columns):
        color, name = PALETTE[i % len(PALETTE)], offset_label(k, period, lang)
        series = wow[f"delta_{k}"].dropna()
        if series.empty:
            continue
        drawn.append(k)
        starred = wow.get(f"significant_{k}", pd.Series(False, index=wow.index))
        strong = starred.reindex(series.index).fillna(False).astype(bool).to_numpy()
        fig.add_trace(go.Scatter(
            x=[pd.Timestamp(s) for s in series.index], y=series.to_numpy() * 100,
            mode="lines+markers", name=name, legendgroup=f"w{k}",
            line={"color": color, "width": 2},
            marker={"size": [10 if s else 5 for s in strong], "color": color,
                    "symbol": ["star" if s else "circle" for s in strong]},
            customdata=[cohort_label(s, period, lang) for s in series.index],
            hovertemplate="%{customdata}<br>Δ" + name + ": %{y:+.1f} "
            + t("chart.pp", lang) + "<extra></extra>"))
        hits = [s for s in (flagged or {}).get(k, ()) if s in series.index]
        if hits:
            fig.add_trace(go.Scatter(
                x=hits, y=series.loc[hits].to_numpy() * 100, mode="markers",
                name=t(f"chart.flagged.{period}", lang), legendgroup="flagged", legendrank=1000,
                showlegend=not any(d.legendgroup == "flagged" for d in fig.data),
                marker={"symbol": "circle-open", "size": 16, "color": RED, "line": {"width": 2}},
                hoverinfo="skip"))
    fig.add_hline(y=0, line_color=FADED, line_width=1)
    date_axis(fig, lang, list(wow.index), period, title=t(f"chart.cohort_axis.{period}", lang))
    fig.update_yaxes(title=t("chart.change_pp", lang), ticksuffix="", zeroline=False)
    span = span_of(list(wow.index), PERIOD_DAYS[period])
    if span is not None:
        holiday_bands(fig, *span, lang)
    fig.update_layout(meta={"offsets": drawn, "bands": []})
    return layout(fig, title=title, height=420)


def trend(sizes: pd.Series, rates: pd.Series, *, lang: Lang, rate_name: str,
          size_name: str = "", title: str = "",
          period: PeriodKind = DEFAULT_PERIOD, goal: float | None = None,
          holidays: bool = True) -> go.Figure:
    """Cohort sizes (bars) and one retention rate (line, right axis) across cohorts; holiday
    bands behind them and the rate's ``goal`` as a dashed line (:mod:`.context`)."""
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(go.Bar(
        x=[pd.Timestamp(s) for s in sizes.index], y=sizes.to_numpy(),
        name=size_name or t("chart.cohort_size", lang), marker_color=with_alpha(GREEN, 0.35),
        customdata=[[cohort_label(s, period, lang), count(v, lang)] for s, v in sizes.items()],
        hovertemplate="%{customdata[0]}<br>%{customdata[1]}<extra></extra>"), secondary_y=False)
    valid = rates.dropna()
    fig.add_trace(go.Scatter(
        x=[pd.Timestamp(s) for s in valid.index], y=valid.to_numpy() * 100, name=rate_name,
        mode="lines+markers", line={"color": GREEN, "width": 2.5},
        customdata=[cohort_label(s, period, lang) for s in valid.index],
        hovertemplate="%{customdata}<br>%{y:.1f}%<extra></extra>"), secondary_y=True)
    top = float(sizes.max()) if len(sizes) and not np.isnan(sizes.max()) else None
    fig.update_yaxes(title=size_name or t("chart.cohort_size", lang), secondary_y=False,
                     showgrid=False, **count_ticks(top, lang, "users"))
    fig.update_yaxes(title=rate_name, ticksuffix="%", secondary_y=True, rangemode="tozero",
                     tickformat=".0f", tickmode="auto", showgrid=False)
    date_axis(fig, lang, list(sizes.index), period)
    span = span_of(list(sizes.index), PERIOD_DAYS[period])
    if holidays and span is not None:
        holiday_bands(fig, *span, lang)
    if goal is not None:
        goal_line(fig, goal, lang, secondary_y=True)
    return layout(fig, title=title, height=360)


STATUS_COLORS = {"final": GREEN, "provisional": ORANGE, "failed": RED, "missing": FADED}


def coverage(status: pd.DataFrame, *, lang: Lang, title: str = "",
             period: PeriodKind = DEFAULT_PERIOD) -> go.Figure:
    """One square per (app, week) coloured by its state: final, provisional, failed, missing.

    ``status``: columns ``app``, ``week`` (Timestamp), ``state``, ``detail`` (hover text).
    """
    fig = go.Figure()
    for state, color in STATUS_COLORS.items():
        rows = status[status["state"] == state]
        if rows.empty:
            continue
        hover = [[cohort_label(w, period, lang) for w in rows["week"]],
                 [chart_text(d) for d in rows["detail"]]]
        fig.add_trace(go.Scatter(
            x=rows["week"], y=rows["app"].map(chart_text), mode="markers",
            name=t(f"chart.state.{state}", lang),
            marker={"symbol": "square", "size": 14, "color": color},
            customdata=np.stack(hover, axis=-1),
            hovertemplate="%{y}<br>%{customdata[0]}<br>%{customdata[1]}<extra></extra>"))
    fig.update_yaxes(type="category", title=None)
    date_axis(fig, lang, list(status["week"]), period,
              title=t(f"chart.cohort_axis.{period}", lang))
    apps = status["app"].nunique() if not status.empty else 1
    return layout(fig, title=title, height=160 + 40 * apps)

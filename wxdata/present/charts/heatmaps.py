"""Cohort heatmaps: the retention triangle, and the same rates by the calendar week users came back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from wxdata.i18n import Lang, t
from wxdata.present.charts.style import (
    INK,
    MIN_ROW_PX,
    RED,
    ROW_PX,
    SCALE,
    W0_SCALE,
    count_ticks,
    layout,
    offset_label,
)
from wxdata.present.fmt import count, pct, week_label


def _cells(matrix: pd.DataFrame, values: str, lang: Lang) -> tuple[np.ndarray, list[list[str]]]:
    """z (percent or users) and the text shown in each cell ("" where unpublished)."""
    data = matrix.to_numpy(dtype="float64")
    if values == "users":
        return data, [[count(v, lang) if not np.isnan(v) else "" for v in row] for row in data]
    return data * 100, [[pct(v) if not np.isnan(v) else "" for v in row] for row in data]


def _hover(rates: pd.DataFrame, users: pd.DataFrame, lang: Lang) -> np.ndarray:
    """"retention 28.3% · 1.8万 users" per cell; "not published yet" where WeChat has no key."""
    rate_values = rates.to_numpy(dtype="float64")
    user_values = users.reindex_like(rates).to_numpy(dtype="float64")
    return np.array([
        [t("chart.cell_hover", lang, rate=pct(r), users=count(u, lang)) if not np.isnan(r)
         else t("chart.unpublished", lang) for r, u in zip(rate_row, user_row, strict=True)]
        for rate_row, user_row in zip(rate_values, user_values, strict=True)
    ], dtype=object)


def _w0_apart(z: np.ndarray, text: list[list[str]]) -> tuple[np.ndarray, np.ndarray,
                                                               list[list[str]], list[list[str]]]:
    """Split the W0 column out: it is 100% (or the cohort size) by definition, so it gets a
    neutral colour of its own instead of stretching the colour scale."""
    rest, first = z.copy(), np.full_like(z, np.nan)
    if z.shape[1]:
        first[:, 0], rest[:, 0] = z[:, 0], np.nan
    rest_text = [["", *row[1:]] for row in text]
    first_text = [[row[0], *([""] * (len(row) - 1))] for row in text]
    return rest, first, rest_text, first_text


def heatmap(rates: pd.DataFrame, users: pd.DataFrame, *, lang: Lang, values: str = "rate",
            average: pd.DataFrame | None = None, marks: Mapping[pd.Timestamp, str] | None = None,
            rows: Sequence[pd.Timestamp] | None = None, newest_on_top: bool = True,
            title: str = "", focus: pd.Timestamp | None = None) -> go.Figure:
    """The cohort triangle: a row per cohort, a column per week offset, the average on top.

    ``rates``/``users``: index cohort_start, int columns 0..n (``cohort.cohort_matrix``);
    ``average``: index week_offset with a ``rate`` column (``cohort.average_curve``);
    ``rows``: every week to show (a week without data is a blank row, not a missing one);
    ``marks``: a suffix for some rows' labels (" · provisional", " · failed").
    """
    index = pd.DatetimeIndex(sorted(set(rates.index) | set(rows or ())))
    rates = rates.reindex(index=index)
    users = users.reindex(index=index, columns=rates.columns)
    labels = [week_label(s) + (marks or {}).get(pd.Timestamp(s), "") for s in index]
    x = [offset_label(k) for k in rates.columns]
    z, text = _cells(users if values == "users" else rates, values, lang)
    rest, first, rest_text, first_text = _w0_apart(z, text)
    hover = _hover(rates, users, lang)
    show_avg = average is not None and values == "rate" and not average.empty
    n_plots = 2 if show_avg else 1
    row_px = max(MIN_ROW_PX, min(ROW_PX, 1400 // max(len(labels), 1)))
    body = row_px * max(len(labels), 1)
    fig = make_subplots(rows=n_plots, cols=1, shared_xaxes=True, vertical_spacing=0.02,
                        row_heights=[row_px * 1.4, body] if show_avg else None)
    zmax = None if np.isnan(rest).all() else float(np.nanmax(rest))
    common: dict[str, Any] = {"xgap": 2, "ygap": 2, "texttemplate": "%{text}",
                              "hoverongaps": False, "textfont": {"color": INK}}
    if show_avg:
        assert average is not None
        avg = average["rate"].reindex(rates.columns)
        avg_z, avg_first, avg_text, avg_first_text = _w0_apart(
            np.array([avg.to_numpy() * 100]), [[pct(v) for v in avg]])
        for zz, tt, scale in ((avg_z, avg_text, SCALE), (avg_first, avg_first_text, W0_SCALE)):
            fig.add_trace(go.Heatmap(
                z=zz, x=x, y=[t("chart.average_row", lang)], text=tt, showscale=False,
                colorscale=scale, zmin=0, zmax=zmax, hovertemplate="%{y}<br>%{x}: %{text}"
                "<extra></extra>", **common), row=1, col=1)
    scale_title = t("chart.users", lang) if values == "users" else t("chart.rate_pct", lang)
    fig.add_trace(go.Heatmap(
        z=first, x=x, y=labels, text=first_text, customdata=hover, colorscale=W0_SCALE,
        showscale=False, hovertemplate="%{y}<br>%{x}: %{customdata}<extra></extra>", **common),
        row=n_plots, col=1)
    fig.add_trace(go.Heatmap(
        z=rest, x=x, y=labels, text=rest_text, customdata=hover, name="", colorscale=SCALE,
        zmin=0, zmax=zmax, hovertemplate="%{y}<br>%{x}: %{customdata}<extra></extra>",
        colorbar={"title": {"text": scale_title}, "thickness": 12,
                  **count_ticks(zmax, lang, values)}, **common), row=n_plots, col=1)
    fig.update_yaxes(type="category")
    fig.update_yaxes(categoryorder="array", row=n_plots, col=1,
                     categoryarray=labels if newest_on_top else list(reversed(labels)))
    fig.update_xaxes(side="top", type="category", row=1, col=1)
    if focus is not None and pd.Timestamp(focus) in set(rates.index):
        label = labels[list(rates.index).index(pd.Timestamp(focus))]
        fig.add_shape(type="rect", x0=-0.5, x1=len(x) - 0.5, y0=label, y1=label,
                      line={"color": RED, "width": 3}, row=n_plots, col=1)
    return layout(fig, title=title, height=body + (row_px * 2 if show_avg else 0) + 110)


def calendar_heatmap(cells: pd.DataFrame, *, lang: Lang, title: str = "") -> go.Figure:
    """Rates re-indexed by the calendar week users came back: a holiday is a vertical stripe.

    ``cells``: index cohort_start, columns the calendar week (Timestamps), values rates.
    """
    x = [week_label(c).split(" · ")[0] for c in cells.columns]
    hover_x = [week_label(c) for c in cells.columns]
    z, text = _cells(cells, "rate", lang)
    fig = go.Figure(go.Heatmap(
        z=z, x=x, y=[week_label(s) for s in cells.index], text=text,
        customdata=np.array([hover_x] * len(cells.index), dtype=object),
        colorscale=SCALE, zmin=0, xgap=1, ygap=1, hoverongaps=False,
        hovertemplate=t("chart.calendar_hover", lang) + "<extra></extra>",
        colorbar={"title": {"text": t("chart.rate_pct", lang)}, "thickness": 12},
    ))
    fig.update_xaxes(type="category", title=t("chart.calendar_axis", lang))
    fig.update_yaxes(type="category", autorange="reversed")
    height = max(MIN_ROW_PX, min(ROW_PX, 1400 // max(len(cells.index), 1))) * len(cells.index)
    return layout(fig, title=title, height=height + 140)

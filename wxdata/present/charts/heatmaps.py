"""Cohort heatmaps: the retention triangle, and the same rates by the calendar period (day, week,
month) users came back in.

The triangle draws any period (``period="day"|"week"|"month"``): a column per published key
(D0..D7 D14 D30, W0..W4, M0 M1) and a row per cohort; daily rows carry their weekday and the
weekend's rows are marked (their label in orange, listed in ``layout.meta["weekend"]``), so a
weekday pattern is not read as a trend.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from wxdata.core.periods import DEFAULT_PERIOD, PeriodKind, period_class
from wxdata.i18n import Lang, t
from wxdata.present.charts.style import (
    GREEN,
    HEATMAP_ROW_PX,
    INK,
    MIN_HEATMAP_ROW_PX,
    ORANGE,
    RED,
    SCALE,
    W0_SCALE,
    count_format,
    count_scale_ticks,
    layout,
    offset_label,
    with_alpha,
)
from wxdata.present.fmt import cohort_label, is_weekend, pct, period_text
from wxdata.present.tables import holiday_mark


def _cells(matrix: pd.DataFrame, values: str, lang: Lang,
           write: Callable[[float], str] | None = None) -> tuple[np.ndarray, list[list[str]]]:
    """z (percent or users) and the text shown in each cell ("" where unpublished); counts
    written by ``write`` (one unit for the chart, :func:`count_format`)."""
    data = matrix.to_numpy(dtype="float64")
    if values == "users":
        write = write or count_format(data, lang)
        return data, [[write(v) if not np.isnan(v) else "" for v in row] for row in data]
    return data * 100, [[pct(v) if not np.isnan(v) else "" for v in row] for row in data]


def _hover(rates: pd.DataFrame, users: pd.DataFrame, lang: Lang,
           write: Callable[[float], str]) -> np.ndarray:
    """"retention 28.3% · 1.80万 users" per cell; "not published yet" where WeChat has no
    key."""
    rate_values = rates.to_numpy(dtype="float64")
    user_values = users.reindex_like(rates).to_numpy(dtype="float64")
    return np.array([
        [t("chart.cell_hover", lang, rate=pct(r), users=write(u)) if not np.isnan(r)
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


def scale_top(matrices: Iterable[pd.DataFrame], values: str = "rate", *,
              skip_w0: bool = True) -> float | None:
    """The top of one colour scale shared by several heatmaps (apps, metrics): the largest cell
    (after W0, which has a colour of its own) in the units drawn, percent or users. One scale
    per chart made the same green mean 30 % for one app and 60 % for the other."""
    tops = []
    for matrix in matrices:
        z = _cells(matrix, values, "en")[0][:, 1 if skip_w0 else 0:]
        if z.size and not np.isnan(z).all():
            tops.append(float(np.nanmax(z)))
    return max(tops) if tops else None


def _top(top: float | None) -> float:
    """The colour scale's top: the one given (shared across apps, or the data's), else 100 %."""
    return top if top is not None else 100.0


#: A tight heatmap (``tight=True``) keeps its rows within about this many pixels: 104 weeks
#: at full height were 2,790 px; cells below :data:`TEXT_ROW_PX` high drop their text (the hover
#: keeps it).
TIGHT_BODY_PX, TIGHT_MIN_ROW_PX, TEXT_ROW_PX = 800, 8, 14


def _row_px(rows: int, tight: bool = False) -> int:
    """One row's height: the full height up to about 1,400 px of rows, then shorter, never
    below the readable minimum (the triangle and the calendar view alike); ``tight``: about
    :data:`TIGHT_BODY_PX` in all, rows as thin as :data:`TIGHT_MIN_ROW_PX`."""
    if tight:
        return max(TIGHT_MIN_ROW_PX, min(HEATMAP_ROW_PX, TIGHT_BODY_PX // max(rows, 1)))
    return max(MIN_HEATMAP_ROW_PX, min(HEATMAP_ROW_PX, 1400 // max(rows, 1)))


def _row_labels(index: pd.DatetimeIndex, marks: Mapping[pd.Timestamp, str] | None,
                compact: bool, period: PeriodKind = DEFAULT_PERIOD,
                lang: Lang = "zh") -> list[str]:
    """Full cohort labels, or in a narrow (side-by-side) chart shorter ones: a week's Monday
    only (the Sunday is always six days on, and the long labels squeezed the cells), a day's
    month-day and weekday ("11-07 周六": within the half year a view holds, unique)."""
    short = compact or period == "day"
    # "W47 · 11-16" is unique within any span the app allows: the same ISO week starts on
    # the same month-day again only after five years or more.
    return [cohort_label(s, period, lang, short=short) + (marks or {}).get(pd.Timestamp(s), "")
            for s in index]


def _weekend_ticks(fig: go.Figure, index: pd.DatetimeIndex, labels: list[str],
                   row: int, shown: Collection[str] | None = None) -> None:
    """Weekend rows' labels in orange: a daily triangle is striped by the weekday, and the
    reader should see which stripes are Saturdays and Sundays (``shown``: the labels that get
    a tick, all by default)."""
    weekend, styled = _weekend_labels(index, labels)
    pairs = [(v, s) for v, s in zip(labels, styled, strict=True) if shown is None or v in shown]
    fig.update_yaxes(tickmode="array", tickvals=[v for v, _ in pairs],
                     ticktext=[s for _, s in pairs], row=row, col=1)
    fig.update_layout(meta={"weekend": weekend})


def _weekend_labels(days: Iterable[Any], labels: list[str]) -> tuple[list[str], list[str]]:
    """The labels of Saturdays and Sundays, and every label with those in orange."""
    weekend = [label for day, label in zip(days, labels, strict=True) if is_weekend(day)]
    styled = [f'<span style="color:{ORANGE}">{label}</span>' if label in weekend else label
              for label in labels]
    return weekend, styled


def heatmap(rates: pd.DataFrame, users: pd.DataFrame, *, lang: Lang, values: str = "rate",
            average: pd.DataFrame | None = None, marks: Mapping[pd.Timestamp, str] | None = None,
            rows: Sequence[pd.Timestamp] | None = None, newest_on_top: bool = True,
            title: str = "", focus: pd.Timestamp | None = None, zmax: float | None = None,
            compact: bool = False, period: PeriodKind = DEFAULT_PERIOD, tight: bool = False,
            narrow: bool = False) -> go.Figure:
    """The cohort triangle: a row per cohort, a column per week offset, the average on top, and
    beside it the cohort sizes (users in W0) as bars when the cells are rates.

    ``rates``/``users``: index cohort_start, int columns 0..n (``cohort.cohort_matrix``);
    ``average``: index offset with a ``rate`` column (``cohort.average_curve``);
    ``rows``: every week to show (a week without data is a blank row, not a missing one);
    ``marks``: a suffix for some rows' labels (" · 国庆", " · provisional", " · failed");
    ``zmax``: the top of a colour scale shared with other heatmaps (:func:`scale_top`);
    ``compact``: a narrow chart (two side by side): shorter labels, smaller cell text;
    ``period``: what a row is (column and row labels; weekend rows of days are marked);
    ``tight``: rows thin enough for two years of weeks to fit about one screen;
    ``narrow``: a phone's width: short labels, no cohort-size bars (the hover keeps the
    size), the colour bar under the chart, so the cells keep the width.
    Every count in the chart (cells, colour bar, hover, bars) is in one unit
    (:func:`count_format`, from the largest count).
    """
    index = pd.DatetimeIndex(sorted(set(rates.index) | set(rows or ())))
    rates = rates.reindex(index=index)
    users = users.reindex(index=index, columns=rates.columns)
    small = compact or narrow
    labels = _row_labels(index, marks, small, period, lang)
    x = [offset_label(k, period, lang) for k in rates.columns]
    write = count_format(users.to_numpy(dtype="float64"), lang)
    z, text = _cells(users if values == "users" else rates, values, lang, write)
    if values == "rate":  # "100.0%" was clipped to "00.0%" in a narrow cell
        text = [["100%" if row and row[0] else "", *row[1:]] for row in text]
    row_px = _row_px(len(labels), tight)
    if row_px < TEXT_ROW_PX:
        text = [[""] * len(row) for row in text]
    rest, first, rest_text, first_text = _w0_apart(z, text)
    hover = _hover(rates, users, lang, write)
    show_avg = average is not None and values == "rate" and not average.empty
    show_sizes = values == "rate" and 0 in users.columns and not narrow
    avg_px = max(row_px, HEATMAP_ROW_PX * 0.8) * 1.4
    body = row_px * max(len(labels), 1)
    fig = make_subplots(
        rows=2 if show_avg else 1, cols=2 if show_sizes else 1, shared_xaxes="columns",
        vertical_spacing=0.02 if not tight else 8 / (body + avg_px), horizontal_spacing=0.015,
        row_heights=[avg_px, body] if show_avg else None,
        column_widths=[0.8, 0.2] if show_sizes else None,
        specs=[[{}, None], [{}, {}]] if show_avg and show_sizes else None)
    main_row = 2 if show_avg else 1
    plot_px = body + (round(avg_px) + 20 if show_avg else 0)
    top = zmax if zmax is not None else scale_top([users if values == "users" else rates],
                                                  values)
    font = 9 if row_px < 18 else 11 if small else 12
    common: dict[str, Any] = {"xgap": 2 if row_px >= TEXT_ROW_PX else 1,
                              "ygap": 2 if row_px >= TEXT_ROW_PX else 1,
                              "texttemplate": "%{text}", "hoverongaps": False,
                              "textfont": {"color": INK, "size": font}}
    if show_avg:
        assert average is not None
        name = t("chart.average_row.short" if small else "chart.average_row", lang)
        _average_row(fig, average["rate"].reindex(rates.columns), x, name, top,
                     {**common, "textfont": {"color": INK, "size": 11 if small else 12}})
    scale_title = t("chart.users", lang) if values == "users" else t("chart.rate_pct", lang)
    ticks = count_scale_ticks(top, write) if values == "users" else {}
    fig.add_trace(go.Heatmap(
        z=first, x=x, y=labels, text=first_text, customdata=hover, colorscale=W0_SCALE,
        showscale=False, hovertemplate="%{y}<br>%{x}: %{customdata}<extra></extra>", **common),
        row=main_row, col=1)
    fig.add_trace(go.Heatmap(
        z=rest, x=x, y=labels, text=rest_text, customdata=hover, name="", colorscale=SCALE,
        zmin=0, zmax=_top(top),
        hovertemplate="%{y}<br>%{x}: %{customdata}<extra></extra>",
        colorbar=_colorbar(scale_title, small, ticks, plot_px), **common),
        row=main_row, col=1)
    order = labels if newest_on_top else list(reversed(labels))
    fig.update_yaxes(type="category")
    fig.update_yaxes(categoryorder="array", categoryarray=order, row=main_row)
    shown = order[::-(-12 // row_px)] if row_px < 12 else None  # else labels overprint
    if shown is not None:
        fig.update_yaxes(tickmode="array", tickvals=shown, ticktext=shown, row=main_row, col=1)
    fig.update_xaxes(side="top", type="category", row=1, col=1)
    if show_sizes:
        _size_bars(fig, users[0], labels, lang, main_row, compact, write)
    if period == "day":
        _weekend_ticks(fig, index, labels, main_row, shown)
    if focus is not None and pd.Timestamp(focus) in set(rates.index):
        at = order.index(labels[list(rates.index).index(pd.Timestamp(focus))])
        _outline_row(fig, at, len(x), main_row)
        fig.update_layout(meta={**(fig.layout.meta or {}), "focus": at})
    height = plot_px + (170 if small else 110)
    fig = layout(fig, title=title, height=height)
    fig.update_layout(margin={"r": 4, "b": 110 if small else 40})
    if narrow:
        fig.update_layout(margin={"l": 2, "r": 2})
        fig.update_yaxes(tickfont={"size": 10}, row=main_row, col=1)
    return fig


def _colorbar(title: str, compact: bool, ticks: dict[str, Any], plot_px: int) -> dict[str, Any]:
    """Beside the chart, or in a narrow chart under it (upright beside the cells it took a
    fifth of the width the cells needed), 40 px below the plot's bottom edge."""
    if not compact:
        return {"title": {"text": title}, "thickness": 12, **ticks}
    return {"title": {"text": title, "side": "top"}, "orientation": "h", "thickness": 10,
            "len": 0.6, "x": 0, "xanchor": "left", "y": -40 / plot_px, "yanchor": "top",
            "tickangle": 0, **ticks}


def _average_row(fig: go.Figure, avg: pd.Series, x: list[str], name: str, top: float | None,
                 common: dict[str, Any]) -> None:
    avg_text = [pct(v) if not pd.isna(v) else "" for v in avg]
    avg_text[0] = "100%" if avg_text and avg_text[0] else ""
    avg_z, avg_first, rest_text, first_text = _w0_apart(np.array([avg.to_numpy() * 100]),
                                                       [avg_text])
    for zz, tt, scale in ((avg_z, rest_text, SCALE), (avg_first, first_text, W0_SCALE)):
        fig.add_trace(go.Heatmap(
            z=zz, x=x, y=[name], text=tt, showscale=False,
            colorscale=scale, zmin=0, zmax=_top(top),
            hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>", **common), row=1, col=1)


def _size_bars(fig: go.Figure, sizes: pd.Series, labels: list[str], lang: Lang, row: int,
               compact: bool, write: Callable[[float], str]) -> None:
    """Users in W0 per cohort, as bars on the heatmap's rows: which rates rest on few users."""
    texts = [write(v) if not pd.isna(v) else "" for v in sizes]
    fig.add_trace(go.Bar(
        x=sizes.to_numpy(dtype="float64"), y=labels, orientation="h", text=texts,
        textposition="inside", insidetextanchor="start", textangle=0,
        name=t("chart.cohort_size", lang),
        marker={"color": with_alpha(GREEN, 0.3)}, showlegend=False,
        textfont={"color": INK, "size": 10 if compact else 11}, constraintext="none",
        hovertemplate="%{y}<br>" + t("chart.cohort_size", lang) + " %{text}<extra></extra>"),
        row=row, col=2)
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False, row=row, col=2,
                     title={"text": t("chart.cohort_size", lang), "font": {"size": 12},
                            "standoff": 4})
    fig.update_yaxes(showticklabels=False, row=row, col=2)
    fig.update_layout(bargap=0.15)


def _outline_row(fig: go.Figure, at: int, columns: int, row: int) -> None:
    """A box around the focused row (a rectangle of zero height read as a strike-through)."""
    fig.add_shape(type="rect", x0=-0.5, x1=columns - 0.5, y0=at - 0.5, y1=at + 0.5,
                  line={"color": RED, "width": 2.5}, fillcolor="rgba(0,0,0,0)", layer="above",
                  name="focus",
                  row=row, col=1)


#: Columns above which calendar cells show whole percents in small type ("28" under a "%"
#: colour bar): a year of weeks leaves about 15 px a column, where "28.3%" did not fit and
#: Plotly drew nothing.
DENSE_COLUMNS = 20


def _column_label(start: Any, period: PeriodKind, lang: Lang) -> str:
    """A calendar column's name: ``2026-W45``, ``11-07`` (the weekday is in the hover, and
    weekends are orange), ``2026-11``."""
    if period == "day":
        return f"{pd.Timestamp(start):%m-%d}"
    return cohort_label(start, period, lang).split(" · ")[0]


def calendar_heatmap(cells: pd.DataFrame, *, lang: Lang, title: str = "",
                     newest_on_top: bool = True, zmax: float | None = None,
                     period: PeriodKind = DEFAULT_PERIOD, tight: bool = False) -> go.Figure:
    """Rates re-indexed by the calendar period users came back in: a holiday or an outage is a
    vertical stripe.

    ``cells``: index cohort_start, columns the first day of the period of the return
    (Timestamps; ``cohort.calendar_view``), values rates. ``zmax``: the top of a colour scale
    shared with other heatmaps (in percent). ``period``: days label their rows with the weekday
    and mark weekend rows and columns in orange. A column with a festival's day off is named
    with it ("2026-W40 国庆", in its tick and hover): the stripe the holiday draws says why.
    ``tight``: thin rows (:func:`heatmap`).
    """
    x = [_column_label(c, period, lang) for c in cells.columns]
    cls = period_class(period)
    festive = [holiday_mark(cls.containing(pd.Timestamp(c).date()), lang, short=True)
               for c in cells.columns]
    dense = len(x) > DENSE_COLUMNS
    index = pd.DatetimeIndex(cells.index)
    labels = _row_labels(index, None, compact=dense, period=period, lang=lang)
    z, text = _cells(cells, "rate", lang)
    shown = [[f"{v:.0f}" if not np.isnan(v) else "" for v in row] for row in z] if dense \
        else text
    returns = [cohort_label(c, period, lang) + mark for c, mark in zip(cells.columns, festive,
                                                                        strict=True)]
    row_px = _row_px(len(cells.index), tight)
    if row_px < TEXT_ROW_PX:
        shown = [[""] * len(row) for row in shown]
    hover = np.dstack([np.array([returns] * len(labels), dtype=object),
                       np.array(text, dtype=object),
                       np.array([[cohort_label(s, period, lang)] * len(x) for s in cells.index],
                                dtype=object)])
    top = zmax if zmax is not None else scale_top([cells], skip_w0=False)
    title_side = {"side": "right"} if dense else {}
    fig = go.Figure(go.Heatmap(
        z=z, x=x, y=labels, text=shown, texttemplate="%{text}", customdata=hover,
        colorscale=SCALE, zmin=0, zmax=_top(top), xgap=1, ygap=1,
        hoverongaps=False, textfont={"color": INK, "size": 9 if dense else 12},
        hovertemplate=period_text("chart.calendar_hover", period, lang) + "<extra></extra>",
        colorbar={"title": {"text": t("chart.rate_pct", lang), **title_side},
                  "thickness": 10 if dense else 12},
    ))
    fig.update_xaxes(type="category", title=period_text("chart.calendar_axis", period, lang))
    fig.update_yaxes(type="category", categoryorder="array",
                     categoryarray=labels if newest_on_top else list(reversed(labels)))
    columns = [label + mark for label, mark in zip(x, festive, strict=True)]
    if period == "day":
        weekend, styled = _weekend_labels(index, labels)
        fig.update_yaxes(tickmode="array", tickvals=labels, ticktext=styled)
        _, columns = _weekend_labels(list(cells.columns), columns)
        fig.update_layout(meta={"weekend": weekend})
    if any(festive) or period == "day":
        fig.update_xaxes(tickmode="array", tickvals=x, ticktext=columns)
    height = row_px * len(cells.index)
    return layout(fig, title=title, height=height + 140)

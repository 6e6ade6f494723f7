"""Pure Plotly figure builders: DataFrames in, ``go.Figure`` out; no Streamlit, no I/O.

Rates arrive as fractions (0.283) and are drawn as percentages; user counts are written the way
the reader's language writes them (万 in Chinese). Cells WeChat has not published are blank, never
zero. Every figure keeps Plotly's own PNG download (the page decides the file name).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from wxdata.analytics.defaults import TRACKED_OFFSETS
from wxdata.i18n import Lang, t
from wxdata.present.fmt import count, pct, week_label

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
ROW_PX, MIN_ROW_PX = 30, 20


def _layout(fig: go.Figure, *, title: str = "", height: int | None = None) -> go.Figure:
    fig.update_layout(
        template="plotly_white", font={"family": FONT, "color": INK, "size": 13},
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}} if title else None,
        margin={"l": 10, "r": 10, "t": 60 if title else 30, "b": 40}, height=height,
        hoverlabel={"font": {"family": FONT}},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
    )
    return fig


def _date_axis(fig: go.Figure, lang: Lang, **kw: Any) -> None:
    """Week axes read as month-day in Chinese ("11-02"), "Nov 02" in English."""
    fig.update_xaxes(tickformat="%m-%d\n%Y" if lang == "zh" else "%b %d\n%Y", **kw)


def offset_label(k: object) -> str:
    return f"W{k}"


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
                  **_count_ticks(zmax, lang, values)}, **common), row=n_plots, col=1)
    fig.update_yaxes(type="category")
    fig.update_yaxes(categoryorder="array", row=n_plots, col=1,
                     categoryarray=labels if newest_on_top else list(reversed(labels)))
    fig.update_xaxes(side="top", type="category", row=1, col=1)
    if focus is not None and pd.Timestamp(focus) in set(rates.index):
        label = labels[list(rates.index).index(pd.Timestamp(focus))]
        fig.add_shape(type="rect", x0=-0.5, x1=len(x) - 0.5, y0=label, y1=label,
                      line={"color": RED, "width": 3}, row=n_plots, col=1)
    return _layout(fig, title=title, height=body + (row_px * 2 if show_avg else 0) + 110)


def _count_ticks(top: float | None, lang: Lang, values: str) -> dict[str, Any]:
    """Colour-bar ticks written like the cells (万 in Chinese) when the cells are user counts."""
    if values != "users" or top is None or top <= 0:
        return {}
    ticks = _nice_ticks(top)
    return {"tickvals": ticks, "ticktext": [count(v, lang) for v in ticks]}


def _nice_ticks(top: float, n: int = 5) -> list[float]:
    raw = top / n
    magnitude = 10 ** np.floor(np.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [float(v) for v in np.arange(0, top + step / 2, step)]


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
    return _layout(fig, title=title, height=height + 140)


def _band(fig: go.Figure, x: Sequence[Any], low: pd.Series, high: pd.Series,
          color: str, name: str, **kw: Any) -> None:
    """A shaded interval (drawn as one closed polygon so it needs no partner trace)."""
    xs = [*x, *reversed(list(x))]
    ys = [*(high.to_numpy(dtype="float64") * 100), *(low.to_numpy(dtype="float64") * 100)[::-1]]
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", fill="toself",
                             fillcolor=_alpha(color, 0.15),
                             line={"width": 0}, hoverinfo="skip", name=name, **kw))


def _alpha(color: str, alpha: float) -> str:
    red, green, blue = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def _retention_axes(fig: go.Figure, *, lang: Lang, log_y: bool, horizon: int) -> None:
    fig.update_xaxes(title=t("chart.offset_axis", lang), tickmode="array",
                     tickvals=list(range(horizon + 1)),
                     ticktext=[offset_label(k) for k in range(horizon + 1)],
                     range=[-0.3, horizon + 0.3])
    fig.update_yaxes(title=t("chart.rate_pct", lang), ticksuffix="%",
                     type="log" if log_y else "linear", rangemode="tozero")


def _projection(fig: go.Figure, proj: pd.DataFrame, *, color: str, name: str,
                legendgroup: str) -> None:
    tail = proj[proj.index >= 1]
    _band(fig, list(tail.index), tail["low"], tail["high"], color, name,
          legendgroup=legendgroup, showlegend=False)
    fig.add_trace(go.Scatter(
        x=list(tail.index), y=tail["rate"] * 100, mode="lines", name=name,
        legendgroup=legendgroup, line={"color": color, "dash": "dash", "width": 2},
        hovertemplate="W%{x}: %{y:.1f}%<extra>" + name + "</extra>"))


def decay_curves(rates: pd.DataFrame, *, lang: Lang, average: pd.DataFrame | None = None,
                 projection: pd.DataFrame | None = None, model: str = "",
                 highlight: pd.Timestamp | None = None, log_y: bool = False,
                 horizon: int = 12, title: str = "") -> go.Figure:
    """A faded line per cohort, the highlighted (newest) one in green, the weighted average with
    its confidence band, and the fitted projection dashed to ``horizon`` weeks."""
    fig = go.Figure()
    newest = highlight if highlight is not None else _newest_with_curve(rates)
    others = rates[rates.index != newest] if newest is not None else rates
    _faded_cohorts(fig, others, lang)
    if average is not None and not average.empty:
        name = t("chart.average", lang)
        _band(fig, list(average.index), average["low"], average["high"], INK, name,
              legendgroup="avg", showlegend=False)
        fig.add_trace(go.Scatter(
            x=list(average.index), y=average["rate"] * 100, mode="lines+markers", name=name,
            legendgroup="avg", line={"color": INK, "width": 2},
            hovertemplate="W%{x}: %{y:.1f}%<extra>" + name + "</extra>"))
    if projection is not None and not projection.empty:
        _projection(fig, projection.loc[:horizon], color=ORANGE, legendgroup="proj",
                    name=t("chart.projection", lang, model=t(f"model.{model}", lang)))
    if newest is not None and newest in rates.index:  # drawn last: on top of the average
        _cohort_line(fig, newest, rates[rates.index == newest].iloc[0].dropna())
    _retention_axes(fig, lang=lang, log_y=log_y, horizon=horizon)
    return _layout(fig, title=title, height=480)


def _cohort_line(fig: go.Figure, start: Any, curve: pd.Series) -> None:
    fig.add_trace(go.Scatter(
        x=list(curve.index), y=curve.to_numpy() * 100, mode="lines+markers",
        name=week_label(start), legendrank=1, line={"color": GREEN, "width": 3},
        marker={"size": 7}, hovertemplate="%{fullData.name}<br>W%{x}: %{y:.1f}%<extra></extra>"))


def _faded_cohorts(fig: go.Figure, rates: pd.DataFrame, lang: Lang) -> None:
    """Every other cohort as one trace, lines broken by gaps: a hundred cohorts cost one trace
    (a trace each made two years of weeks take a second to build)."""
    xs: list[Any] = []
    ys: list[Any] = []
    names: list[str] = []
    for start, row in rates.iterrows():
        curve = row.dropna()
        xs += [*curve.index, None]
        ys += [*(curve.to_numpy() * 100), None]
        names += [week_label(start)] * len(curve) + [""]
    if not names:
        return
    fig.add_trace(go.Scatter(
        x=xs, y=ys, customdata=names, mode="lines+markers", connectgaps=False,
        name=t("chart.other_cohorts", lang), line={"color": FADED, "width": 1},
        marker={"size": 3}, opacity=0.7, legendrank=1000,
        hovertemplate="%{customdata}<br>W%{x}: %{y:.1f}%<extra></extra>"))


def _newest_with_curve(rates: pd.DataFrame) -> pd.Timestamp | None:
    """The newest cohort with at least one published week after W0 (a line, not a dot)."""
    published = rates.drop(columns=[0], errors="ignore").notna().any(axis=1)
    return pd.Timestamp(published[published].index.max()) if published.any() else None


def decay_compare(averages: Mapping[str, pd.DataFrame], *, lang: Lang,
                  projections: Mapping[str, tuple[str, pd.DataFrame] | None] | None = None,
                  log_y: bool = False, horizon: int = 12, title: str = "") -> go.Figure:
    """Several apps on one chart: each app's weighted average, band and projection."""
    fig = go.Figure()
    for i, (name, average) in enumerate(averages.items()):
        color = PALETTE[i % len(PALETTE)]
        _band(fig, list(average.index), average["low"], average["high"], color, name,
              legendgroup=name, showlegend=False)
        fig.add_trace(go.Scatter(
            x=list(average.index), y=average["rate"] * 100, mode="lines+markers", name=name,
            legendgroup=name, line={"color": color, "width": 2.5},
            hovertemplate="W%{x}: %{y:.1f}%<extra>" + name + "</extra>"))
        fitted = (projections or {}).get(name)
        if fitted is not None:
            model, proj = fitted
            label = f"{name} · " + t("chart.projection", lang, model=t(f"model.{model}", lang))
            _projection(fig, proj.loc[:horizon], color=color, name=label, legendgroup=name)
    _retention_axes(fig, lang=lang, log_y=log_y, horizon=horizon)
    return _layout(fig, title=title, height=480)


def wow_rates(rates: pd.DataFrame, *, lang: Lang, offsets: Sequence[int] = TRACKED_OFFSETS,
              bands: Mapping[int, pd.DataFrame] | None = None,
              flagged: Mapping[int, Collection[pd.Timestamp]] | None = None,
              title: str = "") -> go.Figure:
    """W1/W2/W4 rates across cohorts, each with its expected band and flagged weeks marked.

    ``bands[k]``: index cohort_start with ``low``/``high`` (``cohort.anomalies``).
    """
    fig = go.Figure()
    for i, k in enumerate(o for o in offsets if o in rates.columns):
        color = PALETTE[i % len(PALETTE)]
        series = rates[k].dropna()
        x = [pd.Timestamp(s) for s in series.index]
        band = (bands or {}).get(k)
        if band is not None and not band.empty:
            _band(fig, [pd.Timestamp(s) for s in band.index], band["low"], band["high"], color,
                  offset_label(k), legendgroup=f"w{k}", showlegend=False)
        fig.add_trace(go.Scatter(
            x=x, y=series.to_numpy() * 100, mode="lines+markers", name=offset_label(k),
            legendgroup=f"w{k}", line={"color": color, "width": 2}, marker={"size": 5},
            customdata=[week_label(s) for s in series.index],
            hovertemplate="%{customdata}<br>" + offset_label(k) + ": %{y:.1f}%<extra></extra>"))
        hits = [s for s in (flagged or {}).get(k, ()) if s in series.index]
        if hits:
            fig.add_trace(go.Scatter(
                x=hits, y=series.loc[hits].to_numpy() * 100, mode="markers",
                name=t("chart.flagged", lang), legendgroup="flagged", showlegend=i == 0,
                marker={"symbol": "circle-open", "size": 14, "color": RED, "line": {"width": 2}},
                customdata=[week_label(s) for s in hits],
                hovertemplate="%{customdata}<br>" + t("chart.flagged", lang)
                + ": %{y:.1f}%<extra></extra>"))
    _date_axis(fig, lang, title=t("chart.cohort_axis", lang))
    fig.update_yaxes(title=t("chart.rate_pct", lang), ticksuffix="%", rangemode="tozero")
    return _layout(fig, title=title, height=420)


def trend(sizes: pd.Series, rates: pd.Series, *, lang: Lang, rate_name: str,
          size_name: str = "", title: str = "") -> go.Figure:
    """Cohort sizes (bars) and one retention rate (line, right axis) across cohorts."""
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(go.Bar(
        x=[pd.Timestamp(s) for s in sizes.index], y=sizes.to_numpy(),
        name=size_name or t("chart.cohort_size", lang), marker_color=_alpha(GREEN, 0.35),
        customdata=[[week_label(s), count(v, lang)] for s, v in sizes.items()],
        hovertemplate="%{customdata[0]}<br>%{customdata[1]}<extra></extra>"), secondary_y=False)
    valid = rates.dropna()
    fig.add_trace(go.Scatter(
        x=[pd.Timestamp(s) for s in valid.index], y=valid.to_numpy() * 100, name=rate_name,
        mode="lines+markers", line={"color": GREEN, "width": 2.5},
        customdata=[week_label(s) for s in valid.index],
        hovertemplate="%{customdata}<br>%{y:.1f}%<extra></extra>"), secondary_y=True)
    top = float(sizes.max()) if len(sizes) and not np.isnan(sizes.max()) else None
    fig.update_yaxes(title=size_name or t("chart.cohort_size", lang), secondary_y=False,
                     showgrid=False, **_count_ticks(top, lang, "users"))
    fig.update_yaxes(title=rate_name, ticksuffix="%", secondary_y=True, rangemode="tozero",
                     tickformat=".0f", tickmode="auto", showgrid=False)
    _date_axis(fig, lang)
    return _layout(fig, title=title, height=360)


STATUS_COLORS = {"final": GREEN, "provisional": ORANGE, "failed": RED, "missing": FADED}


def coverage(status: pd.DataFrame, *, lang: Lang, title: str = "") -> go.Figure:
    """One square per (app, week) coloured by its state: final, provisional, failed, missing.

    ``status``: columns ``app``, ``week`` (Timestamp), ``state``, ``detail`` (hover text).
    """
    fig = go.Figure()
    for state, color in STATUS_COLORS.items():
        rows = status[status["state"] == state]
        if rows.empty:
            continue
        fig.add_trace(go.Scatter(
            x=rows["week"], y=rows["app"], mode="markers", name=t(f"chart.state.{state}", lang),
            marker={"symbol": "square", "size": 14, "color": color},
            customdata=np.stack([[week_label(w) for w in rows["week"]], rows["detail"]], axis=-1),
            hovertemplate="%{y}<br>%{customdata[0]}<br>%{customdata[1]}<extra></extra>"))
    fig.update_yaxes(type="category", title=None)
    _date_axis(fig, lang, title=t("chart.cohort_axis", lang))
    apps = status["app"].nunique() if not status.empty else 1
    return _layout(fig, title=title, height=160 + 40 * apps)

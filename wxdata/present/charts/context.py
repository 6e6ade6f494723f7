"""Context drawn on a time axis: China's public holidays as shaded bands (named: 国庆, 春节), a
goal as a dashed line, and the admins' notes (a release, a campaign, an outage) as a dotted line
or a light band with their text, for the trend and the period-over-period charts (issue 16).

A note's text is plain text on the chart: Plotly reads ``<b>``, ``<br>`` and ``<a href>`` in
annotation texts, so it is escaped (``&lt;`` is drawn as ``<``) and never becomes markup or a
link; a long note is shortened on the chart and whole in its hover text.

A band covers the holiday's days off (:func:`wxdata.core.holidays.bands`) that fall between the
first and last cohort drawn; two festivals that touch are one band with both names. Years the
holiday calendar does not know get no band (the page says so, ``holidays.uncovered_notice``).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go

from wxdata.core import holidays
from wxdata.core.notes import Note
from wxdata.core.periods import PeriodKind, period_class
from wxdata.i18n import Lang, t
from wxdata.present.charts.style import RED, with_alpha
from wxdata.present.fmt import pct

HOLIDAY_FILL = with_alpha("#f2b705", 0.16)
NOTE_COLOR = "#5b6b7f"
NOTE_FILL = with_alpha(NOTE_COLOR, 0.10)
#: Characters of a note's text drawn on the chart (the hover shows it whole).
NOTE_LABEL_CHARS = 24


def holiday_bands(fig: go.Figure, first: date, last: date, lang: Lang) -> int:
    """Shade each holiday run between ``first`` and ``last``; the number of bands drawn."""
    runs = holidays.bands(first, last)
    for start, end, keys in runs:
        names = "·".join(holidays.holiday_name(k, lang) for k in keys)
        fig.add_vrect(x0=pd.Timestamp(start), x1=pd.Timestamp(end + timedelta(days=1)),
                      fillcolor=HOLIDAY_FILL, line_width=0, layer="below",
                      annotation_text=names, annotation_position="top left",
                      annotation_font_size=11, name=f"holiday:{','.join(keys)}")
    return len(runs)


def goal_line(fig: go.Figure, goal: float, lang: Lang, *, secondary_y: bool | None = None) -> None:
    """A dashed line at ``goal`` (a rate; the axis is in percent), labelled 目标 25.0%."""
    fig.add_hline(y=goal * 100, line_dash="dash", line_color=RED, line_width=1.5,
                  annotation_text=t("chart.goal", lang, goal=pct(goal)),
                  annotation_position="bottom right", annotation_font_color=RED,
                  name="goal", secondary_y=secondary_y)


def span_of(index: Sequence[object], kind_days: int) -> tuple[date, date] | None:
    """The first cohort's first day and the last cohort's last (``kind_days``: its length in
    days, 31 for a month), or None for no cohort."""
    if not len(index):
        return None
    starts = pd.DatetimeIndex(list(index))
    return starts.min().date(), (starts.max() + pd.Timedelta(days=kind_days - 1)).date()


def inert(text: str) -> str:
    """``text`` as Plotly draws it literally: no tag, entity or link of its own."""
    return html.escape(text, quote=False)


def note_label(text: str) -> str:
    short = text if len(text) <= NOTE_LABEL_CHARS else text[:NOTE_LABEL_CHARS - 1] + "…"
    return inert(short)


def with_notes(fig: go.Figure, notes: Sequence[Note], lang: Lang, *,
               copy: bool = True) -> go.Figure:
    """A copy of ``fig`` (a cached figure is never changed) with each note inside its time axis
    drawn: a dotted line on a day, a light band over a range, its text above; ``fig`` itself
    when no note falls inside. ``copy=False`` draws on ``fig`` itself (a figure that is the
    caller's own, such as ``st.cache_data``'s copy: copying it again costs about as much as
    drawing it)."""
    span = _time_span(fig) if notes else None
    if span is None:
        return fig
    first, last = span[0], span[1] + timedelta(days=31)
    inside = [n for n in notes if n.overlaps(first - timedelta(days=6), last)]
    if not inside:
        return fig
    shapes: list[dict[str, object]] = []
    labels: list[dict[str, object]] = []
    for i, note in enumerate(inside):
        x0 = pd.Timestamp(note.first)
        if note.last > note.first:
            shapes.append({"type": "rect", "xref": "x", "yref": "paper", "x0": x0,
                           "x1": pd.Timestamp(note.last + timedelta(days=1)), "y0": 0, "y1": 1,
                           "fillcolor": NOTE_FILL, "line": {"width": 0}, "layer": "below",
                           "name": f"note:{note.id}"})
        else:
            shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": x0, "x1": x0,
                           "y0": 0, "y1": 1, "name": f"note:{note.id}",
                           "line": {"dash": "dot", "color": NOTE_COLOR, "width": 1}})
        labels.append({"x": x0, "xref": "x", "y": 1 - 0.07 * (i % 4), "yref": "paper",
                       "text": note_label(note.text), "showarrow": False,
                       "hovertext": inert(f"{t('chart.note', lang)} {note.span}: {note.text}"),
                       "xanchor": "left", "yanchor": "top", "bgcolor": "rgba(255,255,255,0.7)",
                       "font": {"size": 11, "color": NOTE_COLOR}, "name": f"note:{note.id}"})
    return _with_layout(fig, shapes, labels, copy)


def _with_layout(fig: go.Figure, shapes: list[dict[str, object]],
                 labels: list[dict[str, object]], copy: bool = True) -> go.Figure:
    """``fig`` (a copy of it) with more shapes and annotations. Each is made an object first and
    the tuples are set once: ``add_annotation`` one by one, or ``update_layout`` with dicts,
    validates every shape and annotation again (20 notes took ten times the chart itself)."""
    out = go.Figure(fig) if copy else fig
    if shapes:
        out.layout.shapes = out.layout.shapes + tuple(go.layout.Shape(**s) for s in shapes)
    if labels:
        out.layout.annotations = out.layout.annotations + tuple(
            go.layout.Annotation(**a) for a in labels)
    return out


def row_notes(fig: go.Figure, notes: Sequence[Note], starts: Sequence[object],
              kind: PeriodKind, lang: Lang, *, copy: bool = True) -> go.Figure:
    """A copy of ``fig`` (a cohort heatmap whose rows are the cohorts starting at ``starts``,
    oldest first) with a pin at the right end of each row a note is about; ``fig`` itself when
    none is, or when the rows are not those cohorts."""
    main = [d for d in fig.data if d.type == "heatmap" and d.showscale is not False]
    if not notes or not main or main[-1].y is None or len(main[-1].y) != len(starts):
        return fig
    trace, cls = main[-1], period_class(kind)
    pins = []
    for label, start in zip(trace.y, starts, strict=True):
        period = cls.containing(pd.Timestamp(str(start)).date())
        about = [n for n in notes if n.overlaps(period.start, period.end)]
        if about:
            pins.append((label, about))
    if not pins:
        return fig
    labels: list[dict[str, object]] = []
    for label, about in pins:
        text = " · ".join(n.text for n in about)
        labels.append({
            "x": 0.995, "xref": f"{trace.xaxis or 'x'} domain", "y": label,
            "yref": trace.yaxis or "y", "text": "※ " + note_label(text), "showarrow": False,
            "xanchor": "right", "bgcolor": "rgba(255,255,255,0.8)",
            "hovertext": inert(" · ".join(f"{t('chart.note', lang)} {n.span}: {n.text}"
                                          for n in about)),
            "font": {"size": 10, "color": NOTE_COLOR},
            "name": f"note:{','.join(str(n.id) for n in about)}"})
    return _with_layout(fig, [], labels, copy)


def _time_span(fig: go.Figure) -> tuple[date, date] | None:
    """The first and last day on ``fig``'s time axis; None when no trace is drawn over time."""
    found: list[pd.Timestamp] = []
    for trace in fig.data:
        x = getattr(trace, "x", None)
        if x is None or len(x) == 0:
            continue
        values = pd.Index(list(x))
        if values.dtype == object and all(isinstance(v, (str, date)) for v in values):
            values = pd.to_datetime(values, errors="coerce", format="ISO8601")
        if pd.api.types.is_datetime64_any_dtype(values) and values.notna().any():
            found += [values.min(), values.max()]
    if not found:
        return None
    return min(found).date(), max(found).date()


__all__ = ["HOLIDAY_FILL", "goal_line", "holiday_bands", "inert", "row_notes", "span_of",
           "with_notes"]

"""留存热力图 · Retention heatmap: the cohort triangle, one row per ended period of the span
(a day's row carries its weekday, weekends marked), or the calendar view: each cell on the day,
week or month users came back in."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from wxdata.dashboard import explain, keys, loaders, notes_panel, plot, state, widgets
from wxdata.dashboard.loaded import Loaded
from wxdata.dashboard.text import plain
from wxdata.i18n import Lang, t
from wxdata.present import charts, tables
from wxdata.present.charts.style import is_phone
from wxdata.present.fmt import period_text


@loaders.derived(max_entries=256)
def figure(data: Loaded, app_id: str, metric: str, values: str, newest_on_top: bool,
           calendar: bool, lang: Lang, focus: str, zmax: float | None,
           compact: bool, tight: bool = False, narrow: bool = False) -> go.Figure:
    title, kind = t(f"metric.{metric}", lang), data.key.kind
    if calendar:
        cells = loaders.calendar(data, metric, app_id)
        return charts.calendar_heatmap(cells, lang=lang, title=title,
                                       newest_on_top=newest_on_top, zmax=zmax, period=kind,
                                       tight=tight)
    reports = [r for r in data.result.reports if r.app_id == app_id]
    return charts.heatmap(
        loaders.matrix(data, metric, "rate", app_id),
        loaders.matrix(data, metric, "users", app_id),
        lang=lang, values=values, average=loaders.average(data, metric, app_id),
        rows=[pd.Timestamp(r.period.start) for r in reports],
        marks=tables.row_marks(reports, lang, short=compact or narrow),
        newest_on_top=newest_on_top, title=title, focus=pd.Timestamp(focus) if focus else None,
        zmax=zmax, compact=compact, period=kind, tight=tight, narrow=narrow)


def shared_top(data: Loaded, app_ids: list[str], metrics: tuple[str, ...], values: str,
               calendar: bool) -> float | None:
    """One colour scale for every heatmap on the page: the same green is the same rate (or
    count) whichever app or metric it is in."""
    if calendar:
        return charts.scale_top([loaders.calendar(data, m, a) for a in app_ids for m in metrics],
                                skip_w0=False)
    return charts.scale_top([loaders.matrix(data, m, values, a) for a in app_ids
                             for m in metrics], values)


def render() -> None:
    view = state.current_view()
    lang = view.lang
    st.title(t("page.heatmap.title", lang))
    st.caption(t(f"page.heatmap.caption.{view.kind}", lang))
    left, middle, right = st.columns([2, 2, 3])
    values = widgets.choice(t("page.heatmap.values", lang), keys.VALUES, ("rate", "users"),
                            "rate", lambda v: t(f"page.heatmap.values.{v}", lang), where=left)
    order = widgets.choice(t("page.heatmap.order", lang), keys.ORDER, ("top", "bottom"), "top",
                           lambda v: t(f"page.heatmap.order.{v}", lang), where=middle)
    # Each period's own calendar (cohort.calendar_view): a day's cell on cohort day + k days,
    # a month's on cohort month + k months, where a holiday or an outage is one column.
    calendar = widgets.flag(
        period_text("page.heatmap.calendar", view.kind, lang), keys.CALENDAR, where=right,
        help=period_text("page.heatmap.calendar.help", view.kind, lang))
    both = widgets.flag(t("page.heatmap.both", lang), keys.BOTH, where=right)
    tight = widgets.flag(t("page.heatmap.tight", lang), keys.TIGHT, where=middle,
                         help=t("page.heatmap.tight.help", lang))
    narrow = is_phone(st.context.headers.get("User-Agent"))
    per_app = len(view.apps) > 1 and widgets.flag(
        t("page.heatmap.scale_per_app", lang), keys.SCALE_PER_APP, where=right,
        help=t("page.heatmap.scale_per_app.help", lang))
    focus = widgets.focus_period(view.kind)
    data = explain.guard(view)
    if data is None:
        return
    metrics = ("new", "active") if both else (view.metric,)
    top = shared_top(data, [a.appid for a in view.apps], metrics, values, calendar)
    for app in view.apps:
        if per_app:
            top = shared_top(data, [app.appid], metrics, values, calendar)
        if len(view.apps) > 1:
            st.subheader(plain(app.label))
        for column, metric in zip(st.columns(len(metrics)), metrics, strict=True):
            with column:
                fig = figure(data, app.appid, metric, values, order == "top", calendar, lang,
                             focus.start.isoformat() if focus else "", top, both, tight,
                             narrow)
                fig = notes_panel.marked_rows(fig, view, data, app.appid)  # issue 16: notes
                plot.plotly(fig, f"heatmap-{view.kind}-{app.appid}-{metric}")
    st.caption(period_text("page.heatmap.footnote", view.kind, lang))
    if focus is not None and not calendar:
        _scroll_to_focus()


#: Scrolls the first outlined row (the shape named ``focus``) to the middle of the window once
#: Plotly has drawn it: a link from a flagged week opened the heatmap at its top, the row
#: some 1,000 px below the fold.
SCROLL_TO_FOCUS = """<script>(() => {
let tries = 0;
const timer = setInterval(() => {
  tries += 1;
  for (const plot of document.querySelectorAll('.js-plotly-plot')) {
    const shapes = (plot.layout && plot.layout.shapes) || [];
    const at = shapes.findIndex(s => s.name === 'focus');
    const box = at < 0 ? null : plot.querySelector(`.shapelayer path[data-index="${at}"]`);
    if (box) {
      box.scrollIntoView({block: 'center'});
      if (tries > 10) { clearInterval(timer); }
      return;
    }
  }
  if (tries > 300) { clearInterval(timer); }
}, 100);
})();</script>"""


def _scroll_to_focus() -> None:
    st.html(SCROLL_TO_FOCUS, unsafe_allow_javascript=True)


render()

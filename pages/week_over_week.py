"""周环比 · Period over period (日环比 / 周环比 / 月环比): each cohort against the one before, with
significance; the page's address stays ``week_over_week`` whatever the period, so shared links
keep working."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from wxdata.analytics.anomalies import flagged_cohorts
from wxdata.core.periods import PeriodKind
from wxdata.dashboard import explain, keys, loaders, notes_panel, plot, state, titles, widgets
from wxdata.dashboard.loaded import Loaded
from wxdata.dashboard.text import plain
from wxdata.i18n import Lang, t
from wxdata.present import charts, tables
from wxdata.present.charts.style import is_phone
from wxdata.present.fmt import period_text

#: The offsets the table shows unless all are asked for: a change and a rate per published day
#: (D1..D7, D14, D30) made 23 columns that scrolled sideways at 1280 px; these four are what the
#: Overview and WeChat's own console follow, and make as many columns as the weekly table.
TABLE_OFFSETS: dict[PeriodKind, tuple[int, ...]] = {"day": (1, 7, 14, 30)}


def shown_offsets(wow: pd.DataFrame, offsets: tuple[int, ...] | None) -> pd.DataFrame:
    """The table with only ``offsets`` (None: every one) of its per-offset columns."""
    if offsets is None:
        return wow
    kept = [c for c in wow.columns
            if "_" not in c or not c.rsplit("_", 1)[1].isdigit()
            or int(c.rsplit("_", 1)[1]) in offsets]
    return wow[kept]


def _offset_choice(kind: PeriodKind, lang: Lang) -> tuple[int, ...] | None:
    """Days: the tracked offsets, or all of them (a choice kept in ``?offsets=all``)."""
    if kind not in TABLE_OFFSETS:
        return None
    picked = widgets.choice(
        t("page.week_over_week.offsets", lang), keys.OFFSETS, ("tracked", "all"), "tracked",
        lambda o: t(f"page.week_over_week.offsets.{o}", lang))
    st.caption(t("page.week_over_week.offsets.help", lang))
    return TABLE_OFFSETS[kind] if picked == "tracked" else None


def chart_offsets(wow: pd.DataFrame, offsets: tuple[int, ...] | None) -> tuple[int, ...]:
    """The offsets the chart draws: the table's own (W1..W4 with W3, not just the tracked W1 W2
    W4: a column of the table missing from the chart read as a bug)."""
    return tuple(int(c.rsplit("_", 1)[1]) for c in shown_offsets(wow, offsets).columns
                 if c.startswith("rate_"))


@loaders.derived(max_entries=128)
def figure(data: Loaded, app_id: str, metric: str, lang: Lang, offsets: tuple[int, ...],
           levels: bool) -> go.Figure:
    """The chart of ``offsets``: each cohort's change against the one before (what the page is
    about), or with ``levels`` the rates themselves with their expected bands."""
    kind = data.key.kind
    bands = {k: loaders.anomalies(data, metric, app_id, k) for k in offsets}
    # the Overview's rule and offsets (issue 19: they disagreed): a level shift's step is the
    # shift, not three flagged cohorts; W3 is drawn, but only the tracked offsets are judged
    tracked = {k: band for k, band in bands.items() if k in loaders.tracked_offsets(kind)}
    flagged = flagged_cohorts(tracked, loaders.shifts(data, metric, app_id))
    title = t(f"metric.{metric}", lang)
    if not levels:
        return charts.wow_changes(loaders.week_over_week(data, metric, app_id), lang=lang,
                                  offsets=offsets, flagged=flagged, title=title, period=kind)
    rates = loaders.matrix(data, metric, "rate", app_id)
    return charts.wow_rates(rates, lang=lang, offsets=offsets, bands=bands, flagged=flagged,
                            title=title, period=kind)


def render() -> None:
    view = state.current_view()
    lang, kind = view.lang, view.kind
    st.title(titles.page_title("week_over_week", kind, lang))
    if kind == "week":
        st.caption(t("page.week_over_week.caption", lang))
    else:
        st.caption(t(f"page.week_over_week.caption.{kind}", lang))
    data = explain.guard(view)
    if data is None:
        return
    app_id = view.apps[0].appid
    if len(view.apps) > 1:
        app_id = widgets.choice(t("page.week_over_week.app", lang), keys.WOW_APP, view.app_ids,
                                view.app_ids[0], lambda a: plain(view.app_name(a)))
    wow = loaders.week_over_week(data, view.metric, app_id)
    levels = widgets.choice(
        t("page.week_over_week.chart", lang), keys.WOW_CHART, ("change", "level"), "change",
        lambda v: t(f"page.week_over_week.chart.{v}", lang)) == "level"
    offsets = _offset_choice(kind, lang)
    fig = figure(data, app_id, view.metric, lang, chart_offsets(wow, offsets), levels)
    plot.plotly(notes_panel.marked(fig, view, app_id), f"{kind}-over-{kind}-{app_id}-{view.metric}")
    st.subheader(t("page.week_over_week.table", lang) if kind == "week" else
                 t(f"page.week_over_week.table.{kind}", lang))
    if wow.empty:
        st.info(t("page.week_over_week.too_few", lang), icon=":material/info:")
        return
    narrow = is_phone(st.context.headers.get("User-Agent"))
    styled = tables.wow_styler(shown_offsets(wow, offsets).sort_index(ascending=False), lang,
                               kind, narrow=narrow)
    # every row in the page (a 52-week table was a scroll box inside the scrolling page), the
    # cohort pinned while the other columns scroll sideways (a phone, or every day's offset)
    st.dataframe(styled, width="stretch", row_height=tables.TABLE_ROW_PX, hide_index=True,
                 height=tables.table_height(len(wow), max_rows=len(wow)),
                 column_config={t(f"table.cohort.{kind}", lang): st.column_config.Column(
                     pinned=True)})
    # the band's sentence only under a chart that draws one (8 weeks are too few for a band)
    banded = levels and bool(fig.layout.meta and fig.layout.meta.get("bands"))
    st.caption(period_text("page.week_over_week.legend" if banded else
                           "page.week_over_week.legend.table", kind, lang))


render()

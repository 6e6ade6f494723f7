"""概览 · Overview: the KPI tiles, what changed (in words), flagged weeks, and the trend."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from wxdata.analytics.defaults import TRACKED_OFFSETS
from wxdata.core.apps import AppInfo
from wxdata.dashboard import keys, loaders, state, widgets
from wxdata.dashboard.loaders import Loaded
from wxdata.dashboard.text import plain
from wxdata.i18n import Lang, t
from wxdata.present import charts, fmt, narrative
from wxdata.present.fmt import change, count, pct, pp

PROJECT_TO = 12
#: Flagged weeks listed before the rest fold into an expander (newest first).
SHOW_FLAGS = 5


@loaders.derived(max_entries=128)
def trend(data: Loaded, app_id: str, metric: str, lang: Lang) -> go.Figure:
    users = loaders.matrix(data, metric, "users", app_id)
    rates = loaders.matrix(data, metric, "rate", app_id)
    w1 = rates[1] if 1 in rates.columns else rates[0] * float("nan")
    return charts.trend(
        users[0], w1, lang=lang, size_name=t(f"chart.size.{metric}", lang),
        rate_name=t("kpi.w1", lang, metric=t(f"metric.{metric}.short", lang)),
        title=t("page.overview.trend", lang, metric=t(f"metric.{metric}", lang)))


def _tiles(view: state.View, data: Loaded, app: AppInfo) -> None:
    lang = view.lang
    kpi = loaders.kpis(data, view.metric, app.appid)
    fitted = loaders.projection(data, view.metric, app.appid, PROJECT_TO)
    short = t(f"metric.{view.metric}.short", lang)
    one, two, three, four = st.columns(4)
    one.metric(t(f"kpi.size.{view.metric}", lang), count(kpi.latest_size, lang),
               change(kpi.size_change), border=True,
               help=t("kpi.size.help", lang, week=fmt.week_label(kpi.latest_week)))
    # Coloured only when the change is significant: noise stays grey.
    two.metric(t("kpi.w1", lang, metric=short), pct(kpi.w1_rate), pp(kpi.w1_delta, lang),
               border=True, delta_color="normal" if narrative.significant(kpi) else "off",
               help=t("kpi.w1.help", lang, week=fmt.week_label(kpi.w1_week)))
    three.metric(t("kpi.w4", lang, metric=short), pct(kpi.w4_rate), border=True,
                 help=t("kpi.w4.help", lang, week=fmt.week_label(kpi.w4_week)))
    four.metric(t("kpi.projected", lang, k=PROJECT_TO, metric=short),
                pct(fitted.at(PROJECT_TO) if fitted else None), border=True,
                help=t("kpi.projected.help", lang, model=t(f"model.{fitted.model}", lang))
                if fitted else t("page.curves.no_fit", lang))
    for sentence in narrative.sentences((kpi,), lang):
        st.markdown(f"- {sentence}")


def _flagged(view: state.View, data: Loaded, app: AppInfo) -> None:
    lang = view.lang
    found = narrative.flagged(
        lambda k: loaders.anomalies(data, view.metric, app.appid, k), TRACKED_OFFSETS)
    if not found:
        st.caption(t("page.overview.no_anomaly", lang))
        return
    st.markdown(f"**{t('page.overview.anomalies', lang)}**")
    for item in found[:SHOW_FLAGS]:
        _flag_link(item, lang)
    if older := found[SHOW_FLAGS:]:
        with st.expander(t("page.overview.older", lang, n=len(older))):
            for item in older:
                _flag_link(item, lang)


def _flag_link(item: narrative.Flag, lang: Lang) -> None:
    st.page_link("pages/heatmap.py", label=item.sentence(lang), icon=":material/flag:",
                 query_params={keys.FOCUS: item.week.iso})


def render() -> None:
    view = state.current_view()
    lang = view.lang
    st.title(t("page.overview.title", lang))
    data = widgets.guard(view)
    if data is None:
        return
    for app in view.apps:
        if len(view.apps) > 1:
            st.subheader(plain(app.label))
        _tiles(view, data, app)
        _flagged(view, data, app)
        widgets.plotly(trend(data, app.appid, view.metric, lang),
                       f"overview-{app.appid}-{view.metric}")


render()

"""概览 · Overview: the KPI tiles, what changed (in words), flagged weeks, and the trend."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from wxdata.analytics.defaults import TRACKED_OFFSETS
from wxdata.core.apps import AppInfo
from wxdata.dashboard import loaders, state, widgets
from wxdata.dashboard.loaders import LoadKey
from wxdata.i18n import Lang, t
from wxdata.present import charts, fmt, narrative
from wxdata.present.fmt import change, count, pct, pp
from wxdata.sources import Source

PROJECT_TO = 12
#: Flagged weeks listed before the rest fold into an expander (newest first).
SHOW_FLAGS = 5


@st.cache_data(show_spinner=False, max_entries=128)
def trend(key: LoadKey, _source: Source, app_id: str, metric: str, lang: Lang) -> go.Figure:
    users = loaders.matrix(key, _source, metric, "users", app_id)
    rates = loaders.matrix(key, _source, metric, "rate", app_id)
    w1 = rates[1] if 1 in rates.columns else rates[0] * float("nan")
    return charts.trend(
        users[0], w1, lang=lang, size_name=t(f"chart.size.{metric}", lang),
        rate_name=t("kpi.w1", lang, metric=t(f"metric.{metric}.short", lang)),
        title=t("page.overview.trend", lang, metric=t(f"metric.{metric}", lang)))


def _tiles(view: state.View, app: AppInfo) -> None:
    assert view.key is not None
    lang, key, source = view.lang, view.key, view.source
    kpi = loaders.kpis(key, source, view.metric, app.appid)
    fitted = loaders.projection(key, source, view.metric, app.appid, PROJECT_TO)
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


def _flagged(view: state.View, app: AppInfo) -> None:
    key, lang = view.key, view.lang
    assert key is not None
    found = narrative.flagged(
        lambda k: loaders.anomalies(key, view.source, view.metric, app.appid, k), TRACKED_OFFSETS)
    if not found:
        st.caption(t("page.overview.no_anomaly", lang))
        return
    st.markdown(f"**{t('page.overview.anomalies', lang)}**")
    shown, older = found[:SHOW_FLAGS], found[SHOW_FLAGS:]
    more = st.expander(t("page.overview.older", lang, n=len(older))) if older else None
    for item, where in [*((f, st) for f in shown), *((f, more) for f in older)]:
        where.page_link("pages/heatmap.py", label=item.sentence(lang), icon=":material/flag:",
                        query_params={"focus": item.week.iso})


def render() -> None:
    view = state.current_view()
    lang = view.lang
    st.title(t("page.overview.title", lang))
    if widgets.guard(view) is None:
        return
    assert view.key is not None
    for app in view.apps:
        if len(view.apps) > 1:
            st.subheader(app.label)
        _tiles(view, app)
        _flagged(view, app)
        widgets.plotly(trend(view.key, view.source, app.appid, view.metric, lang),
                       f"overview-{app.appid}-{view.metric}")


render()

"""留存曲线 · Decay curves: a line per cohort, the weighted average, and the fitted projection."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from wxdata.core.periods import Week
from wxdata.dashboard import keys, loaders, state, widgets
from wxdata.dashboard.loaders import Loaded
from wxdata.i18n import Lang, t
from wxdata.present import charts
from wxdata.present.fmt import pct


@loaders.derived(max_entries=256)
def one_app(data: Loaded, app_id: str, metric: str, cohorts: tuple[str, ...], log_y: bool,
            horizon: int, lang: Lang) -> go.Figure:
    rates = loaders.matrix(data, metric, "rate", app_id)
    if cohorts:
        rates = rates[[Week.containing(s).iso in cohorts for s in rates.index]]
    fitted = loaders.projection(data, metric, app_id, horizon)
    return charts.decay_curves(
        rates, lang=lang, average=loaders.average(data, metric, app_id),
        projection=fitted.curve if fitted else None, model=fitted.model if fitted else "",
        picked=bool(cohorts), log_y=log_y, horizon=horizon, title=t(f"metric.{metric}", lang))


@loaders.derived(max_entries=128)
def compare(data: Loaded, apps: tuple[tuple[str, str], ...], metric: str, log_y: bool,
            horizon: int, lang: Lang) -> go.Figure:
    averages = {name: loaders.average(data, metric, appid) for appid, name in apps}
    fits = {name: (p.model, p.curve) if (p := loaders.projection(data, metric, appid, horizon))
            else None for appid, name in apps}
    return charts.decay_compare(averages, projections=fits, lang=lang, log_y=log_y,
                                horizon=horizon, title=t(f"metric.{metric}", lang))


def _cohort_picker(view: state.View, data: Loaded, lang: Lang) -> tuple[str, ...]:
    """The cohorts to draw, as ISO weeks (none picked: all of them); mirrored in ``?cohorts=``."""
    rates = loaders.matrix(data, view.metric, "rate", view.apps[0].appid)
    weeks = {Week.containing(s).iso: Week.containing(s) for s in rates.index}
    return widgets.multi_choice(
        t("page.curves.cohorts", lang), keys.COHORTS, list(reversed(weeks)),
        lambda iso: weeks[iso].label, placeholder=t("page.curves.cohorts.all", lang))


def render() -> None:
    view = state.current_view()
    lang = view.lang
    st.title(t("page.curves.title", lang))
    left, right = st.columns([2, 3])
    horizon = widgets.choice(t("page.curves.horizon", lang), keys.HORIZON, ("12", "26"), "12",
                             lambda h: t("page.curves.horizon.weeks", lang, n=h), where=left)
    log_y = widgets.flag(t("page.curves.log", lang), keys.LOG, where=right,
                         help=t("page.curves.log.help", lang))
    data = widgets.guard(view)
    if data is None:
        return
    if len(view.apps) > 1:
        names = tuple((a.appid, a.name) for a in view.apps)
        fig = compare(data, names, view.metric, log_y, int(horizon), lang)
        widgets.plotly(fig, f"curves-compare-{view.metric}")
        st.caption(charts.describe(fig, lang))
        return
    app = view.apps[0]
    cohorts = _cohort_picker(view, data, lang)
    fig = one_app(data, app.appid, view.metric, cohorts, log_y, int(horizon), lang)
    widgets.plotly(fig, f"curves-{app.appid}-{view.metric}")
    st.caption(charts.describe(fig, lang))
    fitted = loaders.projection(data, view.metric, app.appid, int(horizon))
    if fitted is None:
        st.info(t("page.curves.no_fit", lang), icon=":material/info:")
    else:
        end = fitted.curve.iloc[-1]
        st.caption(t("page.curves.fit", lang, model=t(f"model.{fitted.model}", lang),
                     horizon=horizon, rate=pct(end["rate"]), low=pct(end["low"]),
                     high=pct(end["high"]), rmse=f"{fitted.rmse * 100:.2f}",
                     cohorts=fitted.cohorts))


render()

"""留存曲线 · Decay curves: a line per cohort, the weighted average, and the fitted projection
(to week 12 or 26, to day 60 or 90; months have two published points and no projection)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from wxdata.core.goals import Goal
from wxdata.core.periods import PeriodKind, period_class
from wxdata.dashboard import explain, goals_panel, keys, loaders, notes_panel, plot, state, widgets
from wxdata.dashboard.loaded import Loaded
from wxdata.dashboard.text import plain
from wxdata.i18n import Lang, t
from wxdata.present import charts, context
from wxdata.present.charts.style import is_phone
from wxdata.present.fmt import cohort_label, pct, period_text

#: The projection horizons offered per period (the first is the default); none for months.
HORIZONS: dict[PeriodKind, tuple[str, ...]] = {"day": ("60", "90"), "week": ("12", "26"),
                                               "month": ()}


@loaders.derived(max_entries=256)
def one_app(data: Loaded, app_id: str, metric: str, cohorts: tuple[str, ...], log_y: bool,
            horizon: int, lang: Lang, narrow: bool = False,
            goals: tuple[Goal, ...] = ()) -> go.Figure:
    """One app's curves; ``goals`` passed in (the cached figure is keyed by them, so an
    admin's new goal is drawn at once)."""
    kind = data.key.kind
    rates = loaders.matrix(data, metric, "rate", app_id)
    if cohorts:
        cls = period_class(kind)
        rates = rates[[cls.containing(s).iso in cohorts for s in rates.index]]
    fitted = loaders.projection(data, metric, app_id, horizon) if horizon else None
    end = horizon or _last_key(kind)
    goals = tuple(g for g in goals if g.offset <= end)
    return charts.decay_curves(
        rates, lang=lang, average=loaders.average(data, metric, app_id),
        projection=fitted.curve if fitted else None, model=fitted.model if fitted else "",
        picked=bool(cohorts), log_y=log_y, horizon=end,
        title=t(f"metric.{metric}", lang), period=kind, goals=goals, narrow=narrow)


def _last_key(kind: PeriodKind) -> int:
    return period_class(kind).KEYS[-1]


@loaders.derived(max_entries=128)
def compare(data: Loaded, apps: tuple[tuple[str, str], ...], metric: str, log_y: bool,
            horizon: int, lang: Lang) -> go.Figure:
    kind = data.key.kind
    averages = {name: loaders.average(data, metric, appid) for appid, name in apps}
    fits = {name: (p.model, p.curve) if horizon and
            (p := loaders.projection(data, metric, appid, horizon)) else None
            for appid, name in apps}
    return charts.decay_compare(averages, projections=fits, lang=lang, log_y=log_y,
                                horizon=horizon or _last_key(kind),
                                title=t(f"metric.{metric}", lang), period=kind)


def _cohort_picker(view: state.View, data: Loaded, lang: Lang) -> tuple[str, ...]:
    """The cohorts to draw, as ISO periods (none picked: all of them); mirrored in
    ``?cohorts=``."""
    rates = loaders.matrix(data, view.metric, "rate", view.apps[0].appid)
    cls, kind = view.period_class, view.kind
    names = {cls.containing(s).iso: cohort_label(s, kind, lang) for s in rates.index}
    return widgets.multi_choice(
        t("page.curves.cohorts", lang), keys.COHORTS, list(reversed(names)),
        names.__getitem__, placeholder=t("page.curves.cohorts.all", lang))


def _horizon(view: state.View, where: DeltaGenerator) -> int:
    """How far to project (0: the period has no projection)."""
    options = HORIZONS[view.kind]
    if not options:
        return 0
    unit = "day" if view.kind == "day" else "week"
    return int(widgets.choice(t("page.curves.horizon", view.lang), keys.HORIZON, options,
                              options[0], lambda h: t(f"page.curves.horizon.{unit}", view.lang,
                                                      n=h), where=where))


def _fit_caption(view: state.View, data: Loaded, app_id: str, horizon: int) -> None:
    lang = view.lang
    if not horizon:
        st.info(t("page.curves.no_fit.month", lang), icon=":material/info:")
        return
    fitted = loaders.projection(data, view.metric, app_id, horizon)
    if fitted is None:
        st.info(period_text("page.curves.no_fit", view.kind, lang), icon=":material/info:")
        return
    end = fitted.curve.iloc[-1]
    key = "page.curves.fit.day" if view.kind == "day" else "page.curves.fit"
    text = t(key, lang, model=t(f"model.{fitted.model}", lang), horizon=horizon,
             rate=pct(end["rate"]), low=pct(end["low"]), high=pct(end["high"]),
             rmse=f"{fitted.rmse * 100:.2f}", cohorts=fitted.cohorts)
    # the range's reason beside it: "W26 5.1 % (4.1 % ~ 13.1 %)" read as a typo without it
    if bool(end.get("assumed", False)):
        text += " " + period_text("page.curves.fit.assumed", view.kind, lang,
                                  last=_last_key(view.kind), horizon=horizon)
    # the legend's "12 个批次" (the average's cohorts) beside the fit's own count
    average = loaders.average(data, view.metric, app_id)
    covered = pd.to_numeric(average.get("cohorts", pd.Series(dtype="float64"))).reindex([1])
    if covered.notna().all():
        shown = int(covered.iloc[0])
        if shown != fitted.cohorts:
            text += " " + t("page.curves.fit.counts", lang, average=shown, fit=fitted.cohorts)
    st.caption(text)


def _mix(view: state.View, data: Loaded, app_id: str) -> None:
    """The Overview's mix-or-rate sentence (present/context.py), for the average drawn here."""
    if sentence := context.mix_sentence(loaders.mix_or_rate(data, view.metric, app_id),
                                        metric=view.metric, offset=1, kind=view.kind,
                                        lang=view.lang):
        st.caption(plain(sentence))


def render() -> None:
    view = state.current_view()
    lang = view.lang
    st.title(t("page.curves.title", lang))
    left, right = st.columns([2, 3])
    horizon = _horizon(view, left)
    log_y = widgets.flag(t("page.curves.log", lang), keys.LOG, where=right,
                         help=period_text("page.curves.log.help", view.kind, lang))
    data = explain.guard(view)
    if data is None:
        return
    if len(view.apps) > 1:
        names = tuple((a.appid, a.name) for a in view.apps)
        fig = compare(data, names, view.metric, log_y, horizon, lang)
        plot.plotly(fig, f"curves-{view.kind}-compare-{view.metric}")
        st.caption(charts.describe(fig, lang))
        notes_panel.caption(view)  # issue 16: no time axis, the span's notes in words
        return
    app = view.apps[0]
    cohorts = _cohort_picker(view, data, lang)
    fig = one_app(data, app.appid, view.metric, cohorts, log_y, horizon, lang,
                  is_phone(st.context.headers.get("User-Agent")),
                  goals_panel.goals(app.appid, view.kind, view.metric))
    plot.plotly(fig, f"curves-{view.kind}-{app.appid}-{view.metric}")
    st.caption(charts.describe(fig, lang))
    notes_panel.caption(view, app.appid)  # issue 16: no time axis, the span's notes in words
    _fit_caption(view, data, app.appid, horizon)
    _mix(view, data, app.appid)


render()

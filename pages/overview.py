"""概览 · Overview: the KPI tiles, what changed (in words), flagged cohorts, and the trend.

The tiles follow the period: 次日 / 7日 / 30日留存 for days, W1 / W4 and the projected W12 for
weeks, M1 for months (WeChat publishes no later month), each after the newest cohort's size.
Each tile names its cohort ("W1 retention · W47"); the W12 forecast is fitted on the newest 12
cohorts whatever span is drawn (:func:`wxdata.analytics.decay.forecast_for`, loading them when
the span is shorter) and shows its band. The KPIs, the flags and the fit take the loaders'
cached cohort matrix rather than building it again.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from wxdata.analytics.decay import forecast_periods
from wxdata.analytics.kpis import Kpis
from wxdata.core.periods import PeriodKind, period_class
from wxdata.dashboard import (
    explain,
    goals_panel,
    keys,
    load,
    loaded,
    loaders,
    notes_panel,
    plot,
    state,
)
from wxdata.dashboard.loaded import Loaded
from wxdata.dashboard.text import plain
from wxdata.i18n import Lang, t
from wxdata.present import charts, context, fmt, narrative
from wxdata.present.fmt import change, count, pct, pp

PROJECT_TO = 12
#: Flagged cohorts listed before the rest fold into an expander (newest first).
SHOW_FLAGS = 5
#: The later offsets a tile shows after the first one (次日 / D1, W1, M1), per period.
LATER_TILES: dict[PeriodKind, tuple[int, ...]] = {"day": (7, 30), "week": (4,), "month": ()}


def _rate_name(kind: PeriodKind, k: int, metric: str, lang: Lang) -> str:
    """A tile's title: the weekly ones as they always read, ``{metric}{offset}留存`` else."""
    short = t(f"metric.{metric}.short", lang)
    if kind == "week":
        return t("kpi.w1" if k == 1 else "kpi.w4", lang, metric=short)
    return t("kpi.rate", lang, metric=short, offset=fmt.offset_label(kind, k, lang))


@loaders.derived(max_entries=128)
def trend(data: Loaded, app_id: str, metric: str, lang: Lang,
          goal: float | None = None) -> go.Figure:
    """The size bars and the first offset's rate, ``goal`` its dashed line (an argument, not
    read here: an admin's new goal redraws at once, the cached figure is keyed by it)."""
    kind = data.key.kind
    users = loaders.matrix(data, metric, "users", app_id)
    rates = loaders.matrix(data, metric, "rate", app_id)
    first = rates[1] if 1 in rates.columns else rates[0] * float("nan")
    name = t(f"metric.{metric}", lang)
    if kind == "week":
        title = t("page.overview.trend", lang, metric=name)
    else:
        title = t(f"page.overview.trend.{kind}", lang, metric=name)
    return charts.trend(users[0], first, lang=lang, size_name=t(f"chart.size.{metric}", lang),
                        rate_name=_rate_name(kind, 1, metric, lang), period=kind, title=title,
                        goal=goal)


def _tile_label(kind: PeriodKind, k: int, cohort: pd.Timestamp | None, lang: Lang) -> str:
    """A rate tile's one-line label, naming its cohort: "W1留存 · W47", "D30 retention · 10-31"."""
    return t("kpi.tile.rate", lang, offset=fmt.offset_label(kind, k, lang),
             cohort=fmt.tile_cohort(cohort, kind))


def _size_tile(view: state.View, column: DeltaGenerator,
               kpi: Kpis) -> None:
    lang, kind = view.lang, view.kind
    label = t(f"kpi.tile.size.{view.metric}", lang,
              cohort=fmt.tile_cohort(kpi.latest_week, kind))
    column.metric(label, count(kpi.latest_size, lang), change(kpi.size_change), border=True,
                  help=t(f"kpi.size.help.{kind}", lang,
                         week=fmt.cohort_label(kpi.latest_week, kind, lang)))


def _first_tile(view: state.View, column: DeltaGenerator,
                kpi: Kpis) -> None:
    """W1 (D1, M1) against the 4 cohorts before: coloured only when the change is significant,
    noise stays grey. The test's p-value is in the help, not in the sentences."""
    lang, kind = view.lang, view.kind
    week = fmt.cohort_label(kpi.w1_week, kind, lang)
    helped = t("kpi.w1.help", lang, week=week) if kind == "week" else \
        fmt.period_text("kpi.rate.first.help", kind, lang, week=week,
                        offset=fmt.offset_label(kind, 1, lang))
    if not pd.isna(kpi.w1_p):
        shown = fmt.p_value(kpi.w1_p)
        helped += " " + t("kpi.tile.p", lang, p=shown if shown.startswith("<") else f"={shown}")
    column.metric(_tile_label(kind, 1, kpi.w1_week, lang), pct(kpi.w1_rate),
                  pp(kpi.w1_delta, lang), border=True,
                  delta_color="normal" if narrative.significant(kpi) else "off", help=helped)


def _tiles(view: state.View, data: Loaded, app_id: str) -> None:
    lang, kind = view.lang, view.kind
    kpi = loaders.kpis(data, view.metric, app_id)
    later = LATER_TILES[kind]
    columns = st.columns(2 + len(later) + (kind == "week"))
    _size_tile(view, columns[0], kpi)
    _first_tile(view, columns[1], kpi)
    for column, k in zip(columns[2:], later, strict=False):
        start, rate = loaders.newest_rate(data, view.metric, app_id, k)
        column.metric(_tile_label(kind, k, start, lang), pct(rate), border=True,
                      help=_later_help(kind, k, start, lang))
    if kind == "week":
        _projected_tile(view, columns[-1], data, app_id)
    for sentence in narrative.sentences((kpi,), lang, kind, with_p=False):
        st.markdown(f"- {sentence}")
    _context(view, data, app_id)


def _context(view: state.View, data: Loaded, app_id: str) -> None:
    """Goals met or missed, lasting changes of level, and mix or rate (issue 16): sentences
    apart from the one-cohort flags."""
    lang, kind, metric = view.lang, view.kind, view.metric
    wanted = goals_panel.goals(app_id, kind, metric)
    for verdict in loaders.verdicts(data, app_id, wanted) if wanted else []:
        if sentence := context.goal_sentence(verdict, lang):
            icon = ":material/check_circle:" if verdict.met else ":material/cancel:"
            st.markdown(f"- {icon} {plain(sentence)}")
    for sentence in context.shift_sentences(loaders.shifts(data, metric, app_id),
                                            metric=metric, kind=kind, lang=lang):
        st.markdown(f"- :material/stairs: {plain(sentence)}")
    if sentence := context.mix_sentence(loaders.mix_or_rate(data, metric, app_id),
                                        metric=metric, offset=1, kind=kind, lang=lang):
        st.markdown(f"- {plain(sentence)}")


def _later_help(kind: PeriodKind, k: int, start: pd.Timestamp | None, lang: Lang) -> str:
    """Which cohort a later tile (7日, 30日, W4) shows; for days without one in the span, why
    (a day's D30 appears 30 days after it) and what to choose instead."""
    week, offset = fmt.cohort_label(start, kind, lang), fmt.offset_label(kind, k, lang)
    if kind == "week":
        return t("kpi.w4.help", lang, week=week)
    if start is None:
        return t("kpi.rate.none.help", lang, offset=offset, k=k, n=k + 1)
    return t("kpi.rate.help", lang, week=week, offset=offset)


def _forecast_data(view: state.View, data: Loaded) -> Loaded:
    """The load holding the forecast's window: the view's own when its span holds it, else the
    window's periods loaded for the same apps (cached like any load; the demo and the store
    have them)."""
    if view.key is None or not view.periods:
        return data
    wanted = forecast_periods(view.periods[-1])
    if set(wanted) <= set(view.periods):
        return data
    key = loaded.make_key(view.source, view.key.fingerprint, view.app_ids, wanted)
    return load.load_result(key, view.source)


def _projected_tile(view: state.View, column: DeltaGenerator,
                    data: Loaded, app_id: str) -> None:
    lang, kind = view.lang, view.kind
    window = _forecast_data(view, data)
    fitted = loaders.projection(window, view.metric, app_id, PROJECT_TO)
    sizes = loaders.matrix(window, view.metric, "users", app_id)[0].dropna()
    if fitted is None or sizes.empty:
        column.metric(t("kpi.projected", lang, k=PROJECT_TO,
                        metric=t(f"metric.{view.metric}.short", lang)), pct(None), border=True,
                      help=t("page.curves.no_fit", lang))
        return
    newest = period_class(kind).containing(pd.Timestamp(sizes.index[-1]).date())
    periods = forecast_periods(newest)
    first, last = (fmt.tile_cohort(p.start, kind) for p in (periods[0], periods[-1]))
    last = last.removeprefix("W")  # "W37–48": the label keeps 预测 / forecast at 1280 px
    row = fitted.curve.iloc[PROJECT_TO]
    column.metric(t("kpi.tile.projected", lang, k=PROJECT_TO, first=first, last=last),
                  pct(float(row["rate"])),
                  t("kpi.tile.band", lang, low=pct(float(row["low"])),
                    high=pct(float(row["high"]))),
                  delta_color="off", delta_arrow="off", border=True,
                  help=t("kpi.tile.projected.help", lang, n=len(periods),
                         first=fmt.cohort_label(periods[0].start, kind, lang),
                         last=fmt.cohort_label(periods[-1].start, kind, lang),
                         model=t(f"model.{fitted.model}", lang)))


def _flagged(view: state.View, data: Loaded, app_id: str) -> None:
    """One line per flagged cohort (every offset it left its band at), a level shift's step
    left to the shift's own sentence, holidays named: the rule the week-over-week page's
    chart uses too (:func:`wxdata.analytics.anomalies.flagged_cohorts`)."""
    lang, kind = view.lang, view.kind
    bands = {k: loaders.anomalies(data, view.metric, app_id, k)
             for k in loaders.tracked_offsets(kind)}
    found = narrative.flag_events(bands,
                                  loaders.shifts(data, view.metric, app_id), kind)
    if not found:
        st.caption(t(f"page.overview.no_anomaly.{kind}", lang))
        return
    st.markdown(f"**{t(f'page.overview.anomalies.{kind}', lang)}**",
                help=t("page.overview.flags.help", lang))
    for item in found[:SHOW_FLAGS]:
        _flag_link(item, lang)
    if older := found[SHOW_FLAGS:]:
        with st.expander(t(f"page.overview.older.{kind}", lang, n=len(older))):
            for item in older:
                _flag_link(item, lang)


def _flag_link(item: narrative.FlagEvent, lang: Lang) -> None:
    st.page_link("pages/heatmap.py", label=item.sentence(lang), icon=":material/flag:",
                 query_params={keys.FOCUS: item.week.iso})


def render() -> None:
    view = state.current_view()
    lang = view.lang
    st.title(t("page.overview.title", lang))
    data = explain.guard(view)
    if data is None:
        return
    for app in view.apps:
        if len(view.apps) > 1:
            st.subheader(plain(fmt.app_label(app.name, app.appid, lang)))
        _tiles(view, data, app.appid)
        _flagged(view, data, app.appid)
        goal = next((g.target for g in goals_panel.goals(app.appid, view.kind, view.metric)
                     if g.offset == 1), None)
        shown = notes_panel.marked(trend(data, app.appid, view.metric, lang, goal), view,
                                   app.appid)
        plot.plotly(shown,
                       f"overview-{view.kind}-{app.appid}-{view.metric}")


render()

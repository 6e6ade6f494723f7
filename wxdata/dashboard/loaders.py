"""Tables and figures derived from a load (matrices, curves, fits, anomalies, tiles), cached by
the load's key and stamp (:func:`derived`; why the stamp: :mod:`wxdata.dashboard.loaded`)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ParamSpec, TypeVar

import pandas as pd
import streamlit as st

from wxdata.analytics import cohort, decay, defaults
from wxdata.analytics import shifts as level
from wxdata.analytics.anomalies import anomalies as find_anomalies
from wxdata.analytics.defaults import ANOMALY_SIGMAS
from wxdata.analytics.goals import Verdict, judge
from wxdata.analytics.kpis import Kpis
from wxdata.analytics.kpis import kpis as headline_figures
from wxdata.analytics.mix import Decomposition, window_change
from wxdata.config import load_settings
from wxdata.core.errors import WxDataError
from wxdata.core.goals import Goal
from wxdata.core.periods import Period, PeriodKind, period_class
from wxdata.dashboard.loaded import Loaded, LoadKey
from wxdata.sources.demo import DEMO_GOALS

if TYPE_CHECKING:
    from streamlit.runtime.caching.cache_utils import CachedFunc

P = ParamSpec("P")
R = TypeVar("R")


def _hashed_as(data: Loaded) -> tuple[LoadKey, str]:
    return data.key, data.stamp


def derived(*, max_entries: int) -> Callable[[Callable[P, R]], CachedFunc[P, R]]:
    """``st.cache_data`` for anything computed from a :class:`Loaded`: it is hashed as its key
    and stamp (cheap, and different for every load), never by its frame."""
    return st.cache_data(show_spinner=False, max_entries=max_entries,
                         hash_funcs={Loaded: _hashed_as})


_OFFSET_COLUMN = re.compile(r"^[a-z]+_(\d+)$")


def tracked_offsets(kind: PeriodKind) -> tuple[int, ...]:
    """The offsets the screens follow across cohorts (the analytics' own list per period)."""
    return defaults.tracked_offsets(period_class(kind))


def _period(data: Loaded) -> type[Period]:
    return period_class(data.key.kind)


def _keys(data: Loaded) -> tuple[int, ...]:
    return _period(data).KEYS


@derived(max_entries=256)
def matrix(data: Loaded, metric: str, values: str, app_id: str) -> pd.DataFrame:
    """A column per key the period's API publishes (D0..D7 D14 D30, never D8..D13: the
    analytics fill the gaps between keys with empty columns, which no chart should draw)."""
    full = cohort.cohort_matrix(data.app_frame(app_id), metric=metric, values=values,
                                app_id=app_id, period=_period(data))
    return full[[k for k in _keys(data) if k in full.columns]]


@derived(max_entries=256)
def average(data: Loaded, metric: str, app_id: str) -> pd.DataFrame:
    full = cohort.average_curve(data.app_frame(app_id), metric=metric, app_id=app_id,
                                period=_period(data))
    return full[full.index.isin(_keys(data))]


def newest_rate(data: Loaded, metric: str, app_id: str,
                k: int) -> tuple[pd.Timestamp | None, float]:
    """The newest cohort with offset ``k`` published and its rate (a tile: 7日, 30日, W4)."""
    rates = matrix(data, metric, "rate", app_id)
    published = rates[k].dropna() if k in rates.columns else pd.Series(dtype="float64")
    if published.empty:
        return None, math.nan
    return pd.Timestamp(published.index[-1]), float(published.iloc[-1])


@derived(max_entries=128)
def calendar(data: Loaded, metric: str, app_id: str) -> pd.DataFrame:
    return cohort.calendar_view(data.app_frame(app_id), metric=metric, app_id=app_id,
                                period=_period(data))


@derived(max_entries=128)
def week_over_week(data: Loaded, metric: str, app_id: str) -> pd.DataFrame:
    """Each cohort against the one before (any period), at the period's published keys only."""
    full = cohort.week_over_week(data.app_frame(app_id), metric=metric, app_id=app_id,
                                 period=_period(data))
    keys_ = _keys(data)
    return full[[c for c in full.columns
                 if not (m := _OFFSET_COLUMN.match(str(c))) or int(m.group(1)) in keys_]]


@derived(max_entries=128)
def shifts(data: Loaded, metric: str, app_id: str) -> list[level.Shift]:
    """The level shifts of the tracked offsets (:mod:`wxdata.analytics.shifts`)."""
    return level.level_shifts(data.app_frame(app_id), metric=metric, app_id=app_id,
                              period=_period(data))


@derived(max_entries=128)
def mix_or_rate(data: Loaded, metric: str, app_id: str) -> Decomposition | None:
    """Offset 1's pooled rate of the newest window against the one before, split into the
    rates' part and the sizes' (:mod:`wxdata.analytics.mix`)."""
    return window_change(data.app_frame(app_id), offset=1, metric=metric, app_id=app_id,
                         period=_period(data))


def goals(app_id: str, kind: PeriodKind, metric: str) -> tuple[Goal, ...]:
    """The goals of ``app_id`` for this period and metric: its ``[[wxdata.apps]]`` goals, or
    the demo's own for a demo app (so that the demo shows what a goal looks like)."""
    try:
        configured = load_settings().goals(app_id)
    except WxDataError:
        configured = ()
    own = configured or DEMO_GOALS.get(app_id, ())
    return tuple(g for g in own if g.kind == kind and g.metric == metric)


@derived(max_entries=128)
def verdicts(data: Loaded, app_id: str, wanted: tuple[Goal, ...]) -> list[Verdict]:
    return [judge(data.app_frame(app_id), goal, app_id=app_id) for goal in wanted]


@derived(max_entries=256)
def anomalies(data: Loaded, metric: str, app_id: str, offset: int) -> pd.DataFrame:
    """Every judged cohort with its expected band (the chart draws the band over time)."""
    return find_anomalies(users=matrix(data, metric, "users", app_id), metric=metric,
                          app_id=app_id, offset=offset, sigmas=ANOMALY_SIGMAS,
                          flagged_only=False, period=_period(data))


@derived(max_entries=128)
def kpis(data: Loaded, metric: str, app_id: str) -> Kpis:
    return headline_figures(users=matrix(data, metric, "users", app_id), metric=metric,
                            app_id=app_id, period=_period(data))


@dataclass(frozen=True)
class Projection:
    """A fitted decay curve as the pages show it: which model, how well it fits, the curve."""

    model: str
    rmse: float
    cohorts: int
    curve: pd.DataFrame

    def at(self, week: int) -> float:
        return float(self.curve["rate"].iloc[week])


@derived(max_entries=64)
def fit(data: Loaded, metric: str, app_id: str) -> decay.DecayFit | None:
    """The fitted decay model of the newest cohorts (the slow part: a bootstrap), or None with
    too few: :func:`wxdata.analytics.decay.forecast_for`, the same fit whatever span the load
    covers as long as it holds the window (issue 19: the forecast moved with the span)."""
    try:
        return decay.forecast_for(users=matrix(data, metric, "users", app_id), metric=metric,
                                  app_id=app_id, period=_period(data))
    except ValueError:  # too few cohorts, or months (one key: decay.NotEnoughKeys)
        return None


@derived(max_entries=128)
def projection(data: Loaded, metric: str, app_id: str, weeks: int) -> Projection | None:
    """The curve 0..``weeks`` (rate, low, high); another horizon reuses the same fit."""
    fitted = fit(data, metric, app_id)
    if fitted is None:
        return None
    return Projection(fitted.model, float(fitted.gof.get("rmse", float("nan"))),
                      int(fitted.gof.get("cohorts", 0)), fitted.project(weeks=weeks))


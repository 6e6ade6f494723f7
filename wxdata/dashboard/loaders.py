"""Cached data for the pages.

One :class:`Loaded` per :class:`LoadKey` (source, its content fingerprint, apps, periods and
their kind), cached
across sessions: ten colleagues opening the same span cause one fetch, and a toggle on a page
reruns no fetch. Each load carries a ``stamp`` of its own, and everything derived from it (tables,
fits, the pages' figures; see :func:`derived`) is cached by ``(key, stamp)``: after
``load_result.clear()`` (a refresh) or the ttl, the next load has a new stamp, so no derived cache
can serve a table of the previous load, and no figure mixes two loads.

The live source is a process-wide resource (:func:`live_source`): every session shares its clients,
hence one access token, one connection pool and one flight per (app, period).
"""

from __future__ import annotations

import hashlib
import math
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple, ParamSpec, TypeVar

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
from wxdata.config import Settings, load_settings
from wxdata.core.errors import WxDataError
from wxdata.core.goals import Goal
from wxdata.core.payload import Retention
from wxdata.core.periods import Period, PeriodKind, period_class
from wxdata.core.report import LoadResult
from wxdata.dashboard import keys
from wxdata.sources import IMPORTED_APPID, FileSource, LiveSource, Source, make_source
from wxdata.sources.demo import DEMO_GOALS

if TYPE_CHECKING:
    from streamlit.runtime.caching.cache_utils import CachedFunc

#: How long a load is reused before the source is asked again (for live data: the store, which
#: asks WeChat only for weeks due a refresh). A plain ttl is safe because of the stamps: an
#: expired load comes back with a new stamp and everything derived from it is computed again,
#: never mixed with tables of the load before. Demo and imported data reload too (cheap).
LOAD_TTL_SECONDS = 600

P = ParamSpec("P")
R = TypeVar("R")


class LoadKey(NamedTuple):
    """What to load: the source, a fingerprint of where it reads from, apps, the ISO names of
    the periods and their kind (one kind per load, as every source loads)."""

    source: str
    fingerprint: str
    app_ids: tuple[str, ...]
    periods: tuple[str, ...]
    kind: PeriodKind


@dataclass(frozen=True)
class Loaded:
    """One load of ``key``: its result, and a stamp no other load has."""

    key: LoadKey
    stamp: str
    result: LoadResult

    @classmethod
    def now(cls, key: LoadKey, result: LoadResult) -> Loaded:
        """``result``, loaded just now: it gets a new stamp."""
        return cls(key, uuid.uuid4().hex, result)

    @property
    def frame(self) -> pd.DataFrame:
        return self.result.frame

    def app_frame(self, app_id: str) -> pd.DataFrame:
        return self.frame[self.frame["app_id"] == app_id]


def _hashed_as(data: Loaded) -> tuple[LoadKey, str]:
    return data.key, data.stamp


def derived(*, max_entries: int) -> Callable[[Callable[P, R]], CachedFunc[P, R]]:
    """``st.cache_data`` for anything computed from a :class:`Loaded`: it is hashed as its key
    and stamp (cheap, and different for every load), never by its frame."""
    return st.cache_data(show_spinner=False, max_entries=max_entries,
                         hash_funcs={Loaded: _hashed_as})


@dataclass(frozen=True)
class ImportedFile:
    """One uploaded file that parsed: its payloads go to the file source."""

    name: str
    digest: str
    app_id: str
    payloads: tuple[Retention, ...]


@dataclass
class Imports:
    """The session's uploads, by content digest (the same file twice is imported once)."""

    files: dict[str, ImportedFile] = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        text = "|".join(f"{d}:{f.app_id}" for d, f in sorted(self.files.items()))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def source(self) -> FileSource:
        out = FileSource()
        for item in sorted(self.files.values(), key=lambda f: f.name):
            out.add(item.app_id, item.payloads, name=item.app_id)
        return out


def session_imports() -> Imports:
    imports = st.session_state.get(keys.IMPORTS)
    if not isinstance(imports, Imports):
        imports = st.session_state[keys.IMPORTS] = Imports()
    return imports


@st.cache_resource(show_spinner=False, on_release=lambda source: source.close())
def live_source(settings: Settings) -> LiveSource:
    """The process-wide live source for ``settings`` (frozen, so a changed secrets file makes a
    new one). Clearing the cache (``live_source.clear()``) closes what it held."""
    return LiveSource(settings)


def configured_source() -> tuple[Source, str, WxDataError | None]:
    """The source the settings ask for and a fingerprint of where it reads from (never of a
    secret). Settings that cannot be used give an empty source and the reason: no demo numbers
    that someone could take for their own."""
    try:
        settings = load_settings()
        where = f"{settings.api_base}|{settings.cache_url}|{[a.appid for a in settings.apps]}"
        fingerprint = hashlib.sha256(where.encode()).hexdigest()[:16]
        return make_source(settings, live=live_source), fingerprint, None
    except WxDataError as exc:
        return FileSource(), "", exc


def current_source(kind: str) -> tuple[Source, str, WxDataError | None]:
    """(source, fingerprint, configuration problem) for ``kind`` "configured" or "file"."""
    if kind == "file" and session_imports().files:
        imports = session_imports()
        return imports.source(), imports.fingerprint, None
    return configured_source()


def make_key(source: Source, fingerprint: str, app_ids: Sequence[str],
             periods: Sequence[Period]) -> LoadKey:
    kind = periods[0].kind if periods else "week"
    return LoadKey(source.name, fingerprint, tuple(app_ids), tuple(p.iso for p in periods), kind)


@st.cache_data(show_spinner=False, max_entries=64, ttl=LOAD_TTL_SECONDS)
def load_result(key: LoadKey, _source: Source) -> Loaded:
    """The numbers of ``key``; a refresh calls ``load_result.clear()`` so every session's next
    run loads again (and gets a new stamp)."""
    cls = period_class(key.kind)
    return Loaded.now(key, _source.load(list(key.app_ids), [cls.parse(p) for p in key.periods]))


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
    return find_anomalies(data.app_frame(app_id), metric=metric, app_id=app_id,
                          offset=offset, sigmas=ANOMALY_SIGMAS, flagged_only=False,
                          period=_period(data))


@derived(max_entries=128)
def kpis(data: Loaded, metric: str, app_id: str) -> Kpis:
    return headline_figures(data.app_frame(app_id), metric=metric, app_id=app_id,
                            period=_period(data))


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
    """The fitted decay model (the slow part: a bootstrap), or None with too few weeks."""
    try:
        return decay.fit(data.app_frame(app_id), metric=metric, app_id=app_id,
                         period=_period(data))
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


__all__ = ["IMPORTED_APPID", "ImportedFile", "Imports", "LoadKey", "Loaded"]

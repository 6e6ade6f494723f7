"""Cached data for the pages.

One :class:`LoadResult` per :class:`LoadKey` (source, its content fingerprint, apps, weeks, refresh
generation), cached across sessions: ten colleagues opening the same span cause one fetch, and a
toggle on a page reruns no fetch. Analytics are cached on top of it with the same key, so a chart
that is drawn again costs a dictionary lookup.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import pandas as pd
import streamlit as st

from wxdata.analytics import cohort, decay
from wxdata.analytics.anomalies import anomalies as find_anomalies
from wxdata.analytics.defaults import ANOMALY_SIGMAS
from wxdata.analytics.kpis import Kpis
from wxdata.analytics.kpis import kpis as headline_figures
from wxdata.config import Settings, load_settings
from wxdata.core.errors import WxDataError
from wxdata.core.payload import WeeklyRetention
from wxdata.core.report import LoadResult
from wxdata.core.weeks import Week
from wxdata.sources import IMPORTED_APPID, FileSource, LiveSource, Source, make_source

#: How long a live LoadResult is reused before the (cheap, cached) source is asked again. It is a
#: time bucket in the key, not a ttl, so that the numbers and every table and figure made from
#: them roll over together and never mix two loads.
LIVE_TTL_SECONDS = 600


class LoadKey(NamedTuple):
    source: str
    fingerprint: str
    app_ids: tuple[str, ...]
    weeks: tuple[str, ...]
    generation: int
    bucket: int = 0


@dataclass(frozen=True)
class ImportedFile:
    """One uploaded file that parsed: its payloads go to the file source."""

    name: str
    digest: str
    app_id: str
    payloads: tuple[WeeklyRetention, ...]


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
    imports = st.session_state.get("_imports")
    if not isinstance(imports, Imports):
        imports = st.session_state["_imports"] = Imports()
    return imports


@st.cache_resource
def _generation() -> dict[str, Any]:
    """A process-wide refresh counter: after one viewer refreshes, everyone reloads."""
    return {"value": 0, "lock": threading.Lock()}


def generation() -> int:
    return int(_generation()["value"])


def bump_generation() -> None:
    state = _generation()
    with state["lock"]:
        state["value"] += 1


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
             weeks: Sequence[Week]) -> LoadKey:
    bucket = int(time.time() // LIVE_TTL_SECONDS) if source.name == "live" else 0
    return LoadKey(source.name, fingerprint, tuple(app_ids), tuple(w.iso for w in weeks),
                   generation(), bucket)


@st.cache_data(show_spinner=False, max_entries=64)
def load_result(key: LoadKey, _source: Source) -> LoadResult:
    return _source.load(list(key.app_ids), [Week.parse(w) for w in key.weeks])


def frame(key: LoadKey, source: Source) -> pd.DataFrame:
    return load_result(key, source).frame


def app_frame(key: LoadKey, source: Source, app_id: str) -> pd.DataFrame:
    full = frame(key, source)
    return full[full["app_id"] == app_id]


@st.cache_data(show_spinner=False, max_entries=256)
def matrix(key: LoadKey, _source: Source, metric: str, values: str, app_id: str) -> pd.DataFrame:
    return cohort.cohort_matrix(app_frame(key, _source, app_id), metric=metric, values=values,
                                app_id=app_id)


@st.cache_data(show_spinner=False, max_entries=256)
def average(key: LoadKey, _source: Source, metric: str, app_id: str) -> pd.DataFrame:
    return cohort.average_curve(app_frame(key, _source, app_id), metric=metric, app_id=app_id)


@st.cache_data(show_spinner=False, max_entries=128)
def calendar(key: LoadKey, _source: Source, metric: str, app_id: str) -> pd.DataFrame:
    return cohort.calendar_view(app_frame(key, _source, app_id), metric=metric, app_id=app_id)


@st.cache_data(show_spinner=False, max_entries=128)
def week_over_week(key: LoadKey, _source: Source, metric: str, app_id: str) -> pd.DataFrame:
    return cohort.week_over_week(app_frame(key, _source, app_id), metric=metric, app_id=app_id)


@st.cache_data(show_spinner=False, max_entries=256)
def anomalies(key: LoadKey, _source: Source, metric: str, app_id: str,
              offset: int) -> pd.DataFrame:
    """Every judged cohort with its expected band (the chart draws the band over time)."""
    return find_anomalies(app_frame(key, _source, app_id), metric=metric, app_id=app_id,
                            offset=offset, sigmas=ANOMALY_SIGMAS, flagged_only=False)


@st.cache_data(show_spinner=False, max_entries=128)
def kpis(key: LoadKey, _source: Source, metric: str, app_id: str) -> Kpis:
    return headline_figures(app_frame(key, _source, app_id), metric=metric, app_id=app_id)


@dataclass(frozen=True)
class Projection:
    """A fitted decay curve as the pages show it: which model, how well it fits, the curve."""

    model: str
    rmse: float
    cohorts: int
    curve: pd.DataFrame

    def at(self, week: int) -> float:
        return float(self.curve["rate"].iloc[week])


@st.cache_data(show_spinner=False, max_entries=64)
def fit(key: LoadKey, _source: Source, metric: str, app_id: str) -> decay.DecayFit | None:
    """The fitted decay model (the slow part: a bootstrap), or None with too few weeks."""
    try:
        return decay.fit(app_frame(key, _source, app_id), metric=metric, app_id=app_id)
    except ValueError:
        return None


@st.cache_data(show_spinner=False, max_entries=128)
def projection(key: LoadKey, _source: Source, metric: str, app_id: str,
               weeks: int) -> Projection | None:
    """The curve 0..``weeks`` (rate, low, high); another horizon reuses the same fit."""
    fitted = fit(key, _source, metric, app_id)
    if fitted is None:
        return None
    return Projection(fitted.model, float(fitted.gof.get("rmse", float("nan"))),
                      int(fitted.gof.get("cohorts", 0)), fitted.project(weeks=weeks))


__all__ = ["IMPORTED_APPID", "ImportedFile", "Imports", "LoadKey"]

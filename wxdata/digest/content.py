"""What a digest says, per app and period, before any channel's format: the Overview's headline
sentences, the KPI table with each figure's change against the cohort before, the flagged
cohorts, the admins' notes of the last weeks (:data:`NOTES_DAYS`: a release, a campaign, an
outage that explains a figure), and the link back to the same view of the dashboard.

Every figure comes from the functions the Overview uses (``analytics.kpis``, ``anomalies``,
``decay``; ``present.narrative`` for the words), on the span the link opens
(:data:`SPANS`), so the digest and the page it links to say the same thing. A change is called a
rise or a fall only where the tests are calibrated (``narrative``: p below ``ALPHA`` with enough
history, else "within the usual noise" or "not enough history to judge").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

import pandas as pd

from wxdata.analytics import decay
from wxdata.analytics.anomalies import anomalies
from wxdata.analytics.cohort import cohort_matrix
from wxdata.analytics.defaults import ANOMALY_SIGMAS, kpi_offsets, tracked_offsets
from wxdata.analytics.kpis import Kpis, kpis
from wxdata.analytics.shifts import level_shifts
from wxdata.config import load_settings
from wxdata.core.apps import AppInfo
from wxdata.core.errors import WxDataError
from wxdata.core.notes import Note, notes_for
from wxdata.core.periods import Day, Period, PeriodKind, Week, period_class, today_cst
from wxdata.core.report import LoadResult
from wxdata.core.secrets import logger
from wxdata.i18n import Lang, t
from wxdata.present import fmt, narrative
from wxdata.sources.demo import demo_notes
from wxdata.store.admin import AdminState

log = logger("wxdata.digest")

#: The span each period's digest reads, which its link opens: presets of the sidebar (26 weeks
#: give the W1 test half a year of history; 60 days eight of each weekday for the bands).
SPANS: dict[PeriodKind, int] = {"day": 60, "week": 26, "month": 12}
#: The URL parameter of each span (``dashboard.keys``: ``days``, ``weeks``, ``months``).
SPAN_PARAMS: dict[PeriodKind, str] = {"day": "days", "week": "weeks", "month": "months"}
PROJECT_TO = 12
METRIC = "new"
#: Flagged cohorts named per app and period; the rest are counted.
SHOW_FLAGS = 3
#: How a list of names is written (Chinese: the enumeration comma).
LIST_SEPARATORS: dict[Lang, str] = {"zh": "、", "en": ", "}
#: The notes a digest repeats: those about the last four weeks (up to today).
NOTES_DAYS = 28


@dataclass(frozen=True)
class Cell:
    """One KPI: its column name, value and change against the cohort before (texts)."""

    name: str
    value: str
    change: str = fmt.DASH


@dataclass(frozen=True)
class PeriodPart:
    kind: PeriodKind
    cohort: str  # the newest cohort's label
    sentences: tuple[str, ...]
    cells: tuple[Cell, ...]
    flags: tuple[str, ...] = ()
    more_flags: int = 0
    link: str = ""
    kpi: Kpis | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class AppPart:
    app: AppInfo
    parts: tuple[PeriodPart, ...]
    missing: tuple[PeriodKind, ...] = ()  # periods without any data (said, not hidden)
    notes: tuple[Note, ...] = ()  # the admins' notes of the last NOTES_DAYS days


@dataclass(frozen=True)
class DigestContent:
    name: str
    lang: Lang
    week: str  # the week the digest is about: the last ended one
    apps: tuple[AppPart, ...]
    #: the frames the content was made of, per period (the PNGs are drawn from them)
    frames: dict[PeriodKind, pd.DataFrame] = field(default_factory=dict, repr=False,
                                                   compare=False)

    def title(self) -> str:
        return t("digest.title", self.lang, week=self.week)

    def subject(self) -> str:
        names = LIST_SEPARATORS[self.lang].join(a.app.name for a in self.apps)
        return t("digest.subject", self.lang, week=self.week, apps=names)


def link(base_url: str, app_ids: Sequence[str], kind: PeriodKind, lang: Lang,
         page: str = "") -> str:
    """The dashboard view a digest speaks of (the Overview by default), or "" without a
    ``base_url``.

    >>> link("https://wx.example.cn", ["wx1"], "day", "en")
    'https://wx.example.cn/?app=wx1&period=day&days=60&lang=en'
    """
    if not base_url:
        return ""
    query: dict[str, str] = {"app": ",".join(app_ids)}
    if kind != "week":
        query["period"] = kind
    query[SPAN_PARAMS[kind]] = str(SPANS[kind])
    query["lang"] = lang
    return f"{base_url.rstrip('/')}/{page}?{urlencode(query, safe=',')}"


def span(kind: PeriodKind) -> list[Period]:
    return list(period_class(kind).last_n(SPANS[kind]))


def _rate_change(rates: pd.DataFrame, k: int, cls: type[Period]) -> tuple[float, float]:
    """The newest published rate at ``k`` and its change against the cohort before (for days
    the same weekday a week before, as the KPIs compare them)."""
    if k not in rates.columns:
        return math.nan, math.nan
    published = rates[k].dropna()
    if published.empty:
        return math.nan, math.nan
    newest = float(published.iloc[-1])
    if cls is Day:
        before = published.get(published.index[-1] - pd.Timedelta(days=7), math.nan)
    else:
        before = published.iloc[-2] if len(published) > 1 else math.nan
    return newest, newest - float(before)


def _projection(frame: pd.DataFrame, app_id: str, cls: type[Period]) -> float:
    try:
        # the Overview's forecast: the newest cohorts' fit, whatever span the digest reads
        fitted = decay.forecast_for(frame, metric=METRIC, app_id=app_id, period=cls)
    except ValueError:  # too few cohorts
        return math.nan
    return float(fitted.project(weeks=PROJECT_TO)["rate"].iloc[PROJECT_TO])


def _cells(frame: pd.DataFrame, app_id: str, kpi: Kpis, cls: type[Period],
           lang: Lang) -> tuple[Cell, ...]:
    kind = cls.kind
    rates = cohort_matrix(frame, metric=METRIC, values="rate", app_id=app_id, period=cls)
    cells = [Cell(t(f"digest.col.size.{kind}", lang), fmt.count(kpi.latest_size, lang),
                  fmt.change(kpi.size_change))]
    for k in kpi_offsets(cls):
        rate, delta = _rate_change(rates, k, cls)
        cells.append(Cell(t("digest.col.rate", lang, offset=fmt.offset_label(kind, k, lang)),
                          fmt.pct(rate), fmt.pp(delta, lang)))
    if cls is Week:
        cells.append(Cell(t("digest.col.projected", lang, k=PROJECT_TO),
                          fmt.pct(_projection(frame, app_id, cls))))
    return tuple(cells)


def flags(frame: pd.DataFrame, app_id: str, cls: type[Period]) -> list[narrative.FlagEvent]:
    """The Overview's flagged cohorts, newest first: one line per cohort, a level shift's step
    left out (the shift is one event, not three anomalies), holidays named."""
    bands = {k: anomalies(frame, metric=METRIC, app_id=app_id, offset=k, sigmas=ANOMALY_SIGMAS,
                          flagged_only=False, period=cls) for k in tracked_offsets(cls)}
    shifts = level_shifts(frame, metric=METRIC, app_id=app_id, period=cls)
    return narrative.flag_events(bands, shifts, cls.kind)


def period_part(frame: pd.DataFrame, app_id: str, kind: PeriodKind, lang: Lang,
                base_url: str) -> PeriodPart | None:
    """One app's part for one period, or None when the frame has no cohort of it."""
    cls = period_class(kind)
    kpi = kpis(frame, metric=METRIC, app_id=app_id, period=cls)
    if kpi.latest_week is None:
        return None
    found = flags(frame, app_id, cls)
    return PeriodPart(
        kind, fmt.cohort_label(kpi.latest_week, kind, lang),
        tuple(narrative.sentences((kpi,), lang, kind, with_p=False)),  # a PM reads no p=
        _cells(frame, app_id, kpi, cls, lang),
        tuple(f.sentence(lang) for f in found[:SHOW_FLAGS]), max(0, len(found) - SHOW_FLAGS),
        link(base_url, [app_id], kind, lang), kpi)


def stored_notes(app_ids: Sequence[str]) -> list[Note]:
    """The notes of ``app_ids`` in the configured store, and the demo's own for a demo app;
    a store that cannot be read leaves the notes out (logged), never the digest."""
    demo = demo_notes()
    found: list[Note] = [n for app_id in app_ids for n in demo.get(app_id, ())]
    try:
        found += AdminState(load_settings().cache_url).notes(app_ids)
    except WxDataError as exc:
        log.warning("the digest goes without its notes: %s", exc.message("en"))
    return found


def recent_notes(notes: Sequence[Note], app_id: str, today: date | None = None) -> tuple[Note, ...]:
    today = today or today_cst()
    return tuple(notes_for(notes, app_id, today - timedelta(days=NOTES_DAYS), today))


def build(name: str, apps: Sequence[AppInfo], loads: dict[PeriodKind, LoadResult],
          lang: Lang, base_url: str, notes: Sequence[Note] | None = None) -> DigestContent:
    """The digest of ``apps`` from one load per period (``loads``, in the digest's order);
    ``notes``: the admins' (by default the store's, :func:`stored_notes`)."""
    frames = {kind: result.frame for kind, result in loads.items()}
    if notes is None:
        notes = stored_notes([a.appid for a in apps])
    parts = []
    for app in apps:
        found, missing = [], []
        for kind, frame in frames.items():
            own = frame[frame["app_id"] == app.appid]
            part = period_part(own, app.appid, kind, lang, base_url) if len(own) else None
            if part is None:
                missing.append(kind)
            else:
                found.append(part)
        parts.append(AppPart(app, tuple(found), tuple(missing), recent_notes(notes, app.appid)))
    week = Week.last_ended().label
    return DigestContent(name, lang, week, tuple(parts), frames)


__all__ = ["NOTES_DAYS", "SPANS", "AppPart", "Cell", "DigestContent", "PeriodPart", "build",
           "link", "recent_notes", "span", "stored_notes"]

"""What is worth an alert (``wxdata alert``, after each ``wxdata sync``), per digest and its
``alerts = [...]`` rules:

- ``drop``: a calibrated significant drop of a tracked offset: the newest judged cohort at
  D1/D7/D30, W1/W2/W4 or M1 below its prediction band (``analytics.anomalies``, ±3σ on the
  usual variation), or the newest offset 1 below its baseline by the KPI test (p < ALPHA);
- ``goal``: the newest published figure below its goal (``goals = { new_w1 = 0.25 }`` of the
  app's ``[[wxdata.apps]]`` table, or of the digest's own; :mod:`wxdata.core.goals`);
- ``data``: the data itself failing: WeChat refused the app in the last three sync runs in a row,
  or the last run met the daily quota or a refused AppSecret (those at once).

Each alert has a key (digest, rule, app, period): the cohort and offset (``2026-W47 W1``), or
the day of the run for data alerts (``2026-12-01 quota``). The sent-state
(:class:`~wxdata.store.sent.AlertState`) makes sure each key is sent once, whichever process
or host runs the command.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from wxdata.analytics.anomalies import anomalies
from wxdata.analytics.defaults import ANOMALY_SIGMAS, tracked_offsets
from wxdata.analytics.goals import judge
from wxdata.analytics.kpis import kpis
from wxdata.config import DigestConfig
from wxdata.core.apps import AppInfo
from wxdata.core.errors import CredentialError, QuotaError
from wxdata.core.goals import Goal
from wxdata.core.periods import PeriodKind, now_cst, period_class
from wxdata.core.report import LoadResult
from wxdata.digest.content import METRIC
from wxdata.i18n import Lang, t
from wxdata.present import fmt, narrative
from wxdata.store.sent import AlertState, Run

#: How many failed sync runs in a row make a data alert.
FAILED_RUNS = 3


@dataclass(frozen=True)
class Alert:
    digest: str
    rule: str
    app: AppInfo
    period: str
    text: str

    @property
    def key(self) -> tuple[str, str, str, str]:
        return self.digest, self.rule, self.app.appid, self.period


def _frame(loads: dict[PeriodKind, LoadResult], kind: PeriodKind, app_id: str) -> pd.DataFrame:
    frame = loads[kind].frame
    return frame[frame["app_id"] == app_id]


def drops(digest: DigestConfig, app: AppInfo, loads: dict[PeriodKind, LoadResult],
          lang: Lang) -> list[Alert]:
    found: dict[str, Alert] = {}
    for kind in loads:
        cls, frame = period_class(kind), _frame(loads, kind, app.appid)
        if frame.empty:
            continue
        for k in tracked_offsets(cls):
            band = anomalies(frame, metric=METRIC, app_id=app.appid, offset=k,
                             sigmas=ANOMALY_SIGMAS, flagged_only=False, period=cls)
            if band.empty:
                continue
            newest = band.iloc[-1]
            if bool(newest["flagged"]) and float(newest["rate"]) < float(newest["expected"]):
                cohort = cls.containing(pd.Timestamp(band.index[-1]).date())
                flag = narrative.Flag(cohort, k, float(newest["rate"]),
                                      float(newest["expected"]))
                period = f"{cohort.iso} {cls.offset_name(k)}"
                found[period] = Alert(digest.name, "drop", app, period, flag.sentence(lang))
        kpi = kpis(frame, metric=METRIC, app_id=app.appid, period=cls)
        if narrative.significant(kpi) and kpi.w1_delta < 0 and kpi.w1_week is not None:
            cohort = cls.containing(pd.Timestamp(kpi.w1_week).date())
            period = f"{cohort.iso} {cls.offset_name(1)}"
            text = narrative.w1_sentence(kpi, lang, kind) or ""
            found.setdefault(period, Alert(digest.name, "drop", app, period, text))
    return list(found.values())


def goals(digest: DigestConfig, app: AppInfo, loads: dict[PeriodKind, LoadResult],
          lang: Lang, app_goals: Sequence[Goal] = ()) -> list[Alert]:
    """A goal missed by the newest cohort with its offset (:func:`wxdata.analytics.goals.judge`):
    the app's own goals (``[[wxdata.apps]] goals``) and the digest's."""
    found = []
    for goal in (*app_goals, *digest.goals):
        if goal.kind not in loads:
            continue
        verdict = judge(_frame(loads, goal.kind, app.appid), goal, app_id=app.appid)
        if verdict.met is not False or verdict.cohort is None:
            continue
        cls = period_class(goal.kind)
        cohort = cls.containing(verdict.cohort.date())
        metric = t(f"metric.{goal.metric}.short", lang)
        found.append(Alert(digest.name, "goal", app,
                           f"{cohort.iso} {goal.metric} {cls.offset_name(goal.offset)}",
                           t("digest.alert.goal", lang, who=metric,
                             offset=fmt.offset_label(goal.kind, goal.offset, lang),
                             cohort=fmt.cohort_label(cohort.start, goal.kind, lang),
                             rate=fmt.pct(verdict.rate), goal=fmt.pct(goal.target),
                             n=verdict.run)))
    return found


def outcome(result: LoadResult, app_id: str) -> tuple[str, int | None]:
    """How a sync run ended for one app: ok, refused (some cohort failed), quota, credential."""
    stop = result.stopped_by
    if isinstance(stop, QuotaError):
        return "quota", stop.errcode
    if isinstance(stop, CredentialError):
        return "credential", stop.errcode
    failed = [r for r in result.reports if r.app_id == app_id and not r.has_data
              and r.error is not None]
    if failed:
        return "refused", failed[0].errcode
    return "ok", None


def data(digest: DigestConfig, app: AppInfo, runs: Sequence[Run],
         own: Sequence[tuple[str, int | None]], lang: Lang) -> list[Alert]:
    """From the last sync runs (newest first) and this command's own loads' outcomes."""
    day = now_cst().date().isoformat()
    newest = [(r.outcome, r.errcode) for r in runs[:1]] + list(own)
    for what, errcode in newest:
        if what in ("quota", "credential"):
            return [Alert(digest.name, "data", app, f"{day} {what}",
                          t(f"digest.alert.data.{what}", lang, app=app.name,
                            errcode="-" if errcode is None else errcode))]
    if len(runs) >= FAILED_RUNS and all(r.outcome != "ok" for r in runs[:FAILED_RUNS]):
        errcode = runs[0].errcode
        return [Alert(digest.name, "data", app, f"{day} refused",
                      t("digest.alert.data.refused", lang, app=app.name, n=FAILED_RUNS,
                        errcode="-" if errcode is None else errcode))]
    return []


def find(digest: DigestConfig, apps: Sequence[AppInfo], loads: dict[PeriodKind, LoadResult],
         state: AlertState | None, lang: Lang,
         app_goals: Mapping[str, Sequence[Goal]] | None = None) -> list[Alert]:
    """Every alert of ``digest``'s rules for ``apps`` now (sent or not); ``app_goals``: each
    app's own goals by appid (``Settings.goals``)."""
    found: list[Alert] = []
    for app in apps:
        if "drop" in digest.alerts:
            found += drops(digest, app, loads, lang)
        if "goal" in digest.alerts:
            found += goals(digest, app, loads, lang, (app_goals or {}).get(app.appid, ()))
        if "data" in digest.alerts:
            runs = state.runs(app.appid, FAILED_RUNS) if state is not None else []
            own = [outcome(result, app.appid) for result in loads.values()]
            found += data(digest, app, runs, own, lang)
    return found


__all__ = ["FAILED_RUNS", "Alert", "data", "drops", "find", "goals", "outcome"]

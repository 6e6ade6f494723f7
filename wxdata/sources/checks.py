"""Checks of the live data beside the load: is the quota enough for what a load would ask, and
does each period's visit trend agree with its retention?

**Quota before a long load.** :func:`quota_shortfall` counts the calls a load would make (the
periods the store cannot serve, :func:`~wxdata.sources.fetch.calls_needed`) and asks WeChat's
quota API what is left today of the period's API. A load that would need more says so before
it starts (the CLI refuses it, naming both counts) instead of spending the rest of the
company's quota on half a span. When the quota API itself cannot answer (not granted, down),
nothing is refused: the load's own 45009 handling still keeps what was fetched. A refused
AppSecret or IP, the daily quota itself or an errcode not known is raised
(:data:`QUOTA_API_REFUSALS`).

**Consistency.** :func:`visit_trend` asks the visit trend of each period (one call each, off
unless an admin asks for it), and :func:`compare` lines its new and active users up with
retention's key 0: any difference is shown, never hidden. :func:`stored_visit_trend` serves
the answers from the store (:class:`~wxdata.store.admin.AdminState`, cached like retention: a
final period is never asked again) and asks only for the rest, when told to.

**The Data page's quota table.** :func:`quota_table`: what is left today of each API a load or
the check calls (retention and visit trend of every period), one quota call per API.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd

from wxdata.core.errors import PermanentError, TransientError, WxDataError
from wxdata.core.periods import PERIODS, Period, PeriodKind
from wxdata.core.secrets import logger
from wxdata.core.visits import VISIT_PATHS, Visits
from wxdata.sources.fetch import calls_needed
from wxdata.sources.live import LiveSource
from wxdata.store.admin import AdminState

log = logger("wxdata.sources.checks")

#: Refusals of the quota API itself (not granted to this account; a path it does not know, or
#: a token of another account: reported 76021, 76022): the check is skipped, the load goes on.
#: Anything else (a refused AppSecret or IP, the daily quota, an unknown errcode) is raised,
#: since the load's first call would meet it too.
QUOTA_API_REFUSALS = frozenset({48001, 76021, 76022})


@dataclass(frozen=True)
class Shortfall:
    """``app_id`` would need ``needed`` calls of ``kind``'s API; ``remain`` are left today."""

    app_id: str
    kind: PeriodKind
    needed: int
    remain: int


def quota_shortfall(source: LiveSource, app_ids: Sequence[str], periods: Sequence[Period], *,
                    refresh: bool = False) -> list[Shortfall]:
    """The apps whose load of ``periods`` would need more calls than their quota has left."""
    if not periods:
        return []
    settings, kind = source.settings, periods[0].kind
    short = []
    for app_id in app_ids:
        needed = len(calls_needed(source.cache, app_id, periods, refresh=refresh,
                                  refresh_interval=settings.refresh_interval,
                                  refresh_cooldown=settings.refresh_cooldown))
        if needed == 0:
            continue
        try:
            quota = source.client(settings.app(app_id)).quota(periods[0].API_PATH)
        except (TransientError, PermanentError) as exc:
            if isinstance(exc, PermanentError) and exc.errcode not in QUOTA_API_REFUSALS:
                raise  # not the quota API's own refusal: the load would meet it too
            # the quota API is a courtesy: never a reason to refuse
            log.warning("%s: quota not known (%s, errcode %s); loading without the check",
                        app_id, exc.code, exc.errcode)
            continue
        if needed > quota.remain:
            short.append(Shortfall(app_id, kind, needed, quota.remain))
    return short


def visit_trend(source: LiveSource, app_id: str,
                periods: Sequence[Period]) -> tuple[list[Visits], list[tuple[Period, WxDataError]]]:
    """The visit trend of each period (one call each): those answered, and those that failed
    with why."""
    client = source.client(source.settings.app(app_id))
    answered, failed = [], []
    for period in periods:
        try:
            answered.append(client.visits(period))
        except WxDataError as exc:
            failed.append((period, exc))
    return answered, failed


def compare(frame: pd.DataFrame, visits: Sequence[Visits], app_id: str) -> pd.DataFrame:
    """One row per (cohort, metric) of ``visits``: retention's key 0 (``retention``, from the
    tidy ``frame``), the visit trend's count (``visits``), ``difference`` (visits - retention)
    and ``agree``. A cohort retention lacks has ``retention`` NaN and does not agree."""
    own = frame[(frame["app_id"] == app_id) & (frame["offset"] == 0)]
    key0 = {(pd.Timestamp(s), m): int(u) for s, m, u in
            zip(own["cohort_start"], own["metric"], own["users"], strict=True)}
    rows = []
    for v in visits:
        start = pd.Timestamp(v.period.start)
        for metric, count in (("new", v.new_users), ("active", v.active_users)):
            base = key0.get((start, metric))
            rows.append({"cohort_start": start, "metric": metric,
                         "retention": float("nan") if base is None else base, "visits": count,
                         "difference": float("nan") if base is None else count - base,
                         "agree": base == count})
    columns = ["cohort_start", "metric", "retention", "visits", "difference", "agree"]
    return pd.DataFrame(rows, columns=columns)


def stored_visit_trend(source: LiveSource, state: AdminState, app_id: str,
                       periods: Sequence[Period], *, ask: bool = False,
                       now: datetime | None = None,
                       ) -> tuple[list[Visits], list[tuple[Period, WxDataError]], list[Period]]:
    """The visit trends of ``periods`` the store can serve, and with ``ask`` those it cannot,
    asked (one call each) and stored; then the failures, and the periods still not known."""
    now = now or datetime.now(UTC)
    known = state.fresh_visits(app_id, periods, now, source.settings.refresh_interval)
    missing = [p for p in periods if p not in known]
    failed: list[tuple[Period, WxDataError]] = []
    if ask and missing:
        answered, failed = visit_trend(source, app_id, missing)
        state.put_visits(app_id, answered, now)
        known.update({v.period: v for v in answered})
        missing = [p for p in missing if p not in known]
    return [known[p] for p in periods if p in known], failed, missing


#: The APIs the quota table names: each period's retention, then its visit trend.
QUOTA_APIS: tuple[tuple[str, PeriodKind, str], ...] = (
    *(("retention", kind, cls.API_PATH) for kind, cls in PERIODS.items()),
    *(("visits", kind, path) for kind, path in VISIT_PATHS.items()),
)


def quota_table(source: LiveSource, app_ids: Sequence[str]) -> pd.DataFrame:
    """One row per (app, API): ``daily_limit``, ``used``, ``remain``, or the ``error`` code
    when the quota API cannot say (not granted, down)."""
    rows = []
    for app_id in app_ids:
        client = source.client(source.settings.app(app_id))
        for api, kind, path in QUOTA_APIS:
            row: dict[str, object] = {"app_id": app_id, "api": api, "kind": kind, "path": path}
            try:
                quota = client.quota(path)
            except WxDataError as exc:
                row.update(daily_limit=None, used=None, remain=None, error=exc.key)
            else:
                row.update(daily_limit=quota.daily_limit, used=quota.used,
                           remain=quota.remain, error="")
            rows.append(row)
    return pd.DataFrame(rows, columns=["app_id", "api", "kind", "path", "daily_limit", "used",
                                       "remain", "error"])


__all__ = ["QUOTA_APIS", "QUOTA_API_REFUSALS", "Shortfall", "compare", "quota_shortfall",
           "quota_table", "stored_visit_trend", "visit_trend"]

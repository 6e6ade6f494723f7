"""What every source promises: ``apps()`` and ``load(app_ids, periods)`` (days, weeks or months)
returning a
:class:`~wxdata.core.report.LoadResult`, so nothing above the sources knows which one it has.

The demo and file sources hold their payloads in memory and answer through :func:`serve`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Literal, Protocol

from wxdata.core import tidy
from wxdata.core.apps import AppInfo
from wxdata.core.errors import NoDataError
from wxdata.core.payload import Retention
from wxdata.core.periods import Period
from wxdata.core.report import LoadResult, PeriodReport, ProgressFn

SourceName = Literal["demo", "live", "file"]


class Source(Protocol):
    name: SourceName

    def apps(self) -> tuple[AppInfo, ...]: ...

    def load(
        self,
        app_ids: Sequence[str],
        periods: Sequence[Period],
        *,
        refresh: bool = False,
        progress: ProgressFn | None = None,
    ) -> LoadResult: ...


def serve(
    app_ids: Sequence[str],
    periods: Sequence[Period],
    lookup: dict[str, dict[Period, Retention]],
    missing: NoDataError | None,
    fetched_at: datetime,
    now: datetime | None,
) -> LoadResult:
    """Reports and frame for payloads already in memory (demo and file sources)."""
    reports, frames = [], []
    for app_id in app_ids:
        have = lookup.get(app_id, {})
        found = [have[w] for w in periods if w in have]
        frames.append(tidy.to_frame(app_id, found))
        for period in periods:
            final = period.is_final(now)
            if period in have:
                reports.append(PeriodReport(app_id, period, "supplied", final, fetched_at,
                                          above_base=have[period].above_base()))
            else:
                reason = missing.copy(week=period.label) if missing else None  # names its period
                reports.append(PeriodReport(app_id, period, "missing", final, None, reason))
    return LoadResult(tidy.concat(frames), tuple(reports))



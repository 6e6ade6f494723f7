"""What every source promises: ``apps()`` and ``load(app_ids, weeks)`` returning a
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
from wxdata.core.payload import WeeklyRetention
from wxdata.core.report import LoadResult, ProgressFn, WeekReport
from wxdata.core.weeks import Week

SourceName = Literal["demo", "live", "file"]


class Source(Protocol):
    name: SourceName

    def apps(self) -> tuple[AppInfo, ...]: ...

    def load(
        self,
        app_ids: Sequence[str],
        weeks: Sequence[Week],
        *,
        refresh: bool = False,
        progress: ProgressFn | None = None,
    ) -> LoadResult: ...


def serve(
    app_ids: Sequence[str],
    weeks: Sequence[Week],
    lookup: dict[str, dict[Week, WeeklyRetention]],
    missing: NoDataError | None,
    fetched_at: datetime,
    now: datetime | None,
) -> LoadResult:
    """Reports and frame for payloads already in memory (demo and file sources)."""
    reports, frames = [], []
    for app_id in app_ids:
        have = lookup.get(app_id, {})
        found = [have[w] for w in weeks if w in have]
        frames.append(tidy.to_frame(app_id, found))
        for week in weeks:
            final = week.is_final(now)
            if week in have:
                reports.append(WeekReport(app_id, week, "supplied", final, fetched_at,
                                          above_base=have[week].above_base()))
            else:
                reason = missing.copy(week=week.label) if missing else None  # names its week
                reports.append(WeekReport(app_id, week, "missing", final, None, reason))
    return LoadResult(tidy.concat(frames), tuple(reports))



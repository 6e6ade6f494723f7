"""What a load returns besides the numbers: one :class:`PeriodReport` per (app, cohort period).

Every source (demo, file, live) returns a :class:`LoadResult`, so the dashboard and the CLI
describe freshness and failures the same way whatever the data came from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

import pandas as pd

from wxdata.core.errors import WxDataError
from wxdata.core.periods import Period
from wxdata.core.tidy import empty_frame
from wxdata.i18n import DEFAULT_LANG, Lang

#: cached: served from the cache; fetched: asked from WeChat now; failed: no data for the cohort;
#: supplied: came with the source itself (demo data, an imported file);
#: missing: the source has nothing for this cohort and nothing went wrong (outside a file's span).
Status = Literal["cached", "fetched", "failed", "supplied", "missing"]
#: (done, total) after each cohort; called from worker threads.
ProgressFn = Callable[[int, int], None]


@dataclass(frozen=True)
class PeriodReport:
    app_id: str
    period: Period
    status: Status
    final: bool
    fetched_at: datetime | None = None
    error: WxDataError | None = None
    #: (metric, offset) cells above the cohort's own week: a rate over 100% (kept, but said)
    above_base: tuple[tuple[str, int], ...] = ()

    @property
    def has_data(self) -> bool:
        return self.status in ("cached", "fetched", "supplied")

    @property
    def errcode(self) -> int | None:
        return getattr(self.error, "errcode", None)

    def reason(self, lang: Lang = DEFAULT_LANG) -> str:
        return self.error.message(lang) if self.error else ""


@dataclass(frozen=True)
class LoadResult:
    frame: pd.DataFrame = field(default_factory=empty_frame)
    reports: tuple[PeriodReport, ...] = ()
    #: an error that stopped the whole run (bad credentials, daily quota), if any
    stopped_by: WxDataError | None = None

    @property
    def failed(self) -> tuple[PeriodReport, ...]:
        return tuple(r for r in self.reports if r.status == "failed")

    @property
    def provisional(self) -> tuple[PeriodReport, ...]:
        return tuple(r for r in self.reports if r.has_data and not r.final)

    @property
    def ok(self) -> bool:
        return not self.failed and self.stopped_by is None

    def fetched_range(self) -> tuple[datetime, datetime] | None:
        """Oldest and newest fetch time of the cohorts that have data."""
        times = [r.fetched_at for r in self.reports if r.fetched_at is not None]
        return (min(times), max(times)) if times else None

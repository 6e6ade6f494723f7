"""Payloads imported from saved WeChat answers (API or cloud-call JSON), held in memory."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from wxdata.core.apps import AppInfo
from wxdata.core.errors import NoDataError
from wxdata.core.payload import Retention
from wxdata.core.periods import DEFAULT_PERIOD, Period, PeriodKind, now_cst
from wxdata.core.report import LoadResult, ProgressFn
from wxdata.sources.base import SourceName, serve

#: The app id files are filed under when nobody says which mini program they belong to.
IMPORTED_APPID = "imported"


@dataclass
class FileSource:
    """Payloads imported from saved API or cloud-call JSON (the newest import of a period wins)."""

    payloads: dict[str, dict[Period, Retention]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    imported_at: datetime = field(default_factory=now_cst)
    now: datetime | None = None
    name: SourceName = "file"

    def add(self, app_id: str, payloads: Iterable[Retention], name: str = "") -> None:
        bucket = self.payloads.setdefault(app_id, {})
        bucket.update({p.period: p for p in payloads})
        self.names.setdefault(app_id, name or app_id)

    def apps(self) -> tuple[AppInfo, ...]:
        return tuple(AppInfo(self.names.get(a, a), a) for a in sorted(self.payloads))

    def periods(self, kind: PeriodKind = DEFAULT_PERIOD) -> list[Period]:
        """Every cohort of ``kind`` any imported file covers, oldest first."""
        return sorted({p for bucket in self.payloads.values() for p in bucket if p.kind == kind})

    def load(self, app_ids: Sequence[str], periods: Sequence[Period], *, refresh: bool = False,
             progress: ProgressFn | None = None) -> LoadResult:
        missing = NoDataError("not_in_file", week="")
        return serve(app_ids, periods, self.payloads, missing, self.imported_at, self.now)

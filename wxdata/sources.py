"""Where the numbers come from: demo (synthetic), file (imported payloads), live (WeChat + cache).

All three answer ``load(app_ids, weeks)`` with a :class:`~wxdata.report.LoadResult` holding the
same tidy frame and a report per (app, week), so nothing above this module knows which it has.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

from wxdata import demo, tidy
from wxdata.config import Settings
from wxdata.errors import NoDataError
from wxdata.payload import WeeklyRetention
from wxdata.report import LoadResult, ProgressFn, WeekReport
from wxdata.weeks import Week, now_cst

SourceName = Literal["demo", "live", "file"]
IMPORTED_APPID = "imported"


@dataclass(frozen=True)
class AppInfo:
    """A mini program as the dashboard lists it (never carries the secret)."""

    name: str
    appid: str

    @property
    def label(self) -> str:
        return self.name if self.name == self.appid else f"{self.name} · {self.appid}"


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


def _serve(
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
                reports.append(WeekReport(app_id, week, "supplied", final, fetched_at))
            else:
                reports.append(WeekReport(app_id, week, "missing", final, None, missing))
    return LoadResult(tidy.concat(frames), tuple(reports))


@dataclass
class DemoSource:
    """Two synthetic mini programs over the last two years; needs no configuration."""

    now: datetime | None = None
    name: SourceName = "demo"

    def apps(self) -> tuple[AppInfo, ...]:
        return tuple(AppInfo(app.name, app.appid) for app in demo.DEMO_APPS)

    def load(self, app_ids: Sequence[str], weeks: Sequence[Week], *, refresh: bool = False,
             progress: ProgressFn | None = None) -> LoadResult:
        first, newest = demo.demo_window(self.now)
        known = {app.appid: app for app in demo.DEMO_APPS}
        lookup = {
            appid: {w: demo.demo_payload(known[appid], w, newest, self.now)
                    for w in weeks if first <= w <= newest}
            for appid in app_ids if appid in known
        }
        missing = NoDataError("demo_out_of_range", first=first.label, week="")
        result = _serve(app_ids, weeks, lookup, missing, self.now or now_cst(), self.now)
        if progress is not None:
            progress(len(weeks) * len(app_ids), len(weeks) * len(app_ids))
        return result


@dataclass
class FileSource:
    """Payloads imported from saved API or cloud-call JSON (the newest import of a week wins)."""

    payloads: dict[str, dict[Week, WeeklyRetention]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    imported_at: datetime = field(default_factory=now_cst)
    now: datetime | None = None
    name: SourceName = "file"

    def add(self, app_id: str, payloads: Iterable[WeeklyRetention], name: str = "") -> None:
        bucket = self.payloads.setdefault(app_id, {})
        bucket.update({p.week: p for p in payloads})
        self.names.setdefault(app_id, name or app_id)

    def apps(self) -> tuple[AppInfo, ...]:
        return tuple(AppInfo(self.names.get(a, a), a) for a in sorted(self.payloads))

    def weeks(self) -> list[Week]:
        """Every week any imported file covers, oldest first."""
        return sorted({w for bucket in self.payloads.values() for w in bucket})

    def load(self, app_ids: Sequence[str], weeks: Sequence[Week], *, refresh: bool = False,
             progress: ProgressFn | None = None) -> LoadResult:
        missing = NoDataError("not_in_file", week="")
        return _serve(app_ids, weeks, self.payloads, missing, self.imported_at, self.now)


def make_source(settings: Settings) -> Source:
    """The source the settings ask for: demo without configured apps, else live."""
    if settings.source == "demo":
        return DemoSource()
    from wxdata.live import LiveSource  # imports requests and sqlite only when live is used

    return LiveSource.shared(settings)

"""What every store keeps and promises: validated weekly payloads keyed (app_id, week), and
when a stored week is good enough to serve without asking WeChat.

A stored week (:class:`CachedWeek`) remembers when it was fetched (UTC) and whether the week was
already final then. :meth:`CachedWeek.is_fresh`:

- fetched after the week became final (Monday + 36 days, 00:00 UTC+8): forever;
- fetched while provisional, and the week is final now: no, fetch it once more for the last key;
- otherwise: while younger than the refresh interval (6 h by default).

Only validated payloads are ever written: failures, tokens and secrets never are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from wxdata.core.payload import WeeklyRetention
from wxdata.core.weeks import Week


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class CachedWeek:
    """One stored week. ``final``: fetched after the week had become final."""

    app_id: str
    payload: WeeklyRetention
    fetched_at: datetime
    final: bool

    @property
    def week(self) -> Week:
        return self.payload.week

    def is_fresh(self, now: datetime, refresh_interval: timedelta) -> bool:
        """Good enough to serve without asking WeChat (see the module docstring)."""
        if self.final:
            return True
        if self.week.is_final(now):
            return False  # final since it was fetched: the last key is worth one more call
        return now - self.fetched_at < refresh_interval


@dataclass(frozen=True)
class CacheInfo:
    path: str
    size: int
    weeks_per_app: dict[str, int] = field(default_factory=dict)
    final: int = 0
    provisional: int = 0
    oldest_fetch: datetime | None = None
    newest_fetch: datetime | None = None

    @property
    def weeks(self) -> int:
        return self.final + self.provisional

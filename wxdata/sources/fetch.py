"""A span of cohorts (days, weeks or months) for one mini program: cache first, concurrent misses,
one report per cohort.

>>> from wxdata.config import AppConfig
>>> from wxdata.core.periods import last_n_weeks
>>> from wxdata.store import open_store
>>> from wxdata.testing.fake import FAKE_APPID, FAKE_SECRET, FakeWeChat
>>> from wxdata.wechat.client import WeChatClient
>>> app, weeks = AppConfig("demo", FAKE_APPID, FAKE_SECRET), last_n_weeks(3)
>>> with (FakeWeChat() as fake, open_store("sqlite:///:memory:") as store,
...       WeChatClient(app, api_base=fake.url) as client):
...     first = fetch_span(client, store, app.appid, weeks, progress=print)
...     again = fetch_span(client, store, app.appid, weeks)
1 3
2 3
3 3
>>> [r.status for r in first.reports], [r.status for r in again.reports], client.calls
(['fetched', 'fetched', 'fetched'], ['cached', 'cached', 'cached'], 3)

Rules, in the order they apply to a cohort (a day, week or month; the examples say week):

- a fresh cached copy is served without a call (:meth:`CachedPeriod.is_fresh`); ``refresh=True``
  asks again for every week that is not final (a final copy never changes, so it is never asked
  for again: that is quota kept for everyone else on the same AppID) and was not fetched within
  ``refresh_cooldown`` (so that repeated refreshes, from any session or process, cost one round);
- misses are fetched by ``concurrency`` threads; inside the process one call per (API, store, app,
  week) is in flight at a time, and whoever asks meanwhile gets that call's payload or error;
- across processes sharing a store (replicas on one PostgreSQL), the call is made while holding
  the store's lock of the week (:meth:`Store.exclusive`), after looking in the store once more:
  N replicas opening the same cold span cost one call per week, not N;
- a credential or daily-quota error (``stops_run``) stops the run: no further call, the remaining
  weeks are reported failed with that error, and what was fetched is kept (it is cached already);
- a week whose refetch fails but that has a cached copy is served from it (``cached``, with the
  error noted): nothing fetched once is lost to a bad minute.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from wxdata.config import DEFAULT_CONCURRENCY, DEFAULT_REFRESH_INTERVAL
from wxdata.core import tidy
from wxdata.core.errors import ApiError, CacheError, WxDataError
from wxdata.core.flight import SingleFlight
from wxdata.core.payload import Retention
from wxdata.core.periods import Period
from wxdata.core.report import LoadResult, PeriodReport, ProgressFn, Status
from wxdata.store import CachedPeriod, Store, utc_now

Clock = Callable[[], datetime]


class RetentionClient(Protocol):
    """What :func:`fetch_span` needs of :class:`wxdata.wechat.client.WeChatClient`."""

    def retention(self, period: Period) -> Retention: ...


@dataclass(frozen=True)
class _Got:
    """A period's data as one flight delivers it to everyone waiting on it."""

    entry: CachedPeriod
    status: Status  # "fetched", or "cached" when another run had just stored it
    note: WxDataError | None = None  # fetched but not cached (the cache file is unwritable)


FlightKey = tuple[str, str, str, Period]
#: One call per (API, store, app, period) in flight in the whole process.
_FLIGHTS: SingleFlight[FlightKey, _Got] = SingleFlight()


def _good_enough(entry: CachedPeriod | None, now: datetime, interval: timedelta,
                 started: datetime, refresh: bool, cooldown: timedelta) -> bool:
    """The store's copy serves: fresh enough, and for a refresh fetched after it began (another
    run may just have made one) or within the cooldown before it."""
    since = started - cooldown if refresh else None
    return entry is not None and entry.is_fresh(now, interval, refreshed_after=since)


class _Run:
    """The state one :func:`fetch_span` call shares between its worker threads."""

    def __init__(self, client: RetentionClient, cache: Store, app_id: str, *, refresh: bool,
                 refresh_interval: timedelta, refresh_cooldown: timedelta, clock: Clock,
                 progress: ProgressFn | None, total: int) -> None:
        self.client, self.cache, self.app_id = client, cache, app_id
        self.refresh, self.interval, self.clock = refresh, refresh_interval, clock
        self.cooldown = refresh_cooldown
        self.started = clock()
        self._progress, self._total, self._done = progress, total, 0
        self._lock = threading.Lock()
        self.stopped_by: WxDataError | None = None
        # Flights are shared by runs that talk to the same API and write to the same cache.
        scope = str(getattr(client, "api_base", id(client)))
        self._scope = (scope, cache.scope)

    def good_enough(self, entry: CachedPeriod | None) -> bool:
        return _good_enough(entry, self.clock(), self.interval, self.started, self.refresh,
                            self.cooldown)

    def tick(self) -> None:
        # Under the lock, so the callback sees (done, total) in order whatever thread calls.
        with self._lock:
            self._done += 1
            if self._progress is not None:
                self._progress(self._done, self._total)

    def stop(self, exc: WxDataError) -> None:
        with self._lock:
            if self.stopped_by is None:
                self.stopped_by = exc

    def check_stopped(self, period: Period) -> None:
        stopped = self.stopped_by
        if stopped is not None:
            raise stopped.copy(week=period.label)

    def served(self, entry: CachedPeriod, status: Status = "cached",
               error: WxDataError | None = None) -> tuple[PeriodReport, Retention]:
        report = PeriodReport(self.app_id, entry.period, status, entry.final, entry.fetched_at,
                              error, entry.payload.above_base())
        return report, entry.payload

    def failed(self, period: Period, error: WxDataError) -> tuple[PeriodReport, None]:
        return PeriodReport(self.app_id, period, "failed", period.is_final(self.clock()), None,
                          error), None

    def fetch(self, period: Period, stale: CachedPeriod | None
              ) -> tuple[PeriodReport, Retention | None]:
        """One missing (or stale) period: asked for once however many runs want it."""
        try:
            self.check_stopped(period)
            got = _FLIGHTS.run((*self._scope, self.app_id, period), lambda: self._ask(period))
            return self.served(got.entry, got.status, got.note)
        except WxDataError as exc:
            if isinstance(exc, ApiError) and exc.stops_run:
                self.stop(exc)
            return self.served(stale, "cached", exc) if stale else self.failed(period, exc)
        finally:
            self.tick()

    def _ask(self, period: Period) -> _Got:
        # Stored before the lock is let go, so that whoever waited for it finds the period.
        with self.cache.exclusive(self.app_id, period):
            # Whoever held the period before (the previous flight here, or another process) has
            # stored it by now: no second call.
            entry = self.cache.get(self.app_id, period)
            if entry is not None and self.good_enough(entry):
                return _Got(entry, "cached")
            self.check_stopped(period)
            payload = self._call(period)
            fetched_at = self.clock()
            try:
                return _Got(self.cache.put(self.app_id, payload, fetched_at), "fetched")
            except CacheError as exc:  # the numbers are right; only keeping them failed
                return _Got(CachedPeriod.of(self.app_id, payload, fetched_at), "fetched", exc)


    def _call(self, period: Period) -> Retention:
        try:
            return self.client.retention(period)
        except ApiError as exc:
            # Stop the run now, not once the period's lock is let go (a round trip to a shared
            # store): a worker between two calls must not start another meanwhile.
            if exc.stops_run:
                self.stop(exc)
            raise


def fetch_span(
    client: RetentionClient,
    cache: Store,
    app_id: str,
    periods: Sequence[Period],
    *,
    refresh: bool = False,
    refresh_interval: timedelta = DEFAULT_REFRESH_INTERVAL,
    refresh_cooldown: timedelta = timedelta(0),
    concurrency: int = DEFAULT_CONCURRENCY,
    progress: ProgressFn | None = None,
    clock: Clock = utc_now,
) -> LoadResult:
    """Every period of ``periods`` for ``app_id``: the tidy frame of those with data, and a report
    per period in the order given. Raises only :class:`CacheError` (the store cannot be read)."""
    wanted = list(dict.fromkeys(periods))
    run = _Run(client, cache, app_id, refresh=refresh, refresh_interval=refresh_interval,
               refresh_cooldown=refresh_cooldown, clock=clock, progress=progress,
               total=len(wanted))
    stored = cache.get_many(app_id, wanted)
    outcomes: dict[Period, tuple[PeriodReport, Retention | None]] = {}
    for period in wanted:
        if run.good_enough(stored.get(period)):
            outcomes[period] = run.served(stored[period])
            run.tick()
    misses = [w for w in wanted if w not in outcomes]
    if misses:
        workers = max(1, min(concurrency, len(misses)))
        with ThreadPoolExecutor(workers, thread_name_prefix=f"wxdata-fetch-{app_id}") as pool:
            done = pool.map(lambda w: run.fetch(w, stored.get(w)), misses)
            outcomes.update(zip(misses, done, strict=True))
    payloads = [p for w in wanted if (p := outcomes[w][1]) is not None]
    reports = tuple(outcomes[w][0] for w in wanted)
    return LoadResult(tidy.to_frame(app_id, payloads), reports, run.stopped_by)


def calls_needed(
    cache: Store,
    app_id: str,
    periods: Sequence[Period],
    *,
    refresh: bool = False,
    refresh_interval: timedelta = DEFAULT_REFRESH_INTERVAL,
    refresh_cooldown: timedelta = timedelta(0),
    clock: Clock = utc_now,
) -> list[Period]:
    """The periods :func:`fetch_span` with the same arguments would ask WeChat for now (the
    store's copy of the others is good enough): each costs at least one call of the quota."""
    wanted = list(dict.fromkeys(periods))
    stored, now = cache.get_many(app_id, wanted), clock()
    return [period for period in wanted if not _good_enough(
        stored.get(period), now, refresh_interval, now, refresh, refresh_cooldown)]


__all__ = ["RetentionClient", "calls_needed", "fetch_span"]

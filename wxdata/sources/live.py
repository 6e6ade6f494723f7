"""The live source: WeChat through the cache, for every configured mini program.

One instance is safe to share between threads: everyone who shares it shares its clients, hence
the same access token, the same HTTP connections and the same in-flight calls. The dashboard keeps
one per :class:`~wxdata.config.Settings` for the whole process (``st.cache_resource`` in
``dashboard.loaders``); a ``wxdata`` command makes its own and closes it.

Against the fake WeChat server (:mod:`wxdata.testing.fake`), with an in-memory store:

>>> from wxdata.core.periods import last_n_weeks
>>> from wxdata.testing.fake import FAKE_APPID, FAKE_SECRET, FakeWeChat
>>> fake = FakeWeChat().start()
>>> source = LiveSource(Settings(apps=(AppConfig("demo", FAKE_APPID, FAKE_SECRET),),
...                              api_base=fake.url, cache_url="sqlite:///:memory:"))
>>> result = source.load([FAKE_APPID], last_n_weeks(4))
>>> result.ok, len(result.reports), source.calls
(True, 4, 4)
>>> again = source.load([FAKE_APPID], last_n_weeks(4))          # its store answers now
>>> [r.status for r in again.reports], source.calls
(['cached', 'cached', 'cached', 'cached'], 4)
>>> source.close(); fake.stop()
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import Any

from wxdata.config import AppConfig, Settings
from wxdata.core import tidy
from wxdata.core.apps import AppInfo
from wxdata.core.errors import ConfigError, WxDataError
from wxdata.core.periods import Period
from wxdata.core.report import LoadResult, PeriodReport, ProgressFn
from wxdata.sources.base import SourceName
from wxdata.sources.fetch import Clock, fetch_span
from wxdata.store import Store, open_store, utc_now
from wxdata.wechat.client import WeChatClient


def _offset(progress: ProgressFn | None, before: int, total: int) -> ProgressFn | None:
    """One app's progress as a part of the whole load's."""
    if progress is None:
        return None
    return lambda done, _: progress(before + done, total)


class LiveSource:
    """WeChat's retention (days, weeks or months: one kind per load) through the store (a
    :class:`~wxdata.sources.base.Source`)."""

    name: SourceName = "live"

    def __init__(self, settings: Settings, *, cache: Store | None = None,
                 clock: Clock = utc_now, client_options: Mapping[str, Any] | None = None) -> None:
        self.settings = settings
        self.cache = cache if cache is not None else open_store(settings.cache_url)
        self._clock = clock
        self._client_options = dict(client_options or {})
        self._clients: dict[str, WeChatClient] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        apps = [a.appid for a in self.settings.apps]
        return f"LiveSource(apps={apps!r}, api_base={self.settings.api_base!r}, cache={self.cache})"

    def apps(self) -> tuple[AppInfo, ...]:
        return tuple(app.info() for app in self.settings.apps)

    def client(self, app: AppConfig) -> WeChatClient:
        """The one client of ``app`` (it holds the app's token and connection pool)."""
        with self._lock:
            client = self._clients.get(app.appid)
            if client is None:
                client = self._clients[app.appid] = WeChatClient(
                    app, api_base=self.settings.api_base, timeout=self.settings.timeout,
                    **self._client_options)
            return client

    @property
    def calls(self) -> int:
        """Calls made to the retention endpoint by every client so far."""
        with self._lock:
            return sum(c.calls for c in self._clients.values())

    def load(self, app_ids: Sequence[str], periods: Sequence[Period], *, refresh: bool = False,
             progress: ProgressFn | None = None) -> LoadResult:
        """Each app in turn (its periods concurrently); progress counts (app, period) pairs."""
        wanted = list(dict.fromkeys(periods))
        total = len(app_ids) * len(wanted)
        results = []
        for index, app_id in enumerate(app_ids):
            part = _offset(progress, index * len(wanted), total)
            results.append(self._load_app(app_id, wanted, refresh, part))
        return _combine(results)

    def _load_app(self, app_id: str, periods: list[Period], refresh: bool,
                  progress: ProgressFn | None) -> LoadResult:
        try:
            app = self.settings.app(app_id)
        except ConfigError as exc:
            return self._unknown(app_id, periods, exc, progress)
        return fetch_span(self.client(app), self.cache, app.appid, periods, refresh=refresh,
                          refresh_interval=self.settings.refresh_interval,
                          refresh_cooldown=self.settings.refresh_cooldown,
                          concurrency=self.settings.concurrency, progress=progress,
                          clock=self._clock)

    def _unknown(self, app_id: str, periods: list[Period], exc: WxDataError,
                 progress: ProgressFn | None) -> LoadResult:
        now = self._clock()
        reports = tuple(PeriodReport(app_id, w, "failed", w.is_final(now), None, exc)
                        for w in periods)
        if progress is not None:
            progress(len(periods), len(periods))
        return LoadResult(reports=reports)

    def close(self) -> None:
        with self._lock:
            clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            client.close()
        self.cache.close()


def _combine(results: Sequence[LoadResult]) -> LoadResult:
    stopped = next((r.stopped_by for r in results if r.stopped_by is not None), None)
    reports = tuple(report for result in results for report in result.reports)
    # One app's frame is to_frame's, already in contract order: sorting it again cost a cold
    # 90-day export as much as building it.
    frame = results[0].frame if len(results) == 1 else tidy.concat(r.frame for r in results)
    return LoadResult(frame, reports, stopped)


__all__ = ["LiveSource"]

"""fetch_span over days and months against the fake WeChat over real HTTP, on SQLite and on
PostgreSQL: the weekly rules (test_fetch.py) hold for every period: a warm re-run costs no call,
a final cohort is never asked again, a quota answer stops the run, repeated refreshes within the
cooldown cost one round, and concurrent runs cost one call per cohort."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest

from tests.fixtures_fetch import statuses
from tests.test_fetch import APP
from wxdata.core.errors import QuotaError
from wxdata.core.periods import Day, Month, Period
from wxdata.core.report import LoadResult
from wxdata.sources.fetch import fetch_span
from wxdata.store import Store, utc_now
from wxdata.testing.fake import ENDPOINTS, FakeWeChat
from wxdata.wechat.client import WeChatClient

SPANS: dict[str, Callable[[], list[Period]]] = {
    "day": lambda: list(Day.last_n(40)),  # the newest 32 provisional, the rest final
    "month": lambda: list(Month.last_n(6)),
}


def calls(fake: FakeWeChat) -> tuple[int, int, int]:
    return fake.calls["daily"], fake.calls["weekly"], fake.calls["monthly"]


@pytest.mark.parametrize("kind", ["day", "month"])
def test_a_cold_span_of_days_or_months_then_a_warm_one_with_no_call(
        fake_wechat: FakeWeChat, client: WeChatClient, cache: Store, kind: str) -> None:
    periods = SPANS[kind]()
    cold = fetch_span(client, cache, APP, periods)
    assert statuses(cold) == ["fetched"] * len(periods) and cold.ok
    assert [r.period for r in cold.reports] == periods
    assert fake_wechat.calls[ENDPOINTS[kind]] == len(periods) == client.calls
    assert fake_wechat.calls["weekly"] == 0
    assert sorted(set(cold.frame["cohort_start"].dt.date)) == [p.start for p in periods]
    assert set(cold.frame["offset"]) <= set(periods[0].KEYS)
    warm = fetch_span(client, cache, APP, periods)
    assert statuses(warm) == ["cached"] * len(periods)
    assert fake_wechat.calls[ENDPOINTS[kind]] == len(periods)  # not one more call
    assert warm.frame.equals(cold.frame)


@pytest.mark.parametrize("kind", ["day", "month"])
def test_refresh_asks_again_for_provisional_cohorts_only_and_never_for_final_ones(
        fake_wechat: FakeWeChat, client: WeChatClient, cache: Store, kind: str) -> None:
    periods = SPANS[kind]()
    start = utc_now()
    provisional = [p for p in periods if not p.is_final(start)]
    assert provisional and len(provisional) < len(periods)  # both sorts in the span
    fetch_span(client, cache, APP, periods, clock=lambda: start)
    again = fetch_span(client, cache, APP, periods, refresh=True,
                       clock=lambda: start + timedelta(minutes=1))
    assert [r.period for r in again.reports if r.status == "fetched"] == provisional
    assert fake_wechat.calls[ENDPOINTS[kind]] == len(periods) + len(provisional)
    assert cache.provisional(APP, kind) == provisional
    assert not [p for p in cache.provisional(APP, kind) if p.is_final(start)]


def test_a_final_day_is_never_asked_again(fake_wechat: FakeWeChat, client: WeChatClient,
                                          cache: Store) -> None:
    day = Day.last_ended().shift(-45)
    final_at = day.final_at()  # key 30 out (day + 31 ended) and one more day to compute it
    fetch_span(client, cache, APP, [day], clock=lambda: final_at - timedelta(minutes=1))
    entry = cache.get(APP, day)
    assert entry is not None and not entry.final
    fetch_span(client, cache, APP, [day], clock=lambda: final_at + timedelta(minutes=1))
    entry = cache.get(APP, day)
    assert entry is not None and entry.final and fake_wechat.calls["daily"] == 2
    later = fetch_span(client, cache, APP, [day], refresh=True,
                       clock=lambda: final_at + timedelta(days=900))
    assert statuses(later) == ["cached"] and fake_wechat.calls["daily"] == 2


def test_the_daily_quota_stops_a_run_of_days(fake_wechat: FakeWeChat, client: WeChatClient,
                                             cache: Store) -> None:
    days = SPANS["day"]()[:10]
    fake_wechat.fail(45009, week=days[4], times=-1)
    result = fetch_span(client, cache, APP, days, concurrency=1)
    assert fake_wechat.calls["daily"] == 5  # days 0..4, then no further call
    assert statuses(result) == ["fetched"] * 4 + ["failed"] * 6
    assert isinstance(result.stopped_by, QuotaError)
    assert all(r.errcode == 45009 and r.error is not None and
               r.error.params["week"] == r.period.label for r in result.failed)
    assert set(cache.get_many(APP, days)) == set(days[:4])


def test_repeated_refreshes_of_days_within_the_cooldown_cost_one_round(
        fake_wechat: FakeWeChat, client: WeChatClient, cache: Store) -> None:
    days = SPANS["day"]()[-8:]  # all provisional: the newest eight days
    start = utc_now()
    fetch_span(client, cache, APP, days, clock=lambda: start)
    for seconds in range(5):
        fetch_span(client, cache, APP, days, refresh=True, refresh_cooldown=timedelta(minutes=5),
                   clock=lambda s=seconds: start + timedelta(minutes=6, seconds=s))
    assert calls(fake_wechat) == (16, 0, 0)  # one refresh round, not five


def test_threads_asking_for_one_cold_span_of_days_cost_one_call_per_day(
        fake_wechat: FakeWeChat, client: WeChatClient, cache: Store) -> None:
    days = SPANS["day"]()[:12]
    fake_wechat.latency = 0.05  # long enough for the threads to overlap
    results: list[LoadResult] = []
    go = threading.Barrier(6)

    def run() -> None:
        go.wait()
        results.append(fetch_span(client, cache, APP, days))

    threads = [threading.Thread(target=run) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 6 and all(r.ok for r in results)
    assert calls(fake_wechat) == (12, 0, 0)

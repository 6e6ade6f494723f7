"""fetch_span against the fake WeChat over real HTTP: cache first, concurrent misses, progress,
faults, stops, single flight (in a process, and across processes sharing PostgreSQL). Every test
runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.fixtures_fake import deadline_for
from tests.fixtures_fetch import statuses
from tests.waiting import wait_until
from wxdata.core.errors import CredentialError, PayloadError, QuotaError, TransientError
from wxdata.core.periods import Week, last_n_weeks
from wxdata.core.report import LoadResult
from wxdata.sources import fetch
from wxdata.sources.fetch import fetch_span
from wxdata.store import Store, utc_now
from wxdata.testing.fake import FAKE_SECRET, FakeWeChat
from wxdata.testing.http import Reply
from wxdata.wechat.client import WeChatClient

REPO = Path(__file__).resolve().parent.parent
APP = "wxfake00000000001"


def test_a_cold_span_is_fetched_then_served_from_the_cache(
        fake_wechat: FakeWeChat, client: WeChatClient, cache: Store) -> None:
    weeks = last_n_weeks(10)
    cold = fetch_span(client, cache, APP, weeks)
    assert statuses(cold) == ["fetched"] * 10 and cold.ok
    assert [r.period for r in cold.reports] == weeks
    assert fake_wechat.calls["weekly"] == 10 == client.calls
    assert set(cold.frame["cohort_start"].dt.date) == {w.start for w in weeks}
    assert all(cache.get(APP, w) is not None for w in weeks)
    warm = fetch_span(client, cache, APP, weeks)
    assert statuses(warm) == ["cached"] * 10
    assert fake_wechat.calls["weekly"] == 10  # not one more call
    assert warm.frame.equals(cold.frame)


def test_misses_are_fetched_by_several_threads(
        fake_wechat: FakeWeChat, client: WeChatClient, cache: Store) -> None:
    fake_wechat.latency = 0.05
    threads: set[str] = set()
    result = fetch_span(client, cache, APP, last_n_weeks(8), concurrency=4,
                        progress=lambda d, t: threads.add(threading.current_thread().name))
    assert result.ok
    assert len({name for name in threads if name.startswith("wxdata-fetch")}) == 4


def test_progress_is_monotone_once_per_week_and_ends_at_the_total(
        fake_wechat: FakeWeChat, client: WeChatClient, cache: Store) -> None:
    weeks = last_n_weeks(12)
    fetch_span(client, cache, APP, weeks[:5])  # some cached, some not
    seen: list[tuple[int, int]] = []
    fetch_span(client, cache, APP, weeks, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(n, 12) for n in range(1, 13)]


def test_only_cached_weeks_still_report_progress(
        fake_wechat: FakeWeChat, client: WeChatClient, cache: Store) -> None:
    weeks = last_n_weeks(3)
    fetch_span(client, cache, APP, weeks)
    seen: list[tuple[int, int]] = []
    fetch_span(client, cache, APP, weeks, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_tokens_expiring_in_the_middle_of_a_concurrent_span(
        fake_wechat: FakeWeChat, client: WeChatClient, cache: Store) -> None:
    fake_wechat.latency = 0.02

    def expire_once(done: int, total: int) -> None:
        if done == 4:
            fake_wechat.expire_tokens()

    result = fetch_span(client, cache, APP, last_n_weeks(16), progress=expire_once)
    assert statuses(result) == ["fetched"] * 16
    assert fake_wechat.calls["stable_token"] >= 2  # a new token was fetched after the expiry
    refused = [e for e in fake_wechat.log if e.get("errcode") == 42001]
    assert refused, "the expiry happened while weeks were still being asked for"


def test_the_daily_quota_stops_the_run_and_keeps_what_was_fetched(
        fake_wechat: FakeWeChat, client: WeChatClient, cache: Store) -> None:
    weeks = last_n_weeks(10)
    fake_wechat.fail(45009, week=weeks[4], times=-1)
    result = fetch_span(client, cache, APP, weeks, concurrency=1)
    assert fake_wechat.calls["weekly"] == 5  # weeks 0..4, then no further call
    assert statuses(result) == ["fetched"] * 4 + ["failed"] * 6
    assert isinstance(result.stopped_by, QuotaError) and not result.ok
    assert {r.errcode for r in result.failed} == {45009}
    assert all(isinstance(r.error, QuotaError) for r in result.failed)
    assert set(cache.get_many(APP, weeks)) == set(weeks[:4])
    assert len(result.frame) and set(result.frame["cohort_start"].dt.date) == \
        {w.start for w in weeks[:4]}


class _GatedClient:
    """The real client over HTTP, with the weeks after ``quota_week`` held at the door of the
    call until ``release`` is set, so a test decides which calls are on their way when the
    quota answer comes back instead of leaving it to the scheduler."""

    def __init__(self, client: WeChatClient, quota_week: Week) -> None:
        self._client, self._quota_week = client, quota_week
        self.api_base = client.api_base
        self.waiting = threading.Semaphore(0)
        self.release = threading.Event()

    def retention(self, week: Week) -> Any:
        if week > self._quota_week:
            self.waiting.release()
            assert self.release.wait(30), "the gate was never opened"
        elif week == self._quota_week:
            for _ in range(3):  # the other three workers are each inside a call now
                assert self.waiting.acquire(timeout=30), "fewer than 4 workers were calling"
        return self._client.retention(week)


def test_the_daily_quota_stops_concurrent_workers_too(
        fake_wechat: FakeWeChat, client: WeChatClient, cache: Store) -> None:
    # The old bound (at most 7 + 3 calls) was wrong, not the code: while the quota answer to
    # week 6 is on its way back, the other workers may finish their calls and start more
    # (seen as 11 calls on a busy machine). What must hold is that once the run has *seen* the
    # answer no call starts; here weeks 7..9 are held inside their calls until it has.
    weeks = last_n_weeks(30)
    fake_wechat.fail(45009, week=weeks[6], times=-1)
    gated = _GatedClient(client, weeks[6])

    def open_gate_once_the_quota_week_is_done(done: int, total: int) -> None:
        if done == 7:  # weeks 0..5 and the quota week; weeks 7..9 are still held
            gated.release.set()

    result = fetch_span(gated, cache, APP, weeks, concurrency=4,
                        progress=open_gate_once_the_quota_week_is_done)
    assert fake_wechat.calls["weekly"] == 7 + 3  # the three held calls went on; no other started
    assert isinstance(result.stopped_by, QuotaError)
    fetched = [r.period for r in result.reports if r.status == "fetched"]
    assert fetched == weeks[:6] + weeks[7:10]
    assert set(cache.get_many(APP, weeks)) == set(fetched)
    assert [r.period for r in result.failed] == [weeks[6], *weeks[10:]]
    assert {r.errcode for r in result.failed} == {45009}


def test_a_wrong_secret_stops_before_any_weekly_call(
        fake_wechat: FakeWeChat, client: WeChatClient, cache: Store) -> None:
    fake_wechat.fail(40125, on="token", times=-1)
    result = fetch_span(client, cache, APP, last_n_weeks(12), concurrency=4)
    assert fake_wechat.calls["weekly"] == 0
    assert fake_wechat.calls["stable_token"] <= 4  # never one per week
    assert isinstance(result.stopped_by, CredentialError)
    assert statuses(result) == ["failed"] * 12
    assert {r.errcode for r in result.reports} == {40125}


def test_a_refused_week_is_reported_and_the_others_are_fine(
        fake_wechat: FakeWeChat, client: WeChatClient, cache: Store) -> None:
    weeks = last_n_weeks(6)
    fake_wechat.fail(61501, week=weeks[2], times=-1)
    result = fetch_span(client, cache, APP, weeks)
    assert statuses(result) == ["fetched", "fetched", "failed", "fetched", "fetched", "fetched"]
    assert result.reports[2].errcode == 61501 and "61501" in result.reports[2].reason("en")
    assert result.stopped_by is None
    assert fake_wechat.calls["weekly"] == 6  # a refused week is not retried
    assert cache.get(APP, weeks[2]) is None  # failures are never cached


@pytest.mark.parametrize("fault", ["timeout", "502", "notjson", "reset", -1, 61503])
def test_transient_faults_are_retried(fake_wechat: FakeWeChat,
                                      make_client: Callable[..., WeChatClient],
                                      cache: Store, sleeps: list[float],
                                      fault: int | str) -> None:
    client = make_client(max_attempts=3, timeout=deadline_for(fault))
    weeks = last_n_weeks(4)
    fake_wechat.fail(fault, week=weeks[1], times=2)
    result = fetch_span(client, cache, APP, weeks)
    assert statuses(result) == ["fetched"] * 4
    assert fake_wechat.calls["weekly"] == 4 + 2
    assert len(sleeps) == 2  # backed off twice (sleep injected: no real wait)


@pytest.mark.parametrize(("fault", "error"), [("badpayload", PayloadError),
                                              ("wrongweek", PayloadError),
                                              ("empty", TransientError)])
def test_bad_answers_are_failures_and_never_cached(
        fake_wechat: FakeWeChat, client: WeChatClient, cache: Store, fault: str,
        error: type[Exception]) -> None:
    weeks = last_n_weeks(3)
    fake_wechat.fail(fault, week=weeks[0], times=-1)
    result = fetch_span(client, cache, APP, weeks)
    assert statuses(result) == ["failed", "fetched", "fetched"]
    assert isinstance(result.reports[0].error, error)
    assert cache.get(APP, weeks[0]) is None
    fake_wechat.clear_faults()
    before = fake_wechat.calls["weekly"]
    again = fetch_span(client, cache, APP, weeks)
    assert statuses(again) == ["fetched", "cached", "cached"]
    assert fake_wechat.calls["weekly"] == before + 1


def test_ten_threads_asking_for_one_cold_span_cost_one_call_per_week(
        fake_wechat: FakeWeChat, client: WeChatClient, cache: Store) -> None:
    fake_wechat.latency = 0.03
    weeks = last_n_weeks(12)
    barrier = threading.Barrier(10)
    results: list[LoadResult] = []

    def viewer() -> None:
        barrier.wait()
        results.append(fetch_span(client, cache, APP, weeks))

    threads = [threading.Thread(target=viewer) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert fake_wechat.calls["weekly"] == 12
    assert len(results) == 10 and all(r.ok for r in results)
    assert all(r.frame.equals(results[0].frame) for r in results)


class _HeldUntilJoined:
    """The real client over HTTP, whose calls wait at the door until ``joiners`` other runs
    wait for the same week's flight: the followers are there by construction, not because a
    slow answer gave the scheduler time to bring them."""

    def __init__(self, client: WeChatClient, cache: Store, joiners: int) -> None:
        self._client, self._scope, self._joiners = client, cache.scope, joiners
        self.api_base = client.api_base

    def retention(self, week: Week) -> Any:
        flight = (self.api_base, self._scope, APP, week)
        wait_until(lambda: fetch._FLIGHTS.waiting(flight) == self._joiners,
                   f"{self._joiners} runs waiting for the call of {week.label}")
        return self._client.retention(week)


def test_followers_share_the_leaders_error_without_a_second_call(
        fake_wechat: FakeWeChat, client: WeChatClient, cache: Store) -> None:
    week = last_n_weeks(2)[:1]
    fake_wechat.fail(48001, week=week[0], times=-1)
    held = _HeldUntilJoined(client, cache, joiners=5)
    results: list[LoadResult] = []

    def viewer() -> None:
        results.append(fetch_span(held, cache, APP, week))

    threads = [threading.Thread(target=viewer) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {r.reports[0].errcode for r in results} == {48001}
    errors = [r.reports[0].error for r in results]
    assert len({id(e) for e in errors}) == 6  # each thread its own exception object
    # With a 0.05 s latency a late thread could miss the flight and ask again, so this was only
    # "< 6"; with the five followers held in the flight it is exactly the leader's one call.
    assert fake_wechat.calls["weekly"] == 1


# -- maturity: final weeks never asked again, provisional ones after the interval ---------------


def split(weeks: list[Week], now: datetime) -> tuple[list[Week], list[Week]]:
    final = [w for w in weeks if w.is_final(now)]
    return final, [w for w in weeks if not w.is_final(now)]


def test_provisional_weeks_are_refetched_after_the_interval_and_final_ones_never(
        fake_wechat: FakeWeChat, client: WeChatClient, cache: Store) -> None:
    weeks = last_n_weeks(10)
    start = utc_now()
    final, provisional = split(weeks, start)
    assert final and provisional
    fetch_span(client, cache, APP, weeks, clock=lambda: start)
    soon = fetch_span(client, cache, APP, weeks, clock=lambda: start + timedelta(hours=5))
    assert statuses(soon) == ["cached"] * 10 and fake_wechat.calls["weekly"] == 10
    later = fetch_span(client, cache, APP, weeks, clock=lambda: start + timedelta(hours=7))
    assert fake_wechat.calls["weekly"] == 10 + len(provisional)
    assert [r.period for r in later.reports if r.status == "fetched"] == provisional
    assert all(r.final for r in later.reports if r.period in final)
    assert not any(r.final for r in later.reports if r.period in provisional)
    assert later.provisional and {r.period for r in later.provisional} == set(provisional)


def test_refresh_asks_again_for_provisional_weeks_only(
        fake_wechat: FakeWeChat, client: WeChatClient, cache: Store) -> None:
    weeks = last_n_weeks(10)
    _, provisional = split(weeks, utc_now())
    fetch_span(client, cache, APP, weeks)
    result = fetch_span(client, cache, APP, weeks, refresh=True)
    assert fake_wechat.calls["weekly"] == 10 + len(provisional)
    assert [r.period for r in result.reports if r.status == "fetched"] == provisional


def test_repeated_refreshes_within_the_cooldown_cost_one_round(
        fake_wechat: FakeWeChat, client: WeChatClient, cache: Store) -> None:
    """Ten clicks on "refresh" once made 40 calls in 15 s."""
    weeks = last_n_weeks(10)
    start = utc_now()
    _, provisional = split(weeks, start)
    fetch_span(client, cache, APP, weeks, clock=lambda: start)
    for seconds in range(10):
        fetch_span(client, cache, APP, weeks, refresh=True,
                   refresh_cooldown=timedelta(minutes=5),
                   clock=lambda s=seconds: start + timedelta(minutes=6, seconds=s))
    assert fake_wechat.calls["weekly"] == 10 + len(provisional)  # one refresh round, not ten


def test_a_week_cached_provisional_is_fetched_once_more_when_final(
        fake_wechat: FakeWeChat, client: WeChatClient, cache: Store) -> None:
    week = last_n_weeks(8)[0]
    final_at = week.ends_at() + timedelta(weeks=4, days=1)  # Monday + 36 days, 00:00 UTC+8
    fetch_span(client, cache, APP, [week], clock=lambda: final_at - timedelta(minutes=1))
    entry = cache.get(APP, week)
    assert entry is not None and not entry.final
    fetch_span(client, cache, APP, [week], clock=lambda: final_at + timedelta(minutes=1))
    entry = cache.get(APP, week)
    assert entry is not None and entry.final and fake_wechat.calls["weekly"] == 2
    fetch_span(client, cache, APP, [week], refresh=True,
               clock=lambda: final_at + timedelta(days=900))
    assert fake_wechat.calls["weekly"] == 2  # final: never asked again, not even on refresh


def test_a_week_fetched_the_morning_its_last_key_is_due_stays_provisional(
        fake_wechat: FakeWeChat, client: WeChatClient, cache: Store) -> None:
    # Key 4 can appear once week W+4 has ended (Monday 00:00), but WeChat computes it during that
    # Monday, often by 10:00, sometimes only by 15:00: a copy fetched then is not final
    week = last_n_weeks(8)[0]
    monday = week.ends_at() + timedelta(weeks=4)
    for hour in (9, 15):
        fetch_span(client, cache, APP, [week], clock=lambda hour=hour: monday + timedelta(
            hours=hour), refresh=True)
        entry = cache.get(APP, week)
        assert entry is not None and not entry.final
    assert fake_wechat.calls["weekly"] == 2  # asked again: not final yet
    fetch_span(client, cache, APP, [week], clock=lambda: monday + timedelta(days=1, hours=1))
    entry = cache.get(APP, week)
    assert entry is not None and entry.final and fake_wechat.calls["weekly"] == 3


def test_not_ready_is_retried_never_cached_and_asked_again_later(
        fake_wechat: FakeWeChat, client: WeChatClient, cache: Store, sleeps: list[float]) -> None:
    weeks = last_n_weeks(3)
    fake_wechat.fail(61503, week=weeks[2], times=-1)  # "calculation delayed" all morning
    result = fetch_span(client, cache, APP, weeks)
    assert statuses(result) == ["fetched", "fetched", "failed"]
    report = result.reports[2]
    assert report.errcode == 61503 and isinstance(report.error, TransientError)
    assert "10:00" in report.reason("zh") and "15:00" in report.reason("en")
    assert len(sleeps) >= 1  # retried with backoff before giving up
    assert cache.get(APP, weeks[2]) is None  # never cached, not even as an empty week
    fake_wechat.clear_faults()  # computed now
    before = fake_wechat.calls["weekly"]
    again = fetch_span(client, cache, APP, weeks)
    assert statuses(again) == ["cached", "cached", "fetched"]
    assert fake_wechat.calls["weekly"] == before + 1 and cache.get(APP, weeks[2]) is not None


def test_a_stale_week_whose_refetch_fails_is_served_from_the_cache(
        fake_wechat: FakeWeChat, client: WeChatClient, cache: Store) -> None:
    weeks = last_n_weeks(4)[:2]  # provisional whenever the test runs
    earlier = utc_now() - timedelta(hours=7)
    first = fetch_span(client, cache, APP, weeks, clock=lambda: earlier)
    fake_wechat.fail(-1, week=weeks[1], times=-1)
    result = fetch_span(client, cache, APP, weeks)
    assert statuses(result) == ["fetched", "cached"]
    stale = result.reports[1]
    assert stale.has_data and stale.errcode == -1 and stale.fetched_at == earlier
    assert result.frame.equals(first.frame)  # the numbers are still all there
    assert result.ok  # nothing is missing


def test_a_stale_week_is_kept_when_the_quota_stops_the_run(
        fake_wechat: FakeWeChat, client: WeChatClient, cache: Store) -> None:
    weeks = last_n_weeks(4)[:3]
    earlier = utc_now() - timedelta(hours=7)
    fetch_span(client, cache, APP, weeks, clock=lambda: earlier)
    fake_wechat.fail(45009, times=-1)
    result = fetch_span(client, cache, APP, weeks, concurrency=1)
    assert statuses(result) == ["cached"] * 3
    assert isinstance(result.stopped_by, QuotaError)
    assert fake_wechat.calls["weekly"] == 3 + 1
    assert all(r.errcode == 45009 for r in result.reports)


def test_duplicate_weeks_are_asked_for_once(
        fake_wechat: FakeWeChat, client: WeChatClient, cache: Store) -> None:
    weeks = last_n_weeks(3)
    result = fetch_span(client, cache, APP, [*weeks, *weeks])
    assert fake_wechat.calls["weekly"] == 3 and len(result.reports) == 3


# -- replicas: several processes on one PostgreSQL ---------------------------------------------

_REPLICA = textwrap.dedent("""
    import json, sys
    from wxdata.config import AppConfig
    from wxdata.core.periods import last_n_weeks
    from wxdata.sources.fetch import fetch_span
    from wxdata.store import open_store
    from wxdata.wechat.client import WeChatClient
    url, api, appid, secret = sys.argv[1:5]
    weeks = last_n_weeks(12)
    store = open_store(url)
    # the answers are held until the other replicas wait for this one's week locks
    client = WeChatClient(AppConfig("fake", appid, secret), api_base=api, timeout=120)
    store.info()  # connected (and imported) before the start: the race is the fetch itself
    print("ready", flush=True)
    sys.stdin.readline()
    cold = len(weeks) - len(store.get_many(appid, weeks))
    print(json.dumps({"cold": cold}), flush=True)
    result = fetch_span(client, store, appid, weeks)
    print(json.dumps({"cold": cold, "calls": client.calls,
                      "statuses": [r.status for r in result.reports]}), flush=True)
    store.close()
    client.close()
""")


class _HeldRetention(FakeWeChat):
    """The fake, holding every weekly answer until ``release`` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def answer(self, method: str, path: str, query: dict[str, str], body: bytes) -> Reply:
        if path == Week.API_PATH:
            assert self.release.wait(120), "the weekly answers were never released"
        return super().answer(method, path, query, body)


def _lock_waits(url: str) -> int:
    """Week locks that a session of the test's database asks for and another holds."""
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                           "AND NOT granted AND database = (SELECT oid FROM pg_database "
                           "WHERE datname = current_database())").fetchone()
    return int(row[0]) if row else 0


def test_replicas_asking_for_one_cold_span_cost_one_call_per_week_in_all(
        postgres_url: str) -> None:
    """Three processes (as three replicas of the dashboard) open the same cold 12-week span at
    the same moment: the week locks in PostgreSQL make it 12 calls in total, not 36.

    The race is made, not hoped for (a 0.2 s latency let a late process find the span warm on
    a loaded machine): WeChat's answers are held until every process has found the span cold and
    replicas wait in PostgreSQL for each other's week locks."""
    held = _HeldRetention().start()
    argv = [sys.executable, "-c", _REPLICA, postgres_url, held.url, APP, FAKE_SECRET]
    replicas = [subprocess.Popen(argv, cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outcomes: list[dict[str, Any]] = []
    try:
        for replica in replicas:  # every process imported and connected ...
            assert replica.stdout is not None and replica.stdout.readline().strip() == "ready"
        for replica in replicas:  # ... then all of them go at once
            assert replica.stdin is not None
            replica.stdin.write("go\n")
            replica.stdin.flush()
        started = [json.loads(r.stdout.readline()) for r in replicas if r.stdout is not None]
        wait_until(lambda: _lock_waits(postgres_url) >= 2,
                   "two replicas waiting for week locks that another one holds")
        held.release.set()
        for replica in replicas:
            out, err = replica.communicate(timeout=240)
            assert replica.returncode == 0, err
            outcomes.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        held.release.set()
        for replica in replicas:
            if replica.poll() is None:
                replica.kill()
                replica.communicate()
        held.stop()
    # they really raced: each process found the whole span missing from the store
    assert [s["cold"] for s in started] == [12, 12, 12]
    asked = Counter(e["week"] for e in held.log if e["endpoint"] == "weekly")
    assert held.calls["weekly"] == 12 and set(asked.values()) == {1}
    assert sum(o["calls"] for o in outcomes) == 12
    assert all(set(o["statuses"]) <= {"fetched", "cached"} for o in outcomes)  # all served
    assert sum(o["statuses"].count("fetched") for o in outcomes) == 12

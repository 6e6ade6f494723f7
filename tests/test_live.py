"""LiveSource: the Source protocol over fetch_span; one instance shared by many threads.

(The dashboard's one instance per settings for the whole process is ``st.cache_resource``:
tests/test_live_app.py.)"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from wxdata.config import AppConfig, Settings
from wxdata.core.errors import ConfigError, CredentialError
from wxdata.core.payload import Retention, loads
from wxdata.core.periods import Day, Month, Week, last_n_weeks
from wxdata.core.report import LoadResult
from wxdata.sources import DemoSource, FileSource, Source, make_source
from wxdata.sources.live import LiveSource
from wxdata.store import open_store, utc_now
from wxdata.testing.fake import FAKE_APPID, FAKE_SECRET, FakeWeChat

OTHER_APPID, OTHER_SECRET = "wxfake00000000002", "another-fake-secret-0002"


@pytest.fixture
def two_apps() -> Iterator[FakeWeChat]:
    with FakeWeChat(apps={FAKE_APPID: FAKE_SECRET, OTHER_APPID: OTHER_SECRET}) as fake:
        yield fake


def settings_for(fake: FakeWeChat, tmp_path: Path, *apps: AppConfig) -> Settings:
    apps = apps or (AppConfig("假小程序", FAKE_APPID, FAKE_SECRET),)
    # No test here scripts a slow answer: a short deadline (0.5 s) only turned a loaded
    # machine's slow ordinary answer into a retry, one call more than the tests count.
    return Settings(apps=apps, api_base=fake.url, source="live", timeout=60,
                    cache_url=f"sqlite:///{tmp_path / 'cache.sqlite3'}")


def test_apps_are_listed_without_their_secret(fake_wechat: FakeWeChat, tmp_path: Path) -> None:
    source = LiveSource(settings_for(fake_wechat, tmp_path))
    assert [(a.name, a.appid) for a in source.apps()] == [("假小程序", FAKE_APPID)]
    assert FAKE_SECRET not in repr(source.apps()) and FAKE_SECRET not in repr(source)
    checked: Source = source
    assert checked.name == "live"


def test_load_fetches_every_app_and_sums_progress(two_apps: FakeWeChat, tmp_path: Path) -> None:
    settings = settings_for(two_apps, tmp_path, AppConfig("一", FAKE_APPID, FAKE_SECRET),
                            AppConfig("二", OTHER_APPID, OTHER_SECRET))
    source = LiveSource(settings)
    weeks = last_n_weeks(5)
    seen: list[tuple[int, int]] = []
    result = source.load([FAKE_APPID, OTHER_APPID], weeks,
                         progress=lambda d, t: seen.append((d, t)))
    assert result.ok and len(result.reports) == 10
    assert seen == [(n, 10) for n in range(1, 11)]
    assert set(result.frame["app_id"]) == {FAKE_APPID, OTHER_APPID}
    assert two_apps.calls["weekly"] == 10 == source.calls
    again = source.load([OTHER_APPID], weeks)
    assert {r.status for r in again.reports} == {"cached"} and two_apps.calls["weekly"] == 10


def test_an_unknown_app_is_a_failed_report_not_an_exception(
        fake_wechat: FakeWeChat, tmp_path: Path) -> None:
    source = LiveSource(settings_for(fake_wechat, tmp_path))
    result = source.load(["wx-nobody", FAKE_APPID], last_n_weeks(3))
    unknown = [r for r in result.reports if r.app_id == "wx-nobody"]
    assert [r.status for r in unknown] == ["failed"] * 3
    assert all(isinstance(r.error, ConfigError) for r in unknown)
    assert "wx-nobody" in unknown[0].reason("en")
    assert [r.status for r in result.reports if r.app_id == FAKE_APPID] == ["fetched"] * 3
    assert fake_wechat.calls["weekly"] == 3


def test_a_wrong_secret_stops_that_app_only(two_apps: FakeWeChat, tmp_path: Path) -> None:
    settings = settings_for(two_apps, tmp_path, AppConfig("错", FAKE_APPID, "wrong-secret"),
                            AppConfig("对", OTHER_APPID, OTHER_SECRET))
    result = LiveSource(settings).load([FAKE_APPID, OTHER_APPID], last_n_weeks(4))
    assert isinstance(result.stopped_by, CredentialError)
    assert {r.status for r in result.reports if r.app_id == FAKE_APPID} == {"failed"}
    assert {r.status for r in result.reports if r.app_id == OTHER_APPID} == {"fetched"}
    assert "wrong-secret" not in result.stopped_by.message("en")


def test_make_source_builds_its_own_live_source_or_takes_the_callers(
        fake_wechat: FakeWeChat, tmp_path: Path) -> None:
    settings = settings_for(fake_wechat, tmp_path)
    own = make_source(settings)
    assert isinstance(own, LiveSource) and make_source(settings) is not own
    mine = LiveSource(settings)
    given: list[Any] = []
    assert make_source(settings, live=lambda s: given.append(s) or mine) is mine
    assert given == [settings]
    assert isinstance(make_source(Settings(), live=lambda s: mine), DemoSource)


def test_ten_sessions_on_one_cold_span_cost_one_call_per_week(
        fake_wechat: FakeWeChat, tmp_path: Path) -> None:
    fake_wechat.latency = 0.03
    settings = settings_for(fake_wechat, tmp_path)
    weeks = last_n_weeks(10)
    barrier = threading.Barrier(10)
    results: list[LoadResult] = []
    shared = LiveSource(settings)

    def session() -> None:
        barrier.wait()
        results.append(shared.load([FAKE_APPID], weeks))

    threads = [threading.Thread(target=session) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert fake_wechat.calls["weekly"] == 10
    assert fake_wechat.calls["stable_token"] == 1  # one token for every session
    assert all(r.ok and len(r.frame) == len(results[0].frame) for r in results)
    shared.close()


def test_two_sources_on_one_cache_file_share_what_either_fetched(
        fake_wechat: FakeWeChat, tmp_path: Path) -> None:
    settings = settings_for(fake_wechat, tmp_path)
    weeks = last_n_weeks(4)
    LiveSource(settings).load([FAKE_APPID], weeks)
    second = LiveSource(settings, cache=open_store(settings.cache_url))
    result = second.load([FAKE_APPID], weeks)
    assert {r.status for r in result.reports} == {"cached"}
    assert fake_wechat.calls["weekly"] == 4 and second.calls == 0


# -- days and months ----------------------------------------------------------------------------

@pytest.mark.parametrize(("periods", "endpoint"), [
    (lambda: Day.last_n(9), "daily"), (lambda: Month.last_n(3), "monthly"),
], ids=["days", "months"])
def test_load_fetches_days_or_months_from_their_own_api_then_serves_them_from_its_store(
        fake_wechat: FakeWeChat, tmp_path: Path, periods: Any, endpoint: str) -> None:
    wanted = periods()
    source = LiveSource(settings_for(fake_wechat, tmp_path))
    try:
        result = source.load([FAKE_APPID], wanted)
        assert result.ok and [r.period for r in result.reports] == wanted
        assert fake_wechat.calls[endpoint] == len(wanted) == source.calls
        assert fake_wechat.calls["weekly"] == 0
        newest = result.frame[result.frame["cohort_start"].dt.date == wanted[-1].start]
        assert set(newest["offset"]) == {0}  # only key 0 is out for the newest cohort
        again = source.load([FAKE_APPID], wanted)
        assert {r.status for r in again.reports} == {"cached"}
        assert fake_wechat.calls[endpoint] == len(wanted)
    finally:
        source.close()


def test_saved_daily_and_monthly_answers_imported_into_the_store_are_served_with_no_call(
        fake_wechat: FakeWeChat, tmp_path: Path) -> None:
    """What ``wxdata import`` does with a file of cloud-call answers (put_many, keep_newer):
    the live source then serves those days and that month without asking WeChat."""
    days, month = list(Day.last_n(50)[:3]), Month.last_n(3)[0]  # all final
    saved = [{"refDate": d.ref_date, "visitUvNew": [{"key": 0, "value": 100 + n}],
              "visitUv": [{"key": 0, "value": 900}],
              "errMsg": "openapi.analysis.getDailyRetain:ok"} for n, d in enumerate(days)]
    saved.append({"refDate": month.ref_date, "visitUvNew": [{"key": 0, "value": 7000},
                                                            {"key": 1, "value": 1000}],
                  "visitUv": [{"key": 0, "value": 50000}],
                  "errMsg": "openapi.analysis.getMonthlyRetain:ok"})
    settings = settings_for(fake_wechat, tmp_path)
    with open_store(settings.cache_url) as cache:
        assert cache.put_many(FAKE_APPID, loads(json.dumps(saved)), utc_now(),
                              keep_newer=True) == 4
    source = LiveSource(settings)
    try:
        daily, monthly = source.load([FAKE_APPID], days), source.load([FAKE_APPID], [month])
    finally:
        source.close()
    assert {r.status for r in (*daily.reports, *monthly.reports)} == {"cached"}
    assert source.calls == 0 and fake_wechat.calls["daily"] == fake_wechat.calls["monthly"] == 0
    assert list(daily.frame.query("metric == 'new'")["users"]) == [100, 101, 102]
    assert list(monthly.frame.query("metric == 'new'")["rate"]) == [1.0, 1000 / 7000]


def test_a_file_source_serves_each_kind_it_was_given(tmp_path: Path) -> None:
    day, week, month = Day(date(2026, 6, 1)), Week(date(2026, 6, 1)), Month(date(2026, 6, 1))
    source = FileSource()
    source.add("wx1", [Retention(p, {0: n}, {0: 10 * n}) for n, p in
                       enumerate((day, week, month), start=1)])
    assert (source.periods("day"), source.periods("week"), source.periods("month")) == \
        ([day], [week], [month])
    result = source.load(["wx1"], [day, day.shift(1)])
    assert [r.status for r in result.reports] == ["supplied", "missing"]
    # the day's own numbers, not the week's or the month's
    assert dict(zip(result.frame["metric"], result.frame["users"], strict=True)) == \
        {"new": 1, "active": 10}

"""The Data page's checks against the fake WeChat server: the quota table, the consistency
check (off until an admin turns it on, visit trends cached in the store), and the quota check
that stops a refresh or a part of ``wxdata sync`` before its first call."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st

from tests.fixtures_app import AppFactory, run
from tests.fixtures_cli import configure
from tests.fixtures_cli import run as cli
from wxdata.core.periods import Week, last_n_weeks
from wxdata.dashboard import keys
from wxdata.dashboard.source import live_source
from wxdata.i18n import t
from wxdata.sources import checks
from wxdata.sources.live import LiveSource
from wxdata.store.admin import AdminState
from wxdata.testing.fake import FAKE_APPID, FAKE_SECRET, FakeWeChat


@pytest.fixture
def live_app(fake_wechat: FakeWeChat, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeWeChat]:
    configure(fake_wechat, monkeypatch)
    monkeypatch.setenv("WXDATA_REFRESH_COOLDOWN_MINUTES", "0")
    st.cache_data.clear()
    yield fake_wechat
    st.cache_data.clear()
    live_source.clear()


def test_the_quota_table_names_each_api_of_each_app(fake_live: LiveSource,
                                                    fake_wechat: FakeWeChat) -> None:
    fake_wechat.daily_limit = 40
    fake_live.load([FAKE_APPID], last_n_weeks(3))
    table = checks.quota_table(fake_live, [FAKE_APPID])
    assert list(zip(table["api"], table["kind"], strict=True)) == [
        (api, kind) for api, kind, _ in checks.QUOTA_APIS]
    weekly = table[(table["api"] == "retention") & (table["kind"] == "week")].iloc[0]
    assert (weekly["daily_limit"], weekly["used"], weekly["remain"]) == (40, 3, 37)
    assert (table["error"] == "").all()


def test_visit_trends_are_asked_once_then_served_from_the_store(
        fake_live: LiveSource, fake_wechat: FakeWeChat, tmp_path: Path) -> None:
    weeks = [Week.last_ended().shift(-10 - i) for i in range(3)]  # final: stored for good
    fake_wechat.disagree(weeks[1], active=-5)
    frame = fake_live.load([FAKE_APPID], weeks).frame
    state = AdminState(fake_live.settings.cache_url)
    visits, failed, missing = checks.stored_visit_trend(fake_live, state, FAKE_APPID, weeks)
    assert (visits, failed, missing) == ([], [], weeks)  # nothing asked unless told
    assert fake_wechat.calls["visits_weekly"] == 0
    visits, failed, missing = checks.stored_visit_trend(fake_live, state, FAKE_APPID, weeks,
                                                        ask=True)
    assert len(visits) == 3 and failed == [] and missing == []
    assert fake_wechat.calls["visits_weekly"] == 3
    again, _, _ = checks.stored_visit_trend(fake_live, AdminState(fake_live.settings.cache_url),
                                            FAKE_APPID, weeks, ask=True)
    assert fake_wechat.calls["visits_weekly"] == 3  # another process: from the store
    table = checks.compare(frame, again, FAKE_APPID)
    wrong = table[~table["agree"]]
    assert list(zip(wrong["cohort_start"].dt.date, wrong["metric"], wrong["difference"],
                    strict=True)) == [(weeks[1].start, "active", -5)]


def test_the_consistency_switch_is_per_app_and_shared(store_url: str) -> None:
    one, other = AdminState(store_url), AdminState(store_url)
    assert one.consistency_apps() == frozenset()
    one.set_consistency("wx1", True, author="lead@corp.cn")
    one.set_consistency("wx2", True, author="lead@corp.cn")
    other.set_consistency("wx2", False, author="lead@corp.cn")
    assert one.consistency_apps() == frozenset({"wx1"})


def test_sync_stops_the_part_its_quota_cannot_pay_for_and_says_how_many_calls(
        live: FakeWeChat, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    live.daily_limit = 5
    code, _, err = cli(capsysbinary, "sync", "--period", "week", "--weeks", "8")
    assert code == 1
    assert "(8 calls)" in err and "only 5 calls" in err
    assert live.calls["weekly"] == 0  # nothing asked, no quota spent
    assert FAKE_SECRET not in err
    live.daily_limit = 100
    code, _, _ = cli(capsysbinary, "sync", "--period", "week", "--weeks", "8")
    assert code == 0 and live.calls["weekly"] == 8


def test_a_refresh_the_quota_cannot_pay_for_says_so_and_does_not_start(
        app: AppFactory, live_app: FakeWeChat) -> None:
    at = app("data", lang="en")
    asked = live_app.calls["weekly"]
    live_app.daily_limit = asked + 1  # one call left, a refresh re-asks every provisional week
    run(at.button(key=keys.REFRESH).click())
    errors = [e.value for e in at.error]
    assert any("calls, but only 1 of that API's quota" in e for e in errors), errors
    assert live_app.calls["weekly"] == asked
    assert t("page.data.checks.title", "en") in [s.value for s in at.subheader]


def test_the_data_page_shows_the_quota_and_the_differences_for_apps_turned_on(
        app: AppFactory, live_app: FakeWeChat) -> None:
    at = app("data", lang="en")
    assert not [d for d in at.dataframe
                if t("page.data.checks.col.remain", "en") in d.value.columns]
    run(at.button(key=keys.CHECKS_QUOTA).click())
    (quota,) = [d.value for d in at.dataframe
                if t("page.data.checks.col.remain", "en") in d.value.columns]
    assert len(quota) == len(checks.QUOTA_APIS)
    assert t("page.data.checks.off", "en") in [c.value for c in at.caption]
    view = at.session_state[keys.VIEW]
    live_app.disagree(view.periods[0], new=3)
    run(at.multiselect(key=keys.CHECKS_APPS).select(FAKE_APPID))
    assert AdminState(view.source.settings.cache_url).consistency_apps() == {FAKE_APPID}
    assert live_app.calls["visits_weekly"] == 0  # turning it on asks nothing yet
    run(at.button(key=keys.CHECKS_FETCH).click())
    assert live_app.calls["visits_weekly"] == len(view.periods)
    (table,) = [d.value for d in at.dataframe
                if t("page.data.checks.col.difference", "en") in d.value.columns]
    first = table.iloc[0]  # the rows that differ come first
    assert first[t("page.data.checks.col.difference", "en")] == 3
    assert first[t("page.data.checks.col.agree", "en")] == t("xlsx.no", "en")


def test_visit_trends_are_kept_like_retention_in_both_stores(store_url: str) -> None:
    from datetime import UTC, datetime, timedelta

    from wxdata.core.visits import Visits

    state = AdminState(store_url)
    final, current = Week.last_ended().shift(-8), Week.last_ended()
    fetched = datetime.now(UTC)
    state.put_visits("wx1", [Visits(final, 120, 900), Visits(current, 5, 40)], fetched)
    state.put_visits("wx1", [Visits(current, 7, 41)], fetched)  # asked again: replaced
    later = fetched + timedelta(days=3)
    assert AdminState(store_url).fresh_visits("wx1", [final, current], fetched,
                                              timedelta(hours=6)) == {
        final: Visits(final, 120, 900), current: Visits(current, 7, 41)}
    # three days on, the provisional answer is stale and asked again; the final one is kept
    assert AdminState(store_url).fresh_visits("wx1", [final, current], later,
                                              timedelta(hours=6)) == {
        final: Visits(final, 120, 900)}

"""Token providers against the fake WeChat: caching, single-flight refresh, forced refresh limits,
credential answers, and no token in any repr or message."""

from __future__ import annotations

import threading

import pytest

from tests.fixtures_fake import TEST_TIMEOUT, deadline_for
from tests.waiting import wait_until
from wxdata.config import AppConfig
from wxdata.core.errors import CredentialError, TransientError
from wxdata.testing.fake import FAKE_SECRET, FakeWeChat
from wxdata.testing.http import Reply
from wxdata.wechat.token import (
    FORCE_DAILY_LIMIT,
    StableTokenProvider,
)


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def stable(fake_wechat: FakeWeChat, fake_app: AppConfig,
           clock: Clock) -> StableTokenProvider:
    return StableTokenProvider(fake_app, api_base=fake_wechat.url, timeout=TEST_TIMEOUT,
                               clock=clock)


def test_the_token_is_cached_until_shortly_before_expiry(
    fake_wechat: FakeWeChat, stable: StableTokenProvider, clock: Clock
) -> None:
    first = stable.token()
    clock.advance(7200 - 301)
    assert stable.token() == first
    assert fake_wechat.calls["stable_token"] == 1
    clock.advance(2)  # inside the five-minute margin: ask WeChat again
    stable.token()
    assert fake_wechat.calls["stable_token"] == 2


def test_the_stable_token_is_asked_for_with_a_json_body_and_no_force(
    fake_wechat: FakeWeChat, stable: StableTokenProvider
) -> None:
    stable.token()
    assert fake_wechat.log[-1] == {"endpoint": "stable_token", "status": 200, "week": None,
                                   "fault": None, "errcode": 0}
    assert fake_wechat.calls["stable_token_force"] == 0


def test_refresh_of_an_already_replaced_token_makes_no_call(
    fake_wechat: FakeWeChat, stable: StableTokenProvider
) -> None:
    old = stable.token()
    fake_wechat.expire_tokens()
    new = stable.refresh(old)
    assert new != old
    assert stable.refresh(old) == new  # a late thread with the same dead token
    assert fake_wechat.calls["stable_token"] == 2


def test_threads_with_the_same_dead_token_share_one_refresh(
    fake_app: AppConfig, clock: Clock
) -> None:
    with FakeWeChat(latency=0.05) as slow:  # a slow token endpoint makes the threads overlap
        provider = StableTokenProvider(fake_app, api_base=slow.url, clock=clock)
        dead = provider.token()
        slow.expire_tokens()
        start = threading.Barrier(8)
        results: list[str] = []

        def worker() -> None:
            start.wait()
            results.append(provider.refresh(dead))

        threads = [threading.Thread(target=worker) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        provider.close()
    assert len(results) == 8 and len(set(results)) == 1 and results[0] != dead
    assert slow.calls["stable_token"] == 2


def test_force_only_after_repeated_dead_answers_and_never_twice_in_30_seconds(
    fake_wechat: FakeWeChat, stable: StableTokenProvider, clock: Clock
) -> None:
    # The fake still considers the token valid, so WeChat answers the "dead" token again.
    dead = stable.token()
    assert stable.refresh(dead) == dead
    assert fake_wechat.calls["stable_token_force"] == 0  # one dead answer is not enough
    forced = stable.refresh(dead)
    assert forced != dead and fake_wechat.calls["stable_token_force"] == 1
    clock.advance(29)
    for _ in range(4):
        assert stable.refresh(forced) == forced
    assert fake_wechat.calls["stable_token_force"] == 1
    clock.advance(2)
    assert stable.refresh(forced) != forced
    assert fake_wechat.calls["stable_token_force"] == 2 == stable.forced_refreshes


def test_at_most_twenty_forced_refreshes_a_day(
    fake_wechat: FakeWeChat, stable: StableTokenProvider, clock: Clock
) -> None:
    token = stable.token()
    for _ in range(FORCE_DAILY_LIMIT + 5):
        clock.advance(31)
        token = stable.refresh(stable.refresh(token))
    assert fake_wechat.calls["stable_token_force"] == FORCE_DAILY_LIMIT == stable.forced_refreshes
    clock.advance(86_400)
    stable.refresh(stable.refresh(token))
    assert fake_wechat.calls["stable_token_force"] == FORCE_DAILY_LIMIT + 1


@pytest.mark.parametrize(("appid", "secret", "fault", "errcode"), [
    ("wxunknown0000000", FAKE_SECRET, None, 40013),
    (None, "wrong-secret-value", None, 40125),
    (None, FAKE_SECRET, 40164, 40164),
])
def test_credential_answers_raise_at_once(
    appid: str | None, secret: str, fault: int | None, errcode: int,
    fake_wechat: FakeWeChat, fake_app: AppConfig,
) -> None:
    app = AppConfig("app", appid or fake_app.appid, secret)
    if fault:
        fake_wechat.fail(fault, on="token")
    provider = StableTokenProvider(app, api_base=fake_wechat.url)
    with pytest.raises(CredentialError) as caught:
        provider.token()
    assert caught.value.errcode == errcode and caught.value.params["appid"] == app.appid
    assert fake_wechat.calls["stable_token"] == 1
    for text in (caught.value.message("zh"), caught.value.message("en"), repr(caught.value)):
        assert secret not in text


@pytest.mark.parametrize(("fault", "code"), [("502", "http_status"), ("notjson", "not_json"),
                                             ("timeout", "timeout"), ("reset", "connection")])
def test_transport_failures_of_the_token_endpoint_are_transient(
    fault: str, code: str, fake_wechat: FakeWeChat, fake_app: AppConfig
) -> None:
    stable = StableTokenProvider(fake_app, api_base=fake_wechat.url, timeout=deadline_for(fault))
    fake_wechat.fail(fault, on="token")
    with pytest.raises(TransientError) as caught:
        stable.token()
    assert caught.value.code == code
    assert stable.token()  # the next call works
    stable.close()


def test_no_token_or_secret_in_repr(fake_wechat: FakeWeChat, fake_app: AppConfig) -> None:
    provider = StableTokenProvider(fake_app, api_base=fake_wechat.url)
    token = provider.token()
    text = repr(provider) + repr(vars(provider).get("app"))
    assert token not in text and FAKE_SECRET not in text
    assert fake_app.appid in text
    provider.close()


class _HeldTokens(FakeWeChat):
    """The fake, holding each token request until ``release`` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def answer(self, method: str, path: str, query: dict[str, str], body: bytes) -> Reply:
        if path == "/cgi-bin/stable_token":
            assert self.release.wait(60), "the token endpoint was never released"
        return super().answer(method, path, query, body)


def test_threads_queued_behind_a_failed_fetch_share_its_error(fake_app: AppConfig) -> None:
    # A slow token endpoint (latency 0.05 s) only made the eight threads likely to overlap: on a
    # loaded machine a thread that starts after the failed fetch ended asks again (2 calls).
    # The fetch is now held until the other seven wait for it.
    with _HeldTokens() as slow:
        slow.fail(40164, on="token", times=-1)
        # held for as long as the seven take to come: no deadline of the call's own meanwhile
        provider = StableTokenProvider(fake_app, api_base=slow.url, timeout=120)
        errors: list[BaseException] = []

        def worker() -> None:
            try:
                provider.token()
            except CredentialError as exc:
                errors.append(exc)

        threads = [threading.Thread(target=worker) for _ in range(8)]
        for thread in threads:
            thread.start()
        wait_until(lambda: provider._flight.waiting("fetch") == 7,
                   "seven threads waiting for the token fetch")
        slow.release.set()
        for thread in threads:
            thread.join()
        assert len(errors) == 8 and len({id(e) for e in errors}) == 8
        assert slow.calls["stable_token"] == 1
        with pytest.raises(CredentialError):
            provider.token()  # a later call asks again: the failure is not cached
        assert slow.calls["stable_token"] == 2
        provider.close()

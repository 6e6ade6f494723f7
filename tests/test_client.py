"""WeChatClient against the fake WeChat over real HTTP: the error table, retries, concurrency,
transport failures and the promise that no secret or token ever leaves the client."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from itertools import pairwise

import pytest

from tests.fixtures_fake import deadline_for
from wxdata.config import AppConfig
from wxdata.core.errors import (
    ApiError,
    CredentialError,
    PayloadError,
    PermanentError,
    QuotaError,
    TokenError,
    TransientError,
    WeekRefusedError,
    WxDataError,
)
from wxdata.core.payload import Retention, parse_payload
from wxdata.core.periods import Day, Month, Period, Week, last_ended_week, now_cst
from wxdata.testing.fake import ENDPOINTS, FAKE_APPID, FAKE_SECRET, FakeWeChat
from wxdata.testing.rules import BLOCKED_IP, demo_data
from wxdata.wechat.client import WeChatClient

MakeClient = Callable[..., WeChatClient]
ATTEMPTS = 4
#: WeChat's official example answer (docs/wechat-api.md): keys 0 and 1, value 0 at key 0.
OFFICIAL_EXAMPLE = {
    "ref_date": "20170306-20170312",
    "visit_uv_new": [{"key": 0, "value": 0}, {"key": 1, "value": 16853}],
    "visit_uv": [{"key": 0, "value": 0}, {"key": 1, "value": 99310}],
}


@pytest.fixture
def week() -> Week:
    return last_ended_week().shift(-8)  # old enough to have all five keys


def messages_of(error: WxDataError) -> list[str]:
    return [error.message("zh"), error.message("en"), str(error), repr(error),
            repr(error.params)]


def assert_clean(texts: list[str], secrets: list[str]) -> None:
    for text in texts:
        for secret in secrets:
            assert secret not in text


# -- the error table of docs/wechat-api.md, scripted on the weekly endpoint forever -----------

#: errcode, raised class, weekly requests the fake receives before the client gives up
ERROR_TABLE = [
    (-1, TransientError, ATTEMPTS),
    (45011, TransientError, ATTEMPTS),
    (61503, TransientError, ATTEMPTS),
    # Every token refused (see test_a_token_that_keeps_dying_stops_after_one_forced_refresh)
    (40001, TokenError, 4),
    (40014, TokenError, 4),
    (42001, TokenError, 4),
    (40013, CredentialError, 1),
    (40125, CredentialError, 1),
    (40164, CredentialError, 1),
    (41001, PermanentError, 1),
    (41002, PermanentError, 1),
    (45009, QuotaError, 1),
    (47001, PermanentError, 1),
    (48001, PermanentError, 1),
    (61500, PermanentError, 1),
    (61501, WeekRefusedError, 1),
]


def old_enough(kind: str) -> Period:
    """A cohort of ``kind`` whose every key is published."""
    return {"day": Day.last_ended().shift(-40), "week": last_ended_week().shift(-8),
            "month": Month.last_ended().shift(-3)}[kind]


@pytest.mark.parametrize("kind", ["day", "week", "month"])
@pytest.mark.parametrize(("errcode", "cls", "requests_made"), ERROR_TABLE)
def test_every_errcode_is_retried_or_raised_as_the_table_says(
    errcode: int, cls: type[ApiError], requests_made: int, kind: str,
    fake_wechat: FakeWeChat, make_client: MakeClient,
) -> None:
    period = old_enough(kind)
    fake_wechat.fail(errcode, times=-1, on=ENDPOINTS[period.kind])
    client = make_client(max_attempts=ATTEMPTS)
    with pytest.raises(cls) as caught:
        client.retention(period)
    error = caught.value
    assert type(error) is cls and error.errcode == errcode
    assert error.params["week"] == period.label and error.params["appid"] == FAKE_APPID
    assert fake_wechat.calls[ENDPOINTS[period.kind]] == requests_made == client.calls
    for text in (error.message("zh"), error.message("en")):
        assert text.strip() and "{" not in text
        assert str(errcode) in text
    assert_clean(messages_of(error), [FAKE_SECRET, *fake_wechat.issued_tokens()])


@pytest.mark.parametrize("errcode", [-1, 45011, 61503])
def test_a_transient_answer_then_data_succeeds(
    errcode: int, fake_wechat: FakeWeChat, make_client: MakeClient, week: Week
) -> None:
    fake_wechat.fail(errcode, times=2)
    result = make_client().retention(week)
    assert result.period == week and result.offsets == 5
    assert fake_wechat.calls["weekly"] == 3


def test_a_refused_token_is_replaced_without_spending_the_retry_budget(
    fake_wechat: FakeWeChat, make_client: MakeClient, week: Week, sleeps: list[float]
) -> None:
    client = make_client(max_attempts=1)
    client.retention(week)
    fake_wechat.expire_tokens()
    assert client.retention(week).offsets == 5  # even with a budget of one attempt
    assert fake_wechat.calls["weekly"] == 3
    assert fake_wechat.calls["stable_token"] == 2 and fake_wechat.calls["stable_token_force"] == 0
    assert sleeps == []


def test_a_token_that_keeps_dying_stops_after_one_forced_refresh(
    fake_wechat: FakeWeChat, make_client: MakeClient, week: Week, sleeps: list[float]
) -> None:
    fake_wechat.fail(40001, times=-1)
    with pytest.raises(TokenError):
        make_client(max_attempts=10).retention(week)
    # X refused, X handed back (1 attempt spent); X again -> forced Y, refused at once, Y handed
    # back (1 more); Y refused again -> stop, however large the budget.
    assert fake_wechat.calls["weekly"] == 4 and len(sleeps) == 2
    assert fake_wechat.calls["stable_token_force"] == 1


def test_credential_answers_from_the_token_endpoint_are_never_retried(
    fake_wechat: FakeWeChat, make_client: MakeClient, week: Week
) -> None:
    fake_wechat.fail(40164, on="token", times=-1)
    with pytest.raises(CredentialError) as caught:
        make_client().retention(week)
    assert caught.value.errcode == 40164 and caught.value.params["week"] == week.label
    assert BLOCKED_IP in caught.value.message("zh") and BLOCKED_IP in caught.value.message("en")
    assert "IP白名单" in caught.value.message("en")
    assert fake_wechat.calls["stable_token"] == 1 and fake_wechat.calls["weekly"] == 0


@pytest.mark.parametrize(("app", "errcode"), [
    (AppConfig("wrong secret", FAKE_APPID, "not-the-secret"), 40125),
    (AppConfig("unknown", "wxunknown0000000", FAKE_SECRET), 40013),
])
def test_wrong_credentials_stop_at_once_without_showing_the_secret(
    app: AppConfig, errcode: int, fake_wechat: FakeWeChat, make_client: MakeClient, week: Week
) -> None:
    with pytest.raises(CredentialError) as caught:
        make_client(app=app).retention(week)
    assert caught.value.errcode == errcode and caught.value.stops_run
    assert app.appid in caught.value.message("en")
    assert fake_wechat.calls["stable_token"] == 1
    assert_clean(messages_of(caught.value), [app.secret, FAKE_SECRET])


# -- answers that are not the numbers --------------------------------------------------------------

@pytest.mark.parametrize(("fault", "code"), [
    ("502", "http_status"), ("notjson", "not_json"), ("timeout", "timeout"),
    ("reset", "connection"), ("empty", "empty_week"),
])
def test_transport_faults_are_retried_then_reported(
    fault: str, code: str, fake_wechat: FakeWeChat, make_client: MakeClient, week: Week
) -> None:
    fake_wechat.fail(fault, times=-1)
    with pytest.raises(TransientError) as caught:
        make_client(max_attempts=3, timeout=deadline_for(fault)).retention(week)
    assert caught.value.code == code and caught.value.params["week"] == week.label
    assert fake_wechat.calls["weekly"] == 3
    assert "127.0.0.1" not in str(caught.value)  # no URL in the message
    assert caught.value.__context__ is None or isinstance(caught.value.__context__, ApiError)


def test_the_timeout_is_a_deadline_for_the_whole_answer(
    fake_wechat: FakeWeChat, make_client: MakeClient, week: Week
) -> None:
    """A server dripping a 300-byte answer one byte per 50 ms (15 s) is cut off at the
    deadline, so only about deadline/50 ms bytes were ever written (once: 113 s for 10 s)."""
    fake_wechat.fail("drip", times=-1)
    with pytest.raises(TransientError) as caught:
        make_client(max_attempts=2, timeout=deadline_for("drip")).retention(week)
    assert caught.value.code == "timeout" and fake_wechat.calls["weekly"] == 2
    body = len(json.dumps(fake_wechat.data(FAKE_APPID, week).to_api()))  # type: ignore[union-attr]
    assert body > 150 and fake_wechat.dripped < body  # two attempts, each cut well short


@pytest.mark.parametrize("fault", ["502", "notjson", "timeout", "reset", "empty"])
def test_one_transport_fault_then_data_succeeds(
    fault: str, fake_wechat: FakeWeChat, make_client: MakeClient, week: Week
) -> None:
    fake_wechat.fail(fault, times=1)
    assert make_client(timeout=deadline_for(fault)).retention(week).offsets == 5
    assert fake_wechat.calls["weekly"] == 2


@pytest.mark.parametrize("fault", ["badpayload", "wrongweek"])
def test_an_invalid_payload_is_raised_at_once(
    fault: str, fake_wechat: FakeWeChat, make_client: MakeClient, week: Week
) -> None:
    fake_wechat.fail(fault, times=-1)
    with pytest.raises(PayloadError) as caught:
        make_client().retention(week)
    assert caught.value.params["week"] == week.label
    assert fake_wechat.calls["weekly"] == 1


def test_an_unreachable_server_is_a_connection_error_without_the_url(
    make_client: MakeClient, week: Week
) -> None:
    with FakeWeChat() as gone:
        url = gone.url
    client = make_client(api_base=url, max_attempts=2)
    with pytest.raises(TransientError) as caught:
        client.retention(week)
    assert caught.value.code == "connection" and url not in str(caught.value)


def test_the_current_week_is_refused(make_client: MakeClient) -> None:
    current = last_ended_week().shift(1)
    with pytest.raises(WeekRefusedError) as caught:
        make_client().retention(current)
    assert caught.value.errcode == 61501 and current.label in caught.value.message("en")


@pytest.mark.parametrize(("period", "dates"), [
    (Day(date(2026, 3, 9)), ("20260309", "20260309")),  # a day: begin = end
    (Week(date(2026, 3, 9)), ("20260309", "20260315")),
    (Month(date(2026, 2, 1)), ("20260201", "20260228")),  # a month: the 1st..its last day
    (Month(date(2024, 2, 1)), ("20240201", "20240229")),
])
def test_each_period_asks_its_own_api_with_its_natural_dates(
    fake_wechat: FakeWeChat, make_client: MakeClient, period: Period, dates: tuple[str, str]
) -> None:
    result = make_client().retention(period)
    assert result.period == period and tuple(result.new) == period.KEYS
    asked = [e for e in fake_wechat.log if e["endpoint"] != "stable_token"]
    assert [(e["endpoint"], e["dates"], e["week"]) for e in asked] == \
        [(ENDPOINTS[period.kind], dates, period.iso)]


@pytest.mark.parametrize("current", [Day.last_ended().shift(1), Month.last_ended().shift(1)],
                         ids=["today", "this_month"])
def test_today_and_the_current_month_are_refused_by_name(
    make_client: MakeClient, current: Period
) -> None:
    with pytest.raises(WeekRefusedError) as caught:
        make_client().retention(current)
    assert caught.value.errcode == 61501 and current.label in caught.value.message("en")


@pytest.mark.parametrize("kind", ["day", "month"])
def test_a_not_yet_computed_day_or_month_is_retried_then_served(
    fake_wechat: FakeWeChat, make_client: MakeClient, kind: str
) -> None:
    period = old_enough(kind)
    fake_wechat.fail("empty", week=period)  # computed later that morning: never cached as 0
    fake_wechat.fail(61503, week=period)
    result = make_client().retention(period)
    assert result.offsets == len(period.KEYS)
    assert fake_wechat.calls[ENDPOINTS[kind]] == 3


def test_the_official_example_answer_parses(make_client: MakeClient) -> None:
    example = parse_payload(OFFICIAL_EXAMPLE)

    def data(appid: str, week: Week) -> Retention:
        return example

    with FakeWeChat(data=data) as fake:
        result = make_client(api_base=fake.url).retention(Week(date(2017, 3, 6)))
    assert dict(result.new) == {0: 0, 1: 16853} and dict(result.active) == {0: 0, 1: 99310}
    assert not result.is_empty  # a zero base is data, not "not computed yet"


def test_the_cloud_call_form_is_tolerated(
    fake_wechat: FakeWeChat, make_client: MakeClient, week: Week
) -> None:
    fake_wechat.fail("camel")
    assert make_client().retention(week).offsets == 5


def test_a_recent_week_has_only_its_published_keys(make_client: MakeClient) -> None:
    assert make_client().retention(last_ended_week()).offsets == 1


# -- backoff ------------------------------------------------------------------------------------

def test_backoff_grows_and_is_bounded(
    fake_wechat: FakeWeChat, make_client: MakeClient, week: Week, sleeps: list[float]
) -> None:
    fake_wechat.fail(-1, times=-1)
    with pytest.raises(TransientError):
        make_client(max_attempts=8, backoff_base=0.5, backoff_max=4.0).retention(week)
    assert len(sleeps) == 7
    assert 0.5 <= sleeps[0] <= 1.0
    assert all(later >= earlier for earlier, later in pairwise(sleeps))
    assert sleeps[2] > sleeps[0] and max(sleeps) == 4.0 == sleeps[-1]


def test_the_minute_quota_waits_the_longest_backoff(
    fake_wechat: FakeWeChat, make_client: MakeClient, week: Week, sleeps: list[float]
) -> None:
    fake_wechat.fail(45011, times=1)
    make_client(backoff_max=6.0).retention(week)
    assert sleeps == [6.0]


def test_permanent_errors_never_sleep(
    fake_wechat: FakeWeChat, make_client: MakeClient, week: Week, sleeps: list[float]
) -> None:
    fake_wechat.fail(48001, times=-1)
    with pytest.raises(PermanentError):
        make_client().retention(week)
    assert sleeps == []


# -- many threads, one client ---------------------------------------------------------------------

@pytest.fixture
def expiring_fake() -> Iterator[FakeWeChat]:
    """A fake that expires every token when its fourth answer is being computed."""
    answered = 0
    lock = threading.Lock()
    holder: list[FakeWeChat] = []

    def data(appid: str, week: Week) -> Retention | None:
        nonlocal answered
        with lock:
            answered += 1
            if answered == 4:
                holder[0].expire_tokens()
        return default(appid, week)

    default = demo_data(now_cst)
    fake = FakeWeChat(data=data, latency=0.02)
    holder.append(fake)
    with fake:
        yield fake


def test_token_expiry_in_the_middle_of_concurrent_calls(
    expiring_fake: FakeWeChat, make_client: MakeClient
) -> None:
    client = make_client(api_base=expiring_fake.url)
    weeks = [last_ended_week().shift(-k) for k in range(1, 17)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(client.retention, weeks))
    assert [r.period for r in results] == weeks
    refused = [e for e in expiring_fake.log if e.get("errcode") == 42001]
    assert refused, "the expiry must have hit calls in flight"
    # one token at the start, then one refresh shared by every thread that saw 42001
    assert expiring_fake.calls["stable_token"] == 2
    assert expiring_fake.calls["stable_token_force"] == 0
    assert client.calls == expiring_fake.calls["weekly"] == 16 + len(refused)


# -- nothing secret anywhere ----------------------------------------------------------------------

def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: BaseException | None = error
    while seen is not None:
        yield seen
        seen = seen.__cause__ or seen.__context__


def test_no_secret_or_token_in_logs_messages_or_reprs(
    fake_wechat: FakeWeChat, make_client: MakeClient, week: Week,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    scripts: list[tuple[int | str, int]] = [
        (-1, 1), ("502", 1), ("timeout", 1), ("notjson", 1), ("reset", 1), (40001, 1),
        (42001, -1), (40164, 1), (45009, 1), (61503, -1), ("badpayload", 1), (47001, 1),
    ]
    client = make_client(max_attempts=3, timeout=deadline_for(*(f for f, _ in scripts)))
    texts: list[str] = [repr(client), repr(client.app), repr(client._tokens)]
    for fault, times in scripts:
        fake_wechat.clear_faults()
        fake_wechat.fail(fault, times=times)
        fake_wechat.expire_tokens()
        try:
            client.retention(week)
        except WxDataError as exc:
            for link in _chain(exc):
                texts += [str(link), repr(link), repr(getattr(link, "params", ""))]
                if isinstance(link, WxDataError):
                    texts += [link.message("zh"), link.message("en")]
    texts.append(caplog.text)
    texts += [repr(record.args) for record in caplog.records]
    tokens = fake_wechat.issued_tokens()
    assert len(tokens) >= 5 and "access_token" in caplog.text  # urllib3 lines were captured
    assert_clean(texts, [FAKE_SECRET, *tokens])


def test_a_wrong_api_address_is_not_retried(
    fake_wechat: FakeWeChat, make_client: MakeClient, week: Week, sleeps: list[float]
) -> None:
    client = make_client(api_base=fake_wechat.url + "/not-wechat", tokens=None)
    with pytest.raises(ApiError) as caught:
        client.retention(week)
    assert caught.value.code == "bad_address" and not caught.value.transient
    assert "HTTP 404" in caught.value.message("en") and sleeps == []

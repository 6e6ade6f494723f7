"""The fake WeChat itself, spoken to with plain requests: WeChat's rules, token semantics,
scripted faults, fault specs, clean shutdown and the fake-server command's entry point."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.fixtures_fake import SHORT_TIMEOUT, SLOW_ANSWER_S, TEST_TIMEOUT
from tests.waiting import PATIENCE_S, wait_until
from wxdata.core.errors import ConfigError
from wxdata.core.payload import parse_payload
from wxdata.core.periods import CST, Day, Month, Period, Week, last_ended_week
from wxdata.testing.fake import ENDPOINTS, FAKE_APPID, FAKE_SECRET, FakeWeChat, parse_fault

WEEKLY_PATH = Week.API_PATH

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=CST)  # a Wednesday
LAST = last_ended_week(NOW)  # 2026-W47


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def stable_token(fake: FakeWeChat, *, force: bool = False, **body: Any) -> dict[str, Any]:
    payload = {"grant_type": "client_credential", "appid": FAKE_APPID, "secret": FAKE_SECRET,
               "force_refresh": force, **body}
    answer: dict[str, Any] = requests.post(f"{fake.url}/cgi-bin/stable_token", json=payload,
                                           timeout=TEST_TIMEOUT).json()
    return answer


def weekly(fake: FakeWeChat, token: str | None, begin: str, end: str) -> requests.Response:
    params = {"access_token": token} if token else {}
    return requests.post(fake.url + WEEKLY_PATH, params=params,
                         json={"begin_date": begin, "end_date": end}, timeout=TEST_TIMEOUT)


def errcode(response: requests.Response) -> int:
    code: int = response.json().get("errcode", 0)
    return code


@pytest.fixture
def fake() -> Any:
    with FakeWeChat(now=lambda: NOW, slow_seconds=SLOW_ANSWER_S) as server:
        yield server


@pytest.fixture
def token(fake: FakeWeChat) -> str:
    value: str = stable_token(fake)["access_token"]
    return value


# -- WeChat's rules -------------------------------------------------------------------------------

def test_an_ended_week_answers_only_its_published_keys(fake: FakeWeChat, token: str) -> None:
    recent = parse_payload(weekly(fake, token, *LAST.api_dates).json(), expect=LAST)
    old = parse_payload(weekly(fake, token, *LAST.shift(-6).api_dates).json())
    assert recent.offsets == 1 and old.offsets == 5
    assert old.new[0] > old.new[1] > 0  # believable: some, not all, come back


@pytest.mark.parametrize(("begin", "end", "expected"), [
    (*LAST.shift(1).api_dates, 61501),  # the current week has not ended
    (*LAST.shift(5).api_dates, 61501),  # a future week
    ("20261117", "20261123", 61501),  # Tuesday..Monday: not a natural week
    ("20261116", "20261121", 61501),  # six days
    ("2026-11-16", "2026-11-22", 61500),  # not yyyymmdd
    ("20261399", "20261405", 61500),  # no such date
])
def test_dates_are_checked_like_wechat(
    fake: FakeWeChat, token: str, begin: str, end: str, expected: int
) -> None:
    assert errcode(weekly(fake, token, begin, end)) == expected


def test_a_body_without_dates_is_a_format_error(fake: FakeWeChat, token: str) -> None:
    response = requests.post(fake.url + WEEKLY_PATH, params={"access_token": token},
                             data="begin_date=20261116", timeout=TEST_TIMEOUT)
    assert errcode(response) == 47001


@pytest.mark.parametrize(("presented", "expected"), [(None, 41001), ("not-a-token", 40001)])
def test_missing_or_unknown_tokens_are_refused(
    fake: FakeWeChat, presented: str | None, expected: int
) -> None:
    assert errcode(weekly(fake, presented, *LAST.api_dates)) == expected
    assert fake.calls["weekly"] == 1


def test_stable_token_wants_a_json_body(fake: FakeWeChat) -> None:
    form = {"grant_type": "client_credential", "appid": FAKE_APPID, "secret": FAKE_SECRET}
    answer = requests.post(f"{fake.url}/cgi-bin/stable_token", data=form,
                           timeout=TEST_TIMEOUT).json()
    assert answer["errcode"] == 41002 and "rid:" in answer["errmsg"]


@pytest.mark.parametrize(("body", "expected"), [
    ({"appid": "wxnobody00000000"}, 40013), ({"secret": "wrong"}, 40125),
    ({"grant_type": "password"}, 40002),
])
def test_stable_token_checks_credentials(
    fake: FakeWeChat, body: dict[str, Any], expected: int
) -> None:
    assert stable_token(fake, **body)["errcode"] == expected


def test_a_stable_token_is_shared_until_forced(fake: FakeWeChat) -> None:
    first = stable_token(fake)
    assert stable_token(fake)["access_token"] == first["access_token"]
    assert 0 < first["expires_in"] <= 7200
    forced = stable_token(fake, force=True)["access_token"]
    assert forced != first["access_token"]
    assert errcode(weekly(fake, first["access_token"], *LAST.api_dates)) == 40001
    assert errcode(weekly(fake, forced, *LAST.api_dates)) == 0
    assert fake.calls["stable_token"] == 3 and fake.calls["stable_token_force"] == 1


def test_tokens_expire_after_their_ttl_and_on_demand() -> None:
    clock = Clock()
    with FakeWeChat(now=lambda: NOW, token_ttl=600, clock=clock) as fake:
        token = stable_token(fake)["access_token"]
        clock.now = 599
        assert errcode(weekly(fake, token, *LAST.api_dates)) == 0
        clock.now = 600
        assert errcode(weekly(fake, token, *LAST.api_dates)) == 42001
        renewed = stable_token(fake)["access_token"]
        assert renewed != token
        fake.expire_tokens()
        assert errcode(weekly(fake, renewed, *LAST.api_dates)) == 42001


# -- the daily and monthly endpoints: the same rules, each period's own dates -----------------

YESTERDAY = Day.last_ended(NOW)  # 2026-11-24
LAST_MONTH = Month.last_ended(NOW)  # 2026-10


def ask(fake: FakeWeChat, token: str, period: type[Period], begin: str,
        end: str) -> requests.Response:
    return requests.post(fake.url + period.API_PATH, params={"access_token": token},
                         json={"begin_date": begin, "end_date": end}, timeout=TEST_TIMEOUT)


@pytest.mark.parametrize(("cohort", "keys"), [
    (YESTERDAY, (0,)), (YESTERDAY.shift(-7), (0, 1, 2, 3, 4, 5, 6, 7)),
    (YESTERDAY.shift(-40), Day.KEYS), (LAST_MONTH, (0,)), (LAST_MONTH.shift(-1), (0, 1)),
])
def test_days_and_months_answer_their_published_keys_in_their_ref_date_form(
        fake: FakeWeChat, token: str, cohort: Period, keys: tuple[int, ...]) -> None:
    answer = ask(fake, token, type(cohort), *cohort.api_dates).json()
    assert answer["ref_date"] == cohort.ref_date
    parsed = parse_payload(answer, expect=cohort)
    assert tuple(parsed.new) == keys == tuple(parsed.active)
    assert fake.calls[ENDPOINTS[cohort.kind]] == 1 and fake.calls["weekly"] == 0


@pytest.mark.parametrize(("period", "begin", "end", "expected"), [
    (Day, "20261123", "20261124", 61501),  # a range on the daily endpoint
    (Day, "20261125", "20261125", 61501),  # today has not ended (NOW is 11-25 10:00 UTC+8)
    (Day, "20261126", "20261126", 61501),  # the future
    (Day, "2026-11-24", "2026-11-24", 61500),
    (Month, "20261001", "20261030", 61501),  # not the month's last day
    (Month, "20261002", "20261031", 61501),  # not its first
    (Month, "20260201", "20260228", 0),  # February's last day is the 28th in 2026
    (Month, "20261101", "20261130", 61501),  # the current month
    (Month, "20260931", "20261030", 61500),  # no such date
])
def test_daily_and_monthly_dates_are_checked_like_wechat(
        fake: FakeWeChat, token: str, period: type[Period], begin: str, end: str,
        expected: int) -> None:
    assert errcode(ask(fake, token, period, begin, end)) == expected
    assert fake.log[-1]["dates"] == (begin, end)


def test_faults_are_scripted_per_daily_and_monthly_cohort(fake: FakeWeChat, token: str) -> None:
    target = YESTERDAY.shift(-3)
    fake.fail(61503, week=target, times=-1)  # this day only
    fake.fail(-1, on="monthly", times=2)  # any month, twice
    assert errcode(ask(fake, token, Day, *target.api_dates)) == 61503
    assert errcode(ask(fake, token, Day, *target.shift(-1).api_dates)) == 0
    # the week and the month that contain the day are other cohorts of other endpoints
    assert errcode(weekly(fake, token, *Week.containing(target.start).api_dates)) == 0
    months = [errcode(ask(fake, token, Month, *LAST_MONTH.api_dates)) for _ in range(3)]
    assert months == [-1, -1, 0]
    assert (fake.calls["daily"], fake.calls["weekly"], fake.calls["monthly"]) == (2, 1, 3)
    camel_day = YESTERDAY.shift(-10)
    fake.fail("camel", week=camel_day)
    camel = ask(fake, token, Day, *camel_day.api_dates).json()
    assert camel["errMsg"] == "openapi.analysis.getDailyRetain:ok"
    assert parse_payload(camel).period == camel_day


# -- scripted faults ------------------------------------------------------------------------------

def test_faults_count_down_and_match_their_week(fake: FakeWeChat, token: str) -> None:
    target, other = LAST.shift(-2), LAST.shift(-3)
    fake.fail(-1, times=2)
    fake.fail(61503, week=target, times=-1)
    codes = [errcode(weekly(fake, token, *other.api_dates)) for _ in range(3)]
    assert codes == [-1, -1, 0]
    assert [errcode(weekly(fake, token, *target.api_dates)) for _ in range(3)] == [61503] * 3
    fake.clear_faults()
    assert errcode(weekly(fake, token, *target.api_dates)) == 0


def test_the_whitelist_answer_names_the_ip_like_wechat(fake: FakeWeChat, token: str) -> None:
    fake.fail(40164)
    message = weekly(fake, token, *LAST.api_dates).json()["errmsg"]
    assert message.startswith("invalid ip 203.0.113.7 ipv6 ::ffff:203.0.113.7")
    assert "rid:" in message


@pytest.mark.parametrize(("fault", "status", "kind"), [
    ("502", 502, "text/html"), ("notjson", 200, "text/html"),
])
def test_html_answers(fake: FakeWeChat, token: str, fault: str, status: int, kind: str) -> None:
    fake.fail(fault)
    response = weekly(fake, token, *LAST.api_dates)
    assert response.status_code == status and response.headers["Content-Type"] == kind
    with pytest.raises(ValueError):
        response.json()


def test_payload_faults(fake: FakeWeChat, token: str) -> None:
    week = LAST.shift(-6)
    for fault in ("empty", "wrongweek", "camel", "badpayload"):
        fake.fail(fault)
    empty, wrong, camel, bad = (weekly(fake, token, *week.api_dates).json() for _ in range(4))
    assert parse_payload(empty).is_empty
    assert parse_payload(wrong).period == week.shift(-1)
    assert "errMsg" in camel and parse_payload(camel).period == week
    assert not isinstance(bad["visit_uv"], list)


def test_a_slow_answer_outlasts_a_short_timeout(fake: FakeWeChat, token: str) -> None:
    """The slow answer comes when the fake stops, never sooner: a client that the machine's
    load kept from reading for a while still finds nothing to read when it does."""
    fake.fail("timeout")
    with pytest.raises(requests.Timeout):
        requests.post(fake.url + WEEKLY_PATH, params={"access_token": token},
                      json=dict(zip(("begin_date", "end_date"), LAST.api_dates, strict=True)),
                      timeout=SHORT_TIMEOUT)


def test_unknown_faults_are_refused(fake: FakeWeChat) -> None:
    with pytest.raises(ValueError):
        fake.fail("explode")
    with pytest.raises(ValueError):
        fake.fail(-1, on="elsewhere")
    with pytest.raises(ValueError):
        fake.fail(-1, on="token", week=LAST)


def test_the_log_has_no_tokens(fake: FakeWeChat, token: str) -> None:
    fake.fail(-1)
    weekly(fake, token, *LAST.api_dates)
    weekly(fake, token, *LAST.api_dates)
    assert [entry.get("errcode") for entry in fake.log] == [0, -1, 0]
    assert token not in repr(fake.log) and FAKE_SECRET not in repr(fake.log)


@pytest.mark.parametrize(("spec", "expected"), [
    ("2026-W40=61501", (61501, Week(date(2026, 9, 28)), 1, "weekly")),
    ("any=502", ("502", None, 1, "weekly")),
    ("2026-W41=timeout", ("timeout", Week(date(2026, 10, 5)), 1, "weekly")),
    ("any=-1*3", (-1, None, 3, "weekly")),
    ("any=45011*forever", (45011, None, -1, "weekly")),
    ("2026-11-18=empty", ("empty", Week(date(2026, 11, 16)), 1, "weekly")),
    ("day:2026-11-18=61503*2", (61503, Day(date(2026, 11, 18)), 2, "daily")),
    ("day:any=-1", (-1, None, 1, "daily")),
    ("month:2026-10=45009", (45009, Month(date(2026, 10, 1)), 1, "monthly")),
    ("month:2026-10-15=empty", ("empty", Month(date(2026, 10, 1)), 1, "monthly")),
])
def test_parse_fault(spec: str, expected: tuple[Any, Period | None, int, str]) -> None:
    assert parse_fault(spec) == expected


@pytest.mark.parametrize("spec", ["61501", "any=", "any=boom", "2026-W60=-1", "any=-1*x",
                                  "year:2026=-1", "month:2026-13=-1", "day:2026-02-30=-1"])
def test_bad_fault_specs_say_the_expected_form(spec: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_fault(spec)
    assert "2026-W40=61501" in caught.value.message("en")


# -- lifecycle ------------------------------------------------------------------------------------

def test_stop_leaves_nothing_running_even_mid_answer() -> None:
    before = set(threading.enumerate())
    fake = FakeWeChat(now=lambda: NOW, slow_seconds=SLOW_ANSWER_S).start()
    session = requests.Session()  # keeps a connection open after its request
    token = session.post(f"{fake.url}/cgi-bin/stable_token", timeout=TEST_TIMEOUT, json={
        "grant_type": "client_credential", "appid": FAKE_APPID, "secret": FAKE_SECRET,
    }).json()["access_token"]
    fake.fail("timeout")
    slow = threading.Thread(target=lambda: _swallow(lambda: weekly(fake, token, *LAST.api_dates)))
    slow.start()
    wait_until(lambda: fake.calls["weekly"] == 1, "the slow weekly request reached the fake")
    fake.stop()
    slow.join()  # the stop ended the answer: the request fails at once (pytest-timeout bounds it)
    session.close()
    assert set(threading.enumerate()) == before
    fake.stop()  # a second stop is harmless


def _swallow(call: Any) -> None:
    with contextlib.suppress(requests.RequestException):
        call()


def test_many_concurrent_requests_are_all_counted(fake: FakeWeChat, token: str) -> None:
    def ask() -> None:
        for _ in range(5):
            weekly(fake, token, *LAST.shift(-1).api_dates)

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert fake.calls["weekly"] == 40 == len([e for e in fake.log if e["endpoint"] == "weekly"])


def test_serve_prints_how_to_use_it_and_stops_on_sigterm(tmp_path: Path) -> None:
    code = ("from wxdata.testing.fake import serve; "
            "serve(port=0, faults=['any=-1*2', 'day:any=61503'], lang='en')")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                               env=env)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        url = line.split("WXDATA_API_BASE=")[1].split()[0]
        assert f"WXDATA_APPID={FAKE_APPID}" in line and f"WXDATA_SECRET={FAKE_SECRET}" in line
        answer = requests.post(f"{url}/cgi-bin/stable_token", timeout=TEST_TIMEOUT, json={
            "grant_type": "client_credential", "appid": FAKE_APPID, "secret": FAKE_SECRET,
        }).json()
        assert "access_token" in answer
        codes = [requests.post(url + WEEKLY_PATH, params={"access_token": answer["access_token"]},
                               json={"begin_date": "20260105", "end_date": "20260111"},
                               timeout=TEST_TIMEOUT).json().get("errcode", 0) for _ in range(3)]
        assert codes == [-1, -1, 0]
        daily = [requests.post(url + Day.API_PATH, params={"access_token": answer["access_token"]},
                               json={"begin_date": "20260105", "end_date": "20260105"},
                               timeout=TEST_TIMEOUT).json().get("errcode", 0) for _ in range(2)]
        assert daily == [61503, 0]
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=PATIENCE_S) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

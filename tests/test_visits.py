"""Visit trend and quota (core/visits.py, WeChatClient.visits/quota) against the fake WeChat
server over real HTTP: the three periods, the answer's checks, faults retried, the quota's
count, and no credential in any error."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from wxdata.core.errors import ApiError, PayloadError
from wxdata.core.periods import Day, Month, Week, last_ended_week
from wxdata.core.visits import parse_quota, parse_visits
from wxdata.testing.fake import FAKE_SECRET, FakeWeChat
from wxdata.wechat.client import WeChatClient

PERIODS = [Day.last_ended().shift(-40), last_ended_week().shift(-5), Month.last_ended().shift(-2)]


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: p.kind)
def test_visits_agree_with_retention_key_0(make_client: Callable[..., WeChatClient],
                                           fake_wechat: FakeWeChat, period: Week) -> None:
    client = make_client()
    retention, visits = client.retention(period), client.visits(period)
    assert visits.period == period
    assert (visits.new_users, visits.active_users) == (retention.new[0], retention.active[0])
    assert visits.sessions == retention.active[0] * 3 // 2  # the fake's own made-up figures
    endpoint = {"day": "daily", "week": "weekly", "month": "monthly"}[period.kind]
    assert fake_wechat.calls[f"visits_{endpoint}"] == 1 and fake_wechat.calls[endpoint] == 1


def test_a_scripted_discrepancy_shows(make_client: Callable[..., WeChatClient],
                                      fake_wechat: FakeWeChat) -> None:
    week = PERIODS[1]
    fake_wechat.disagree(week, new=-25, active=40)
    client = make_client()
    retention, visits = client.retention(week), client.visits(week)
    assert visits.new_users == retention.new[0] - 25
    assert visits.active_users == retention.active[0] + 40


def test_visit_faults_are_retried_like_retention(make_client: Callable[..., WeChatClient],
                                                 fake_wechat: FakeWeChat,
                                                 sleeps: list[float]) -> None:
    week = PERIODS[1]
    fake_wechat.fail("502", week=week, on="visits_weekly")
    fake_wechat.fail(-1, week=week, on="visits_weekly")
    assert make_client().visits(week).period == week
    assert fake_wechat.calls["visits_weekly"] == 3 and len(sleeps) == 2
    fake_wechat.fail(61501, week=week, on="visits_weekly")
    with pytest.raises(ApiError) as caught:
        make_client().visits(week)
    assert caught.value.errcode == 61501 and week.label in caught.value.message("en")


def test_the_quota_counts_calls_of_its_path(make_client: Callable[..., WeChatClient],
                                            fake_wechat: FakeWeChat) -> None:
    fake_wechat.daily_limit = 10
    client = make_client()
    for week in (PERIODS[1], PERIODS[1].shift(-1), PERIODS[1].shift(-2)):
        client.retention(week)
    quota = client.quota(Week.API_PATH)
    assert (quota.daily_limit, quota.used, quota.remain) == (10, 3, 7)
    assert client.quota(Day.API_PATH).used == 0
    assert fake_wechat.calls["quota"] == 2
    with pytest.raises(ApiError) as caught:
        client.quota("/datacube/no-such-api")
    assert caught.value.errcode == 76021
    text = caught.value.message("zh") + caught.value.message("en")
    assert FAKE_SECRET not in text
    assert not any(token in text for token in fake_wechat.issued_tokens())


@pytest.mark.parametrize(("answer", "code"), [
    ({"list": "x"}, "not_a_list"),
    ({"list": [{"visit_uv": 1}]}, "missing_field"),
    ({"list": [{"ref_date": "2026-13", "visit_uv": 1, "visit_uv_new": 1}]},
     "bad_visit_ref_date"),
    ({"list": [{"ref_date": "20261103", "visit_uv": -1, "visit_uv_new": 1}]}, "bad_visit_value"),
    ({"list": [{"ref_date": "20261103", "visit_uv": 1.5, "visit_uv_new": 1}]},
     "bad_visit_value"),
    ({"list": [{"ref_date": "20261104", "visit_uv": 1, "visit_uv_new": 1}]}, "no_visit_row"),
    ({"list": []}, "no_visit_row"),
])
def test_a_bad_visit_answer_is_refused_by_name(answer: object, code: str) -> None:
    with pytest.raises(PayloadError) as caught:
        parse_visits(answer, expect=Day.parse("2026-11-03"))
    assert caught.value.code == code


def test_a_bad_quota_answer_is_refused() -> None:
    for answer in ({}, {"quota": {"daily_limit": 1, "used": "x", "remain": 0}}, []):
        with pytest.raises(PayloadError):
            parse_quota(answer)

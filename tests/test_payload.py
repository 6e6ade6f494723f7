from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wxdata.core.errors import PayloadError
from wxdata.core.payload import (
    MAX_ANSWERS,
    MAX_FILE_BYTES,
    MAX_USERS,
    Retention,
    loads,
    parse_many,
    parse_payload,
)
from wxdata.core.periods import Day, Month, Week

# The official page's example answers, verbatim (docs/wechat-api.md, the retention family).
SEED_HTTPS = {
    "ref_date": "20170306-20170312",
    "visit_uv_new": [{"key": 0, "value": 0}, {"key": 1, "value": 16853}],
    "visit_uv": [{"key": 0, "value": 0}, {"key": 1, "value": 99310}],
}
SEED_CLOUD = {
    "refDate": "20170306-20170312",
    "visitUvNew": [{"key": 0, "value": 0}, {"key": 1, "value": 16853}],
    "visitUv": [{"key": 0, "value": 0}, {"key": 1, "value": 99310}],
    "errMsg": "openapi.analysis.getWeeklyRetain:ok",
}
SEED_WEEK = Week(date(2017, 3, 6))


@pytest.mark.parametrize("answer", [SEED_HTTPS, SEED_CLOUD], ids=["https", "cloud"])
def test_seed_example_parses_in_both_forms(answer: dict[str, Any]) -> None:
    payload = parse_payload(answer, expect=SEED_WEEK)
    assert payload.period == SEED_WEEK
    assert dict(payload.new) == {0: 0, 1: 16853}
    assert dict(payload.active) == {0: 0, 1: 99310}
    assert payload.offsets == 2


def test_to_api_round_trips_the_cloud_form_into_the_https_form() -> None:
    assert parse_payload(SEED_CLOUD).to_api() == SEED_HTTPS


def _with(**changes: Any) -> dict[str, Any]:
    return {**SEED_HTTPS, **changes}


@pytest.mark.parametrize(
    ("answer", "code"),
    [
        ([1, 2], "not_an_object"),
        ({"visit_uv_new": [], "visit_uv": []}, "missing_field"),
        (_with(ref_date="20170307-20170313"), "bad_ref_date"),
        (_with(ref_date="2017-03-06"), "bad_ref_date"),
        (_with(visit_uv="oops"), "not_a_list"),
        (_with(visit_uv_new=[{"key": -1, "value": 3}]), "bad_key"),
        (_with(visit_uv_new=[{"key": 0.5, "value": 3}]), "bad_key"),
        (_with(visit_uv_new=[{"key": True, "value": 3}]), "bad_key"),
        (_with(visit_uv_new=[{"key": 0, "value": -3}]), "bad_value"),
        (_with(visit_uv_new=[{"key": 0, "value": "12"}]), "bad_value"),
        (_with(visit_uv_new=[{"key": 0, "value": 2.5}]), "bad_value"),
        (_with(visit_uv_new=[{"key": 0, "value": 1}, {"key": 0, "value": 2}]), "duplicate_key"),
        (_with(visit_uv_new=["x"]), "bad_key"),
        ({k: v for k, v in SEED_CLOUD.items() if k != "visitUv"}, "missing_field"),
        ({**SEED_CLOUD, "errMsg": "openapi.analysis.getWeeklyRetain:fail"}, "cloud_error"),
    ],
)
def test_schema_errors_name_the_week(answer: Any, code: str) -> None:
    with pytest.raises(PayloadError) as info:
        parse_payload(answer, expect=SEED_WEEK)
    assert info.value.code == code
    assert "2017-W10" in str(info.value) or code in ("bad_ref_date",)
    assert info.value.message("zh") != info.value.message("en")


def test_answer_for_another_week_is_refused() -> None:
    with pytest.raises(PayloadError, match="Asked for 2017-W11"):
        parse_payload(SEED_HTTPS, expect=SEED_WEEK.shift(1))


def test_whole_floats_are_accepted_as_counts() -> None:
    payload = parse_payload(_with(visit_uv_new=[{"key": 0.0, "value": 12.0}]))
    assert dict(payload.new) == {0: 12}


@pytest.mark.parametrize("errcode", [45009, "45009", 40164.0])
def test_a_saved_errcode_answer_is_a_payload_error_naming_the_errcode(errcode: object) -> None:
    # A file that holds WeChat's "no" holds no data: said as a file problem, never raised as the
    # API error it once was (an upload must not look like a quota hit of the dashboard's own).
    with pytest.raises(PayloadError) as info:
        parse_payload({"errcode": errcode, "errmsg": "invalid ip 203.0.113.9, not in whitelist"})
    assert info.value.code == "error_answer" and info.value.params["errcode"] == int(errcode)
    assert "203.0.113.9" in info.value.message("en")


def test_an_ok_errcode_is_not_an_error() -> None:
    assert parse_payload({**SEED_HTTPS, "errcode": 0, "errmsg": "ok"}).period == SEED_WEEK


def test_empty_series_parse_but_are_flagged_empty() -> None:
    payload = parse_payload(_with(visit_uv_new=[], visit_uv=[]))
    assert payload.is_empty and payload.offsets == 0
    assert not parse_payload(SEED_HTTPS).is_empty


def test_loads_accepts_bom_list_and_single_object() -> None:
    text = json.dumps([SEED_HTTPS, {**SEED_CLOUD, "refDate": "20170313-20170319"}])
    payloads = loads(("\ufeff" + text).encode("utf-8"))
    assert [p.period.iso for p in payloads] == ["2017-W10", "2017-W11"]
    assert len(loads(json.dumps(SEED_CLOUD))) == 1


@pytest.mark.parametrize(
    ("content", "code"),
    [(b"\xff\xfe\x00garbage", "not_utf8"), (b"{not json", "not_json"), (b"[]", "empty_file"),
     (json.dumps([SEED_HTTPS, {"ref_date": 3}]).encode(), "in_item")],
)
def test_loads_reports_bad_files(content: bytes, code: str) -> None:
    with pytest.raises(PayloadError) as info:
        loads(content)
    assert info.value.code == code


def test_bad_item_in_a_list_is_named_by_position_in_both_languages() -> None:
    with pytest.raises(PayloadError) as info:
        parse_many([SEED_HTTPS, SEED_HTTPS, {"refDate": "x"}])
    assert "Item 3" in info.value.message("en")
    assert "第 3 条" in info.value.message("zh")


series = st.dictionaries(st.integers(0, 4), st.integers(0, MAX_USERS), max_size=5)


@given(st.dates(date(2000, 1, 1), date(2090, 1, 1)), series, series, st.booleans())
def test_round_trip_through_both_forms(day: date, new: dict[int, int], active: dict[int, int],
                                       cloud: bool) -> None:
    week = Week.containing(day)
    original = Retention(week, new, active)
    api = original.to_api()
    if cloud:
        api = {"refDate": api["ref_date"], "visitUvNew": api["visit_uv_new"],
               "visitUv": api["visit_uv"], "errMsg": "openapi.analysis.getWeeklyRetain:ok"}
    parsed = parse_payload(json.loads(json.dumps(api)), expect=week)
    assert parsed.period == week
    assert dict(parsed.new) == new and dict(parsed.active) == active


# -- strict validation: what a hostile or broken answer may not bring in ----------------------


@pytest.mark.parametrize(("item", "code", "shown"), [
    ({"key": 5, "value": 1}, "bad_key", "key 5"),
    ({"key": 3_000_000, "value": 1}, "bad_key", "3000000"),  # once made the server allocate 20 GB
    ({"key": 0, "value": 10**10}, "bad_value", "10000000000"),
    ({"key": 0, "value": 10**30}, "bad_value", "1000000000000000000000000000000"),
    ({"key": 0, "value": 2**63}, "bad_value", "9223372036854775808"),
    ({"key": 0, "value": 1e300}, "bad_value", "key 0"),
])
def test_keys_are_the_documented_offsets_and_counts_are_sane(
        item: dict[str, Any], code: str, shown: str) -> None:
    with pytest.raises(PayloadError) as info:
        parse_payload(_with(visit_uv_new=[item]))
    assert info.value.code == code and shown in info.value.message("en")
    assert "0..4" in info.value.message("zh") or "10,000,000,000" in info.value.message("zh") \
        or "9,999,999,999" in info.value.message("zh")


def test_no_invalid_payload_can_be_built_in_code_either() -> None:
    with pytest.raises(PayloadError):
        Retention(SEED_WEEK, {7: 1}, {})
    with pytest.raises(PayloadError):
        Retention(SEED_WEEK, {}, {0: -1})


def test_more_items_than_keys_are_refused_before_anything_else() -> None:
    items = [{"key": k, "value": 1} for k in range(6)]
    with pytest.raises(PayloadError) as info:
        parse_payload(_with(visit_uv=items))
    assert info.value.code == "too_many_keys"


def test_a_rate_above_one_is_kept_and_flagged() -> None:
    payload = parse_payload(_with(visit_uv_new=[{"key": 0, "value": 100},
                                                {"key": 2, "value": 130}]))
    assert dict(payload.new) == {0: 100, 2: 130}
    assert payload.above_base() == (("new", 2),)
    assert parse_payload(SEED_HTTPS).above_base() == ()  # over a zero base: undefined, not > 1


def test_a_file_is_one_answer_per_week() -> None:
    later = {**SEED_HTTPS, "ref_date": "20170313-20170319"}
    assert [p.period for p in parse_many([later, SEED_HTTPS, SEED_HTTPS])] == \
        [SEED_WEEK, SEED_WEEK.shift(1)]  # identical repeats kept once, oldest first
    other = _with(visit_uv=[{"key": 0, "value": 5}])
    with pytest.raises(PayloadError) as info:
        parse_many([SEED_HTTPS, later, other])
    assert info.value.code == "conflicting_week" and "3" in info.value.message("en")


def test_huge_deep_and_overlong_files_are_refused_with_their_reason() -> None:
    with pytest.raises(PayloadError) as info:
        loads(b"[" * 100_000 + b"]" * 100_000)
    assert info.value.code == "too_deep"
    with pytest.raises(PayloadError) as info:
        loads(json.dumps([SEED_HTTPS] * (MAX_ANSWERS + 1)))
    assert info.value.code == "too_many_week_answers" and str(MAX_ANSWERS + 1) in str(info.value)
    assert f"{MAX_ANSWERS + 1} weeks" in info.value.message("en")
    assert f"{MAX_ANSWERS + 1} 周" in info.value.message("zh")
    with pytest.raises(PayloadError) as info:
        loads(b" " * (MAX_FILE_BYTES + 1))
    assert info.value.code == "too_big"


# -- days and months: their own keys and ref_date forms ------------------------------------------

DAILY_CLOUD = {  # the cloud-call form of getDailyRetain, as a cloud function saves it
    "refDate": "20261103",
    "visitUvNew": [{"key": 0, "value": 500}, {"key": 1, "value": 120}, {"key": 30, "value": 9}],
    "visitUv": [{"key": 0, "value": 4000}, {"key": 14, "value": 800}],
    "errMsg": "openapi.analysis.getDailyRetain:ok",
}
MONTHLY_CLOUD = {
    "refDate": "202610",
    "visitUvNew": [{"key": 0, "value": 9000}, {"key": 1, "value": 1500}],
    "visitUv": [{"key": 0, "value": 60000}, {"key": 1, "value": 21000}],
    "errMsg": "openapi.analysis.getMonthlyRetain:ok",
}


@pytest.mark.parametrize(("ref_date", "key", "allowed"), [
    ("20261103", 8, "0..7, 14, 30"), ("20261103", 31, "0..7, 14, 30"),
    ("202610", 2, "0..1"), ("20261102-20261108", 5, "0..4"),
])
def test_a_key_outside_its_periods_api_is_refused_by_name(ref_date: str, key: int,
                                                          allowed: str) -> None:
    answer = {"ref_date": ref_date, "visit_uv_new": [{"key": 0, "value": 10}],
              "visit_uv": [{"key": key, "value": 1}]}
    with pytest.raises(PayloadError) as info:
        parse_payload(answer)
    assert info.value.code == "bad_key"
    for lang in ("zh", "en"):
        message = info.value.message(lang)
        assert f"key {key}" in message and allowed in message and "visit_uv" in message
        assert "周留存" not in message and "weekly" not in message


@pytest.mark.parametrize("answer", [DAILY_CLOUD, MONTHLY_CLOUD], ids=["daily", "monthly"])
def test_daily_and_monthly_cloud_call_answers_parse_into_their_https_form(
        answer: dict[str, Any]) -> None:
    parsed = parse_payload(answer)
    assert parsed.to_api() == {"ref_date": answer["refDate"], "visit_uv_new": answer["visitUvNew"],
                               "visit_uv": answer["visitUv"]}
    assert parse_payload(parsed.to_api()) == parsed


def test_the_ref_date_form_says_the_period() -> None:
    day, month = parse_payload(DAILY_CLOUD), parse_payload(MONTHLY_CLOUD)
    assert (day.period, day.offsets, dict(day.new)) == (Day(date(2026, 11, 3)), 3,
                                                        {0: 500, 1: 120, 30: 9})
    assert (month.period, month.offsets) == (Month(date(2026, 10, 1)), 2)
    assert parse_payload(SEED_HTTPS).period == SEED_WEEK  # the official weekly example


@pytest.mark.parametrize("ref_date", ["20260230", "202613", "2026110", "20261103-20261103",
                                      "2026-11"])
def test_a_ref_date_of_no_period_is_refused(ref_date: str) -> None:
    with pytest.raises(PayloadError) as info:
        parse_payload({**SEED_HTTPS, "ref_date": ref_date})
    assert info.value.code == "bad_ref_date"


def test_an_answer_of_another_kind_than_asked_is_refused() -> None:
    # a day and a week that start on the same date are not the same cohort
    with pytest.raises(PayloadError) as info:
        parse_payload({**DAILY_CLOUD, "refDate": "20170306"}, expect=SEED_WEEK)
    assert info.value.code == "wrong_week"


def test_a_month_with_three_items_is_refused_before_anything_else() -> None:
    items = [{"key": k, "value": 1} for k in range(3)]
    with pytest.raises(PayloadError) as info:
        parse_payload({**MONTHLY_CLOUD, "visitUv": items})
    assert info.value.code == "too_many_keys" and "0..1" in info.value.message("en")


def test_a_file_may_mix_days_weeks_and_months() -> None:
    monday_day = {**DAILY_CLOUD, "refDate": "20170306"}  # the seed week's Monday as a day
    payloads = loads(json.dumps([MONTHLY_CLOUD, SEED_HTTPS, monday_day, DAILY_CLOUD]))
    assert sorted((p.period.kind, p.period.iso) for p in payloads) == [
        ("day", "2017-03-06"), ("day", "2026-11-03"), ("month", "2026-10"), ("week", "2017-W10")]


day_series = st.dictionaries(st.sampled_from(Day.KEYS), st.integers(0, MAX_USERS), max_size=10)
month_series = st.dictionaries(st.sampled_from(Month.KEYS), st.integers(0, MAX_USERS), max_size=2)


@given(st.dates(date(2000, 1, 1), date(2090, 1, 1)), day_series, day_series, month_series,
       st.booleans())
def test_days_and_months_round_trip_through_both_forms(
        day: date, new: dict[int, int], active: dict[int, int], monthly: dict[int, int],
        cloud: bool) -> None:
    for original in (Retention(Day(day), new, active),
                     Retention(Month.containing(day), monthly, monthly)):
        api = original.to_api()
        if cloud:
            api = {"refDate": api["ref_date"], "visitUvNew": api["visit_uv_new"],
                   "visitUv": api["visit_uv"],
                   "errMsg": f"openapi.analysis.{original.period.CLOUD_CALL}:ok"}
        assert parse_payload(json.loads(json.dumps(api)), expect=original.period) == original

"""Property-based fuzzing of everything that reads input from outside: saved answers and files,
WeChat's answers, the import path. Whatever arrives, only the project's own errors come out,
and nothing allocates more than a bound (the process's address space is capped while each
example runs: a 2 KB upload once made the server allocate 20 GB)."""

from __future__ import annotations

import json
import re
import resource
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from wxdata.analytics.cohort import cohort_matrix
from wxdata.cli.commands import read_saved
from wxdata.core.errors import WxDataError
from wxdata.core.payload import MAX_USERS, Retention, loads, parse_many, parse_payload
from wxdata.core.periods import CST, EARLIEST_DAY, Week, last_n_weeks
from wxdata.core.tidy import to_frame
from wxdata.dashboard.text import plain
from wxdata.dashboard.urlstate import MAX_PERIODS, parse_selection
from wxdata.store import open_store

T = TypeVar("T")
#: How much more address space one example may take than the process had before it.
HEADROOM = 512 * 1024 * 1024


def _address_space() -> int:
    with open("/proc/self/status") as status:
        line = next(row for row in status if row.startswith("VmSize:"))
    return int(line.split()[1]) * 1024


@contextmanager
def memory_bound() -> Iterator[None]:
    """Any allocation beyond HEADROOM raises MemoryError (and so fails the test)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (_address_space() + HEADROOM, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


WEEK = last_n_weeks(1)[0]
NOW = datetime(2026, 11, 28, 12, tzinfo=CST)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                    st.text(max_size=20))
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=6), st.dictionaries(st.text(max_size=12), inner, max_size=6)),
    max_leaves=40)
keys = st.one_of(st.integers(-5, 10), st.integers(), st.floats(), st.text(max_size=5),
                 st.none(), st.booleans())
items = st.one_of(st.fixed_dictionaries({"key": keys, "value": st.one_of(keys, st.integers())}),
                  json_values)
answers = st.fixed_dictionaries(
    {"ref_date": st.one_of(st.just(WEEK.ref_date), st.text(max_size=20)),
     "visit_uv_new": st.one_of(st.lists(items, max_size=8), json_values),
     "visit_uv": st.one_of(st.lists(items, max_size=8), json_values)},
    optional={"errcode": st.one_of(st.integers(), st.text(max_size=8), st.floats()),
              "errmsg": st.text(max_size=40), "errMsg": st.text(max_size=40)})

FUZZ = settings(max_examples=300, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _only_our_errors(call: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
    """What ``call`` returns, or None when it raised one of the project's errors, which then
    says what is wrong in both languages (anything else raised fails the test)."""
    with memory_bound():
        try:
            return call(*args, **kwargs)
        except WxDataError as exc:
            assert exc.message("zh") and exc.message("en") and exc.code
            return None


def _assert_valid(payloads: list[Retention]) -> None:
    """Only what a cohort of its period can hold came out, and it is its own answer again."""
    for payload in payloads:
        for series in (payload.new, payload.active):
            assert set(series) <= set(payload.period.KEYS)
            assert all(type(v) is int and 0 <= v <= MAX_USERS for v in series.values())
        assert parse_payload(payload.to_api(), expect=payload.period) == payload


@FUZZ
@given(st.one_of(answers, json_values, st.lists(answers, max_size=4)))
def test_parsing_any_json_gives_valid_answers_or_our_errors(value: Any) -> None:
    many = _only_our_errors(parse_many, value)
    one = _only_our_errors(parse_payload, value)
    expected = _only_our_errors(parse_payload, value, expect=Week(WEEK.start))
    _assert_valid([*(many or []), *([one] if one is not None else [])])
    if not isinstance(value, list):  # one answer: parse_many is parse_payload in a list
        assert many == ([one] if one is not None else None)
    # the cohort asked for is accepted exactly when the answer is valid and is that cohort's
    assert expected == (one if one is not None and one.period == WEEK else None)


@FUZZ
@given(st.one_of(st.binary(max_size=2000),
                 st.lists(answers, max_size=3).map(lambda v: json.dumps(v).encode())))
def test_any_bytes_as_a_saved_file_give_valid_answers_or_our_errors(content: bytes) -> None:
    read = _only_our_errors(loads, content)
    if read is None:
        return
    _assert_valid(read)
    # what was read is what the JSON in the file says (a file is UTF-8, a BOM allowed)
    assert read == parse_many(json.loads(content.decode("utf-8-sig")))


@FUZZ
@given(st.one_of(answers, st.lists(answers, max_size=3)))
def test_a_valid_answer_survives_the_store_unchanged(value: Any) -> None:
    try:
        payloads = parse_many(value)
    except WxDataError:
        return
    with open_store("sqlite:///:memory:") as store, memory_bound():
        for payload in payloads:
            store.put("wx1", payload, payload.period.ends_at())
            assert store.get("wx1", payload.period).payload == payload  # type: ignore[union-attr]
        # ... and whatever was accepted lays out as a small matrix (a key of 3,000,000 once
        # made one row three million cells wide)
        matrix = cohort_matrix(to_frame("wx1", payloads), metric="new", values="users")
        assert matrix.shape[1] == 5


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.binary(max_size=3000),
                 json_values.map(lambda v: json.dumps(v).encode()),
                 answers.map(lambda v: json.dumps(v).encode())))
def test_the_import_path_reads_any_file_into_a_verdict(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "saved.json"
    path.write_bytes(content)
    with memory_bound():
        try:
            payloads, _ = read_saved(path)
        except WxDataError:
            return
    with open_store(f"sqlite:///{tmp_path / 'cache.sqlite3'}") as store:
        assert store.put_many("wx1", payloads, WEEK.ends_at()) == len(payloads)


def test_the_memory_bound_really_bounds() -> None:
    with pytest.raises(MemoryError), memory_bound():
        bytearray(2 * HEADROOM)


query_values = st.one_of(st.text(max_size=60), st.lists(st.text(max_size=30), max_size=3),
                         st.sampled_from(["0001-W01", "9999-W52", "2030-01-01", "2017-W01",
                                          "26", "-1", "1e9", "true", "[x](https://e.x)",
                                          "day", "month", "2016-12", "9999-12", "180"]))
queries = st.dictionaries(st.sampled_from(["app", "period", "days", "weeks", "months", "from",
                                           "to", "metric", "lang", "x"]),
                          query_values, max_size=7)


@FUZZ
@given(queries)
@example({"from": "", "months": "0", "to": "2000-1"})  # CI found it: a span ending before 2017
def test_any_link_parses_to_a_view_and_notices_without_raising(raw: dict[str, Any]) -> None:
    """``/?from=0001-W01&to=9999-W52`` once crashed the page with an OverflowError."""
    with memory_bound():
        selection, notices = parse_selection(raw, apps=["wx1", "wx2"])
        weeks = selection.span.periods(NOW)
        for notice in notices:
            text = notice.message("zh", quote=plain)
            assert "](" not in text.replace("\\](", "")  # never live Markdown
    assert 1 <= len(weeks) <= MAX_PERIODS[selection.period]
    assert all(w.start >= EARLIEST_DAY and w.kind == selection.period for w in weeks)
    assert set(selection.app_ids) <= {"wx1", "wx2"}


@FUZZ
@given(st.text(max_size=200))
def test_plain_text_has_no_unescaped_markdown(text: str) -> None:
    shown = plain(text)
    unescaped = re.sub(r"\\.", "", shown)  # drop every escaped pair
    assert not re.search(r"[\[\]()*_`!:<>#\n\\]", unescaped)

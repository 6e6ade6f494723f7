"""`wxdata` per period: `export --period day|week|month`, the weekly contract byte for byte,
per-period limits, error lines, sync of all three periods and imports of daily/monthly answers.

The demo's numbers depend on "now" (the newest ended week anchors its trend), so the demo tests
pin China time: every wxdata module's ``now_cst`` answers :data:`PINNED`. Tests against the fake
WeChat run on real time, as its rules do.
"""

from __future__ import annotations

import importlib
import json
import sys
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType

import openpyxl
import pytest

from tests import workbook
from tests.fixtures_cli import configure, rows, run
from wxdata.cli import build_parser
from wxdata.core import periods as periods_module
from wxdata.core.payload import Retention
from wxdata.core.periods import CST, Day, Month, Period, Week
from wxdata.present.export import CSV_ENCODING
from wxdata.testing.fake import FAKE_APPID, FakeWeChat

GOLDEN = Path(__file__).resolve().parent / "data" / "cli"
#: A Wednesday: today (11-25), this week (W48) and this month (November) have not ended.
PINNED = datetime(2026, 11, 25, 12, 0, tzinfo=CST)
DAYS = Day.last_n(5)
MONTHS = Month.last_n(3)


def header(kind: str) -> str:
    return f"app_id,cohort_start,cohort_end,metric,{kind}_offset,users,rate"


@pytest.fixture
def pinned(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """China time stands still at :data:`PINNED` for every wxdata module that asks."""
    for name in ("wxdata.sources.demo", "wxdata.sources.file", "wxdata.sources.base",
                 "wxdata.sources.factory", "wxdata.cli.commands"):
        importlib.import_module(name)
    original = periods_module.now_cst
    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").startswith("wxdata") \
                and vars(module).get("now_cst") is original:
            monkeypatch.setattr(module, "now_cst", lambda: PINNED)
    return PINNED


def offsets(table: list[dict[str, str]], kind: str, start: date) -> set[int]:
    return {int(r[f"{kind}_offset"]) for r in table if r["cohort_start"] == start.isoformat()}


# -- the weekly contract, byte for byte ------------------------------------------------------------


@pytest.mark.parametrize(("lang", "options", "stdout", "stderr"), [
    ("en", (), "weekly-demo.csv", "weekly-demo.en.stderr"),
    ("en", ("--period", "week"), "weekly-demo.csv", "weekly-demo.en.stderr"),
    ("en", ("--format", "json"), "weekly-demo.json", "weekly-demo.en.stderr"),
    ("zh", (), "weekly-demo.csv", "weekly-demo.zh.stderr"),
])
def test_the_weekly_export_is_byte_for_byte_what_the_weekly_only_tree_wrote(
        pinned: datetime, capsysbinary: pytest.CaptureFixture[bytes], lang: str,
        options: tuple[str, ...], stdout: str, stderr: str) -> None:
    """The files in tests/data/cli are what a85d199 (the tree before periods existed) wrote,
    made once: ``git archive a85d199`` unpacked, and ``wxdata.cli.entry.main(["--lang", L,
    "export", "--from", "2026-09-01", "--to", "2026-11-30" (, "--format", "json")])`` run on it
    with every ``now_cst`` of its wxdata modules answering PINNED, as :func:`pinned` does here.
    Stdout and stderr, in both languages, are unchanged."""
    code, out, err = run(capsysbinary, "--lang", lang, "export", "--from", "2026-09-01",
                         "--to", "2026-11-30", *options)
    assert code == 0, err
    assert out == (GOLDEN / stdout).read_bytes()
    assert err == (GOLDEN / stderr).read_text(encoding="utf-8")


def test_the_golden_file_holds_what_the_weekly_contract_promises() -> None:
    """What the golden file is: 12 weeks W36..W47 (09-01 snaps to its week's Monday 08-31,
    the week of PINNED is cut off), both demo apps, W4 only where week+4 has ended."""
    table = rows((GOLDEN / "weekly-demo.csv").read_bytes())
    assert (GOLDEN / "weekly-demo.csv").read_text(CSV_ENCODING).splitlines()[0] == header("week")
    starts = sorted({r["cohort_start"] for r in table})
    assert starts[0] == "2026-08-31" and starts[-1] == "2026-11-16" and len(starts) == 12
    assert all(r["cohort_end"] == (Week.parse(r["cohort_start"]).end.isoformat()) for r in table)
    assert offsets(table, "week", date(2026, 10, 19)) == {0, 1, 2, 3, 4}  # W4 = W47: ended
    assert offsets(table, "week", date(2026, 10, 26)) == {0, 1, 2, 3}  # W4 = W48, not ended
    assert offsets(table, "week", date(2026, 11, 16)) == {0}


# -- days and months from the demo -----------------------------------------------------------------


def test_a_daily_export_has_day_offset_and_one_day_per_cohort(
        pinned: datetime, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, out, err = run(capsysbinary, "export", "--period", "day", "--from", "2026-11-20",
                         "--to", "2026-11-30")
    assert code == 0, err
    assert out.decode(CSV_ENCODING).splitlines()[0] == header("day")
    table = rows(out)
    # today (11-25) and the days after it have not ended: cut, as a week's span is
    assert sorted({r["cohort_start"] for r in table}) == [f"2026-11-{d}" for d in range(20, 25)]
    assert all(r["cohort_start"] == r["cohort_end"] for r in table)
    # key k of day D appears once D+k has ended: 11-20 has D0..D4 on 11-25, 11-24 only D0
    assert offsets(table, "day", date(2026, 11, 20)) == {0, 1, 2, 3, 4}
    assert offsets(table, "day", date(2026, 11, 24)) == {0}
    assert {r["rate"] for r in table if r["day_offset"] == "0"} == {"1.0"}
    assert "10 days: 0 fetched, 0 from the cache, 10 from demo or files" in err


def test_a_monthly_export_runs_from_the_first_to_the_last_day(
        pinned: datetime, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, out, err = run(capsysbinary, "export", "--period", "month", "--from", "2026-09",
                         "--to", "2026-10")
    assert code == 0, err
    assert out.decode(CSV_ENCODING).splitlines()[0] == header("month")
    table = rows(out)
    assert {(r["cohort_start"], r["cohort_end"]) for r in table} == {
        ("2026-09-01", "2026-09-30"), ("2026-10-01", "2026-10-31")}
    assert offsets(table, "month", date(2026, 9, 1)) == {0, 1}
    assert offsets(table, "month", date(2026, 10, 1)) == {0}  # M1 is November: not ended
    assert "4 months:" in err


def test_dates_inside_months_snap_to_the_whole_months(
        pinned: datetime, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    _, whole, _ = run(capsysbinary, "export", "--period", "month", "--from", "2026-09",
                      "--to", "2026-10")
    code, inside, err = run(capsysbinary, "export", "--period", "month",
                            "--from", "2026-09-17", "--to", "2026-10-02")
    assert code == 0, err
    assert inside == whole and whole


def test_this_month_is_cut_off_and_a_span_of_only_it_is_refused(
        pinned: datetime, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, out, _ = run(capsysbinary, "export", "--period", "month", "--from", "2026-10",
                       "--to", "2026-11")
    assert code == 0 and {r["cohort_start"] for r in rows(out)} == {"2026-10-01"}
    code, out, err = run(capsysbinary, "export", "--period", "month", "--from", "2026-11-02",
                         "--to", "2026-11-30")
    assert code == 2 and out == b"" and len(err.strip().splitlines()) == 1
    assert "2026-10" in err  # the newest ended month, to choose instead


@pytest.mark.parametrize("kind", ["day", "month"])
def test_json_records_name_the_offset_for_the_period(
        pinned: datetime, capsysbinary: pytest.CaptureFixture[bytes], kind: str) -> None:
    code, out, _ = run(capsysbinary, "export", "--period", kind, "--from", "2026-10-30",
                       "--to", "2026-10-31", "--format", "json")
    records = json.loads(out)
    assert code == 0 and records
    assert all(list(r) == header(kind).split(",") for r in records)
    assert all(isinstance(r[f"{kind}_offset"], int) for r in records)


def test_a_monthly_workbook_names_its_offsets_for_months(
        pinned: datetime, capsysbinary: pytest.CaptureFixture[bytes], tmp_path: Path) -> None:
    target = tmp_path / "months.xlsx"
    code, _, err = run(capsysbinary, "export", "--period", "month", "--from", "2026-09",
                       "--to", "2026-10", "-o", str(target))
    assert code == 0, err
    book = openpyxl.load_workbook(target)
    tidy = workbook.sheet(book, "tidy", "en")  # the CLI's language
    assert workbook.header(tidy, "month", "en") == [*header("month").split(","), "app_name",
                                                    "provisional"]
    assert [c.value for c in tidy[1]][4] == "Month"
    matrix = workbook.sheet(book, "matrix_new", "en")
    assert workbook.header(matrix, "month", "en")[-3:] == ["M0", "M1", "provisional"]
    assert tidy.max_row == 1 + 12  # (2 + 1 offsets) x 2 metrics x 2 apps


# -- limits, errors and zero cohorts against the fake WeChat ---------------------------------------


def test_a_daily_span_longer_than_max_days_needs_max_days(
        live: FakeWeChat, capsysbinary: pytest.CaptureFixture[bytes],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WXDATA_MAX_DAYS", "3")
    monkeypatch.setenv("WXDATA_MAX_WEEKS", "1")  # each period has its own limit
    span = ["--from", DAYS[0].iso, "--to", DAYS[-1].iso]
    code, out, err = run(capsysbinary, "export", "--period", "day", *span)
    assert code == 2 and out == b"" and "--max-days 5" in err and "5 days" in err
    assert live.calls["daily"] == 0 and live.calls["stable_token"] == 0
    code, out, err = run(capsysbinary, "export", "--period", "day", *span, "--max-days", "5")
    assert code == 0, err
    assert live.calls["daily"] == 5 and live.calls["weekly"] == 0
    assert {r["cohort_start"] for r in rows(out)} == {d.iso for d in DAYS}


def test_a_monthly_span_longer_than_max_months_needs_max_months(
        live: FakeWeChat, capsysbinary: pytest.CaptureFixture[bytes],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WXDATA_MAX_MONTHS", "2")
    span = ["--from", MONTHS[0].iso, "--to", MONTHS[-1].iso]
    code, _, err = run(capsysbinary, "export", "--period", "month", *span)
    assert code == 2 and "--max-months 3" in err and live.calls["monthly"] == 0
    code, out, err = run(capsysbinary, "export", "--period", "month", *span, "--max-months", "3")
    assert code == 0, err
    assert live.calls["monthly"] == 3
    assert {r["cohort_start"] for r in rows(out)} == {m.start.isoformat() for m in MONTHS}


@pytest.mark.parametrize(("kind", "cohorts"), [("day", DAYS), ("month", MONTHS)])
def test_a_failed_day_or_month_is_one_line_naming_it(
        live: FakeWeChat, capsysbinary: pytest.CaptureFixture[bytes], kind: str,
        cohorts: list[Period]) -> None:
    live.fail(61501, week=cohorts[1], times=-1)
    code, out, err = run(capsysbinary, "export", "--period", kind, "--from", cohorts[0].iso,
                         "--to", cohorts[-1].iso)
    assert code == 1 and "Traceback" not in err
    failed = [line for line in err.splitlines() if line.startswith("failed:")]
    assert len(failed) == 1
    assert f"假小程序 · {FAKE_APPID} {cohorts[1].iso} (errcode 61501)" in failed[0]
    starts = {r["cohort_start"] for r in rows(out)}
    assert starts == {c.start.isoformat() for c in cohorts} - {cohorts[1].start.isoformat()}


@pytest.mark.parametrize("kind", ["day", "month"])
def test_a_cohort_of_no_users_keeps_its_rows_with_an_empty_rate(
        monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes],
        kind: str) -> None:
    def nobody_new(appid: str, period: Period) -> Retention:
        return Retention(period, MappingProxyType({0: 0, 1: 0}),
                         MappingProxyType({0: 40, 1: 10}))

    cohort = (Day.last_n(40) if kind == "day" else Month.last_n(3))[0]  # D1/M1 long published
    with FakeWeChat(data=nobody_new) as fake:
        configure(fake, monkeypatch)
        code, out, err = run(capsysbinary, "export", "--period", kind, "--from", cohort.iso,
                             "--to", cohort.iso)
    assert code == 0, err
    table = rows(out)
    assert [(r[f"{kind}_offset"], r["users"], r["rate"]) for r in table
            if r["metric"] == "new"] == [("0", "0", ""), ("1", "0", "")]
    assert [r["rate"] for r in table if r["metric"] == "active"] == ["1.0", "0.25"]


# -- sync and import -------------------------------------------------------------------------------


def test_sync_warms_days_weeks_and_months(
        live: FakeWeChat, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, out, err = run(capsysbinary, "sync", "--days", "3", "--weeks", "2", "--months", "2")
    assert code == 0, err
    assert (live.calls["daily"], live.calls["weekly"], live.calls["monthly"]) == (3, 2, 2)
    lines = out.decode().splitlines()
    assert [line.split(", ")[0] for line in lines] == [  # weeks first, days (most calls) last
        f"假小程序 · {FAKE_APPID}: 2 weeks", f"假小程序 · {FAKE_APPID}: 2 months",
        f"假小程序 · {FAKE_APPID}: 3 days"]
    code, out, _ = run(capsysbinary, "sync", "--period", "month", "--months", "3")
    assert code == 0 and (live.calls["daily"], live.calls["weekly"]) == (3, 2)
    assert out.decode().splitlines()[0].startswith(f"假小程序 · {FAKE_APPID}: 3 months, ")
    assert len(out.decode().splitlines()) == 1


def test_sync_by_default_warms_every_cohort_until_it_is_final(
        live: FakeWeChat, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    """35 days: a day is final 32 days after it, so none leaves the window provisional."""
    code, out, err = run(capsysbinary, "sync", "--period", "day")
    assert code == 0, err
    assert live.calls["daily"] == 35 and f"{FAKE_APPID}: 35 days" in out.decode()
    oldest = Day.last_n(35)[0]
    assert oldest.is_final() and not oldest.shift(4).is_final()


def test_sync_checks_every_period_against_its_limit_before_any_call(
        live: FakeWeChat, capsysbinary: pytest.CaptureFixture[bytes],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WXDATA_MAX_MONTHS", "2")
    monkeypatch.setenv("WXDATA_MAX_DAYS", "4")
    code, _, err = run(capsysbinary, "sync", "--days", "4", "--months", "3")
    assert code == 2 and "--max-months 3" in err and sum(live.calls.values()) == 0
    code, _, err = run(capsysbinary, "sync", "--days", "5", "--months", "2")
    assert code == 2 and "--max-days 5" in err and sum(live.calls.values()) == 0
    code, _, err = run(capsysbinary, "sync", "--days", "5", "--max-days", "5",
                       "--period", "day")
    assert code == 0, err
    assert live.calls["daily"] == 5 and live.calls["monthly"] == 0


def test_sync_names_a_failed_day(live: FakeWeChat,
                                 capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    days = Day.last_n(3)
    live.fail(48001, week=days[1], times=-1)
    code, _, err = run(capsysbinary, "sync", "--period", "day", "--days", "3")
    assert code == 1 and "48001" in err and f" {days[1].iso} " in err


def _answer(period: Period, new: dict[int, int]) -> dict[str, object]:
    return {"ref_date": period.ref_date,
            "visit_uv_new": [{"key": k, "value": v} for k, v in new.items()],
            "visit_uv": [{"key": 0, "value": 1000}]}


def test_import_takes_daily_and_monthly_answers_and_says_what_each_file_held(
        tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    """The verdict per file and period. That the cohorts are then served from the cache needs
    the store keyed by period (branch data); until then the SQLite store keys by week."""
    days, month = Day.last_n(40)[:2], Month.last_n(3)[0]
    (tmp_path / "days.json").write_text(json.dumps([_answer(d, {0: 100, 1: 30}) for d in days]))
    (tmp_path / "month.json").write_text(json.dumps({
        "refDate": month.ref_date, "visitUvNew": [{"key": 0, "value": 900}],
        "visitUv": [], "errMsg": "openapi.analysis.getMonthlyRetain:ok"}))
    mixed = [_answer(days[0], {0: 5}), _answer(Week.last_n(9)[0], {0: 7})]
    (tmp_path / "mixed.json").write_text(json.dumps(mixed))
    code, out, err = run(capsysbinary, "import", *(str(tmp_path / n) for n in
                                                   ("days.json", "month.json", "mixed.json")),
                         "--app", "wx-someone")
    assert code == 0, err
    assert out.decode().splitlines() == [
        f"{tmp_path / 'days.json'}: imported 2 days for wx-someone.",
        f"{tmp_path / 'month.json'}: imported 1 months for wx-someone.",
        f"{tmp_path / 'mixed.json'}: imported 1 days for wx-someone.",
        f"{tmp_path / 'mixed.json'}: imported 1 weeks for wx-someone.",
    ]


@pytest.mark.parametrize(("lang", "words"), [("en", "own day"), ("zh", "比当天人数还多")])
def test_a_daily_import_above_its_own_day_says_so_with_the_day_and_d1(
        tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes], lang: str,
        words: str) -> None:
    day = Day.last_n(40)[0]
    (tmp_path / "odd.json").write_text(json.dumps(_answer(day, {0: 100, 1: 150})))
    code, _, err = run(capsysbinary, "--lang", lang, "import", str(tmp_path / "odd.json"),
                       "--app", "wx-odd")
    assert code == 0 and f"wx-odd {day.iso}" in err and "D1" in err and words in err
    assert "W1" not in err


# -- help ------------------------------------------------------------------------------------------


def test_the_help_names_the_periods_their_defaults_and_limits(
        capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    parser = build_parser()
    code, out, _ = run(capsysbinary, "sync", "--help")
    text = " ".join(out.decode().split())
    assert code == 0
    for option, default in (("--days", "35"), ("--weeks", "12"), ("--months", "12")):
        assert option in text and f"default {default}" in text
    code, out, _ = run(capsysbinary, "export", "--help")
    text = " ".join(out.decode().split())
    for option in ("--period", "--max-days", "--max-weeks", "--max-months"):
        assert option in text
    assert "{day,week,month}" in text and "YYYY-MM" in text
    assert parser.parse_args(["export", "--from", "x", "--to", "y"]).period == "week"

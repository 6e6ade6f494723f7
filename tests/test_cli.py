"""The `wxdata` command: the export contract, exit codes, import, sync, cache, help texts.

Days and months, and the weekly export byte for byte against what the weekly-only tree wrote,
are in tests/test_cli_periods.py."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType

import openpyxl
import pytest

from tests import workbook
from tests.fixtures_cli import rows, run
from wxdata.cli import build_parser
from wxdata.core.payload import Retention
from wxdata.core.periods import Week, last_n_weeks
from wxdata.present.export import CSV_ENCODING
from wxdata.store import open_store
from wxdata.testing.fake import FAKE_APPID, FAKE_SECRET, FakeWeChat

REPO = Path(__file__).resolve().parent.parent
HEADER = "app_id,cohort_start,cohort_end,metric,week_offset,users,rate"
COLUMNS = HEADER.split(",")
WEEKS = last_n_weeks(6)
FROM, TO = WEEKS[0].start.isoformat(), WEEKS[-1].end.isoformat()


# -- the export contract -------------------------------------------------------------------------


def test_export_without_configuration_is_the_demo_as_the_csv_contract(
        capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, out, err = run(capsysbinary, "export", "--from", FROM, "--to", TO)
    assert code == 0, err
    assert out.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel
    assert out.decode(CSV_ENCODING).splitlines()[0] == HEADER
    table = rows(out)
    assert {r["cohort_start"] for r in table} == {w.start.isoformat() for w in WEEKS}
    assert {r["metric"] for r in table} == {"new", "active"}
    assert "demo" in err.lower()


def test_export_from_the_fake_writes_every_week_and_exits_0(
        live: FakeWeChat, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, out, err = run(capsysbinary, "export", "--from", FROM, "--to", TO)
    assert code == 0, err
    assert {r["cohort_start"] for r in rows(out)} == {w.start.isoformat() for w in WEEKS}
    assert {r["app_id"] for r in rows(out)} == {FAKE_APPID}
    assert live.calls["weekly"] == len(WEEKS)


def test_the_rate_is_empty_when_the_base_is_zero(
        monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    def zero_base(appid: str, week: Week) -> Retention:
        return Retention(week, MappingProxyType({0: 0, 1: 5}),
                               MappingProxyType({0: 40, 1: 10}))

    with FakeWeChat(data=zero_base) as fake:
        monkeypatch.setenv("WXDATA_API_BASE", fake.url)
        monkeypatch.setenv("WXDATA_APPID", FAKE_APPID)
        monkeypatch.setenv("WXDATA_SECRET", FAKE_SECRET)
        code, out, _ = run(capsysbinary, "export", "--from", FROM, "--to", FROM)
    assert code == 0
    table = rows(out)
    assert [r["rate"] for r in table if r["metric"] == "new"] == ["", ""]
    assert [float(r["rate"]) for r in table if r["metric"] == "active"] == [1.0, 0.25]


def test_a_failed_week_exits_1_names_it_on_stderr_and_keeps_the_others(
        live: FakeWeChat, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    live.fail(61501, week=WEEKS[2], times=-1)
    code, out, err = run(capsysbinary, "export", "--from", FROM, "--to", TO)
    assert code == 1
    failed_lines = [line for line in err.splitlines() if WEEKS[2].label in line]
    assert len(failed_lines) == 1 and "61501" in failed_lines[0]
    assert "Traceback" not in err
    starts = {r["cohort_start"] for r in rows(out)}
    assert starts == {w.start.isoformat() for w in WEEKS} - {WEEKS[2].start.isoformat()}


@pytest.mark.parametrize("argv", [
    ["export", "--from", "2026-13-01", "--to", "2026-12-01"],
    ["export", "--from", "yesterday", "--to", "2026-12-01"],
    ["export", "--from", "2026-10-01", "--to", "2026-09-01"],
    ["export", "--from", "2026-09-01", "--to", "2026-10-01", "--format", "pdf"],
    ["export", "--from", "2026-09-01", "--to", "2026-10-01", "--app", "nobody"],
    ["export", "--to", "2026-10-01"],
    ["sync", "--weeks", "0"],
    ["sync", "--days", "0"],
    ["sync", "--period", "year"],
    ["export", "--period", "year", "--from", "2026-09-01", "--to", "2026-10-01"],
    ["export", "--period", "month", "--from", "2026-13", "--to", "2026-10"],
    ["export", "--from", "2026-09-01", "--to", "2026-10-01", "--max-days", "0"],
    ["nonsense"],
    ["fake-server", "--port", "0", "--fail", "not-a-spec"],
])
def test_bad_arguments_exit_2_with_one_line(
        argv: list[str], capsysbinary: pytest.CaptureFixture[bytes],
        monkeypatch: pytest.MonkeyPatch) -> None:
    if argv[0] == "sync":  # sync needs an app to get as far as the week count
        monkeypatch.setenv("WXDATA_APPID", FAKE_APPID)
        monkeypatch.setenv("WXDATA_SECRET", FAKE_SECRET)
    code, out, err = run(capsysbinary, *argv)
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert out == b"" and "Traceback" not in err


def test_an_unknown_app_is_refused_for_the_live_source_too(
        live: FakeWeChat, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, _, err = run(capsysbinary, "export", "--from", FROM, "--to", TO, "--app", "wxnope")
    assert code == 2 and "wxnope" in err and live.calls["weekly"] == 0
    code, out, _ = run(capsysbinary, "export", "--from", FROM, "--to", TO, "--app", "假小程序")
    assert code == 0 and rows(out)


def test_json_and_xlsx_outputs(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, out, _ = run(capsysbinary, "export", "--from", FROM, "--to", TO, "--format", "json")
    records = json.loads(out)
    assert code == 0 and list(records[0]) == COLUMNS
    target = tmp_path / "out" / "retention.xlsx"
    target.parent.mkdir()
    code, out, err = run(capsysbinary, "export", "--from", FROM, "--to", TO, "-o", str(target))
    assert code == 0 and out == b"" and str(target) in err
    sheet = workbook.sheet(openpyxl.load_workbook(target), "tidy", "en")  # the CLI's language
    assert workbook.header(sheet, lang="en") == [*COLUMNS, "app_name", "provisional"]
    names = {c.value for c in sheet["H"][1:]}
    assert names and all(name and "(示例)" in name for name in names)  # the demo apps' names
    assert any(c.value == "yes" for c in sheet["I"][1:])  # the newest weeks are provisional
    assert not list(tmp_path.glob("out/*.part"))


def test_xlsx_is_never_written_to_a_terminal(
        monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, err = run(capsysbinary, "export", "--from", FROM, "--to", TO, "--format", "xlsx")
    assert code == 2 and out == b"" and "--output" in err


def test_messages_follow_lang(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    _, _, err = run(capsysbinary, "--lang", "zh", "export", "--from", "2026-10-01",
                    "--to", "2026-09-01")
    assert "结束日期" in err


# -- two processes, one cache --------------------------------------------------------------------


def cli(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "wxdata.cli", *argv], cwd=REPO,
                          capture_output=True, timeout=240, env={**os.environ, **(env or {})})


def test_a_second_export_in_another_process_makes_no_call(live: FakeWeChat) -> None:
    first = cli("export", "--from", FROM, "--to", TO)
    assert first.returncode == 0, first.stderr
    assert live.calls["weekly"] == len(WEEKS)
    tokens = live.calls["stable_token"]
    second = cli("export", "--from", FROM, "--to", TO)
    assert second.returncode == 0, second.stderr
    assert live.calls["weekly"] == len(WEEKS)  # not a single call more
    assert live.calls["stable_token"] == tokens  # nor a token: nothing needed one
    assert second.stdout == first.stdout


# -- sync, import, cache -------------------------------------------------------------------------


def test_sync_warms_the_cache_then_costs_nothing(
        live: FakeWeChat, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    # Weeks only: until the store keys cohorts by period, a day stored on a Monday takes the
    # place of that week (the daily and monthly sync: tests/test_cli_periods.py).
    code, out, err = run(capsysbinary, "sync", "--period", "week", "--weeks", "8")
    assert code == 0, err
    assert live.calls["weekly"] == 8 and "假小程序" in out.decode()
    assert "8 weeks, 8 fetched" in out.decode()
    code, _, _ = run(capsysbinary, "sync", "--period", "week", "--weeks", "8")
    assert code == 0 and live.calls["weekly"] == 8
    code, _, _ = run(capsysbinary, "export", "--from", FROM, "--to", TO)
    assert code == 0 and live.calls["weekly"] == 8  # the export found every week warm


def test_sync_without_apps_says_what_to_configure(
        capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, _, err = run(capsysbinary, "sync")
    assert code == 2 and "WXDATA_APPID" in err


def test_sync_reports_a_failed_week_and_exits_1(
        live: FakeWeChat, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    live.fail(48001, week=last_n_weeks(3)[1], times=-1)
    code, _, err = run(capsysbinary, "sync", "--period", "week", "--weeks", "3")
    assert code == 1 and "48001" in err and last_n_weeks(3)[1].label in err


def _answer(week: Week, base: int) -> dict[str, object]:
    return {"ref_date": week.ref_date,
            "visit_uv_new": [{"key": 0, "value": base}, {"key": 1, "value": base // 4}],
            "visit_uv": [{"key": 0, "value": 3 * base}]}


def test_import_loads_good_files_names_bad_ones_and_exits_1(
        live: FakeWeChat, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    good = tmp_path / "weeks.json"
    good.write_text(json.dumps([_answer(WEEKS[0], 100), _answer(WEEKS[1], 200)]))
    camel = tmp_path / "cloud.json"
    api = _answer(WEEKS[2], 300)
    camel.write_text(json.dumps({"refDate": api["ref_date"], "visitUvNew": api["visit_uv_new"],
                                 "visitUv": api["visit_uv"],
                                 "errMsg": "openapi.analysis.getWeeklyRetain:ok"}))
    bad = tmp_path / "broken.json"
    bad.write_text('{"ref_date": "20261102-20261108", "visit_uv_new": [')
    missing = tmp_path / "nowhere.json"
    code, out, err = run(capsysbinary, "import", str(good), str(bad), str(camel), str(missing))
    assert code == 1
    assert "broken.json" in err and "nowhere.json" in err and "Traceback" not in err
    assert "weeks.json" in out.decode() and "cloud.json" in out.decode()
    cache = open_store(os.environ["WXDATA_CACHE_URL"])
    stored = cache.get_many(FAKE_APPID, WEEKS[:3])
    assert [stored[w].payload.new[0] for w in WEEKS[:3]] == [100, 200, 300]
    # the imported weeks are fresh, so an export of them asks WeChat for nothing
    code, csv_out, _ = run(capsysbinary, "export", "--from", FROM,
                           "--to", WEEKS[2].end.isoformat())
    assert code == 0 and live.calls["weekly"] == 0
    assert {r["users"] for r in rows(csv_out) if r["week_offset"] == "0"} >= {"100", "200"}


def test_import_of_only_good_files_exits_0_for_the_named_app(
        tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    good = tmp_path / "one.json"
    good.write_text(json.dumps(_answer(WEEKS[0], 100)))
    code, _, err = run(capsysbinary, "import", str(good), "--app", "wx-someone")
    assert code == 0, err
    assert open_store(os.environ["WXDATA_CACHE_URL"]).get("wx-someone", WEEKS[0]) is not None


def test_cache_info_and_clear(live: FakeWeChat,
                              capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, out, _ = run(capsysbinary, "cache", "info")
    assert code == 0 and "empty" in out.decode()
    run(capsysbinary, "sync", "--period", "week", "--weeks", "4")
    code, out, _ = run(capsysbinary, "cache", "info")
    text = out.decode()
    assert code == 0 and FAKE_APPID in text and "4 weeks" in text
    assert os.environ["WXDATA_CACHE_URL"].removeprefix("sqlite:///") in text
    code, out, _ = run(capsysbinary, "cache", "clear")
    assert code == 0 and "4" in out.decode()
    assert open_store(os.environ["WXDATA_CACHE_URL"]).info().weeks == 0


def _damaged_cache_of_ours(path: Path) -> None:
    with open_store(f"sqlite:///{path}") as store:
        store.put(FAKE_APPID, Retention(WEEKS[0], {0: 5}, {}), datetime.now(UTC))
    data = bytearray(path.read_bytes())
    data[100:] = b"\xff" * (len(data) - 100)  # a disk fault after the header
    path.write_bytes(bytes(data))


def test_a_damaged_cache_is_explained_and_cleared(
        live: FakeWeChat, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    path = Path(os.environ["WXDATA_CACHE_URL"].removeprefix("sqlite:///"))
    path.parent.mkdir(parents=True, exist_ok=True)
    _damaged_cache_of_ours(path)
    code, out, err = run(capsysbinary, "export", "--from", FROM, "--to", TO)
    assert code == 1 and out == b""
    assert "wxdata cache clear" in err and str(path) in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    code, _, _ = run(capsysbinary, "cache", "clear")
    assert code == 0
    code, _, _ = run(capsysbinary, "export", "--from", FROM, "--to", TO)
    assert code == 0


@pytest.mark.parametrize("content", [b"\x00garbage" * 256, b'[wxdata]\nsource = "demo"\n'])
def test_cache_clear_never_deletes_a_file_that_is_not_its_cache(
        live: FakeWeChat, capsysbinary: pytest.CaptureFixture[bytes], content: bytes) -> None:
    path = Path(os.environ["WXDATA_CACHE_URL"].removeprefix("sqlite:///"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    code, _, err = run(capsysbinary, "cache", "clear")
    assert code == 1 and "not a wxretain cache" in err and str(path) in err
    assert path.read_bytes() == content
    code, out, err = run(capsysbinary, "export", "--from", FROM, "--to", TO)
    assert code == 1 and out == b"" and "not a wxretain cache" in err
    assert live.calls["weekly"] == 0 and path.read_bytes() == content


def test_cache_clear_refuses_another_programs_database(
        live: FakeWeChat, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    path = Path(os.environ["WXDATA_CACHE_URL"].removeprefix("sqlite:///"))
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE orders (id INTEGER)")
        other.execute("INSERT INTO orders VALUES (1)")
    code, _, err = run(capsysbinary, "cache", "clear")
    assert code == 1 and "not a wxretain cache" in err
    with sqlite3.connect(path) as other:
        assert other.execute("SELECT COUNT(*) FROM orders").fetchone()[0] == 1


# -- where an export goes ------------------------------------------------------------------------


def test_output_dash_is_stdout(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, out, err = run(capsysbinary, "export", "--from", FROM, "--to", TO, "-o", "-")
    assert code == 0 and out.decode(CSV_ENCODING).splitlines()[0] == HEADER and "Wrote" not in err


def test_output_follows_a_symlink_and_replaces_its_file_atomically(
        tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    target, link = tmp_path / "2026-11.csv", tmp_path / "latest.csv"
    target.write_text("old")
    target.chmod(0o640)
    link.symlink_to(target)
    code, _, err = run(capsysbinary, "export", "--from", FROM, "--to", TO, "-o", str(link))
    assert code == 0, err
    assert link.is_symlink() and target.read_bytes().startswith(b"\xef\xbb\xbf")
    assert oct(target.stat().st_mode & 0o777) == oct(0o640)  # the file keeps its permissions
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-11.csv", "latest.csv"]


@pytest.mark.parametrize("kind", ["device", "fifo", "folder", "no_folder"])
def test_output_that_is_not_a_regular_file_is_refused_with_exit_2(
        tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes], kind: str) -> None:
    if kind == "device":
        path = Path("/dev/null")
    elif kind == "fifo":
        path = tmp_path / "pipe"
        os.mkfifo(path)
    elif kind == "folder":
        path = tmp_path
    else:
        path = tmp_path / "missing" / "out.csv"
    before = set(tmp_path.parent.iterdir())
    code, out, err = run(capsysbinary, "export", "--from", FROM, "--to", TO, "-o", str(path))
    assert code == 2 and out == b"" and str(path) in err and len(err.strip().splitlines()) == 1
    assert Path("/dev/null").is_char_device()
    assert set(tmp_path.parent.iterdir()) == before  # no "<folder>.part" next to the folder
    assert not list(tmp_path.glob("*.part"))
    if kind == "fifo":
        assert stat.S_ISFIFO(path.stat().st_mode)


# -- spans that would cost the company's quota -----------------------------------------------------


def test_a_span_before_wechat_has_data_is_refused_before_any_call(
        live: FakeWeChat, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, out, err = run(capsysbinary, "export", "--from", "1900-01-01", "--to", TO)
    assert code == 2 and out == b"" and "2017-01-02" in err
    code, _, err = run(capsysbinary, "sync", "--weeks", "100000")
    assert code == 2 and "2017" in err
    code, _, err = run(capsysbinary, "sync", "--days", "100000")
    assert code == 2 and "2017" in err
    assert live.calls["weekly"] == 0 and live.calls["stable_token"] == 0


def test_a_span_longer_than_the_limit_needs_max_weeks(
        live: FakeWeChat, capsysbinary: pytest.CaptureFixture[bytes],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WXDATA_MAX_WEEKS", "4")
    code, _, err = run(capsysbinary, "export", "--from", FROM, "--to", TO)
    assert code == 2 and "--max-weeks 6" in err and live.calls["weekly"] == 0
    code, _, err = run(capsysbinary, "sync", "--weeks", "5")
    assert code == 2 and "--max-weeks 5" in err and live.calls["weekly"] == 0
    assert live.calls["daily"] == live.calls["monthly"] == 0  # checked before any period
    code, _, err = run(capsysbinary, "export", "--from", FROM, "--to", TO, "--max-weeks", "6")
    assert code == 0, err
    assert live.calls["weekly"] == len(WEEKS)


# -- what WeChat sends cannot poison anything -----------------------------------------------------


@pytest.mark.parametrize("fault", ["bigkey", "bignumber"])
def test_a_hostile_answer_is_a_failed_week_and_never_stored(
        live: FakeWeChat, capsysbinary: pytest.CaptureFixture[bytes], fault: str) -> None:
    live.fail(fault, week=WEEKS[0], times=-1)
    code, out, err = run(capsysbinary, "export", "--from", FROM, "--to", TO)
    assert code == 1 and WEEKS[0].label in err and "Traceback" not in err
    assert {r["cohort_start"] for r in rows(out)} == {w.start.isoformat() for w in WEEKS[1:]}
    assert open_store(os.environ["WXDATA_CACHE_URL"]).get(FAKE_APPID, WEEKS[0]) is None
    live.clear_faults()
    code, out, _ = run(capsysbinary, "export", "--from", FROM, "--to", TO)
    assert code == 0 and len({r["cohort_start"] for r in rows(out)}) == len(WEEKS)


def test_an_invalid_stored_week_is_fetched_again_not_a_crash(
        live: FakeWeChat, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    """10^30 stored as a final week by an older version once broke every later export."""
    code, _, _ = run(capsysbinary, "export", "--from", FROM, "--to", TO)
    assert code == 0 and live.calls["weekly"] == len(WEEKS)
    path = os.environ["WXDATA_CACHE_URL"].removeprefix("sqlite:///")
    bad = json.dumps({"ref_date": WEEKS[0].ref_date,
                      "visit_uv_new": [{"key": 0, "value": 10**30}], "visit_uv": []})
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE weeks SET payload = ?, final = 1 WHERE period = 'week' AND start = ?",
                    (bad, WEEKS[0].start.isoformat()))
    code, out, err = run(capsysbinary, "export", "--from", FROM, "--to", TO)
    assert code == 0, err
    assert live.calls["weekly"] == len(WEEKS) + 1  # only the bad week, asked again
    assert max(int(r["users"]) for r in rows(out)) < 10**10


# -- imports: every file its own verdict -----------------------------------------------------------


def test_each_imported_file_gets_its_own_verdict_whatever_it_holds(
        tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    files = {
        "quota.json": json.dumps({"errcode": 45009, "errmsg": "reach max api daily quota"}),
        "deep.json": "[" * 100_000 + "]" * 100_000,
        "many.json": json.dumps([0] * 70_000),  # was reported as "70000 weeks"
        "bigkey.json": json.dumps({**_answer(WEEKS[0], 100),
                                   "visit_uv_new": [{"key": 3_000_000, "value": 1}]}),
        "good.json": json.dumps(_answer(WEEKS[1], 200)),
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    os.mkfifo(tmp_path / "pipe.json")
    names = [*files, "pipe.json"]
    code, out, err = run(capsysbinary, "import", *(str(tmp_path / n) for n in names),
                         "--app", "wx-someone")
    assert code == 1 and "Traceback" not in err
    failed = [line for line in err.splitlines() if "not imported" in line]
    assert len(failed) == 5 and all(any(n in line for line in failed) for n in names[:4])
    assert "45009" in err and "70000" in err and "3000000" in err
    assert "good.json" in out.decode() and "1 weeks" in out.decode()
    assert open_store(os.environ["WXDATA_CACHE_URL"]).get("wx-someone", WEEKS[1]) is not None


def test_an_import_with_a_rate_above_one_is_kept_and_said(
        tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    answer = {"ref_date": WEEKS[0].ref_date, "visit_uv_new": [{"key": 0, "value": 100},
                                                              {"key": 1, "value": 150}],
              "visit_uv": []}
    (tmp_path / "odd.json").write_text(json.dumps(answer))
    code, _, err = run(capsysbinary, "import", str(tmp_path / "odd.json"), "--app", "wx-odd")
    assert code == 0 and "W1" in err and "100%" in err


def test_fake_server_serves_until_terminated() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "wxdata.cli", "fake-server", "--port", "0",
                             "--latency", "0", "--fail", "any=-1*2"], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        banner = proc.stdout.readline()
        assert "http://127.0.0.1:" in banner and FAKE_APPID in banner
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=240)
    assert proc.returncode == 0


# -- help ----------------------------------------------------------------------------------------


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
              ) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, (*path, name))


def test_every_command_and_option_has_help_text(
        capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    commands = list(_commands(build_parser()))
    names = {" ".join(path) for path, _ in commands}
    assert {"export", "sync", "import", "cache", "cache info", "cache clear",
            "fake-server"} <= names
    for path, parser in commands:
        assert parser.description, path
        for action in parser._actions:
            assert action.help and action.help.strip(), (path, action.dest)
        code, out, _ = run(capsysbinary, *path, "--help")
        assert code == 0 and parser.description in " ".join(out.decode().split()), path


def test_import_asks_which_app_when_several_are_configured(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text("".join(
        f'[[wxdata.apps]]\nname = "{name}"\nappid = "{appid}"\nsecret = "s-{appid}"\n'
        for name, appid in (("一", "wx-one"), ("二", "wx-two"))), encoding="utf-8")
    monkeypatch.setenv("WXDATA_SECRETS_FILE", str(secrets_file))
    good = tmp_path / "one.json"
    good.write_text(json.dumps(_answer(WEEKS[0], 100)))
    code, _, err = run(capsysbinary, "import", str(good))
    assert code == 2 and "--app" in err and "wx-one" in err and "s-wx-one" not in err
    code, _, _ = run(capsysbinary, "import", str(good), "--app", "二")
    assert code == 0
    assert open_store(os.environ["WXDATA_CACHE_URL"]).get("wx-two", WEEKS[0]) is not None


def test_a_progress_bar_only_when_stderr_is_a_terminal(
        live: FakeWeChat, monkeypatch: pytest.MonkeyPatch,
        capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, out, err = run(capsysbinary, "export", "--from", FROM, "--to", TO)
    assert code == 0 and f"/{len(WEEKS)}" not in err
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    code, again, err = run(capsysbinary, "export", "--from", FROM, "--to", TO, "--refresh")
    assert code == 0 and f"0/{len(WEEKS)}" in err and "week" in err  # tqdm drew its bar
    assert again == out  # the bar never touches the data on stdout

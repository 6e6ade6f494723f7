"""The XLSX download checked cell by cell against the tidy frame it was made from, for one and
two apps, from the library call the Data page makes and from ``wxdata export`` (issue 19,
item 1: the matrix sheets held a cartesian product, 208 rows for 52 cohorts of two apps, one
app's id beside the other app's name)."""

from __future__ import annotations

import io
import math
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from tests import workbook
from wxdata.cli import main
from wxdata.core.payload import METRICS
from wxdata.core.periods import last_n_weeks, period_class
from wxdata.i18n import Lang
from wxdata.present import export
from wxdata.sources.demo import DemoSource

WEEKS = last_n_weeks(52)
DEMO = DemoSource()
NAMES = {a.appid: a.name for a in DEMO.apps()}


def _tidy_rate(tidy: pd.DataFrame, app: str, start: date, metric: str, offset: int
               ) -> float | None:
    hit = tidy[(tidy["app_id"] == app) & (tidy["cohort_start"].dt.date == start)
               & (tidy["metric"] == metric) & (tidy["offset"] == offset)]
    assert len(hit) <= 1
    if hit.empty or math.isnan(hit["rate"].iloc[0]):
        return None  # unpublished or undefined: an empty cell
    return float(hit["rate"].iloc[0])


def assert_workbook_is_the_tidy_frame(book: Any, tidy: pd.DataFrame,
                                      provisional: frozenset[tuple[str, date]],
                                      lang: Lang = "zh") -> None:
    for metric in METRICS:
        rows = workbook.rows(workbook.sheet(book, f"matrix_{metric}", lang), lang=lang)
        cohorts = tidy[tidy["metric"] == metric][["app_id", "cohort_start"]].drop_duplicates()
        expected = sorted((a, s.date()) for a, s in cohorts.itertuples(index=False))
        seen = [(r["app_id"], r["cohort_start"].date()) for r in rows]
        assert seen == expected  # one row per (app, cohort), each exactly once
        offsets = sorted(int(k) for k in tidy["offset"].unique())
        for row in rows:
            app, start = row["app_id"], row["cohort_start"].date()
            assert row["app_name"] == NAMES[app]  # the app's own name, never the other's
            assert row["provisional"] is ((app, start) in provisional)
            for k in offsets:
                want = _tidy_rate(tidy, app, start, metric, k)
                cell = row[f"W{k}"]
                # a float's 17th digit does not survive the XML text of the cell
                assert cell == want if want is None else cell == pytest.approx(want, rel=1e-14)
    tidy_rows = workbook.rows(workbook.sheet(book, "tidy", lang), lang=lang)
    assert len(tidy_rows) == len(tidy)
    for row, expected in zip(tidy_rows, tidy.itertuples(index=False), strict=True):
        assert (row["app_id"], row["metric"], row["week_offset"], row["users"]) == \
            (expected.app_id, expected.metric, expected.offset, expected.users)
        assert row["app_name"] == NAMES[row["app_id"]]


@pytest.mark.parametrize("apps", [1, 2])
def test_the_workbook_says_exactly_what_the_tidy_frame_says(apps: int) -> None:
    app_ids = list(NAMES)[:apps]
    result = DEMO.load(app_ids, WEEKS)
    provisional = export.provisional_cohorts(result)
    assert provisional  # the newest weeks are provisional: both values of the column occur
    book = openpyxl.load_workbook(io.BytesIO(export.to_xlsx_bytes(
        result.frame, names=NAMES, provisional=provisional)))
    assert workbook.sheet(book, "matrix_new").max_row == 1 + 52 * apps
    assert_workbook_is_the_tidy_frame(book, result.frame, provisional)


@pytest.mark.parametrize("app_args", [[], ["--app", "wxdemo0000puzzle"]])
def test_wxdata_export_writes_the_same_workbook(tmp_path: Path, app_args: list[str],
                                                capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "retention.xlsx"
    span = ["--from", WEEKS[0].start.isoformat(), "--to", WEEKS[-1].end.isoformat()]
    assert main(["export", *span, *app_args, "-o", str(target)]) == 0
    capsys.readouterr()
    app_ids = app_args[1:] or list(NAMES)
    result = DEMO.load(app_ids, WEEKS)
    book = openpyxl.load_workbook(target)  # the CLI speaks English unless --lang zh
    assert_workbook_is_the_tidy_frame(book, result.frame, export.provisional_cohorts(result),
                                      lang="en")


def test_a_zero_base_cohort_keeps_its_row_with_empty_rates() -> None:
    from wxdata.core.payload import Retention
    from wxdata.core.tidy import to_frame

    week = WEEKS[-10]
    frame = to_frame("wxdemo0000puzzle", [Retention(week, {0: 0, 1: 0}, {0: 5, 1: 2}),
                                          Retention(week.shift(1), {0: 10}, {0: 20})])
    book = openpyxl.load_workbook(io.BytesIO(export.to_xlsx_bytes(frame, names=NAMES)))
    rows = workbook.rows(workbook.sheet(book, "matrix_new"))
    assert [(r["cohort_start"], r["W0"], r["W1"]) for r in rows] == [
        (datetime.combine(week.start, datetime.min.time()), None, None),
        (datetime.combine(week.shift(1).start, datetime.min.time()), 1, None)]
    assert_workbook_is_the_tidy_frame(book, frame, frozenset())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_workbook_speaks_the_readers_language_and_reads_well(lang: Lang) -> None:
    """Issue 19, item 8: headers, 新增/活跃, 是/否 in the reader's language, app names, widths,
    a frozen header with a filter, percent formats; the CSV keeps its machine names."""
    result = DEMO.load(list(NAMES), WEEKS[-8:])
    data = export.to_xlsx_bytes(result.frame, names=NAMES, lang=lang,
                                provisional=export.provisional_cohorts(result))
    book = openpyxl.load_workbook(io.BytesIO(data))
    tabs = {"zh": ["新用户留存", "活跃用户留存", "明细"],
            "en": ["New users", "Active users", "All rows"]}[lang]
    assert book.sheetnames == tabs
    tidy = book[tabs[2]]
    titles = [c.value for c in tidy[1]]
    assert titles == {"zh": ["小程序 AppID", "批次开始", "批次结束", "用户", "第几周", "人数",
                             "留存率", "小程序", "未定(微信还会更新)"],
                      "en": ["AppID", "Cohort start", "Cohort end", "Users of", "Week", "Users",
                             "Retention", "Mini program", "Provisional (WeChat still adds)"]}[lang]
    values = {c.value for c in tidy["D"][1:]}
    assert values == ({"新增", "活跃"} if lang == "zh" else {"new", "active"})
    assert {c.value for c in tidy["I"][1:]} == ({"是", "否"} if lang == "zh" else {"yes", "no"})
    for ws in book:  # the header stays on screen; a matrix keeps app and cohort in view too
        assert ws.freeze_panes == ("A2" if ws is tidy else "D2")
        assert ws.auto_filter.ref == ws.dimensions  # and filters every column
        widths = {k: v.width for k, v in ws.column_dimensions.items()}
        assert len(widths) == ws.max_column  # every column sized
    # the app name column fits the longest Chinese name (two units a character)
    longest = max(len(name) for name in NAMES.values())
    assert tidy.column_dimensions["H"].width >= 2 * longest
    matrix = book[tabs[0]]
    assert [c.number_format for c in matrix[2]][3:8] == ["0.0%"] * 5
    assert all(c.number_format == "0.0%" for c in tidy["G"][1:])
    # the CSV is the machine contract still: English column names, raw values
    csv = export.to_csv_bytes(result.frame).decode(export.CSV_ENCODING)
    assert csv.splitlines()[0] == "app_id,cohort_start,cohort_end,metric,week_offset,users,rate"
    assert ",new," in csv and "新增" not in csv


def test_daily_matrix_headers_are_the_screens_offset_names() -> None:
    days = DEMO.load(list(NAMES)[:1], period_class("day").last_n(40))
    book = openpyxl.load_workbook(io.BytesIO(export.to_xlsx_bytes(days.frame, kind="day")))
    header = [c.value for c in book["新用户留存"][1]]
    assert header[3:] == ["当日", "次日", "2日", "3日", "4日", "5日", "6日", "7日", "14日", "30日",
                          "未定(微信还会更新)"]
    assert [c.value for c in book["明细"][1]][4] == "第几天"
    english = openpyxl.load_workbook(io.BytesIO(export.to_xlsx_bytes(days.frame, kind="day",
                                                                     lang="en")))
    assert [c.value for c in english["New users"][1]][3:6] == ["D0", "D1", "D2"]

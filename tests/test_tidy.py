from __future__ import annotations

import csv
import io
import json
import math
from datetime import date, datetime

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests import workbook
from wxdata.core.payload import Retention
from wxdata.core.periods import Week
from wxdata.core.tidy import TIDY_COLUMNS, concat, empty_frame, export_columns, to_frame
from wxdata.present.export import neutralise, to_csv_bytes, to_json_bytes, to_xlsx_bytes

W45 = Week(date(2026, 11, 2))


def test_rows_and_rates_worked_by_hand() -> None:
    payload = Retention(W45, {0: 1200, 1: 300, 2: 150}, {0: 0, 1: 5})
    frame = to_frame("wx1", [payload])
    assert list(frame.columns) == TIDY_COLUMNS
    new = frame[frame["metric"] == "new"].set_index("offset")
    assert new["users"].tolist() == [1200, 300, 150]
    assert new["rate"].tolist() == [1.0, 0.25, 0.125]  # 300/1200, 150/1200
    active = frame[frame["metric"] == "active"]
    assert active["rate"].isna().all()  # a zero base leaves the rate undefined, not 0 or inf
    assert (frame["cohort_start"] == pd.Timestamp("2026-11-02")).all()
    assert (frame["cohort_end"] == pd.Timestamp("2026-11-08")).all()


def test_unpublished_offsets_have_no_row() -> None:
    frame = to_frame("wx1", [Retention(W45, {0: 10, 1: 4}, {0: 20})])
    assert len(frame) == 3
    assert set(frame["offset"]) == {0, 1}


def test_missing_base_gives_nan_rate() -> None:
    frame = to_frame("wx1", [Retention(W45, {1: 4}, {})])
    assert frame["rate"].isna().all() and frame["users"].tolist() == [4]


def test_empty_inputs_give_typed_empty_frames() -> None:
    for frame in (to_frame("wx1", []), concat([]), empty_frame()):
        assert list(frame.columns) == TIDY_COLUMNS and frame.empty
        assert frame["cohort_start"].dtype.kind == "M"
        assert frame["users"].dtype == "int64"


def test_csv_contract() -> None:
    frame = to_frame("wx1", [Retention(W45, {0: 0, 1: 5}, {0: 8, 1: 2})])
    raw = to_csv_bytes(frame)
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "app_id,cohort_start,cohort_end,metric,week_offset,users,rate"
    assert "wx1,2026-11-02,2026-11-08,active,1,2,0.25" in lines
    assert "wx1,2026-11-02,2026-11-08,new,1,5," in lines  # undefined rate is an empty cell


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\tx"])
def test_formula_cells_are_neutralised(cell: str) -> None:
    assert neutralise(cell) == "'" + cell
    frame = to_frame(cell, [Retention(W45, {0: 1}, {0: 1})])
    rows = list(csv.reader(io.StringIO(to_csv_bytes(frame).decode("utf-8-sig"))))
    assert all(row[0] == "'" + cell for row in rows[1:])
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(frame)))
    assert workbook.sheet(book, "tidy")["A2"].value == "'" + cell
    assert workbook.sheet(book, "tidy")["A2"].data_type == "s"


def test_plain_values_are_left_alone() -> None:
    assert neutralise("鲜果优选") == "鲜果优选" and neutralise(-3) == -3


def test_json_and_xlsx_carry_the_same_numbers() -> None:
    frame = to_frame("wx1", [Retention(W45, {0: 1200, 1: 300}, {0: 0})])
    records = json.loads(to_json_bytes(frame))
    assert {tuple(r.values()) for r in records} == {
        ("wx1", "2026-11-02", "2026-11-08", "active", 0, 0, None),
        ("wx1", "2026-11-02", "2026-11-08", "new", 0, 1200, 1.0),
        ("wx1", "2026-11-02", "2026-11-08", "new", 1, 300, 0.25),
    }
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(frame, lang="en")))
    assert book.sheetnames == ["New users", "Active users", "All rows"]
    matrix = workbook.sheet(book, "matrix_new", "en")
    assert workbook.header(matrix, lang="en") == \
        ["app_id", "app_name", "cohort_start", "W0", "W1", "provisional"]
    assert [c.value for c in matrix[2]] == ["wx1", "wx1", datetime(2026, 11, 2), 1, 0.25, "no"]
    assert workbook.sheet(book, "tidy", "en").max_row == 4


def test_the_workbook_reads_as_a_pm_expects_in_excel() -> None:
    """Issue 11, item 8: rates were raw fractions in General format, weeks were text, and
    neither the app's name nor whether a week is still provisional was in the file."""
    frame = to_frame("wx1", [Retention(W45, {0: 1200, 1: 300}, {0: 0}),
                             Retention(W45.shift(-1), {0: 800}, {0: 0})])
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(
        frame, names={"wx1": "=鲜果优选"}, provisional={("wx1", W45.start)})))
    tidy = workbook.sheet(book, "tidy")
    columns = dict(zip(workbook.header(tidy), (c.column_letter for c in tidy[1]), strict=True))
    assert list(columns)[:7] == export_columns("week")  # the contract's columns keep their places
    rows = [{name: tidy[f"{letter}{r}"] for name, letter in columns.items()}
            for r in range(2, tidy.max_row + 1)]
    for row in rows:
        assert row["cohort_start"].is_date and row["cohort_start"].number_format == "yyyy-mm-dd"
        assert row["cohort_end"].is_date and row["cohort_end"].number_format == "yyyy-mm-dd"
        assert row["rate"].number_format == "0.0%"
        assert row["app_name"].value == "'=鲜果优选"  # still never a formula
        assert row["provisional"].value == \
            ("是" if row["cohort_start"].value == datetime(2026, 11, 2) else "否")
    w1 = next(r for r in rows if r["week_offset"].value == 1)
    assert w1["rate"].value == 0.25  # the value stays the fraction: 25.0% on screen
    matrix = workbook.sheet(book, "matrix_new")
    header = workbook.header(matrix)
    assert [matrix.cell(2, header.index(w) + 1).number_format for w in ("W0", "W1")] == \
        ["0.0%", "0.0%"]
    assert matrix.cell(2, header.index("cohort_start") + 1).is_date


counts = st.integers(0, 10**6)


@given(st.lists(st.tuples(st.integers(0, 300), counts, st.lists(counts, max_size=4)),
                max_size=6, unique_by=lambda t: t[0]))
def test_rate_properties(cohorts: list[tuple[int, int, list[int]]]) -> None:
    payloads = []
    for weeks_back, base, later in cohorts:
        series = {0: base, **{k + 1: min(v, base) for k, v in enumerate(later)}}
        payloads.append(Retention(W45.shift(-weeks_back), series, series))
    frame = to_frame("wx1", payloads)
    rates = frame["rate"].dropna()
    assert ((rates >= 0) & (rates <= 1)).all()
    first = frame[frame["offset"] == 0]
    assert (first.loc[first["users"] > 0, "rate"] == 1.0).all()
    assert first.loc[first["users"] == 0, "rate"].isna().all()
    for row in frame.itertuples():
        base = first[(first["cohort_start"] == row.cohort_start)
                     & (first["metric"] == row.metric)]["users"].iloc[0]
        assert (math.isnan(row.rate) and base == 0) or row.rate == row.users / base

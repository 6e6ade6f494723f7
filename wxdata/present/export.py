"""Downloads of the tidy frame: CSV, JSON and XLSX, shared by the dashboard and ``wxdata export``.

CSV and XLSX cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) are prefixed with ``'`` so that an app name typed by someone
else can never execute in a colleague's Excel. Numbers are never touched.
"""

from __future__ import annotations

import io
import json
import math
from typing import Any

import pandas as pd

from wxdata.core.payload import METRICS
from wxdata.core.tidy import TIDY_COLUMNS, export_frame

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_ENCODING = "utf-8-sig"  # the BOM lets Excel open Chinese text without an import wizard


def neutralise(value: Any) -> Any:
    """A text cell made inert for spreadsheets; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _safe_text(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """The CSV contract: exactly the tidy columns, ISO dates, rate empty when undefined."""
    text = _safe_text(export_frame(frame)).to_csv(index=False, na_rep="", lineterminator="\n")
    return text.encode(CSV_ENCODING)


def to_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The tidy rows as JSON-ready dicts (undefined rates as ``None``)."""
    records = [{str(k): v for k, v in row.items()}
               for row in export_frame(frame).to_dict(orient="records")]
    for record in records:
        rate = record["rate"]
        record["rate"] = None if rate is None or math.isnan(rate) else float(rate)
        record["week_offset"], record["users"] = int(record["week_offset"]), int(record["users"])
    return records


def to_json_bytes(frame: pd.DataFrame) -> bytes:
    return json.dumps(to_records(frame), ensure_ascii=False, indent=1).encode("utf-8")


def matrix_sheets(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """One wide sheet per metric: rows (app, cohort week), columns W0..Wn, cells the rate."""
    sheets = {}
    for metric in METRICS:
        rows = frame[frame["metric"] == metric]
        wide = rows.pivot_table(
            index=["app_id", "cohort_start"], columns="week_offset", values="rate",
            aggfunc="first", dropna=False,
        )
        wide.columns = [f"W{k}" for k in wide.columns]
        wide = wide.reset_index()
        wide["cohort_start"] = pd.to_datetime(wide["cohort_start"]).dt.strftime("%Y-%m-%d")
        sheets[f"matrix_{metric}"] = wide
    return sheets


def to_xlsx_bytes(frame: pd.DataFrame) -> bytes:
    """A workbook: a retention matrix sheet per metric, then the tidy sheet."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, sheet in matrix_sheets(frame).items():
            _safe_text(sheet).to_excel(writer, sheet_name=name, index=False)
        tidy = _safe_text(export_frame(frame))[TIDY_COLUMNS]
        tidy.to_excel(writer, sheet_name="tidy", index=False)
    return buffer.getvalue()

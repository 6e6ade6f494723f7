"""Downloads of the tidy frame: CSV, JSON and XLSX, shared by the dashboard and ``wxdata export``.

The workbook is for reading in Excel, so it says more than the CSV contract: each row's app name
and whether its week is still provisional (WeChat adds to it later), rates as percentages (the
value stays the fraction, the cell's format shows 25.0%) and weeks as real dates. It speaks the
reader's language (``lang``: sheet names, headers, 新增/活跃, 是/否; the offsets as the screens
name them, 次日 … 30日, W1, M1), each column as wide as its longest text, the header row frozen
and filterable. The CSV and JSON stay the machine contract: English column names, raw values.

CSV and XLSX cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) are prefixed with ``'`` so that an app name typed by someone
else can never execute in a colleague's Excel. Numbers are never touched.

The admins' notes (:mod:`wxdata.core.notes`) go with the workbook as a sheet of their own
(:data:`NOTES_SHEET`) and as a CSV of their own (:func:`notes_to_csv_bytes`; the tidy CSV keeps
its contract). In the workbook a note's text is an explicit string cell, exactly as typed: a
text that starts with ``=`` is shown, never calculated; in the CSV, which has no cell types,
it is defused like any other text (the ``'`` prefix).
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Collection, Mapping, Sequence
from datetime import date
from typing import Any

import pandas as pd

from wxdata.core.notes import Note
from wxdata.core.payload import METRICS
from wxdata.core.periods import DEFAULT_PERIOD, PERIODS, Period, PeriodKind, period_class
from wxdata.core.report import LoadResult
from wxdata.core.tidy import TIDY_COLUMNS, export_columns, export_frame
from wxdata.i18n import Lang, t
from wxdata.present.fmt import offset_label

#: Excel number formats of the workbook: rates as percentages, weeks as dates.
PERCENT_FORMAT = "0.0%"
DATE_FORMAT = "yyyy-mm-dd"
#: Columns the workbook adds to the tidy ones (after them, so those keep their places).
APP_NAME, PROVISIONAL = "app_name", "provisional"
#: The workbook's sheet of notes, and its columns (``note_text`` is the note, as typed).
NOTES_SHEET = "notes"
NOTE_COLUMNS = ("note_first", "note_last", "app_id", APP_NAME, "note_text", "note_author")

_OFFSET_LETTERS = {cls.LETTER for cls in PERIODS.values()}
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_ENCODING = "utf-8-sig"  # the BOM lets Excel open Chinese text without an import wizard


def file_stem(app_ids: Sequence[str], periods: Sequence[Period]) -> str:
    """A download's name without its extension: the apps, the period and the span, so that a
    daily and a weekly file of the same dates never overwrite each other.

    >>> file_stem(["wx1"], [period_class("month").parse(m) for m in ("2026-01", "2026-10")])
    'wxretain-wx1-month-2026-01-2026-10'
    """
    kind = periods[0].kind if periods else DEFAULT_PERIOD
    span = f"-{periods[0].iso}-{periods[-1].iso}" if periods else ""
    return f"wxretain-{'-'.join(app_ids)}-{kind}{span}"


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


def to_csv_bytes(frame: pd.DataFrame, kind: PeriodKind = DEFAULT_PERIOD) -> bytes:
    """The CSV contract: exactly the tidy columns (``offset`` named for the period), ISO dates,
    rate empty when undefined."""
    text = _safe_text(export_frame(frame, kind)).to_csv(index=False, na_rep="",
                                                        lineterminator="\n")
    return text.encode(CSV_ENCODING)


def to_records(frame: pd.DataFrame, kind: PeriodKind = DEFAULT_PERIOD) -> list[dict[str, Any]]:
    """The tidy rows as JSON-ready dicts (undefined rates as ``None``)."""
    offset = f"{kind}_offset"
    records = [{str(k): v for k, v in row.items()}
               for row in export_frame(frame, kind).to_dict(orient="records")]
    for record in records:
        rate = record["rate"]
        record["rate"] = None if rate is None or math.isnan(rate) else float(rate)
        record[offset], record["users"] = int(record[offset]), int(record["users"])
    return records


def to_json_bytes(frame: pd.DataFrame, kind: PeriodKind = DEFAULT_PERIOD) -> bytes:
    return json.dumps(to_records(frame, kind), ensure_ascii=False, indent=1).encode("utf-8")


def provisional_cohorts(result: LoadResult) -> frozenset[tuple[str, date]]:
    """(app id, cohort start) of every cohort of ``result`` that WeChat may still add to."""
    return frozenset((r.app_id, r.period.start) for r in result.provisional)


def _marked(frame: pd.DataFrame, names: Mapping[str, str],
            provisional: Collection[tuple[str, date]]) -> pd.DataFrame:
    """The tidy columns (dates as dates), then the app's name and the provisional marker."""
    out = frame[TIDY_COLUMNS].copy()
    out["rate"] = out["rate"].astype("float64").replace([math.inf, -math.inf], math.nan)
    for column in ("cohort_start", "cohort_end"):
        out[column] = pd.to_datetime(out[column]).dt.tz_localize(None).dt.normalize()
    out[APP_NAME] = [names.get(a, a) for a in out["app_id"]]
    marked = set(provisional)
    out[PROVISIONAL] = [(a, s.date()) in marked
                        for a, s in zip(out["app_id"], out["cohort_start"], strict=True)]
    return out


def matrix_sheets(frame: pd.DataFrame, names: Mapping[str, str] | None = None,
                  provisional: Collection[tuple[str, date]] = (),
                  kind: PeriodKind = DEFAULT_PERIOD) -> dict[str, pd.DataFrame]:
    """One wide sheet per metric: a row per (app, cohort) of the tidy frame, a column per
    offset (W0..W4, D0..D7 D14 D30, M0 M1), cells the tidy rate (empty where the tidy rate is
    undefined or unpublished).

    ``pivot``, not ``pivot_table(dropna=False)``: the latter fills in the cartesian product of
    its index levels, which wrote every cohort once per ``provisional`` value and once per app
    name (one app's id beside the other's name: issue 19, item 1).
    """
    tidy = _marked(frame, names or {}, provisional)
    index = ["app_id", APP_NAME, "cohort_start", PROVISIONAL]
    sheets = {}
    for metric in METRICS:
        rows = tidy[tidy["metric"] == metric]
        wide = rows.pivot(index=index, columns="offset", values="rate")
        wide = wide.reindex(columns=sorted(wide.columns))
        wide.columns = [period_class(kind).offset_name(int(k)) for k in wide.columns]
        wide = wide.reset_index().sort_values(["app_id", "cohort_start"], ignore_index=True)
        sheets[f"matrix_{metric}"] = wide[[c for c in wide.columns if c != PROVISIONAL]
                                          + [PROVISIONAL]]
    return sheets


def column_title(name: str, kind: PeriodKind, lang: Lang) -> str:
    """The header a reader sees for the workbook column ``name``: an export column
    (``cohort_start``, ``week_offset`` …), ``app_name``, ``provisional`` or an offset of a
    matrix sheet (``W1``, ``D7``, ``M1``)."""
    if _is_offset(name):
        return offset_label(kind, int(name[1:]), lang)
    if name.endswith("_offset"):
        return t(f"xlsx.column.{kind}_offset", lang)
    return t(f"xlsx.column.{name}", lang)


def sheet_title(name: str, lang: Lang) -> str:
    """The tab of a sheet: ``matrix_new``, ``matrix_active`` or ``tidy``, in ``lang``."""
    return t(f"xlsx.sheet.{name}", lang)


def _is_offset(name: str) -> bool:
    return name[:1] in _OFFSET_LETTERS and name[1:].isdigit()


def _for_reader(sheet: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """The values a reader sees: 新增/活跃 for the metric, 是/否 for provisional."""
    out = sheet.copy()
    if "metric" in out.columns:
        out["metric"] = [t(f"xlsx.metric.{m}", lang) for m in out["metric"]]
    if PROVISIONAL in out.columns:
        out[PROVISIONAL] = [t("xlsx.yes" if p else "xlsx.no", lang) for p in out[PROVISIONAL]]
    return out


def _width(value: Any) -> int:
    """Excel's column width for a value: a CJK character takes two."""
    if value is None:
        return 0
    if isinstance(value, float):
        return 7  # 100.0%
    if isinstance(value, (date, pd.Timestamp)):
        return 10
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in str(value))


def _dressed(sheet: Any, titles: list[str], columns: list[str]) -> None:
    """Headers in the reader's words, widths, a frozen and filterable header row; a matrix
    also keeps its app and cohort columns in view when scrolled to the right."""
    for cell, title in zip(sheet[1], titles, strict=True):
        cell.value = title
    for column in sheet.iter_cols(min_row=1):
        widest = max(_width(cell.value) for cell in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(widest + 2, 8), 48)
    matrix = any(_is_offset(c) for c in columns)
    sheet.freeze_panes = sheet.cell(2, columns.index("cohort_start") + 2 if matrix else 1)
    sheet.auto_filter.ref = sheet.dimensions


def _formatted(sheet: Any, columns: list[str]) -> None:
    """Percent and date formats on the cells of an openpyxl sheet written from ``columns``."""
    for index, name in enumerate(columns, start=1):
        rate = name == "rate" or _is_offset(name)
        date_ = name in ("cohort_start", "cohort_end", "note_first", "note_last")
        number_format = PERCENT_FORMAT if rate else DATE_FORMAT if date_ else None
        if number_format is None:
            continue
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.number_format = number_format


def notes_frame(notes: Sequence[Note], names: Mapping[str, str] | None = None,
                lang: Lang = "zh") -> pd.DataFrame:
    """One row per note (:data:`NOTE_COLUMNS`); a note about every app names them all."""
    every = t("notes.all_apps", lang)
    rows = [(n.first, n.last, n.app_id, every if n.app_id == "*" else (names or {}).get(
        n.app_id, n.app_id), n.text, n.author) for n in notes]
    out = pd.DataFrame(rows, columns=list(NOTE_COLUMNS), dtype=object)
    for column in ("note_first", "note_last"):
        out[column] = pd.to_datetime(out[column])
    return out


def notes_to_csv_bytes(notes: Sequence[Note], names: Mapping[str, str] | None = None) -> bytes:
    """The notes as CSV (English columns, ISO dates); every text cell defused."""
    frame = notes_frame(notes, names, "en")
    for column in ("note_first", "note_last"):
        frame[column] = frame[column].dt.strftime("%Y-%m-%d")
    text = _safe_text(frame).to_csv(index=False, lineterminator="\n")
    return text.encode(CSV_ENCODING)


def _as_text(sheet: Any, columns: list[str], name: str) -> None:
    """Every cell of column ``name`` a string cell, whatever it starts with (openpyxl takes a
    text starting with ``=`` for a formula)."""
    if name not in columns:
        return
    index = columns.index(name) + 1
    for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
        if cell.value is not None:
            cell.data_type = "s"


def to_xlsx_bytes(frame: pd.DataFrame, *, names: Mapping[str, str] | None = None,
                  provisional: Collection[tuple[str, date]] = (),
                  kind: PeriodKind = DEFAULT_PERIOD, lang: Lang = "zh",
                  notes: Sequence[Note] = ()) -> bytes:
    """A workbook: a retention matrix sheet per metric, then the tidy sheet (its columns, then
    ``app_name`` and ``provisional``), in ``lang`` (module docstring), then the notes (when
    there are any). ``names``: app id to name; ``provisional``: (app id, cohort start) of the
    weeks WeChat may still add to (:func:`provisional_cohorts`)."""
    tidy = _marked(frame, names or {}, provisional)
    tidy.columns = [*export_columns(kind), *tidy.columns[len(TIDY_COLUMNS):]]
    sheets = {**matrix_sheets(frame, names, provisional, kind), "tidy": tidy}
    if notes:
        sheets[NOTES_SHEET] = notes_frame(notes, names, lang)
    return write_workbook(sheets, kind, lang)


def matrix_to_xlsx_bytes(frame: pd.DataFrame, *, names: Mapping[str, str] | None = None,
                         provisional: Collection[tuple[str, date]] = (),
                         kind: PeriodKind = DEFAULT_PERIOD, lang: Lang = "zh") -> bytes:
    """The cohort grid alone (issue 19): a sheet per metric, a row per cohort, a column per
    offset, in ``lang``, as the heatmap shows it."""
    return write_workbook(matrix_sheets(frame, names, provisional, kind), kind, lang)


def write_workbook(sheets: Mapping[str, pd.DataFrame], kind: PeriodKind, lang: Lang) -> bytes:
    """The sheets (named as :func:`sheet_title` knows them) as one workbook in ``lang``."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl", date_format=DATE_FORMAT,
                        datetime_format=DATE_FORMAT) as writer:
        for name, sheet in sheets.items():
            title = sheet_title(name, lang)
            readable = _for_reader(sheet, lang)
            safe = _safe_text(readable)
            if "note_text" in safe.columns:  # as typed, in a string cell (module docstring)
                safe["note_text"] = readable["note_text"]
            safe.to_excel(writer, sheet_name=title, index=False)
            columns = [str(c) for c in sheet.columns]
            _as_text(writer.sheets[title], columns, "note_text")
            _formatted(writer.sheets[title], columns)
            _dressed(writer.sheets[title], [column_title(c, kind, lang) for c in columns], columns)
    return buffer.getvalue()

"""Reading a downloaded workbook back in the tidy frame's own words, whatever its language: the
workbook speaks the reader's (present/export.py), the tests compare with machine names."""

from __future__ import annotations

from typing import Any

from wxdata.core.payload import METRICS
from wxdata.core.periods import PeriodKind, period_class
from wxdata.core.tidy import export_columns
from wxdata.i18n import Lang, t
from wxdata.present import export


def sheet(book: Any, name: str, lang: Lang = "zh") -> Any:
    """The sheet ``matrix_new``, ``matrix_active`` or ``tidy`` of ``book`` by its tab."""
    return book[export.sheet_title(name, lang)]


def names(kind: PeriodKind, lang: Lang) -> dict[str, str]:
    """Every column title the workbook can show → its machine name."""
    machine = [*export_columns(kind), export.APP_NAME, export.PROVISIONAL,
               *(period_class(kind).offset_name(k) for k in period_class(kind).KEYS)]
    return {export.column_title(m, kind, lang): m for m in machine}


def header(ws: Any, kind: PeriodKind = "week", lang: Lang = "zh") -> list[str]:
    """The machine names of ``ws``'s columns (KeyError for a title the workbook cannot show)."""
    titles = names(kind, lang)
    return [titles[str(c.value)] for c in ws[1]]


def rows(ws: Any, kind: PeriodKind = "week", lang: Lang = "zh") -> list[dict[str, Any]]:
    """The data rows of ``ws`` keyed by machine name, metric and provisional back as the tidy
    frame has them (``new``, True/False)."""
    metric = {t(f"xlsx.metric.{m}", lang): m for m in METRICS}
    flag = {t("xlsx.yes", lang): True, t("xlsx.no", lang): False}
    out = []
    for row in ws.iter_rows(min_row=2):
        record = dict(zip(header(ws, kind, lang), (c.value for c in row), strict=True))
        if "metric" in record:
            record["metric"] = metric[record["metric"]]
        if export.PROVISIONAL in record:
            record[export.PROVISIONAL] = flag[record[export.PROVISIONAL]]
        out.append(record)
    return out

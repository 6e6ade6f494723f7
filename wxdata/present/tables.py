"""Tables as a PM reads them: formatted text, arrows for change, and colour and a star only where
a change is statistically significant (grey otherwise, as the Overview's tiles are). Pure pandas
(a Styler), no Streamlit."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pandas as pd
from pandas.io.formats.style import Styler

from wxdata.core import holidays
from wxdata.core.periods import CST, DEFAULT_PERIOD, Period, PeriodKind, period_class
from wxdata.core.report import PeriodReport
from wxdata.i18n import Lang, t
from wxdata.present.fmt import (
    DASH,
    change,
    cohort_label,
    count_column,
    offset_label,
    pct,
    period_text,
    signed_points,
)

UP, DOWN, STAR = "▲", "▼", "★"
_GOOD, _BAD = "color: #07883F; font-weight: 600", "color: #D93025; font-weight: 600"
_NOISE = "color: #8F959E"


#: The grid's row height in px (the page sets it, so the height below is computed, not guessed).
TABLE_ROW_PX = 35
#: Room for a horizontal scroll bar (17 px on Windows) and the grid's two border pixels: a
#: narrow window scrolls the table sideways, and the bar then covered the last row.
SCROLLBAR_PX, BORDER_PX = 18, 2


def table_height(rows: int, *, max_rows: int = 16) -> int:
    """The height of a grid that shows ``rows`` rows and its header whole (up to ``max_rows``,
    beyond which it scrolls).

    >>> table_height(7), table_height(100) == table_height(16)
    (300, True)
    """
    return (min(rows, max_rows) + 1) * TABLE_ROW_PX + BORDER_PX + SCROLLBAR_PX


def _wow_offsets(wow: pd.DataFrame) -> list[int]:
    return sorted(int(m.group(1)) for c in wow.columns if (m := re.fullmatch(r"rate_(\d+)", c)))


def _arrow(delta: float) -> str:
    """▲/▼ for a change that is still visible at one decimal (+0.0 gets no arrow)."""
    if pd.isna(delta) or round(abs(float(delta)) * 100, 1) == 0:
        return ""
    return UP if delta > 0 else DOWN


def _delta_text(delta: float, significant: bool) -> str:
    """"★ ▲ +4.0" for a significant rise: the star first, so a narrow column never clips it;
    the unit (percentage points) is in the column's header."""
    if pd.isna(delta):
        return DASH
    text = f"{_arrow(delta)} {signed_points(delta)}".strip()
    return f"{STAR} {text}" if significant else text


def delta_column(k: int, lang: Lang, period: PeriodKind = DEFAULT_PERIOD) -> str:
    """The header of the change at offset ``k``: "ΔW1" / "ΔW1"; a day's "次日变化" (the page's
    caption gives the unit: four "(百分点)" were what a 1280 px window lacked, for weeks as for
    days: the ΔW4 column was cut)."""
    name = offset_label(period, k, lang)
    return f"Δ{name}" if period == "week" else period_text("table.delta", period, lang,
                                                           offset=name)


def wow_table(wow: pd.DataFrame, lang: Lang, period: PeriodKind = DEFAULT_PERIOD, *,
              narrow: bool = False) -> pd.DataFrame:
    """The period-over-period frame as display text, one row per cohort (newest first as
    given); ``narrow`` (a phone): short cohort labels ("W44 · 10-26") for weeks too."""
    out = pd.DataFrame(index=pd.RangeIndex(len(wow)))
    # a day as "11-07 周六": unique within the half year a view holds, and the year's five
    # characters were what kept the daily table from fitting a 1280 px window
    short = period == "day" or narrow
    out[t(f"table.cohort.{period}", lang)] = [cohort_label(s, period, lang, short=short)
                                              for s in wow.index]
    out[t("table.size", lang)] = count_column(list(wow["size"]), lang)  # one format (pm19a)
    out[t("table.size_change", lang)] = [
        f"{_arrow(v)} {change(v)}".strip() for v in wow["size_change"]]
    for k in _wow_offsets(wow):
        out[offset_label(period, k, lang)] = [pct(v) for v in wow[f"rate_{k}"]]
        significant = _significant(wow, k)
        out[delta_column(k, lang, period)] = [_delta_text(d, s) for d, s in
                                      zip(wow[f"delta_{k}"], significant, strict=True)]
    return out


def _significant(wow: pd.DataFrame, k: int) -> list[bool]:
    column = wow.get(f"significant_{k}", pd.Series(False, index=wow.index))
    return [bool(v) for v in column.fillna(False)]


def wow_styler(wow: pd.DataFrame, lang: Lang, period: PeriodKind = DEFAULT_PERIOD, *,
               narrow: bool = False) -> Styler:
    """:func:`wow_table` with colour where a change is significant (green up, red down, bold)
    and grey where it is within the usual noise between cohorts."""
    table = wow_table(wow, lang, period, narrow=narrow)
    css = pd.DataFrame("", index=table.index, columns=table.columns)
    for k in _wow_offsets(wow):
        rise = (wow[f"delta_{k}"] > 0).to_numpy()
        css[delta_column(k, lang, period)] = [(_GOOD if up else _BAD) if significant else _NOISE
                                      for up, significant in zip(rise, _significant(wow, k),
                                                                 strict=True)]
    return table.style.apply(lambda _: css, axis=None).hide(axis="index")


def report_state(report: PeriodReport) -> str:
    """final | provisional | failed | missing: what a PM needs to know about a week."""
    if report.status == "failed":
        return "failed"
    if not report.has_data:
        return "missing"
    return "final" if report.final else "provisional"


#: A row's festival mark (the names are the catalogue's: 国庆, "National Day"); no words of
#: its own to translate.
HOLIDAY_MARK, HOLIDAY_MARK_SHORT = " · {names}", " {names}"


def holiday_mark(period: Period, lang: Lang, *, short: bool = False) -> str:
    """" · 国庆" on a period with a festival's day off in it (" 国庆" short), "" otherwise: the
    heatmap's rows and the calendar's columns say why a cohort retains differently."""
    festivals = holidays.of_period(period)
    if not festivals:
        return ""
    names = "·".join(holidays.holiday_name(k, lang) for k in festivals)
    return (HOLIDAY_MARK_SHORT if short else HOLIDAY_MARK).format(names=names)


def row_marks(reports: Sequence[PeriodReport], lang: Lang,
              short: bool = False) -> dict[pd.Timestamp, str]:
    """The suffix of each heatmap row that needs one: its festival (" · 国庆"), then its state
    when not final (" · 未定", " · 加载失败", " · 无数据", from :func:`report_state`, the one home
    of a period's state); shorter words in a narrow chart."""
    marks: dict[pd.Timestamp, str] = {}
    for report in reports:
        state = report_state(report)
        said = "" if state == "final" else t(f"chart.mark.short.{state}", lang) if short \
            else t(f"chart.mark.{state}", lang)
        mark = holiday_mark(report.period, lang, short=short) + said
        if mark:
            marks[pd.Timestamp(report.period.start)] = mark
    return marks


def strip_marks(label: str, lang: Lang) -> str:
    """A row label without the marks :func:`row_marks` added (tests and exports compare the
    bare cohort label)."""
    for prefix in ("chart.mark", "chart.mark.short"):
        for state in ("provisional", "failed", "missing"):
            label = label.removesuffix(t(f"{prefix}.{state}", lang))
    names = "|".join(re.escape(holidays.holiday_name(k, lang)) for k in holidays.NAME_KEYS)
    festival = f"(?:{names})(?:·(?:{names}))*"
    for mark in (HOLIDAY_MARK, HOLIDAY_MARK_SHORT):
        head, _, tail = mark.partition("{names}")
        label = re.sub(f"{re.escape(head)}{festival}{re.escape(tail)}$", "", label)
    return label


def week_states(reports: Sequence[PeriodReport], names: Mapping[str, str],
                lang: Lang) -> pd.DataFrame:  # one row per (app, period), whatever the period
    """One row per (app, week): app name, week start, state, a sentence for the hover."""
    rows = []
    for report in reports:
        state = report_state(report)
        when = report.fetched_at.astimezone(CST).strftime("%m-%d %H:%M") \
            if report.fetched_at else DASH
        status = t(f"table.status.{report.status}", lang)
        if state in ("failed", "missing"):
            detail = report.reason(lang)
        elif report.error is not None:
            detail = t("table.kept_detail", lang, status=status, when=when,
                       reason=report.reason(lang))
        else:
            detail = t("table.state_detail", lang, status=status, when=when)
        if report.above_base:
            cells = ", ".join(f"{t(f'metric.{m}.short', lang)} {report.period.offset_name(k)}"
                              for m, k in report.above_base)
            detail += period_text("table.above_base", report.period.kind, lang, cells=cells)
        rows.append({"app": names.get(report.app_id, report.app_id),
                     "week": pd.Timestamp(report.period.start), "state": state,
                     "status": report.status, "when": when, "detail": detail})
    return pd.DataFrame(rows, columns=["app", "week", "state", "status", "when", "detail"])


def week_states_table(states: pd.DataFrame, lang: Lang,
                      period: PeriodKind = DEFAULT_PERIOD) -> pd.DataFrame:
    """The period states as a table, newest first."""
    table = states.sort_values(["week", "app"], ascending=[False, True])
    return pd.DataFrame({
        t("table.app", lang): table["app"].to_numpy(),
        t(f"table.cohort.{period}", lang): [cohort_label(w, period, lang) for w in table["week"]],
        t("table.state", lang): [t(f"chart.state.{s}", lang) for s in table["state"]],
        t("table.fetched_at", lang): table["when"].to_numpy(),
        t("table.detail", lang): table["detail"].to_numpy(),
    })


def tidy_display(frame: pd.DataFrame, lang: Lang,
                 period: PeriodKind = DEFAULT_PERIOD) -> pd.DataFrame:
    """The tidy frame for reading on screen: cohorts labelled, rates in percent. Numbers stay
    numbers (the table sorts by them); the page formats them (see :data:`TIDY_FORMATS`)."""
    name = period_class(period).offset_name
    return pd.DataFrame({
        "app_id": frame["app_id"].to_numpy(),
        t(f"table.cohort.{period}", lang): [cohort_label(s, period, lang)
                                           for s in frame["cohort_start"]],
        t("table.metric", lang): [t(f"metric.{m}.short", lang) for m in frame["metric"]],
        "offset": [name(int(k)) for k in frame["offset"]],
        t("table.users", lang): frame["users"].to_numpy(),
        t("table.rate", lang): frame["rate"].to_numpy() * 100,
    })


#: printf formats for the numeric columns of :func:`tidy_display` (keys: catalogue keys).
TIDY_FORMATS = {"table.users": "localized", "table.rate": "%.1f%%"}

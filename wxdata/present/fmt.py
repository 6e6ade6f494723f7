"""Numbers and cohort names as a Chinese or English reader expects them; no Streamlit here.

>>> count(183_456, "zh"), count(183_456, "en"), pct(0.2834), pp(-0.031, "zh")
('18.3万', '183,456', '28.3%', '-3.1 个百分点')
>>> offset_label("day", 1, "zh"), offset_label("day", 30, "zh"), offset_label("day", 1, "en")
('次日', '30日', 'D1')
>>> cohort_label(date(2026, 11, 7), "day", "zh", short=True), cohort_label("2026-11-03", "month")
('11-07 周六', '2026-11')
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from datetime import date
from typing import Any

import pandas as pd

from wxdata.core.periods import DEFAULT_PERIOD, Day, PeriodKind, Week, period_class
from wxdata.i18n import CATALOGUE, Lang, t

DASH = "—"


def _finite_or_none(value: float | None) -> float | None:
    """``value`` as a float, or None when it is missing or NaN (shown as a dash)."""
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def count(value: float | None, lang: Lang) -> str:
    """A user count: 万/亿 with one decimal in Chinese from ten thousand up, commas in English."""
    number = _finite_or_none(value)
    if number is None:
        return DASH
    if lang == "zh" and abs(number) >= 1e8:
        return f"{number / 1e8:.1f}亿"
    if lang == "zh" and abs(number) >= 1e4:
        return f"{number / 1e4:.1f}万"
    return f"{round(number):,}"


def count_axis(values: Sequence[float], lang: Lang) -> list[str]:
    """The ticks of one count axis in one unit: "0.5万" beside "1.0万", never "5,000" beside
    "1.0万" (:func:`count` picks a unit per number). The unit comes from the largest tick, the
    decimals from the finest step; English keeps commas throughout.

    >>> count_axis([0, 5_000, 10_000, 15_000], "zh"), count_axis([0, 2_500, 5_000], "zh")
    (['0', '0.5万', '1.0万', '1.5万'], ['0', '2,500', '5,000'])
    """
    top = max((abs(v) for v in values), default=0.0)
    if lang != "zh" or top < 1e4:
        return [f"{round(v):,}" for v in values]
    unit, suffix = (1e8, "亿") if top >= 1e8 else (1e4, "万")
    decimals = next((d for d in range(4) if all(
        abs(round(v / unit, d) - v / unit) < 1e-9 for v in values)), 3)
    decimals = max(decimals, 1)
    return ["0" if v == 0 else f"{v / unit:.{decimals}f}{suffix}" for v in values]


def pct(rate: float | None) -> str:
    """A rate in [0, 1] as a percentage with one decimal."""
    number = _finite_or_none(rate)
    return DASH if number is None else f"{number * 100:.1f}%"


def signed_points(delta: float) -> str:
    """A difference of two rates in percentage points, signed, one decimal, no unit:
    ``+4.0``; -0.04 reads as ``+0.0``, never as ``-0.0``."""
    points = round(float(delta) * 100, 1) or 0.0
    return f"{points:+.1f}"


def pp(delta: float | None, lang: Lang) -> str:
    """A difference of two rates in percentage points, always signed."""
    number = _finite_or_none(delta)
    if number is None:
        return DASH
    return t("fmt.pp", lang, value=signed_points(number))


def change(ratio: float | None) -> str:
    """A relative change (0.05 -> "+5.0%")."""
    number = _finite_or_none(ratio)
    return DASH if number is None else f"{number * 100:+.1f}%"


def p_value(p: float | None) -> str:
    """p as papers write it: "<0.001", three decimals below 0.01, else two."""
    number = _finite_or_none(p)
    if number is None:
        return DASH
    if number < 0.001:
        return "<0.001"
    return f"{number:.3f}" if number < 0.01 else f"{number:.2f}"


def week_label(day: Any) -> str:
    """``2026-W45 · 11-02..11-08`` for any day of a week (a cohort's first day); a dash for none."""
    if day is None or pd.isna(day):
        return DASH
    return Week.containing(pd.Timestamp(day)).label


def offset_label(kind: PeriodKind, k: object, lang: Lang) -> str:
    """How an offset is named on screen: 次日 / 7日 / 30日 for days in Chinese (how WeChat's own
    console names them), D1 in English; W1 and M1 in both languages."""
    key = int(str(k))
    if kind == "day" and lang == "zh":
        return t(f"offset.day.{min(key, 2)}", lang, k=key)
    return period_class(kind).offset_name(key)


def period_key(key: str, kind: PeriodKind) -> str:
    """The catalogue key of a text that names the period: the weekly text is ``key`` itself (as
    it always read), days and months have ``key.day`` / ``key.month`` where the words differ
    (a text that names no period has none, and is ``key`` for every period).

    >>> period_key("data.refresh.ok", "day"), period_key("data.refresh.ok", "week")
    ('data.refresh.ok.day', 'data.refresh.ok')
    >>> period_key("page.data.refresh.help.demo", "month")
    'page.data.refresh.help.demo'
    """
    if kind == "week":
        return key
    own = f"{key}.{kind}"
    return own if own in CATALOGUE else key


def period_text(key: str, kind: PeriodKind, lang: Lang, /, **params: Any) -> str:
    """:func:`wxdata.i18n.t` of :func:`period_key`: the text in the words of ``kind``."""
    return t(period_key(key, kind), lang, **params)


def _weekday(day: date, lang: Lang) -> str:
    return t(f"weekday.{day.weekday()}", lang)


def cohort_label(day: Any, kind: PeriodKind = DEFAULT_PERIOD, lang: Lang = "zh", *,
                 short: bool = False) -> str:
    """A cohort's name from its first day (any day inside it): ``2026-W45 · 11-02..11-08`` for
    a week (``W45 · 11-02`` short), ``2026-11-03 周二`` for a day (``11-03 周二`` short, unique
    within the half year a view can show), ``2026-11`` for a month; a dash for none."""
    if day is None or (not isinstance(day, str) and pd.isna(day)):
        return DASH
    period = period_class(kind).containing(pd.Timestamp(day).date())
    if isinstance(period, Day):
        shown = period.start.strftime("%m-%d" if short else "%Y-%m-%d")
        return f"{shown} {_weekday(period.start, lang)}"
    if isinstance(period, Week) and short:
        return period.label.split("..")[0].split("-", 1)[1]
    return period.label


def is_weekend(day: Any) -> bool:
    """Saturday or Sunday (in China, where the cohort's day is counted)."""
    return bool(pd.Timestamp(day).weekday() >= 5)


def chart_text(text: object) -> str:
    """A name or message from outside (an app name, WeChat's errmsg) as Plotly shows text:
    Plotly renders a subset of HTML in titles, legends and hovers, links included.

    >>> chart_text('<a href="https://evil.example">x</a>')
    '&lt;a href="https://evil.example"&gt;x&lt;/a&gt;'
    """
    return html.escape(str(text), quote=False)


def tile_cohort(day: Any, kind: PeriodKind = DEFAULT_PERIOD) -> str:
    """A cohort's name on a KPI tile, as short as it stays unambiguous within a view: ``W47``
    for a week, ``11-28`` for a day, ``2026-10`` for a month (the tile's help has the full
    :func:`cohort_label`); a dash for none."""
    if day is None or (not isinstance(day, str) and pd.isna(day)):
        return DASH
    period = period_class(kind).containing(pd.Timestamp(day).date())
    if isinstance(period, Week):
        return period.iso.split("-")[1]
    if isinstance(period, Day):
        return period.start.strftime("%m-%d")
    return period.label


def count_column(values: Sequence[float | None], lang: Lang) -> list[str]:
    """The user counts of one table column in one format: "1.5万" beside "8,885" read as two
    kinds of number. Chinese uses 万 (亿) only when every count of the column is that large,
    commas otherwise; English always commas. Missing counts are a dash.

    >>> count_column([15_000, 8_885, None], "zh"), count_column([15_000, 28_000], "zh")
    (['15,000', '8,885', '—'], ['1.5万', '2.8万'])
    """
    present = [abs(n) for v in values if (n := _finite_or_none(v)) is not None]
    smallest = min(present, default=0.0)
    numbers = [_finite_or_none(v) for v in values]
    if lang == "zh" and smallest >= 1e4:
        unit, suffix = (1e8, "亿") if smallest >= 1e8 else (1e4, "万")
        return [DASH if n is None else f"{n / unit:.1f}{suffix}" for n in numbers]
    return [DASH if n is None else f"{round(n):,}" for n in numbers]


def app_label(name: str, appid: str, lang: Lang) -> str:
    """An app as a page in ``lang`` names it (``AppInfo.label``: "name · appid"), the demo's
    "(示例)" said in that language: "鲜果优选 (demo) · wxdemo00freshmart" on English pages.

    >>> app_label("鲜果优选(示例)", "wxdemo00freshmart", "en")
    '鲜果优选 (demo) · wxdemo00freshmart'
    """
    mark = t("app.demo.mark", "zh")
    if name.endswith(mark) and lang != "zh":
        name = name.removesuffix(mark) + t("app.demo.mark", lang)
    return name if name == appid else f"{name} · {appid}"

"""Context drawn on a time axis: China's public holidays as shaded bands (named: 国庆, 春节) and
a goal as a dashed line, for the trend and the period-over-period charts (issue 16).

A band covers the holiday's days off (:func:`wxdata.core.holidays.bands`) that fall between the
first and last cohort drawn; two festivals that touch are one band with both names. Years the
holiday calendar does not know get no band (the page says so, ``holidays.uncovered_notice``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go

from wxdata.core import holidays
from wxdata.i18n import Lang, t
from wxdata.present.charts.style import RED, with_alpha
from wxdata.present.fmt import pct

HOLIDAY_FILL = with_alpha("#f2b705", 0.16)


def holiday_bands(fig: go.Figure, first: date, last: date, lang: Lang) -> int:
    """Shade each holiday run between ``first`` and ``last``; the number of bands drawn."""
    runs = holidays.bands(first, last)
    for start, end, keys in runs:
        names = "·".join(holidays.holiday_name(k, lang) for k in keys)
        fig.add_vrect(x0=pd.Timestamp(start), x1=pd.Timestamp(end + timedelta(days=1)),
                      fillcolor=HOLIDAY_FILL, line_width=0, layer="below",
                      annotation_text=names, annotation_position="top left",
                      annotation_font_size=11, name=f"holiday:{','.join(keys)}")
    return len(runs)


def goal_line(fig: go.Figure, goal: float, lang: Lang, *, secondary_y: bool | None = None) -> None:
    """A dashed line at ``goal`` (a rate; the axis is in percent), labelled 目标 25.0%."""
    fig.add_hline(y=goal * 100, line_dash="dash", line_color=RED, line_width=1.5,
                  annotation_text=t("chart.goal", lang, goal=pct(goal)),
                  annotation_position="bottom right", annotation_font_color=RED,
                  name="goal", secondary_y=secondary_y)


def span_of(index: Sequence[object], kind_days: int) -> tuple[date, date] | None:
    """The first cohort's first day and the last cohort's last (``kind_days``: its length in
    days, 31 for a month), or None for no cohort."""
    if not len(index):
        return None
    starts = pd.DatetimeIndex(list(index))
    return starts.min().date(), (starts.max() + pd.Timedelta(days=kind_days - 1)).date()


__all__ = ["HOLIDAY_FILL", "goal_line", "holiday_bands", "span_of"]

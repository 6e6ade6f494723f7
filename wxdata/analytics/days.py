"""What sets a cohort day apart from the others of its week: the weekend, and holidays.

A day's retention follows its weekday, so a chart of daily cohorts wants the weekends marked,
and a festival day (春节, 国庆) explains a dip that no test should be blamed for. The holidays
come from China's official calendar (:mod:`wxdata.core.holidays`: days off, and the weekend
days worked in exchange, 调休); ``holidays=`` (a day → name mapping) replaces it, for a test or
a calendar of one's own.

>>> marks = day_marks(pd.DatetimeIndex(["2026-09-30", "2026-10-01", "2026-10-10", "2026-11-07"]))
>>> marks
             weekend holiday  workday
cohort_start
2026-09-30    False            False
2026-10-01    False      国庆    False
2026-10-10     True             True
2026-11-07     True            False
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pandas as pd

from wxdata.core import holidays as calendar
from wxdata.core.periods import Day
from wxdata.i18n import Lang


def day_marks(days: pd.Index, *, holidays: Mapping[date, str] | None = None,
              lang: Lang = "zh") -> pd.DataFrame:
    """Per cohort day of ``days`` (an index of cohort_start, as the tables have): ``weekend``
    (Saturday or Sunday, :attr:`Day.is_weekend`), ``holiday`` (the festival's name in ``lang``
    for a public day off, "" otherwise) and ``workday`` (a make-up working day, 调休上班: a
    weekend day worked in exchange for a holiday, so not a weekend for its users). With
    ``holidays`` given, its names replace the calendar and no day is a make-up working day.
    Index ``cohort_start``, in the order given."""
    starts = pd.DatetimeIndex(days)
    weekend = [Day(d.date()).is_weekend for d in starts]
    if holidays is not None:
        holiday = [holidays.get(d.date(), "") for d in starts]
        workday = [False] * len(starts)
    else:
        found = [calendar.on(d.date()) for d in starts]
        holiday = [f.name(lang) if f is not None and f.off else "" for f in found]
        workday = [f is not None and not f.off for f in found]
    return pd.DataFrame({"weekend": pd.Series(weekend, dtype=bool).to_numpy(),
                         "holiday": pd.Series(holiday, dtype="str").to_numpy(),
                         "workday": pd.Series(workday, dtype=bool).to_numpy()},
                        index=starts.rename("cohort_start"))

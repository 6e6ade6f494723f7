"""What sets a cohort day apart from the others of its week: the weekend, and (later) holidays.

A day's retention follows its weekday, so a chart of daily cohorts wants the weekends marked,
and a festival day (春节, 国庆) explains a dip that no test should be blamed for. Holidays need a
calendar of China's official days off and make-up working days (调休) that changes every year;
it comes with its own issue. Until then :func:`day_marks` takes the holidays it should mark as
an argument (``holidays=``, a day → name mapping), and :data:`NO_HOLIDAYS` is the default: the
hook the holiday calendar will fill, with no change for its callers.

>>> marks = day_marks(pd.DatetimeIndex(["2026-10-01", "2026-10-03", "2026-10-05"]),
...                   holidays={date(2026, 10, 1): "国庆节"})
>>> marks
            weekend holiday
cohort_start
2026-10-01    False     国庆节
2026-10-03     True
2026-10-05    False
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pandas as pd

from wxdata.core.periods import Day

#: No holiday known: the default until a holiday calendar is added.
NO_HOLIDAYS: Mapping[date, str] = {}


def day_marks(days: pd.Index, *, holidays: Mapping[date, str] = NO_HOLIDAYS) -> pd.DataFrame:
    """Per cohort day of ``days`` (an index of cohort_start, as the tables have): ``weekend``
    (Saturday or Sunday, :attr:`Day.is_weekend`) and ``holiday`` (its name in ``holidays``,
    "" when none). Index ``cohort_start``, in the order given."""
    starts = pd.DatetimeIndex(days)
    weekend = [Day(d.date()).is_weekend for d in starts]
    holiday = [holidays.get(d.date(), "") for d in starts]
    return pd.DataFrame({"weekend": pd.Series(weekend, dtype=bool).to_numpy(),
                         "holiday": pd.Series(holiday, dtype="str").to_numpy()},
                        index=starts.rename("cohort_start"))

"""The small tidy frame the analytics docstrings call ``frame``, for trying things out.

One app's "new" cohorts: 2026-11-02 (1000 users, then 250 and 150 back in W1, W2), 2026-11-09
(1200, then 330) and 2026-11-16 (1100, nothing published yet).

>>> frame = example_frame()
>>> frame.groupby("cohort_start")["offset"].max().tolist()
[2, 1, 0]
"""

from __future__ import annotations

import pandas as pd

from wxdata.core import tidy

COHORTS: dict[str, tuple[int, ...]] = {
    "2026-11-02": (1000, 250, 150),
    "2026-11-09": (1200, 330),
    "2026-11-16": (1100,),
}


def example_frame(app_id: str = "wx1", metric: str = "new") -> pd.DataFrame:
    """The tidy frame of :data:`COHORTS` (one app, one metric), rates worked out."""
    rows = [(app_id, pd.Timestamp(start), pd.Timestamp(start) + pd.Timedelta(days=6), metric, k,
             users) for start, counts in COHORTS.items() for k, users in enumerate(counts)]
    return tidy.normalise(tidy.with_rates(pd.DataFrame(rows, columns=tidy.TIDY_COLUMNS[:-1])))

"""The tidy frame: the one currency between layers (see docs/architecture.md).

One row per (app, cohort week, metric, week offset)::

    app_id  cohort_start cohort_end metric week_offset users      rate
    wx1234    2026-11-02 2026-11-08    new           0  1200  1.000000
    wx1234    2026-11-02 2026-11-08    new           1   300  0.250000

``rate`` is users over the same cohort's users at offset 0 (NaN when that base is 0 or missing).
An offset WeChat has not published has no row. The CSV export has exactly these columns.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from wxdata.core.payload import METRICS, WeeklyRetention

TIDY_COLUMNS: list[str] = [
    "app_id", "cohort_start", "cohort_end", "metric", "week_offset", "users", "rate",
]
_DTYPES = {
    "app_id": "str",
    "cohort_start": "datetime64[ns]",
    "cohort_end": "datetime64[ns]",
    "metric": "str",
    "week_offset": "int64",
    "users": "int64",
    "rate": "float64",
}
_SORT = ["app_id", "cohort_start", "metric", "week_offset"]


def empty_frame() -> pd.DataFrame:
    """A tidy frame with no rows and the right dtypes."""
    return pd.DataFrame({c: pd.Series(dtype=d) for c, d in _DTYPES.items()})


def to_frame(app_id: str, payloads: Iterable[WeeklyRetention]) -> pd.DataFrame:
    """The tidy rows of one app's payloads, sorted, with rates computed."""
    rows: list[tuple[str, object, object, str, int, int]] = []
    for payload in payloads:
        start, end = pd.Timestamp(payload.week.start), pd.Timestamp(payload.week.end)
        for metric in METRICS:
            for offset, users in payload.series(metric).items():
                rows.append((app_id, start, end, metric, offset, users))
    if not rows:
        return empty_frame()
    frame = pd.DataFrame(rows, columns=TIDY_COLUMNS[:-1])
    return normalise(with_rates(frame))


def with_rates(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``rate`` = users / users at offset 0 of the same (app, cohort, metric)."""
    keys = ["app_id", "cohort_start", "metric"]
    base = frame.loc[frame["week_offset"] == 0, [*keys, "users"]].rename(columns={"users": "base"})
    merged = frame.drop(columns=["rate"], errors="ignore").merge(base, on=keys, how="left")
    rate = merged["users"] / merged["base"].where(merged["base"] > 0)
    return merged.drop(columns=["base"]).assign(rate=rate.astype("float64"))


def normalise(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns in contract order, contract dtypes, sorted, fresh index."""
    out = frame[TIDY_COLUMNS].astype(_DTYPES)
    return out.sort_values(_SORT, kind="stable").reset_index(drop=True)


def concat(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Several tidy frames as one (an empty iterable gives an empty frame)."""
    parts = [f for f in frames if len(f)]
    if not parts:
        return empty_frame()
    return normalise(pd.concat(parts, ignore_index=True))


def export_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The CSV/XLSX form: ISO dates as text, rate empty when undefined."""
    out = frame[TIDY_COLUMNS].copy()
    for column in ("cohort_start", "cohort_end"):
        out[column] = out[column].dt.strftime("%Y-%m-%d")
    out["rate"] = out["rate"].astype("float64").replace([np.inf, -np.inf], np.nan)
    return out

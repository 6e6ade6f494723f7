"""The tidy frame: the one currency between layers (see docs/architecture.md).

One row per (app, cohort, metric, offset), for cohorts of one period (days, weeks or months)::

    app_id  cohort_start cohort_end metric offset users      rate
    wx1234    2026-11-02 2026-11-08    new      0  1200  1.000000
    wx1234    2026-11-02 2026-11-08    new      1   300  0.250000

``rate`` is users over the same cohort's users at offset 0 (NaN when that base is 0 or missing).
An offset WeChat has not published has no row, and only the keys WeChat publishes occur (days:
0..7, 14, 30). The CSV export has exactly these columns, with ``offset`` named for its period
(``day_offset``, ``week_offset``, ``month_offset``: :func:`export_columns`).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from wxdata.core.payload import METRICS, Retention
from wxdata.core.periods import DEFAULT_PERIOD, PeriodKind

TIDY_COLUMNS: list[str] = [
    "app_id", "cohort_start", "cohort_end", "metric", "offset", "users", "rate",
]
_DTYPES = {
    "app_id": "str",
    "cohort_start": "datetime64[ns]",
    "cohort_end": "datetime64[ns]",
    "metric": "str",
    "offset": "int64",
    "users": "int64",
    "rate": "float64",
}
_SORT = ["app_id", "cohort_start", "metric", "offset"]


def export_columns(kind: PeriodKind = DEFAULT_PERIOD) -> list[str]:
    """The CSV contract's columns for cohorts of ``kind``: ``offset`` is ``{kind}_offset``."""
    return [f"{kind}_offset" if c == "offset" else c for c in TIDY_COLUMNS]


def empty_frame() -> pd.DataFrame:
    """A tidy frame with no rows and the right dtypes."""
    return pd.DataFrame({c: pd.Series(dtype=d) for c, d in _DTYPES.items()})


def to_frame(app_id: str, payloads: Iterable[Retention]) -> pd.DataFrame:
    """The tidy rows of one app's payloads, sorted, with rates computed."""
    rows: list[tuple[str, object, object, str, int, int]] = []
    for payload in payloads:
        start, end = pd.Timestamp(payload.period.start), pd.Timestamp(payload.period.end)
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
    base = frame.loc[frame["offset"] == 0, [*keys, "users"]].rename(columns={"users": "base"})
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


def export_frame(frame: pd.DataFrame, kind: PeriodKind = DEFAULT_PERIOD) -> pd.DataFrame:
    """The CSV/JSON form: ISO dates as text, rate empty when undefined, ``offset`` named for
    the period (:func:`export_columns`)."""
    out = frame[TIDY_COLUMNS].copy()
    for column in ("cohort_start", "cohort_end"):
        out[column] = out[column].dt.strftime("%Y-%m-%d")
    out["rate"] = out["rate"].astype("float64").replace([np.inf, -np.inf], np.nan)
    out.columns = export_columns(kind)
    return out

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
from pandas.api.types import union_categoricals

from wxdata.core.payload import METRICS, Retention
from wxdata.core.periods import DEFAULT_PERIOD, PeriodKind

TIDY_COLUMNS: list[str] = [
    "app_id", "cohort_start", "cohort_end", "metric", "offset", "users", "rate",
]
#: The metrics in the frame's sort order.
METRIC_DTYPE = pd.CategoricalDtype(pd.Index(sorted(METRICS), dtype="str"))
#: The contract's dtypes. ``app_id`` and ``metric`` are categoricals (a code per row, each name
#: stored once; ``app_id``'s categories are the frame's app ids, sorted) and ``offset`` an int16
#: (the largest published key is 30): 500 apps × 720 days, 7.1 M rows, take 252 MiB instead of
#: ~600 MiB with one string per row. ``users`` stays int64 (counts up to 10^10) and ``rate``
#: float64, so that a rate is exactly users / users at offset 0.
_DTYPES: dict[str, str | pd.CategoricalDtype] = {
    "app_id": "category",
    "cohort_start": "datetime64[ns]",
    "cohort_end": "datetime64[ns]",
    "metric": METRIC_DTYPE,
    "offset": "int16",
    "users": "int64",
    "rate": "float64",
}
_SORT = ["app_id", "cohort_start", "metric", "offset"]
_NO_APPS = pd.CategoricalDtype(pd.Index([], dtype="str"))


def export_columns(kind: PeriodKind = DEFAULT_PERIOD) -> list[str]:
    """The CSV contract's columns for cohorts of ``kind``: ``offset`` is ``{kind}_offset``."""
    return [f"{kind}_offset" if c == "offset" else c for c in TIDY_COLUMNS]


def empty_frame() -> pd.DataFrame:
    """A tidy frame with no rows and the right dtypes."""
    dtypes = {**_DTYPES, "app_id": _NO_APPS}
    return pd.DataFrame({c: pd.Series(dtype=d) for c, d in dtypes.items()})


def to_frame(app_id: str, payloads: Iterable[Retention]) -> pd.DataFrame:
    """The tidy rows of one app's payloads, sorted, with rates computed.

    Built as columns (one Python pass over the answers, then numpy): a cold 90-day load spent
    more time making its 1,800 rows through a list of tuples, a merge and a sort than storing
    them."""
    starts: list[object] = []
    ends: list[object] = []
    metric: list[int] = []
    offset: list[int] = []
    users: list[int] = []
    rate: list[float] = []
    order = METRIC_DTYPE.categories.get_indexer(pd.Index(METRICS, dtype="str"))
    for payload in payloads:
        start, end = payload.period.start, payload.period.end
        for code, name in zip(order.tolist(), METRICS, strict=True):
            series = payload.series(name)
            base = series.get(0, 0)
            for k, n in series.items():
                starts.append(start)
                ends.append(end)
                metric.append(code)
                offset.append(k)
                users.append(n)
                rate.append(n / base if base > 0 else np.nan)
    if not users:
        return empty_frame()
    start_days = np.array(starts, dtype="datetime64[D]")
    codes, keys = np.array(metric, dtype=np.int8), np.array(offset, dtype=np.int16)
    at = np.lexsort((keys, codes, start_days))  # cohort_start, then metric, then offset
    frame = pd.DataFrame({
        "app_id": pd.Categorical.from_codes(np.zeros(len(at), dtype=np.int8),
                                            dtype=pd.CategoricalDtype(
                                                pd.Index([app_id], dtype="str"))),
        "cohort_start": start_days[at].astype("datetime64[ns]"),
        "cohort_end": np.array(ends, dtype="datetime64[D]")[at].astype("datetime64[ns]"),
        "metric": pd.Categorical.from_codes(codes[at], dtype=METRIC_DTYPE),
        "offset": keys[at],
        "users": np.array(users, dtype=np.int64)[at],
        "rate": np.array(rate, dtype=np.float64)[at],
    })
    return frame


def with_rates(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``rate`` = users / users at offset 0 of the same (app, cohort, metric)."""
    keys = ["app_id", "cohort_start", "metric"]
    base = frame.loc[frame["offset"] == 0, [*keys, "users"]].rename(columns={"users": "base"})
    merged = frame.drop(columns=["rate"], errors="ignore").merge(base, on=keys, how="left")
    rate = merged["users"] / merged["base"].where(merged["base"] > 0)
    return merged.drop(columns=["base"]).assign(rate=rate.astype("float64"))


def normalise(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns in contract order, contract dtypes (:data:`_DTYPES`), sorted, fresh index.
    ValueError when a metric is not one of :data:`~wxdata.core.payload.METRICS`."""
    out = frame[TIDY_COLUMNS]
    unknown = {str(m) for m in out["metric"].dropna().unique()} - set(METRICS)
    if unknown:
        raise ValueError(f"metric must be one of {', '.join(METRICS)}; the frame also holds "
                         f"{', '.join(sorted(map(repr, unknown)))}")
    out = out.astype({**_DTYPES, "app_id": _apps_dtype(out["app_id"])})
    return out.sort_values(_SORT, kind="stable").reset_index(drop=True)


def _apps_dtype(app_id: pd.Series) -> pd.CategoricalDtype:
    """A categorical of exactly the app ids present, sorted."""
    present = app_id.dropna().unique()
    return pd.CategoricalDtype(pd.Index(sorted(str(a) for a in present), dtype="str"))


def concat(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Several tidy frames as one (an empty iterable gives an empty frame). The app ids'
    categories are united, never spelled out as one string per row on the way."""
    parts = [f for f in frames if len(f)]
    if not parts:
        return empty_frame()
    if len(parts) == 1:
        return normalise(parts[0])
    apps = union_categoricals([pd.Categorical(p["app_id"].astype("str")
                                              if not isinstance(p["app_id"].dtype,
                                                                pd.CategoricalDtype)
                                              else p["app_id"]) for p in parts],
                              sort_categories=True, ignore_order=True)
    rest = pd.concat([p[TIDY_COLUMNS[1:]] for p in parts], ignore_index=True)
    rest.insert(0, "app_id", pd.Series(apps, index=rest.index))
    return normalise(rest)


def export_frame(frame: pd.DataFrame, kind: PeriodKind = DEFAULT_PERIOD) -> pd.DataFrame:
    """The CSV/JSON form: ISO dates as text, rate empty when undefined, ``offset`` named for
    the period (:func:`export_columns`)."""
    out = frame[TIDY_COLUMNS].copy()
    for column in ("app_id", "metric"):  # the export holds plain text, not categories
        out[column] = out[column].astype("str")
    for column in ("cohort_start", "cohort_end"):
        out[column] = out[column].dt.strftime("%Y-%m-%d")
    out["rate"] = out["rate"].astype("float64").replace([np.inf, -np.inf], np.nan)
    out.columns = export_columns(kind)
    return out

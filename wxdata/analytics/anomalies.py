"""Cohorts whose rate left the band the cohorts before them predict: the weeks worth a look.

The examples use ``frame`` (``wxdata.analytics.example.example_frame()``): three cohorts, too few
to judge any of them against the ones before.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wxdata.analytics.cohort import cohort_matrix
from wxdata.analytics.defaults import ANOMALY_SIGMAS, ANOMALY_WINDOW

ANOMALY_COLUMNS: list[str] = ["rate", "expected", "low", "high", "z"]


def anomalies(frame: pd.DataFrame, *, metric: str = "new", offset: int = 1,
              window: int = ANOMALY_WINDOW, sigmas: float = ANOMALY_SIGMAS,
              app_id: str | None = None, flagged_only: bool = True) -> pd.DataFrame:
    """Cohorts whose rate at ``offset`` left the band of the ``window`` cohorts before them.

    Index ``cohort_start``; ``expected``: the mean rate of the previous ``window`` cohorts that
    published ``offset``; ``low``/``high``: expected ∓ ``sigmas`` × their standard deviation
    (clipped to [0, 1]); ``z``: (rate - expected) / sd. A cohort needs a full window before it
    to be judged. ``flagged_only=False`` returns every judged cohort, so that a chart can draw
    the band over time and mark the ones outside it.

    >>> anomalies(frame)
    Empty DataFrame
    Columns: [rate, expected, low, high, z]
    Index: []

    (three cohorts are no history). In the demo's fruit shop, the 2026-02-09 cohort, whose W1 is
    the Spring Festival week, is flagged: W1 0.197 against an expected 0.282 (band 0.265..0.299,
    z = -14.7).
    """
    if offset < 1 or window < 2 or sigmas <= 0:
        raise ValueError("anomalies needs offset >= 1, window >= 2 and sigmas > 0, got "
                         f"offset={offset}, window={window}, sigmas={sigmas}")
    rates = cohort_matrix(frame, metric=metric, app_id=app_id)
    if offset not in rates.columns:
        return _empty_anomalies()
    rate = rates[offset].dropna()
    prior = rate.shift(1).rolling(window, min_periods=window)
    expected, sd = prior.mean(), prior.std()
    with np.errstate(divide="ignore", invalid="ignore"):
        z = ((rate - expected) / sd).where(rate != expected, 0.0)
    band = pd.DataFrame({"rate": rate, "expected": expected,
                         "low": (expected - sigmas * sd).clip(0.0, 1.0),
                         "high": (expected + sigmas * sd).clip(0.0, 1.0), "z": z})
    band = band[expected.notna()]
    return band[band["z"].abs() > sigmas] if flagged_only else band


def _empty_anomalies() -> pd.DataFrame:
    index = pd.DatetimeIndex([], dtype="datetime64[ns]", name="cohort_start")
    return pd.DataFrame({c: pd.Series(dtype="float64") for c in ANOMALY_COLUMNS}, index=index)


def flagged_weeks(band: pd.DataFrame, sigmas: float = ANOMALY_SIGMAS) -> list[pd.Timestamp]:
    """Cohorts more than ``sigmas`` standard deviations from their expected rate
    (from :func:`anomalies` with ``flagged_only=False``: the band is expected ± sigmas·sd)."""
    if band.empty:
        return []
    outside = band["z"].abs() > sigmas
    return [pd.Timestamp(s) for s in band.index[outside.fillna(False).astype(bool)]]

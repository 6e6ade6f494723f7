"""The headline figures of one app and metric: the newest cohort, its W1 against a baseline, W4.

The examples use ``frame`` (``wxdata.analytics.example.example_frame()``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from wxdata.analytics.cohort import cohort_matrix
from wxdata.analytics.defaults import BASELINE_COHORTS
from wxdata.analytics.stats import two_proportion_p


@dataclass(frozen=True)
class Kpis:
    """The headline figures of one app and metric; NaN (floats) or None where not computable.

    ``latest_week``/``latest_size``: the newest cohort with a published size (users_0);
    ``size_change``: its size / the previous cohort's - 1. ``w1_week``/``w1_rate``: the newest
    cohort with W1 published; ``w1_baseline``: the pooled W1 rate (Σ users_1 / Σ users_0) of the
    4 cohorts before it (NaN with fewer than 4); ``w1_delta`` = w1_rate - w1_baseline;
    ``w1_p``: two-sided pooled two-proportion z-test of the two. ``w4_week``/``w4_rate``: the
    newest cohort with W4 published.
    """

    metric: str
    latest_week: pd.Timestamp | None = None
    latest_size: int | None = None
    size_change: float = math.nan
    w1_week: pd.Timestamp | None = None
    w1_rate: float = math.nan
    w1_baseline: float = math.nan
    w1_delta: float = math.nan
    w1_p: float = math.nan
    w4_week: pd.Timestamp | None = None
    w4_rate: float = math.nan


def kpis(frame: pd.DataFrame, *, metric: str = "new", app_id: str | None = None) -> Kpis:
    """The latest weeks' headline figures (see :class:`Kpis`).

    >>> k = kpis(frame)
    >>> k.latest_week, k.latest_size, round(k.size_change, 4), k.w1_rate, k.w1_p
    (Timestamp('2026-11-16 00:00:00'), 1100, -0.0833, 0.275, nan)

    (no W1 baseline: the latest W1 has one cohort before it, not four).
    """
    users = cohort_matrix(frame, metric=metric, values="users", app_id=app_id)
    sizes = users[0].dropna()
    if sizes.empty:
        return Kpis(metric)
    w4 = (users[4] / users[0].where(users[0] > 0)).dropna()
    return Kpis(metric, pd.Timestamp(sizes.index[-1]), int(sizes.iloc[-1]), _change(sizes),
                **_w1(users),
                w4_week=pd.Timestamp(w4.index[-1]) if len(w4) else None,
                w4_rate=float(w4.iloc[-1]) if len(w4) else math.nan)


def _change(sizes: pd.Series) -> float:
    if len(sizes) < 2 or sizes.iloc[-2] <= 0:
        return math.nan
    return float(sizes.iloc[-1] / sizes.iloc[-2] - 1.0)


def _w1(users: pd.DataFrame) -> dict[str, Any]:
    pairs = users[[0, 1]].dropna()
    pairs = pairs[pairs[0] > 0]
    if pairs.empty:
        return {}
    last, before = pairs.iloc[-1], pairs.iloc[-1 - BASELINE_COHORTS:-1]
    out: dict[str, Any] = {"w1_week": pd.Timestamp(pairs.index[-1]),
                           "w1_rate": float(last[1] / last[0])}
    if len(before) == BASELINE_COHORTS:
        x, n = float(before[1].sum()), float(before[0].sum())
        p = two_proportion_p(*(np.array([v]) for v in (last[1], last[0], x, n)))
        out |= {"w1_baseline": x / n, "w1_delta": out["w1_rate"] - x / n, "w1_p": float(p[0])}
    return out

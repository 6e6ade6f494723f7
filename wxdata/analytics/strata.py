"""Intervals of a day average that treat the weekday as a stratum, not as noise.

A window of 28 days holds each weekday four times by construction, so the weekday pattern (a
weekend cohort retains a fifth less) is a fixed part of the average, not a source of its
uncertainty. Treating the 28 days as exchangeable put the weekday swing into the variance: on
simulated daily data (``benchmarks/bench_calibration.py``) the intervals were several times too
wide and covered the truth every time. Here the variance is the sum of each weekday's own:

- weighted (R = Σx / Σn): Var(R) ≈ Σ_w m_w/(m_w - 1) · Σ_{i∈w} (x_i - R_w·n_i)² / (Σn)², R_w the
  weekday's own ratio (the cluster-robust variance of :func:`.stats.ratio_interval`, per
  stratum);
- simple (the mean of m rates): Var = Σ_w m_w·s_w² / m², s_w² the weekday's sample variance;

both on m - (weekdays present) degrees of freedom. A weekday present once has no variance of
its own: such a cell falls back to the unstratified interval (the caller's).

>>> x, n = np.array([[300.0], [310.0], [200.0], [210.0]]), np.full((4, 1), 1000.0)
>>> variance, df = ratio_variance(x, n, np.ones((4, 1), bool), np.array([0, 0, 5, 5]),
...                               np.array([0]))
>>> round(float(variance[0, 0]), 15), float(df[0, 0])  # (2·50 + 2·50) / 4000², 4 - 2
(1.25e-05, 2.0)
"""

from __future__ import annotations

import numpy as np

from wxdata.analytics.cells import Ints
from wxdata.analytics.stats import Bools, Floats

WEEKDAYS = 7


def ratio_variance(x: Floats, n: Floats, usable: Bools, stratum: Ints, first: Ints,
                   ) -> tuple[Floats, Floats]:
    """Per app (rows from ``first``) and column: the stratified variance of Σx / Σn and its
    degrees of freedom; NaN where a stratum present has a single cohort."""
    total, used, single = _zeros(first, x.shape[1], 3)
    grand = np.add.reduceat(np.where(usable, n, 0.0), first, axis=0)
    for w in range(WEEKDAYS):
        inside = usable & (stratum == w)[:, None]
        xw, nw = np.where(inside, x, 0.0), np.where(inside, n, 0.0)
        m, sx, sn, sxx, sxn, snn = (np.add.reduceat(a, first, axis=0) for a in (
            inside.astype(np.float64), xw, nw, xw * xw, xw * nw, nw * nw))
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(sn > 0, sx / sn, 0.0)
            residual = np.clip(sxx - 2.0 * r * sxn + r * r * snn, 0.0, None)
            total += np.where(m >= 2, m / (m - 1.0) * residual, 0.0)
        used, single = used + (m > 0), single + (m == 1)
    count = np.add.reduceat(usable.astype(np.float64), first, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        variance = np.where(single > 0, np.nan, total / (grand * grand))
    return variance, count - used


def mean_variance(rates: Floats, usable: Bools, stratum: Ints, first: Ints,
                  ) -> tuple[Floats, Floats]:
    """Per app and column: the stratified variance of the mean of ``rates`` and its degrees of
    freedom; NaN where a stratum present has a single cohort."""
    total, used, single = _zeros(first, rates.shape[1], 3)
    for w in range(WEEKDAYS):
        inside = usable & (stratum == w)[:, None]
        values = np.where(inside, rates, 0.0)
        m, s, ss = (np.add.reduceat(a, first, axis=0) for a in (
            inside.astype(np.float64), values, values * values))
        with np.errstate(divide="ignore", invalid="ignore"):
            spread = np.where(m >= 2, np.clip(ss - s * s / m, 0.0, None) / (m - 1.0), 0.0)
        total, used, single = total + m * spread, used + (m > 0), single + (m == 1)
    count = np.add.reduceat(usable.astype(np.float64), first, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        variance = np.where(single > 0, np.nan, total / (count * count))
    return variance, count - used


def _zeros(first: Ints, columns: int, how_many: int) -> list[Floats]:
    return [np.zeros((len(first), columns)) for _ in range(how_many)]

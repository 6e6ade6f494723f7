"""Interval and test formulas shared by ``cohort``, ``kpis`` and ``decay``, vectorised over numpy
arrays.

Every function takes and returns arrays of the same shape, so one call covers every cell of every
app; an input that a formula cannot use (a zero or missing base, a count above its base) gives NaN
rather than an exception. (The Wilson interval and the pooled two-proportion z-test they replaced
are in ``benchmarks/rejected.py``, measured against by ``benchmarks/bench_calibration.py``.)

>>> low, high = mean_interval(np.array([0.25]), np.array([0.02]), np.array([4.0]))
>>> round(float(low[0]), 4), round(float(high[0]), 4)
(0.2182, 0.2818)
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import special, stats

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]


def z_score(confidence: float) -> float:
    """The two-sided normal quantile for ``confidence`` (0.95 -> 1.96)."""
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must lie strictly between 0 and 1, got {confidence!r}")
    return float(stats.norm.ppf(0.5 + confidence / 2.0))


def t_quantile(confidence: float, df: Floats | float) -> Floats:
    """The two-sided Student t quantile for ``confidence`` with ``df`` degrees of freedom
    (vectorised over df; inf gives the normal quantile, df <= 0 or NaN gives NaN).

    >>> t_quantile(0.95, np.array([1.0, 11.0, np.inf])).round(4).tolist()
    [12.7062, 2.201, 1.96]
    """
    z_score(confidence)  # the same check of confidence
    df = np.asarray(df, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        positive = np.where(df > 0, df, np.nan)
        return np.asarray(special.stdtrit(positive, 0.5 + confidence / 2.0), dtype=np.float64)


def t_p_value(t: Floats, df: Floats | float) -> Floats:
    """Two-sided p-value of a t statistic with ``df`` degrees of freedom (inf: the normal);
    NaN where t or df is NaN or df <= 0.

    >>> t_p_value(np.array([2.0, 2.0]), np.array([4.0, np.inf])).round(4).tolist()
    [0.1161, 0.0455]
    """
    df = np.asarray(df, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        positive = np.where(df > 0, df, np.nan)
        p = 2.0 * special.stdtr(positive, -np.abs(t))
    return np.asarray(np.clip(p, 0.0, 1.0), dtype=np.float64)


def mean_interval(mean: Floats, sd: Floats, count: Floats, *, confidence: float = 0.95,
                  ) -> tuple[Floats, Floats]:
    """Student interval ``mean ± t(count - 1)·sd/√count`` of a mean of rates, clipped to [0, 1].

    The t quantile, not the normal one: a mean of three cohorts with z covered the true mean
    75–87 % of the time instead of 95 % (simulated; t: 91–99 %). NaN where fewer than two
    values went into the mean (no spread to speak of).

    >>> [round(float(v[0]), 4) for v in mean_interval(np.array([0.26]), np.array([0.02]),
    ...                                               np.array([3.0]))]
    [0.2103, 0.3097]
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        half = t_quantile(confidence, count - 1.0) * sd / np.sqrt(count)
        half = np.where(count >= 2, half, np.nan)
    return np.clip(mean - half, 0.0, 1.0), np.clip(mean + half, 0.0, 1.0)


def ratio_interval(total_x: Floats, total_n: Floats, residual_squares: Floats, count: Floats, *,
                   confidence: float = 0.95) -> tuple[Floats, Floats]:
    """Cluster-robust interval of the ratio estimator R = Σx / Σn over ``count`` cohorts.

    ``residual_squares`` is Σ(x_i - R·n_i)² over the same cohorts. The linearised variance
    count/(count - 1) · Σ(x_i - R·n_i)² / (Σn)² treats each cohort, not each user, as the unit:
    it holds the binomial noise and the week-to-week variation alike, which the Wilson interval
    of Σx / Σn (every user independent) left out, covering the true rate 41–76 % of the time at
    2 % week-to-week variation. With a t(count - 1) quantile; NaN from fewer than two cohorts.

    Two cohorts, 250 of 1000 and 330 of 1200: R = 580/2200, residuals ∓13.636, Σ² = 371.90;
    se = √(2 · 371.90) / 2200 = 0.012397, t(1) = 12.706:

    >>> [round(float(v[0]), 4) for v in ratio_interval(
    ...     np.array([580.0]), np.array([2200.0]), np.array([371.9008]), np.array([2.0]))]
    [0.1061, 0.4212]
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = total_x / total_n
        variance = count / (count - 1.0) * residual_squares / (total_n * total_n)
        half = t_quantile(confidence, count - 1.0) * np.sqrt(np.clip(variance, 0.0, None))
        half = np.where((count >= 2) & (total_n > 0), half, np.nan)
    return np.clip(rate - half, 0.0, 1.0), np.clip(rate + half, 0.0, 1.0)


def bh_significant(p_values: Floats, *, alpha: float,
                   groups: npt.NDArray[np.integer] | None = None) -> Bools:
    """Which p-values stay at or below ``alpha`` after a Benjamini–Hochberg correction.

    The correction runs over all of them, or, with ``groups`` (one label per row of
    ``p_values``), over each group's rows separately, in one vectorised pass instead of a loop
    (the groups are apps: separate reports, not one family of tests). NaN p-values are not
    tests: they are left out of the correction and are never significant.

    Why not ``scipy.stats.false_discovery_control``: it corrects one family per call, and a call
    per app cost 27 times this pass at 200 apps (365 ms against 13.5 ms, 51 cohorts by 4
    offsets each) and 7 times at 20. Its results are the reference: tests/test_stats.py checks
    this function against it, grouped and not, ties included.

    >>> bh_significant(np.array([0.01, 0.04, np.nan, 0.5]), alpha=0.05).tolist()
    [True, False, False, False]
    """
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must lie strictly between 0 and 1, got {alpha!r}")
    p = np.asarray(p_values, dtype=np.float64)
    flat = p.ravel()
    out = np.zeros(flat.shape, dtype=np.bool_)
    tested = ~np.isnan(flat)
    if not tested.any():
        return out.reshape(p.shape)
    if groups is None:
        labels = np.zeros(flat.size, dtype=np.intp)  # one family
    else:
        labels = np.repeat(np.asarray(groups), flat.size // max(len(groups), 1))
    out[tested] = _bh_by_group(flat[tested], labels[tested], alpha)
    return out.reshape(p.shape)


def _bh_by_group(p: Floats, groups: npt.NDArray[np.integer], alpha: float) -> Bools:
    """BH within each group, sorting only the p-values at or below alpha.

    Only those can be significant (p_(i) <= i·alpha/m <= alpha), and a candidate's rank among
    its group's tests equals its rank among the group's candidates, since every other test has
    a larger p. The group's test count m still counts every test.
    """
    tests = np.bincount(groups)
    candidate = np.flatnonzero(p <= alpha)
    order = candidate[np.argsort(p[candidate])]
    narrow = np.int16 if len(tests) <= np.iinfo(np.int16).max else np.int64
    order = order[np.argsort(groups[order].astype(narrow), kind="stable")]  # radix sort
    g = groups[order]
    counts = np.bincount(g, minlength=len(tests))
    rank = np.arange(len(g)) - (np.cumsum(counts) - counts)[g] + 1
    scaled = p[order] * (tests[g] / rank)  # scipy's order of operations: equal at ties
    # the running minimum from each group's largest candidate down, within the group only
    if len(tests) == 1:
        backwards = np.minimum.accumulate(scaled[::-1])
    else:
        backwards = pd.Series(scaled[::-1]).groupby(g[::-1], sort=False).cummin().to_numpy()
    out = np.zeros(len(p), dtype=np.bool_)
    out[order] = backwards[::-1] <= alpha
    return out

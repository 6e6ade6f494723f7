"""How much a rate varies from cohort to cohort beyond the binomial noise, and the tests that
allow for it.

WeChat cohorts of 10^4–10^5 users differ by a few percent from week to week for reasons no
binomial model sees (the mix of channels, campaigns, the weather). A test that treats every user
as independent then calls most ordinary weeks significant: with 2 % relative variation, a pooled
two-proportion z-test flagged 21 % (20k users) to 59 % (100k users) of unchanged cells. The
tests here add a between-cohort variance τ² to the binomial one:

- τ² is estimated from the differences between consecutive cohorts, d_i = r_i - r_(i-1). Under
  no change Var(d_i) = v_i + 2τ², with v_i the pair's binomial variance. Consecutive differences
  ignore a slow trend and a level shift (one large difference).
- Var(d) is estimated robustly: the mean of the smallest 80 % of the d_i² (:data:`KEEP`),
  divided by what that mean is for normal data, so a holiday (a dip and a recovery, two large
  differences) or the change being tested do not inflate it. τ̂² = max(0, (Var̂(d) - mean v)/2).
- A contrast D with binomial variance B and c·τ² of week-to-week variance is tested with
  t = D / √(B + c·τ̂²), on Satterthwaite's degrees of freedom: the trimmed estimate from m
  differences carries about 0.47·m of them (:data:`EFFICIENCY`, simulated), fewer when τ̂²
  dominates, many more when the binomial part (which is known) does.

Why not the median (a MAD), which is more robust? Its estimate from m differences carries only
about 0.3·m degrees of freedom: with 52 weeks its tests had up to a third less power on a 10 %
step (``benchmarks/bench_calibration.py`` measures both: 6 % against 10 %, 16 % against 24 % at
2 % variation; either flags ≤ 0.02 % of unchanged cells).

>>> d = np.array([[0.01], [-0.02], [0.015], [-0.01], [0.12]])  # the last: a real change
>>> spread = consecutive_spread(d, np.full((5, 1), 1e-5), np.zeros(5, dtype=np.intp), 1)
>>> spread.pairs.tolist(), round(float(spread.between[0, 0]) ** 0.5, 4)
([[5.0]], 0.0152)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import stats

from wxdata.analytics.defaults import SPREAD_KEEP, SPREAD_MIN_PAIRS
from wxdata.analytics.stats import Floats, t_p_value

#: Degrees of freedom per difference of the trimmed estimate of Var(d), for consecutive
#: differences of normal data (which are correlated: -0.5 between neighbours). Simulated:
#: 0.47 for m = 10..100 differences (2/Var(Var̂/Var)), against 0.67 for the plain mean square
#: and 0.30 for the median.
EFFICIENCY = 0.47


@dataclass(frozen=True)
class Spread:
    """Per group (row) and column: ``variance``, the robust estimate of Var(d) of a consecutive
    difference; ``binomial``, the mean binomial variance of those differences; ``pairs``, how
    many differences went in (``variance`` is NaN below :data:`SPREAD_MIN_PAIRS`)."""

    variance: Floats
    binomial: Floats
    pairs: Floats

    @property
    def between(self) -> Floats:
        """τ̂²: the week-to-week variance of one cohort's rate beyond the binomial noise."""
        return np.asarray(np.maximum(0.0, (self.variance - self.binomial) / 2.0))

    @property
    def df(self) -> Floats:
        """Degrees of freedom of ``variance``."""
        return np.asarray(EFFICIENCY * self.pairs)


def consecutive_spread(differences: Floats, binomial: Floats, groups: npt.NDArray[np.intp],
                       n_groups: int, *, keep: float = SPREAD_KEEP,
                       least: int = SPREAD_MIN_PAIRS) -> Spread:
    """The :class:`Spread` of each group's consecutive ``differences`` (rows: pairs of cohorts,
    each labelled with its group in ``groups``; columns: offsets; NaN: no pair)."""
    differences = np.asarray(differences, dtype=np.float64)
    valid = ~np.isnan(differences) & ~np.isnan(binomial)
    squares = np.where(valid, differences * differences, np.nan)
    variance, pairs = _trimmed_mean_squares(squares, groups, n_groups, keep)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_binomial = _group_sum(np.where(valid, binomial, 0.0), groups, n_groups) / pairs
    variance = np.where(pairs >= least, variance, np.nan)
    return Spread(variance, mean_binomial, pairs)


def _group_sum(values: Floats, groups: npt.NDArray[np.intp], n_groups: int) -> Floats:
    out = np.zeros((n_groups, values.shape[1]))
    np.add.at(out, groups, values)
    return out


def _trimmed_mean_squares(squares: Floats, groups: npt.NDArray[np.intp], n_groups: int,
                          keep: float) -> tuple[Floats, Floats]:
    """Per group and column, the mean of the smallest ``keep`` share of the squares (NaN left
    out), scaled to estimate the variance of normal data; and how many squares there were."""
    columns = squares.shape[1]
    variance, counts = np.full((n_groups, columns), np.nan), np.zeros((n_groups, columns))
    for j in range(columns):
        valid = ~np.isnan(squares[:, j])
        label, value = groups[valid], squares[valid, j]
        order = np.lexsort((value, label))  # by group, then by size
        label, value = label[order], value[order]
        count = np.bincount(label, minlength=n_groups).astype(np.float64)
        kept = np.maximum(np.floor(keep * count), np.minimum(count, 1.0))
        rank = np.arange(len(label)) - (np.cumsum(count) - count)[label]
        inside = rank < kept[label]
        total = np.bincount(label[inside], weights=value[inside], minlength=n_groups)
        with np.errstate(invalid="ignore", divide="ignore"):
            variance[:, j] = total / kept / _kept_mean(kept / count)
        counts[:, j] = count
    return variance, counts


def _kept_mean(share: Floats) -> Floats:
    """E[X | X <= its ``share`` quantile] for X ~ χ²(1): P(χ²(3) <= q) / share, since
    x·f₁(x) = f₃(x) for the χ² densities."""
    with np.errstate(invalid="ignore", divide="ignore"):
        q = stats.chi2.ppf(share, 1)
        return np.asarray(np.where(share >= 1.0, 1.0, stats.chi2.cdf(q, 3) / share))


def spread_p(contrast: Floats, binomial: Floats, weight: Floats | float, variance: Floats,
             mean_binomial: Floats, df: Floats) -> Floats:
    """Two-sided p-value of ``contrast`` (0 under no change), whose variance is ``binomial`` +
    ``weight``·τ², τ² estimated as in :class:`Spread` (``variance``, ``mean_binomial``, ``df``
    broadcast against the contrast). NaN where the spread is unknown.

    Satterthwaite: V = B + c·(S - v̄)/2 moves with S by c/2, so df(V) = df(S)·(2V / (c·S))².
    """
    between = np.maximum(0.0, (variance - mean_binomial) / 2.0)
    total = binomial + weight * between
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        t = np.where(contrast == 0, 0.0, contrast / np.sqrt(total))
        df = np.where(variance > 0, df * (2.0 * total / (weight * variance)) ** 2, np.inf)
    return np.where(np.isnan(variance), np.nan, t_p_value(t, df))

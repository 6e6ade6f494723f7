"""The current era of each app's cohorts: which of them an average should cover.

Over 104 weeks with a launch in the middle, an average of every cohort describes neither the
old product nor the new one, and its interval covered neither era. The era is the newest
:data:`~wxdata.analytics.defaults.AVERAGE_COHORTS` cohorts, or fewer when W1 shifted level among
them: then only the cohorts from the shift on.

A shift is looked for among the newest 2·window W1 rates, with medians throughout so that a
holiday's one or two odd weeks do not look like one. Its place is the split of those rates in
two that fits them best in absolute deviations from each side's median (the L1 change point).
It is a shift when the two medians differ beyond the cohort-to-cohort noise σ (estimated from
consecutive differences, which a shift moves only once; :mod:`.spread`):
|T| = |med_after - med_before| / (σ·√(π/2·(1/n_after + 1/n_before))) above the Student quantile
at ``alpha`` divided by the number of candidate weeks.

Days first lose their weekday pattern (``season=``, the weekday of each row): a Saturday's D1 is
lower than a Friday's every week, which the consecutive differences would read as noise (a
σ inflated by the weekends, so real steps went unseen) and the split as a level. Each weekday's
usual gap to the week around it (the median, over the rows searched, of the rate minus its
centred 7-day mean) is subtracted before the search; a step stays a step, since the 7-day
mean follows it.

>>> w1 = np.array([0.30, 0.31, 0.29, 0.30, 0.31, 0.30, 0.36, 0.37, 0.35, 0.36, 0.37])
>>> start, shifted = era_starts(w1, np.array([0, 11]), window=8)
>>> start.tolist(), shifted.tolist()  # from the seventh cohort on
([6], [True])
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from wxdata.analytics.cells import Ints
from wxdata.analytics.defaults import AVERAGE_COHORTS, SHIFT_ALPHA, SHIFT_MIN_COHORTS
from wxdata.analytics.spread import consecutive_spread
from wxdata.analytics.stats import Bools, Floats, t_quantile


def era_starts(w1: Floats, bounds: Ints, *, window: int = AVERAGE_COHORTS,
               alpha: float = SHIFT_ALPHA, least: int = SHIFT_MIN_COHORTS,
               season: Ints | None = None) -> tuple[Ints, Bools]:
    """Per app (rows ``bounds[a]:bounds[a+1]`` of ``w1``, in cohort order; NaN: no W1): the
    first row of its era after the last detected shift of W1 (or the app's first row), and
    whether a shift was detected. ``season``: each row's weekday (0..6) for days, whose
    pattern is taken out first (see the module docstring)."""
    apps = len(bounds) - 1
    rows, y = _newest(w1, bounds, 2 * window)
    starts, shifted = bounds[:-1].copy(), np.zeros(apps, dtype=np.bool_)
    if apps == 0 or window <= least:
        return starts, shifted
    if season is not None:
        y = deseasonalised(y, np.where(rows >= 0, season[np.maximum(rows, 0)], -1))
    sigma, df = _noise(y)
    best_cost, best_t, best_at = np.full(apps, np.inf), np.zeros(apps), np.full(apps, -1)
    for after in range(least, window):
        cost, t = _split(y, after, least, sigma)
        better = cost < best_cost
        best_cost = np.where(better, cost, best_cost)
        best_t, best_at = np.where(better, t, best_t), np.where(better, after, best_at)
    candidates = window - least
    threshold = t_quantile(1.0 - alpha / candidates, df)
    shifted = (np.abs(best_t) > threshold) & (best_at > 0)
    first = np.take_along_axis(rows, (y.shape[1] - np.maximum(best_at, 1))[:, None], 1)[:, 0]
    return np.where(shifted, first, starts).astype(np.intp), shifted


#: The length of the weekday cycle, and the half-width of the centred mean that follows the
#: level through it.
WEEK = 7


def deseasonalised(y: Floats, label: Ints) -> Floats:
    """``y`` (apps × rows, NaN: none) less each label's median gap to the centred 7-row mean
    of its app (``label`` -1: no row). Rows whose 7-row window is incomplete do not estimate
    the gaps but are corrected like the others."""
    apps, n = y.shape
    valid = ~np.isnan(y)
    zero = np.zeros((apps, 1))
    total = np.hstack([zero, np.cumsum(np.where(valid, y, 0.0), axis=1)])
    count = np.hstack([zero, np.cumsum(valid, axis=1)])
    mean = np.full(y.shape, np.nan)
    if n >= WEEK:
        half = WEEK // 2
        full = (count[:, WEEK:] - count[:, :n + 1 - WEEK]) == WEEK
        mean[:, half:n - half] = np.where(full, total[:, WEEK:] - total[:, :n + 1 - WEEK],
                                          np.nan) / WEEK
    gap = y - mean  # NaN where the row or its window is incomplete
    out = y.copy()
    for day in range(WEEK):
        at = label == day
        usual = _nanmedian(np.where(at, gap, np.nan))
        out = np.where(at & ~np.isnan(usual)[:, None], out - usual[:, None], out)
    return out


def _newest(w1: Floats, bounds: Ints, length: int) -> tuple[Ints, Floats]:
    """Each app's newest ``length`` rows with a W1, right-aligned (row -1 and NaN before)."""
    apps = len(bounds) - 1
    valid = np.flatnonzero(~np.isnan(w1))
    app = np.searchsorted(bounds, valid, side="right") - 1
    count = np.bincount(app, minlength=apps)
    from_end = np.cumsum(count)[app] - np.arange(len(valid)) - 1  # 0 for the newest
    keep = from_end < length
    rows = np.full((apps, length), -1, dtype=np.intp)
    rows[app[keep], length - 1 - from_end[keep]] = valid[keep]
    y = np.where(rows >= 0, w1[np.maximum(rows, 0)], np.nan)
    return rows, y


def _noise(y: Floats) -> tuple[Floats, Floats]:
    """σ of one cohort's W1 around its level, and its degrees of freedom, per app."""
    apps = y.shape[0]
    d = np.diff(y, axis=1).reshape(-1, 1)
    groups: npt.NDArray[np.intp] = np.repeat(np.arange(apps, dtype=np.intp), y.shape[1] - 1)
    spread = consecutive_spread(d, np.zeros_like(d), groups, apps)
    return np.sqrt(spread.variance[:, 0] / 2.0), spread.df[:, 0]


def _split(y: Floats, after: int, least: int, sigma: Floats) -> tuple[Floats, Floats]:
    """The L1 cost and T of splitting before the ``after``-th newest cohort (cost inf where a
    side has too few cohorts)."""
    newer, older = y[:, -after:], y[:, :-after]
    n_new, n_old = (np.sum(~np.isnan(v), axis=1) for v in (newer, older))
    enough = (n_new >= least) & (n_old >= least) & (sigma > 0)
    med_new, med_old = _nanmedian(newer), _nanmedian(older)
    cost = np.nansum(np.abs(newer - med_new[:, None]), axis=1) + \
        np.nansum(np.abs(older - med_old[:, None]), axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = (med_new - med_old) / (sigma * np.sqrt(np.pi / 2.0 * (1.0 / n_new + 1.0 / n_old)))
    return np.where(enough, cost, np.inf), np.where(enough & ~np.isnan(t), t, 0.0)


def _nanmedian(values: Floats) -> Floats:
    """Row medians ignoring NaN (NaN where a row has none), by one sort: numpy's nanmedian
    goes through masked arrays and cost most of the average's time over 500 apps."""
    ordered = np.sort(values, axis=1)  # NaN last
    count = np.sum(~np.isnan(values), axis=1)
    rows = np.arange(len(values))
    low, high = np.maximum(count - 1, 0) // 2, count // 2
    middle = (ordered[rows, low] + ordered[rows, np.minimum(high, values.shape[1] - 1)]) / 2.0
    return np.where(count > 0, middle, np.nan)

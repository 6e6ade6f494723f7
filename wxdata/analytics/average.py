"""The average retention curve of the current era, with an interval that covers.

Both weightings treat a cohort, not a user, as the unit of variation: cohorts of 10^4–10^5
users vary by a few percent from week to week, far beyond their binomial noise, and an interval
that saw only the binomial noise (Wilson over Σ users) covered the true rate 41–76 % of the
time at 2 % variation (22–35 % at 5 %); these cover 90–97 % (``bench_calibration.py``).

The weighted average Σ users_k / Σ users_0 gets the cluster-robust (linearised) standard error
of a ratio estimator and the simple mean of rates its standard error; both a Student t(m - 1)
quantile over the m cohorts that went in. Days treat each weekday as a stratum (:mod:`.strata`):
the weekday pattern is a fixed part of a 28-day window, not uncertainty.

The window is the current era (:mod:`.era`): the newest cohorts at each offset (12 weeks, 12
months, or 28 days: four of each weekday, so that no weekday weighs more than another), or those
since the last level shift of offset 1 when one is detected among them, so that two years with a
launch in the middle do not average two products. ``since`` names the first cohort used at each
offset and ``after_shift`` says whether a shift set it.

The examples use ``frame`` (``wxdata.analytics.example.example_frame()``).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from wxdata.analytics import strata
from wxdata.analytics.cells import Cells, Ints, app_cells, check_choice, offsets
from wxdata.analytics.defaults import AVERAGE_WINDOW, CONFIDENCE
from wxdata.analytics.era import era_starts
from wxdata.analytics.stats import Bools, Floats, mean_interval, ratio_interval, t_quantile
from wxdata.core.periods import Day, Period, Week

WEIGHTINGS: tuple[str, ...] = ("weighted", "simple")
Datetimes = npt.NDArray[np.datetime64]
#: How many cohorts an average covers: ``"era"`` (the period's window, :data:`AVERAGE_WINDOW`,
#: and the level-shift rule), a number of cohorts, or None for every cohort.
Window = int | Literal["era"] | None

AVERAGE_COLUMNS: list[str] = ["rate", "low", "high", "cohorts", "users", "since", "after_shift"]


def average_curve(frame: pd.DataFrame, *, metric: str = "new", weighting: str = "weighted",
                  app_id: str | None = None, confidence: float = CONFIDENCE,
                  window: Window = "era", shifts: bool = True,
                  period: type[Period] = Week) -> pd.DataFrame:
    """The average retention curve of the current era with its interval, index ``offset`` (the
    period's published keys).

    At offset k the newest ``window`` cohorts with k published over a positive base count
    (``"era"``: the period's :data:`AVERAGE_WINDOW`, 12 weeks, 28 days or 12 months; every
    cohort with ``window=None``), none before the last level shift of offset 1 detected among
    them (``shifts=False``: no detection). ``weighting``: ``"weighted"``: Σ users_k / Σ users_0
    (each user counts once) with the cluster-robust interval of a ratio; ``"simple"``: the mean
    of the cohorts' rates (each week counts once) with its Student interval. Both need two
    cohorts for an interval (NaN otherwise). ``cohorts``: how many went in; ``users``: their
    Σ users_0; ``since``: the first of them. Offset 0 is 1 by definition, with no interval.

    >>> average_curve(frame)[["rate", "low", "high", "cohorts", "users"]]
                     rate       low      high  cohorts  users
    offset
    0            1.000000  1.000000  1.000000        3   3300
    1            0.263636  0.106121  0.421151        2   2200
    2            0.150000       NaN       NaN        1   1000
    3                 NaN       NaN       NaN        0      0
    4                 NaN       NaN       NaN        0      0

    (two cohorts say little about how weeks vary: t(1) = 12.7.)
    """
    check_choice("weighting", weighting, WEIGHTINGS)
    cells = app_cells(frame, metric=metric, app_id=app_id, period=period)
    return average_table(cells, weighting, confidence, by_app=False,
                         window=resolve_window(window, period), shifts=shifts)


def resolve_window(window: Window, period: type[Period]) -> int | None:
    """The number of cohorts ``window`` stands for (None: every cohort); ValueError below 2."""
    if window == "era":
        return AVERAGE_WINDOW[period.kind]
    if window is not None and (not isinstance(window, int) or window < 2):
        raise ValueError(f"window must be 2 or more cohorts, 'era' or None for all, got "
                         f"{window!r}")
    return window


def average_table(cells: Cells, weighting: str, confidence: float, *, by_app: bool,
                  window: int | None, shifts: bool) -> pd.DataFrame:
    """:func:`average_curve` of every app of ``cells`` (index ``(app_id, offset)`` when
    ``by_app``)."""
    if cells.users.shape[0] == 0:
        index = pd.MultiIndex.from_arrays([[], []], names=["app_id", "offset"]) if by_app \
            else offsets([])
        return _frame(*(np.zeros(0),) * 5, np.zeros(0, dtype="datetime64[ns]"),
                      np.zeros(0, dtype=bool), index=index)
    parts = [_averages(cells.block(lo, hi), weighting, confidence, window=window,
                       shifts=shifts) for lo, hi in cells.blocks()]
    columns = zip(*parts, strict=True)
    rate, low, high, count, users, since, shifted = (np.concatenate(c) for c in columns)
    index = pd.MultiIndex.from_product([cells.apps, cells.keys.tolist()],
                                       names=["app_id", "offset"]) if by_app \
        else offsets(cells.keys)
    return _frame(rate.ravel(), low.ravel(), high.ravel(), count.ravel(), users.ravel(),
                  since.ravel(), np.repeat(shifted, cells.width), index=index)


def _averages(cells: Cells, weighting: str, confidence: float, *, window: int | None,
              shifts: bool) -> tuple[Floats, Floats, Floats, Floats, Floats, Datetimes, Bools]:
    """Per app of ``cells`` and column: rate, low, high, cohorts, users and since; and per app
    whether a shift set its era (one block of apps: :meth:`Cells.blocks`)."""
    usable = ~np.isnan(cells.users) & (cells.base > 0)[:, None]
    shifted = np.zeros(len(cells.apps), dtype=np.bool_)
    if window is not None:
        usable, shifted = _in_era(cells, usable, window, shifts)
    first = cells.bounds[:-1]
    count = np.add.reduceat(usable.astype(np.float64), first, axis=0)
    if weighting == "weighted":
        rate, low, high = _ratio(cells, usable, count, confidence)
    else:
        rate, low, high = _mean_of_rates(np.where(usable, cells.rates(), 0.0), count, first,
                                         confidence)
    if cells.period is Day:
        low, high = _by_weekday(cells, usable, weighting, confidence, rate, (low, high))
    at_zero = count[:, 0] > 0  # users_0 / users_0: a definition, not an estimate
    rate[:, 0], low[:, 0], high[:, 0] = (np.where(at_zero, 1.0, np.nan),) * 3
    users = np.add.reduceat(np.where(usable, cells.base[:, None], 0.0), first, axis=0)
    return rate, low, high, count, users, _since(cells, usable), shifted


def _in_era(cells: Cells, usable: Bools, window: int, shifts: bool) -> tuple[Bools, Bools]:
    """``usable`` narrowed to each app's newest ``window`` cohorts per offset, from its era's
    first row on; and whether a level shift set that first row."""
    app = cells.app_of_row
    if shifts:
        w1 = np.where(usable[:, 1], cells.rates()[:, 1], np.nan) if cells.width > 1 \
            else np.full(len(app), np.nan)
        weekday = pd.DatetimeIndex(cells.starts).day_of_week.to_numpy().astype(np.intp) \
            if cells.period is Day else None
        start, shifted = era_starts(w1, cells.bounds, window=window, season=weekday)
    else:
        start, shifted = cells.bounds[:-1], np.zeros(len(cells.apps), dtype=np.bool_)
    after = usable & (np.arange(len(app)) >= start[app])[:, None]
    # how many usable cohorts of the same app lie at or after each row, per offset
    from_end = np.cumsum(after[::-1], axis=0)[::-1]
    beyond = np.vstack([from_end, np.zeros((1, cells.width))])[cells.bounds[1:]]
    return after & (from_end - beyond[app] <= window), shifted


def _ratio(cells: Cells, usable: Bools, count: Floats, confidence: float,
           ) -> tuple[Floats, Floats, Floats]:
    x = np.where(usable, cells.users, 0.0)
    n = np.where(usable, cells.base[:, None], 0.0)
    first = cells.bounds[:-1]
    sx, sn, sxx, sxn, snn = (np.add.reduceat(a, first, axis=0)
                             for a in (x, n, x * x, x * n, n * n))
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(sn > 0, sx / sn, np.nan)
        residual = np.clip(sxx - 2.0 * rate * sxn + rate * rate * snn, 0.0, None)
    low, high = ratio_interval(sx, sn, residual, count, confidence=confidence)
    return rate, low, high


def _mean_of_rates(rates: Floats, count: Floats, first: Ints, confidence: float,
                   ) -> tuple[Floats, Floats, Floats]:
    total, squares = (np.add.reduceat(a, first, axis=0) for a in (rates, rates * rates))
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(count > 0, total / count, np.nan)
        variance = np.where(count > 1, (squares - count * mean * mean) / (count - 1), np.nan)
    low, high = mean_interval(mean, np.sqrt(np.clip(variance, 0.0, None)), count,
                              confidence=confidence)
    return mean, low, high


def _by_weekday(cells: Cells, usable: Bools, weighting: str, confidence: float, rate: Floats,
                unstratified: tuple[Floats, Floats]) -> tuple[Floats, Floats]:
    """The interval with each weekday a stratum (:mod:`.strata`), the unstratified one where a
    weekday present has a single cohort."""
    weekday = pd.DatetimeIndex(cells.starts).day_of_week.to_numpy().astype(np.intp)
    first = cells.bounds[:-1]
    if weighting == "weighted":
        variance, df = strata.ratio_variance(
            np.where(usable, cells.users, 0.0), np.where(usable, cells.base[:, None], 0.0),
            usable, weekday, first)
    else:
        variance, df = strata.mean_variance(np.where(usable, cells.rates(), 0.0), usable,
                                            weekday, first)
    half = t_quantile(confidence, df) * np.sqrt(variance)
    ok = ~np.isnan(half) & ~np.isnan(unstratified[0])
    low = np.where(ok, np.clip(rate - half, 0.0, 1.0), unstratified[0])
    high = np.where(ok, np.clip(rate + half, 0.0, 1.0), unstratified[1])
    return low, high


def _since(cells: Cells, usable: Bools) -> Datetimes:
    """The cohort_start of each app's first cohort used at each offset (NaT where none)."""
    week = np.where(usable, cells.week_of_row[:, None], len(cells.weeks))
    first = np.minimum.reduceat(week, cells.bounds[:-1], axis=0)
    weeks = np.append(cells.weeks.to_numpy(dtype="datetime64[ns]"), np.datetime64("NaT", "ns"))
    return weeks[first]


def _frame(rate: Floats, low: Floats, high: Floats, count: Floats, users: Floats,
           since: Datetimes, after_shift: Bools, *, index: pd.Index) -> pd.DataFrame:
    columns = (rate, low, high, count.astype(np.int64), users.astype(np.int64),
               since, after_shift)
    return pd.DataFrame(dict(zip(AVERAGE_COLUMNS, columns, strict=True)), index=index)

"""A lasting change seen as one: the level shift of each tracked offset across the span.

A launch that lifts W1 for good reads, cohort against cohort, as one odd week followed by
ordinary ones (each new week is like the one before it), and as several anomalies in a row;
neither says "W1 is on a new level since 2026-W19". This module uses the change point the
average's era already has (:func:`wxdata.analytics.era.era_starts`: the L1 split of the rates
into two medians, judged against the cohort-to-cohort noise with a Bonferroni-corrected Student
quantile) on every tracked offset, anywhere in the span drawn (at least four cohorts a side),
and reports the shift with the levels either side and an interval for its size.

Days first lose their weekday pattern as the era's search does (each weekday's usual gap to
the centred 7-day mean is taken out), so that a Saturday is not a shift. The levels reported
are the pooled rates (Σ returning / Σ cohort) of the cohorts before and from the shift, as a
PM would add them up; the interval of their difference is ± t·σ·√(π/2·(1/n_before +
1/n_after)), the standard error the test itself used (medians), σ the noise of one cohort.

>>> shifts = level_shifts(frame, offsets=(1,))  # the example frame has no shift
>>> shifts
[]
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wxdata.analytics.cohort import cohort_matrix
from wxdata.analytics.defaults import SHIFT_MIN_COHORTS, tracked_offsets
from wxdata.analytics.era import _noise, deseasonalised, era_starts
from wxdata.analytics.stats import t_quantile
from wxdata.core.periods import Day, Period, Week


@dataclass(frozen=True)
class Shift:
    """Offset ``offset`` on a new level from cohort ``since``: pooled ``before`` over
    ``cohorts_before`` cohorts, ``after`` over ``cohorts_after``; ``low``/``high``: the
    ``confidence`` interval of ``after - before``."""

    offset: int
    since: pd.Timestamp
    before: float
    after: float
    low: float
    high: float
    cohorts_before: int
    cohorts_after: int
    confidence: float = 0.95

    @property
    def change(self) -> float:
        return self.after - self.before


def _without_weekdays(rates: pd.Series) -> np.ndarray:
    """Daily rates with the weekday pattern taken out, as the era does it
    (:func:`wxdata.analytics.era.deseasonalised`)."""
    weekday = pd.DatetimeIndex(rates.index).day_of_week.to_numpy()
    adjusted: np.ndarray = deseasonalised(rates.to_numpy(dtype=float)[None, :],
                                          weekday[None, :])[0]
    return adjusted


def level_shift(frame: pd.DataFrame, offset: int, *, metric: str = "new",
                app_id: str | None = None, period: type[Period] = Week,
                confidence: float = 0.95) -> Shift | None:
    """The newest level shift of ``offset`` in ``frame`` (one app), or None."""
    users = cohort_matrix(frame, metric=metric, values="users", app_id=app_id, period=period)
    if offset not in users.columns:
        return None
    pairs = users[[0, offset]].dropna()
    pairs = pairs[pairs[0] > 0]
    least = SHIFT_MIN_COHORTS
    if len(pairs) < 2 * least + 1:
        return None
    rates = pairs[offset] / pairs[0]
    y = _without_weekdays(rates) if period is Day else rates.to_numpy(dtype=float)
    # era_starts splits its newest 2·window cohorts only inside the newer window: a window of
    # the whole span but the oldest `least` lets the split fall anywhere it can be judged
    window = len(y) - least + 1
    start, shifted = era_starts(y, np.array([0, len(y)]), window=window)
    if not shifted[0]:
        return None
    at = int(start[0])
    old, new = pairs.iloc[:at], pairs.iloc[at:]
    before = float(old[offset].sum() / old[0].sum())
    after = float(new[offset].sum() / new[0].sum())
    sigma, df = _noise(y[None, :])
    half = float(t_quantile(confidence, df)[0]) * float(sigma[0]) * math.sqrt(
        math.pi / 2 * (1 / len(old) + 1 / len(new)))
    change = after - before
    return Shift(offset, pd.Timestamp(pairs.index[at]), before, after, change - half,
                 change + half, len(old), len(new), confidence)


def level_shifts(frame: pd.DataFrame, *, metric: str = "new", app_id: str | None = None,
                 period: type[Period] = Week, offsets: tuple[int, ...] | None = None,
                 confidence: float = 0.95) -> list[Shift]:
    """:func:`level_shift` for each of ``offsets`` (the tracked offsets of ``period`` by
    default), the shifts found only, in the order of the offsets."""
    found = (level_shift(frame, k, metric=metric, app_id=app_id, period=period,
                         confidence=confidence)
             for k in (offsets if offsets is not None else tracked_offsets(period)))
    return [shift for shift in found if shift is not None]


__all__ = ["Shift", "level_shift", "level_shifts"]

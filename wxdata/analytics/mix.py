"""Mix or rate? When a pooled rate moves, how much came from the cohort sizes and how much
from the rates themselves (Kitagawa's decomposition, 1955).

A pooled rate is ``R = Σ n_g r_g / Σ n_g``: weights ``w_g = n_g / Σ n`` times rates ``r_g``.
Between a window before and a window after,

    ΔR = Σ_g ((w_g + w'_g) / 2) · (r'_g - r_g)      the rate part: the groups retain differently
       + Σ_g ((r_g + r'_g) / 2) · (w'_g - w_g)      the mix part: the users sit in other groups

and the two add up to ΔR exactly (the cross terms cancel). For daily cohorts the groups are the
weekdays: a campaign that brings many weekend users, who retain worse, lowers the pooled D1
with no weekday retaining any worse, and a PM should hear that. For weeks and months the groups
are the cohorts themselves, which do not recur; there the split is of each window's pooled rate
into its plain mean of cohort rates and what the sizes add to it
(``R = mean(r) + Σ (w_i - 1/k) r_i``): the mean moving is the rate part, the second term moving
is the mix part ("more users in weeks that retain worse"), and again they add up exactly.

>>> before = pd.DataFrame({"users": [100, 100], "rate": [0.4, 0.2]}, index=["Mon", "Sat"])
>>> after = pd.DataFrame({"users": [100, 300], "rate": [0.4, 0.2]}, index=["Mon", "Sat"])
>>> d = kitagawa(before, after)
>>> round(d.before, 4), round(d.after, 4), round(d.rate, 4), round(d.mix, 4)
(0.3, 0.25, 0.0, -0.05)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from wxdata.analytics.cohort import cohort_matrix
from wxdata.core.periods import Day, Period, Week

#: Cohorts per window: four weeks (or four of each weekday, 28 days) and three months.
WINDOWS: dict[str, int] = {"day": 28, "week": 4, "month": 3}


@dataclass(frozen=True)
class Decomposition:
    """A pooled rate ``before`` and ``after``, and its change split into ``rate`` and ``mix``
    (``rate + mix == after - before``). ``first``/``last``: the cohorts of the window after,
    ``since``/``until`` those of the window before (None from :func:`kitagawa`)."""

    before: float
    after: float
    rate: float
    mix: float
    since: pd.Timestamp | None = None
    until: pd.Timestamp | None = None
    first: pd.Timestamp | None = None
    last: pd.Timestamp | None = None

    @property
    def change(self) -> float:
        return self.after - self.before


def kitagawa(before: pd.DataFrame, after: pd.DataFrame) -> Decomposition:
    """The decomposition of the pooled rate's change between two frames of groups (index: the
    group; columns ``users``, the weights, and ``rate``). A group on one side only counts with
    weight 0 on the other and the same rate, so its whole effect is mix."""
    groups = before.index.union(after.index)
    n0 = before["users"].reindex(groups, fill_value=0).to_numpy(dtype=float)
    n1 = after["users"].reindex(groups, fill_value=0).to_numpy(dtype=float)
    r0 = before["rate"].reindex(groups).to_numpy(dtype=float)
    r1 = after["rate"].reindex(groups).to_numpy(dtype=float)
    r0, r1 = np.where(np.isnan(r0), r1, r0), np.where(np.isnan(r1), r0, r1)
    if n0.sum() <= 0 or n1.sum() <= 0:
        raise ValueError("both windows need users")
    w0, w1 = n0 / n0.sum(), n1 / n1.sum()
    return Decomposition(float(w0 @ r0), float(w1 @ r1),
                         rate=float(((w0 + w1) / 2) @ (r1 - r0)),
                         mix=float(((r0 + r1) / 2) @ (w1 - w0)))


def _mean_and_mix(users: np.ndarray, rates: np.ndarray) -> tuple[float, float]:
    weights = users / users.sum()
    mean = float(rates.mean())
    return mean, float((weights - 1 / len(rates)) @ rates)


def window_change(frame: pd.DataFrame, *, offset: int, metric: str = "new",
                  app_id: str | None = None, period: type[Period] = Week,
                  cohorts: int | None = None) -> Decomposition | None:
    """The pooled rate at ``offset`` of the newest ``cohorts`` cohorts that published it
    (:data:`WINDOWS` by default) against the ``cohorts`` before them, decomposed (module
    docstring: weekdays as the groups for days, the cohorts' plain mean for weeks and months).
    None when there are fewer than two windows' worth of cohorts or a window has no users."""
    size = cohorts or WINDOWS[period.kind]
    users = cohort_matrix(frame, metric=metric, values="users", app_id=app_id, period=period)
    if offset not in users.columns:
        return None
    pairs = users[[0, offset]].dropna()
    pairs = pairs[pairs[0] > 0]
    if len(pairs) < 2 * size:
        return None
    old, new = pairs.iloc[-2 * size:-size], pairs.iloc[-size:]
    bounds = {"since": pd.Timestamp(old.index[0]), "until": pd.Timestamp(old.index[-1]),
              "first": pd.Timestamp(new.index[0]), "last": pd.Timestamp(new.index[-1])}
    if period is Day:
        def by_weekday(window: pd.DataFrame) -> pd.DataFrame:
            sums = window.groupby(pd.DatetimeIndex(window.index).day_of_week).sum()
            return pd.DataFrame({"users": sums[0], "rate": sums[offset] / sums[0]})
        split = kitagawa(by_weekday(old), by_weekday(new))
        return Decomposition(split.before, split.after, split.rate, split.mix, **bounds)
    (m0, x0), (m1, x1) = (_mean_and_mix(w[0].to_numpy(float), (w[offset] / w[0]).to_numpy(float))
                          for w in (old, new))
    return Decomposition(m0 + x0, m1 + x1, rate=m1 - m0, mix=x1 - x0, **bounds)


__all__ = ["WINDOWS", "Decomposition", "kitagawa", "window_change"]

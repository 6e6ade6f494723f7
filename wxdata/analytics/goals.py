"""Is a goal met, and since when? (:class:`wxdata.core.goals.Goal`)

The verdict is about the newest cohort that has published the goal's offset: its rate against
the target, and how long the current run has lasted: the first cohort of the unbroken run of
cohorts on the same side of the target ("达标,自 2026-W40 起连续 6 周"). Days are judged the
same way (a weekend day below a weekday goal is still below it: the goal is the PM's line).

>>> from wxdata.core.goals import Goal
>>> v = judge(frame, Goal("new", "week", 1, 0.25))
>>> v.met, v.cohort, v.rate, v.since, v.run
(True, Timestamp('2026-11-09 00:00:00'), 0.275, Timestamp('2026-11-02 00:00:00'), 2)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from wxdata.analytics.cohort import cohort_matrix
from wxdata.core.goals import Goal
from wxdata.core.periods import period_class


@dataclass(frozen=True)
class Verdict:
    """``goal`` judged on the newest ``cohort`` with its offset: ``rate`` there, ``met``
    (None when no cohort has the offset yet), ``since`` the first cohort of the current run of
    ``run`` cohorts on the same side, and ``rates``: every cohort's rate at the offset, for a
    goal line on a chart."""

    goal: Goal
    met: bool | None
    cohort: pd.Timestamp | None = None
    rate: float = math.nan
    since: pd.Timestamp | None = None
    run: int = 0
    rates: pd.Series | None = None


def judge(frame: pd.DataFrame, goal: Goal, *, app_id: str | None = None) -> Verdict:
    """The verdict on ``goal`` over ``frame`` (one app, or ``app_id`` of several)."""
    period = period_class(goal.kind)
    users = cohort_matrix(frame, metric=goal.metric, values="users", app_id=app_id,
                          period=period)
    if goal.offset not in users.columns:
        return Verdict(goal, None)
    pairs = users[[0, goal.offset]].dropna()
    pairs = pairs[pairs[0] > 0]
    if pairs.empty:
        return Verdict(goal, None)
    rates = (pairs[goal.offset] / pairs[0]).rename("rate")
    met = (rates >= goal.target - 1e-12).to_numpy()  # a rate printed as the target meets it
    side = bool(met[-1])
    run = 0
    for value in met[::-1]:
        if bool(value) != side:
            break
        run += 1
    return Verdict(goal, side, pd.Timestamp(rates.index[-1]), float(rates.iloc[-1]),
                   pd.Timestamp(rates.index[-run]), run, rates)


__all__ = ["Verdict", "judge"]

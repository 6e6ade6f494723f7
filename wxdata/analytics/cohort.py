"""Cohort analytics over the tidy frame: matrices, averages with intervals, period over period.

Pure functions from DataFrames to DataFrames (no I/O). Each per-app function takes the tidy frame
first and keyword-only options; ``metric`` is ``"new"`` (the period's new users) or ``"active"``;
``period`` the cohorts' period class (``Day``, ``Week`` (the default) or ``Month``), whose
published keys are the columns (D0..D7, D14, D30; W0..W4; M0, M1). A frame with several apps
needs ``app_id=``; an empty frame gives an empty result with the usual columns. An offset WeChat
has not published is NaN, never 0; a rate over a zero base is NaN.

Period over period compares a week with the week before and a month with the month before, but
a day with **the same weekday a week before** (较上周同日): from one day to the next the weekday
moves retention more than anything worth a look does.

:func:`all_tables` computes the matrices, average curves and week over week of every app of the
frame in one vectorised pass (index ``(app_id, ...)``); the per-app functions are those tables
for one app. Use it for many apps at once: looping the per-app functions over 500 apps pays
pandas' per-call overhead 500 times (see ``benchmarks/bench_cohort.py``).

The examples use ``frame`` (``wxdata.analytics.example.example_frame()``): one app's "new"
cohorts 2026-11-02 (1000 users, then 250 and 150 back in W1, W2), 2026-11-09 (1200, then 330)
and 2026-11-16 (1100, nothing published yet).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from wxdata.analytics.average import (
    AVERAGE_COLUMNS,
    WEIGHTINGS,
    Window,
    average_curve,
    average_table,
    resolve_window,
)
from wxdata.analytics.cells import (
    Cells,
    app_cells,
    check_choice,
    comparison,
    layout,
    offsets,
    pairs,
)
from wxdata.analytics.defaults import ALPHA, CONFIDENCE
from wxdata.analytics.spread import consecutive_spread, spread_p
from wxdata.analytics.stats import Floats, bh_significant
from wxdata.core.periods import Month, Period, Week

VALUES: tuple[str, ...] = ("rate", "users")

__all__ = ["AVERAGE_COLUMNS", "VALUES", "WEIGHTINGS", "all_tables", "average_curve",
           "calendar_view", "cohort_matrix", "period_over_period", "week_over_week"]


def cohort_matrix(frame: pd.DataFrame, *, metric: str = "new", values: str = "rate",
                  app_id: str | None = None, period: type[Period] = Week) -> pd.DataFrame:
    """One row per cohort (``cohort_start`` ascending), one column per published key.

    Columns are ``period.KEYS`` (weeks 0..4, days 0..7, 14, 30, months 0, 1), and any other
    offset a hand-made frame holds. ``values``:
    ``"rate"`` (users_k / users_0 of the cohort) or ``"users"`` (the counts, float so that an
    unpublished offset can be NaN).

    >>> cohort_matrix(frame)
    offset     0      1     2   3   4
    cohort_start
    2026-11-02    1.0  0.250  0.15 NaN NaN
    2026-11-09    1.0  0.275   NaN NaN NaN
    2026-11-16    1.0    NaN   NaN NaN NaN
    >>> cohort_matrix(frame, values="users").loc["2026-11-02"].tolist()
    [1000.0, 250.0, 150.0, nan, nan]
    """
    check_choice("values", values, VALUES)
    return _matrix(app_cells(frame, metric=metric, app_id=app_id, period=period), values,
                   by_app=False)


def all_tables(frame: pd.DataFrame, *, metric: str = "new", weighting: str = "weighted",
               confidence: float = CONFIDENCE, alpha: float = ALPHA,
               window: Window = "era", shifts: bool = True, period: type[Period] = Week,
               ) -> dict[str, pd.DataFrame]:
    """Every app's matrices, average curves and period over period from one pass over the frame.

    The cheapest way to compute everything for many apps (a notebook, a scheduled export): the
    frame is laid out once, and each table holds every app, index ``(app_id, ...)``, its rows for
    one app exactly what the per-app function gives for that app alone. Keys: ``"rates"`` and
    ``"users"`` (:func:`cohort_matrix` with ``values=``; columns run to the largest offset of any
    app, NaN where an app has fewer), ``"average"`` (:func:`average_curve` with ``weighting``,
    ``confidence``, ``window`` and ``shifts``) and ``"week_over_week"``
    (:func:`period_over_period` with ``alpha``, under its old name for every period; the spread
    and the Benjamini-Hochberg correction are each app's own; an app with a single cohort has no
    rows).

    >>> tables = all_tables(frame)
    >>> list(tables)
    ['rates', 'users', 'average', 'week_over_week']
    >>> tables["rates"]
    offset            0      1     2   3   4
    app_id cohort_start
    wx1    2026-11-02    1.0  0.250  0.15 NaN NaN
           2026-11-09    1.0  0.275   NaN NaN NaN
           2026-11-16    1.0    NaN   NaN NaN NaN
    >>> tables["average"].loc["wx1", "rate"].round(4).tolist()
    [1.0, 0.2636, 0.15, nan, nan]
    """
    check_choice("weighting", weighting, WEIGHTINGS)
    cells = layout(frame, metric=metric, period=period)
    return {"rates": _matrix(cells, "rate", by_app=True),
            "users": _matrix(cells, "users", by_app=True),
            "average": average_table(cells, weighting, confidence, by_app=True,
                                     window=resolve_window(window, period), shifts=shifts),
            "week_over_week": _week_over_week(cells, alpha, by_app=True)}


def _matrix(cells: Cells, values: str, *, by_app: bool) -> pd.DataFrame:
    data = cells.users if values == "users" else cells.rates()
    return pd.DataFrame(data, index=cells.index(by_app=by_app), columns=offsets(cells.keys))


def week_over_week(frame: pd.DataFrame, *, metric: str = "new", app_id: str | None = None,
                   alpha: float = ALPHA, period: type[Period] = Week) -> pd.DataFrame:
    """Each cohort against the one before it, index ``cohort_start``: for weeks and months the
    previous cohort present in the frame (every cohort but the first), for days the same
    weekday a week before (every day whose day a week before is in the frame).

    ``size``: users_0; ``size_change``: size / the earlier size - 1. For each published key k
    after 0: ``rate_k``; ``delta_k`` = rate_k - the earlier cohort's rate_k; ``p_k``: the
    two-sided p-value of that change allowing for the usual variation of such a change at k;
    ``significant_k``: p_k still at or below ``alpha`` after a Benjamini-Hochberg correction
    over every p-value of the table. ``compared_with``: the cohort_start of the earlier
    cohort; ``.attrs["compared_with"]``: ``"previous"`` or, for days,
    ``"same_weekday_last_week"`` (what the dashboard says the comparison is).

    The test (:mod:`.spread`): t = delta / √(v + 2τ̂²), with v the pooled two-proportion
    variance of the pair and τ̂² the variance of a cohort's rate at k beyond the binomial noise,
    estimated from the table's consecutive differences at k (robustly: a holiday or the change
    itself is left out), on Satterthwaite's degrees of freedom. With τ̂² = 0 it is the pooled
    two-proportion z-test. Why: the z-test alone sees every user as independent, and WeChat
    cohorts vary by a few percent from week to week. Simulated (52 cohorts of 2·10^4 or 10^5
    users, ``benchmarks/bench_calibration.py``), at 2 % variation it flagged 10–44 % of
    unchanged cells and only 4–13 % of its flags were real; this test flags at most 0.02 % of
    unchanged cells at 0–5 % variation, and 94 % or more of its flags are real up to 2 %. The
    price is power: a 10 % step is found 68–100 % of the time without variation, 10–24 % at 2 %
    (it is then only about 3 standard deviations of an ordinary week's change). A p_k is NaN
    when fewer than four pairs of cohorts show how much k usually varies, or when either cohort
    lacks k.

    >>> week_over_week(frame).iloc[:, :6]
                    size  size_change  rate_1  delta_1  p_1  significant_1
    cohort_start
    2026-11-09    1200.0     0.200000   0.275    0.025  NaN          False
    2026-11-16    1100.0    -0.083333     NaN      NaN  NaN          False
    """
    cells = app_cells(frame, metric=metric, app_id=app_id, period=period)
    return _week_over_week(cells, alpha, by_app=False)


#: The same table under the name that fits every period (see :func:`week_over_week`).
period_over_period = week_over_week


def _week_over_week(cells: Cells, alpha: float, *, by_app: bool) -> pd.DataFrame:
    now, before = pairs(cells)
    base, rates = cells.base, cells.rates()
    with np.errstate(divide="ignore", invalid="ignore"):
        size_change = np.where(base[before] > 0, base[now] / base[before] - 1.0, np.nan)
    later = slice(1, None)
    delta = rates[now, later] - rates[before, later]
    p = _change_p(cells, now, before)
    groups = cells.app_of_row[now] if by_app else None  # BH per app: separate reports
    significant = bh_significant(p, alpha=alpha, groups=groups)
    columns: dict[str, object] = {"size": base[now], "size_change": size_change}
    for j, k in enumerate(cells.keys[1:].tolist(), start=1):
        columns |= {f"rate_{k}": rates[now, j], f"delta_{k}": delta[:, j - 1],
                    f"p_{k}": p[:, j - 1], f"significant_{k}": significant[:, j - 1]}
    columns["compared_with"] = cells.starts[before].to_numpy()
    # copy=False: the columns are this function's own arrays; consolidating them into one
    # block copied the whole table (90 MiB per metric on 500 apps × 720 days) at the pass's peak
    out = pd.DataFrame(columns, index=cells.index(by_app=by_app)[now], copy=False)
    out.attrs["compared_with"] = comparison(cells.period)
    return out


def _change_p(cells: Cells, now: npt.NDArray[np.intp], before: npt.NDArray[np.intp]) -> Floats:
    """p of each (now, before) pair's change at every offset >= 1 (see :func:`week_over_week`).

    A block of apps at a time (:meth:`Cells.blocks`; a pair's two rows are of one app), and in
    a block one offset at a time: the same arithmetic as on the whole (pairs, offsets) array,
    with its temporaries small enough for the cache (500 apps × 720 days: hundreds of MiB
    less, and time linear in apps)."""
    out = np.full((len(now), cells.width - 1), np.nan)
    for lo, hi in cells.blocks():
        r0, r1 = int(cells.bounds[lo]), int(cells.bounds[hi])
        at = slice(*np.searchsorted(now, [r0, r1]).tolist())  # ``now`` is sorted
        out[at] = _block_p(cells.block(lo, hi), now[at] - r0, before[at] - r0)
    return out


def _block_p(cells: Cells, now: npt.NDArray[np.intp], before: npt.NDArray[np.intp]) -> Floats:
    out = np.full((len(now), cells.width - 1), np.nan)
    n1, n2 = cells.base[now], cells.base[before]
    groups = cells.app_of_row[now]
    for j in range(1, cells.width):
        x1, x2 = cells.users[now, j], cells.users[before, j]
        valid = (n1 > 0) & (n2 > 0) & (x1 >= 0) & (x2 >= 0) & (x1 <= n1) & (x2 <= n2)
        with np.errstate(divide="ignore", invalid="ignore"):
            pooled = (x1 + x2) / (n1 + n2)
            binomial = np.where(valid, pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2), np.nan)
            change = np.where(valid, x1 / n1 - x2 / n2, np.nan)
        spread = consecutive_spread(change[:, None], binomial[:, None], groups, len(cells.apps))
        out[:, j - 1] = spread_p(change, binomial, 2.0, spread.variance[groups, 0],
                                 spread.binomial[groups, 0], spread.df[groups, 0])
    return out


def calendar_view(frame: pd.DataFrame, *, metric: str = "new",
                  app_id: str | None = None, period: type[Period] = Week) -> pd.DataFrame:
    """The matrix's rates by the calendar period in which the users came back.

    Index ``cohort_start``; columns ``return_week`` (``return_day``, ``return_month``): the
    first day of the period k after the cohort's. A holiday or an outage is then one column
    that every cohort dips in. Offset 0 is left out: it is 1 by definition and says nothing
    about the period.

    >>> calendar_view(frame)
    return_week   2026-11-09  2026-11-16
    cohort_start
    2026-11-02          0.25       0.150
    2026-11-09           NaN       0.275
    2026-11-16           NaN         NaN
    """
    rates = cohort_matrix(frame, metric=metric, app_id=app_id, period=period)
    cells = rates.drop(columns=0).stack().dropna()  # pandas 3 keeps NaN cells in stack()
    starts = pd.DatetimeIndex(cells.index.get_level_values(0))
    back = _later(starts, cells.index.get_level_values(1).to_numpy(), period)
    out = pd.Series(cells.to_numpy(), index=pd.MultiIndex.from_arrays(
        [starts, back], names=["cohort_start", f"return_{period.kind}"])).unstack()
    out = out.reindex(index=rates.index).sort_index(axis=1)
    out.columns.name = f"return_{period.kind}"  # an empty frame's unstack forgets it
    return out


def _later(starts: pd.DatetimeIndex, k: npt.NDArray[np.int64],
           period: type[Period]) -> pd.DatetimeIndex:
    """The first day of the period ``k`` after each cohort's."""
    if period is Month:
        months = starts.year.to_numpy() * 12 + starts.month.to_numpy() - 1 + k
        return pd.DatetimeIndex(pd.to_datetime(
            {"year": months // 12, "month": months % 12 + 1, "day": 1})).as_unit("ns")
    step = 1 if period.kind == "day" else 7
    return starts + pd.to_timedelta(step * k, unit="D")

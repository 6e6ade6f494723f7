"""Cohort analytics over the tidy frame: matrices, averages with intervals, week over week.

Pure functions from DataFrames to DataFrames (no I/O). Each per-app function takes the tidy frame
first and keyword-only options; ``metric`` is ``"new"`` (the week's new users) or ``"active"``.
A frame with several apps needs ``app_id=``; an empty frame gives an empty result with the usual
columns. An offset WeChat has not published is NaN, never 0; a rate over a zero base is NaN.

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
import pandas as pd

from wxdata.analytics.cells import Cells, Ints, app_cells, check_choice, layout, offsets
from wxdata.analytics.defaults import ALPHA, CONFIDENCE
from wxdata.analytics.stats import (
    Floats,
    bh_significant,
    mean_interval,
    two_proportion_p,
    wilson_interval,
)

VALUES: tuple[str, ...] = ("rate", "users")
WEIGHTINGS: tuple[str, ...] = ("weighted", "simple")
AVERAGE_COLUMNS: list[str] = ["rate", "low", "high", "cohorts", "users"]


def cohort_matrix(frame: pd.DataFrame, *, metric: str = "new", values: str = "rate",
                  app_id: str | None = None) -> pd.DataFrame:
    """One row per cohort (``cohort_start`` ascending), one column per week offset.

    Columns run 0..4, or up to the largest offset of the frame when it holds more. ``values``:
    ``"rate"`` (users_k / users_0 of the cohort) or ``"users"`` (the counts, float so that an
    unpublished offset can be NaN).

    >>> cohort_matrix(frame)
    week_offset     0      1     2   3   4
    cohort_start
    2026-11-02    1.0  0.250  0.15 NaN NaN
    2026-11-09    1.0  0.275   NaN NaN NaN
    2026-11-16    1.0    NaN   NaN NaN NaN
    >>> cohort_matrix(frame, values="users").loc["2026-11-02"].tolist()
    [1000.0, 250.0, 150.0, nan, nan]
    """
    check_choice("values", values, VALUES)
    return _matrix(app_cells(frame, metric=metric, app_id=app_id), values, by_app=False)


def all_tables(frame: pd.DataFrame, *, metric: str = "new", weighting: str = "weighted",
               confidence: float = CONFIDENCE, alpha: float = ALPHA) -> dict[str, pd.DataFrame]:
    """Every app's matrices, average curves and week over week from one pass over the frame.

    The cheapest way to compute everything for many apps (a notebook, a scheduled export): the
    frame is laid out once, and each table holds every app, index ``(app_id, ...)``, its rows for
    one app exactly what the per-app function gives for that app alone. Keys: ``"rates"`` and
    ``"users"`` (:func:`cohort_matrix` with ``values=``; columns run to the largest offset of any
    app, NaN where an app has fewer), ``"average"`` (:func:`average_curve` with ``weighting`` and
    ``confidence``) and ``"week_over_week"`` (:func:`week_over_week` with ``alpha``; the
    Benjamini-Hochberg correction runs over each app's table separately; an app with a single
    cohort has no rows).

    >>> tables = all_tables(frame)
    >>> list(tables)
    ['rates', 'users', 'average', 'week_over_week']
    >>> tables["rates"]
    week_offset            0      1     2   3   4
    app_id cohort_start
    wx1    2026-11-02    1.0  0.250  0.15 NaN NaN
           2026-11-09    1.0  0.275   NaN NaN NaN
           2026-11-16    1.0    NaN   NaN NaN NaN
    >>> tables["average"].loc["wx1", "rate"].round(4).tolist()
    [1.0, 0.2636, 0.15, nan, nan]
    """
    check_choice("weighting", weighting, WEIGHTINGS)
    cells = layout(frame, metric=metric)
    return {"rates": _matrix(cells, "rate", by_app=True),
            "users": _matrix(cells, "users", by_app=True),
            "average": _average(cells, weighting, confidence, by_app=True),
            "week_over_week": _week_over_week(cells, alpha, by_app=True)}


def _matrix(cells: Cells, values: str, *, by_app: bool) -> pd.DataFrame:
    data = cells.users if values == "users" else cells.rates()
    return pd.DataFrame(data, index=cells.index(by_app=by_app), columns=offsets(cells.width))


def average_curve(frame: pd.DataFrame, *, metric: str = "new", weighting: str = "weighted",
                  app_id: str | None = None, confidence: float = CONFIDENCE) -> pd.DataFrame:
    """The average retention curve with a confidence interval, index ``week_offset``.

    At offset k only cohorts with k published and a positive base count. ``weighting``:
    ``"weighted"``: Σ users_k / Σ users_0 (each user counts once) with the Wilson interval of that
    pooled proportion; ``"simple"``: the mean of the cohorts' rates (each week counts once) with
    the normal interval of the mean (NaN from fewer than two cohorts). ``cohorts``: how many
    cohorts went in; ``users``: their Σ users_0. Offset 0 is 1 by definition, with no interval.
    An offset no cohort has published has rate NaN and ``cohorts`` 0.

    >>> average_curve(frame)
                     rate       low      high  cohorts  users
    week_offset
    0            1.000000  1.000000  1.000000        3   3300
    1            0.263636  0.245648  0.282448        2   2200
    2            0.150000  0.129210  0.173469        1   1000
    3                 NaN       NaN       NaN        0      0
    4                 NaN       NaN       NaN        0      0
    """
    check_choice("weighting", weighting, WEIGHTINGS)
    cells = app_cells(frame, metric=metric, app_id=app_id)
    return _average(cells, weighting, confidence, by_app=False)


def _average(cells: Cells, weighting: str, confidence: float, *, by_app: bool) -> pd.DataFrame:
    if cells.users.shape[0] == 0:
        index = pd.MultiIndex.from_arrays([[], []], names=["app_id", "week_offset"]) if by_app \
            else offsets(0)
        return _average_frame(*(np.zeros(0),) * 5, index=index)
    usable = ~np.isnan(cells.users) & (cells.base > 0)[:, None]
    x = np.where(usable, cells.users, 0.0)
    n = np.where(usable, cells.base[:, None], 0.0)
    first = cells.bounds[:-1]
    total_x, total_n = (np.add.reduceat(a, first, axis=0) for a in (x, n))
    count = np.add.reduceat(usable.astype(np.float64), first, axis=0)
    if weighting == "weighted":
        rate, low, high = _pooled(total_x, total_n, confidence)
    else:
        rate, low, high = _mean_of_rates(np.where(usable, cells.rates(), 0.0), count, first,
                                         confidence)
    at_zero = count[:, 0] > 0  # users_0 / users_0: a definition, not an estimate
    rate[:, 0], low[:, 0], high[:, 0] = (np.where(at_zero, 1.0, np.nan),) * 3
    index = pd.MultiIndex.from_product([cells.apps, range(cells.width)],
                                       names=["app_id", "week_offset"]) if by_app \
        else offsets(cells.width)
    return _average_frame(rate.ravel(), low.ravel(), high.ravel(), count.ravel(),
                          total_n.ravel(), index=index)


def _pooled(total_x: Floats, total_n: Floats, confidence: float,
            ) -> tuple[Floats, Floats, Floats]:
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(total_n > 0, total_x / total_n, np.nan)
    low, high = wilson_interval(total_x, total_n, confidence=confidence)
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


def _average_frame(rate: Floats, low: Floats, high: Floats, count: Floats, users: Floats, *,
                   index: pd.Index) -> pd.DataFrame:
    columns = (rate, low, high, count.astype(np.int64), users.astype(np.int64))
    return pd.DataFrame(dict(zip(AVERAGE_COLUMNS, columns, strict=True)), index=index)


def week_over_week(frame: pd.DataFrame, *, metric: str = "new", app_id: str | None = None,
                   alpha: float = ALPHA) -> pd.DataFrame:
    """Each cohort against the one before it, index ``cohort_start`` (every cohort but the first).

    ``size``: users_0; ``size_change``: size / previous size - 1. For each offset k from 1 to the
    matrix's last: ``rate_k``; ``delta_k`` = rate_k - the previous cohort's rate_k; ``p_k``: the
    two-sided pooled two-proportion z-test of the two cohorts at k (NaN unless both published it
    over a positive base); ``significant_k``: p_k still below ``alpha`` after a Benjamini-Hochberg
    correction over every p-value of the table (so 40 weeks × 4 offsets of noise do not light up
    eight false alarms). "Previous" is the previous cohort present in the frame.

    >>> week_over_week(frame).iloc[:, :6]
                    size  size_change  rate_1  delta_1       p_1  significant_1
    cohort_start
    2026-11-09    1200.0     0.200000   0.275    0.025  0.185116          False
    2026-11-16    1100.0    -0.083333     NaN      NaN       NaN          False
    """
    cells = app_cells(frame, metric=metric, app_id=app_id)
    return _week_over_week(cells, alpha, by_app=False)


def _week_over_week(cells: Cells, alpha: float, *, by_app: bool) -> pd.DataFrame:
    now = np.flatnonzero(cells.app_of_row[1:] == cells.app_of_row[:-1]) + 1
    before = now - 1
    users, base, rates = cells.users, cells.base, cells.rates()
    with np.errstate(divide="ignore", invalid="ignore"):
        size_change = np.where(base[before] > 0, base[now] / base[before] - 1.0, np.nan)
    later = slice(1, None)
    p = two_proportion_p(users[now, later], base[now, None], users[before, later],
                         base[before, None])
    groups = cells.app_of_row[now] if by_app else None  # BH per app: separate reports
    significant = bh_significant(p, alpha=alpha, groups=groups)
    delta = rates[now, later] - rates[before, later]
    columns: dict[str, object] = {"size": base[now], "size_change": size_change}
    for k in range(1, cells.width):
        columns |= {f"rate_{k}": rates[now, k], f"delta_{k}": delta[:, k - 1],
                    f"p_{k}": p[:, k - 1], f"significant_{k}": significant[:, k - 1]}
    return pd.DataFrame(columns, index=cells.index(by_app=by_app)[now])


def calendar_view(frame: pd.DataFrame, *, metric: str = "new",
                  app_id: str | None = None) -> pd.DataFrame:
    """The matrix's rates by the calendar week in which the users came back.

    Index ``cohort_start``; columns ``return_week``: the Monday of cohort_start + 7·k days. A
    holiday or an outage is then one column that every cohort dips in. Offset 0 is left out: it
    is 1 by definition and says nothing about the week.

    >>> calendar_view(frame)
    return_week   2026-11-09  2026-11-16
    cohort_start
    2026-11-02          0.25       0.150
    2026-11-09           NaN       0.275
    2026-11-16           NaN         NaN
    """
    rates = cohort_matrix(frame, metric=metric, app_id=app_id)
    cells = rates.drop(columns=0).stack().dropna()  # pandas 3 keeps NaN cells in stack()
    starts = cells.index.get_level_values(0)
    week = starts + pd.to_timedelta(7 * cells.index.get_level_values(1).to_numpy(), unit="D")
    out = pd.Series(cells.to_numpy(), index=pd.MultiIndex.from_arrays(
        [starts, week], names=["cohort_start", "return_week"])).unstack()
    return out.reindex(index=rates.index).sort_index(axis=1)

"""The headline figures of one app and metric: the newest cohort, its offset 1 (D1, W1, M1)
against a baseline, and a tile per tracked offset (days 次日/7日/30日 = D1, D7, D30; weeks W1, W4;
months M1: :data:`~wxdata.analytics.defaults.KPI_OFFSETS`).

For days the baseline is the same weekday of the four weeks before and the usual variation is
that of the same weekday (a Monday's D1 against the four Mondays before it), for the reason
``cohort`` compares a day with the same weekday a week before.

The examples use ``frame`` (``wxdata.analytics.example.example_frame()``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from wxdata.analytics.anomalies import users_matrix
from wxdata.analytics.defaults import BASELINE_COHORTS, SPREAD_COHORTS, kpi_offsets
from wxdata.analytics.spread import consecutive_spread, spread_p
from wxdata.analytics.stats import Floats
from wxdata.core.periods import Day, Period, PeriodKind, Week


@dataclass(frozen=True)
class Tile:
    """One headline tile: the newest ``cohort`` that published ``offset`` (named ``name``:
    ``D7``) and its rate there; None and NaN when no cohort has."""

    offset: int
    name: str
    cohort: pd.Timestamp | None = None
    rate: float = math.nan


@dataclass(frozen=True)
class Kpis:
    """The headline figures of one app and metric; NaN (floats) or None where not computable.

    ``latest_week``/``latest_size``: the newest cohort with a published size (users_0);
    ``size_change``: its size / the previous cohort's - 1. ``w1_week``/``w1_rate``: the newest
    cohort with W1 published; ``w1_baseline``: the pooled W1 rate (Σ users_1 / Σ users_0) of the
    4 cohorts before it (NaN with fewer than 4); ``w1_delta`` = w1_rate - w1_baseline;
    ``w1_p``: the two-sided p-value of that change allowing for the usual week-to-week
    variation of W1 (:func:`w1_p`; NaN with fewer than four earlier pairs of cohorts to show
    it); for days the baseline and history are the same weekday's. The ``w1_*`` names stand
    for offset 1 of every period (D1, W1, M1). ``w4_week``/``w4_rate``: the newest cohort with
    offset 4 published (W4; the weekly screens' field, None for months). ``tiles``: one
    :class:`Tile` per offset of ``kpi_offsets(period)`` (empty for an empty frame); ``kind``:
    the period's kind.
    """

    metric: str
    latest_week: pd.Timestamp | None = None
    latest_size: int | None = None
    size_change: float = math.nan
    w1_week: pd.Timestamp | None = None
    w1_rate: float = math.nan
    w1_baseline: float = math.nan
    w1_delta: float = math.nan
    w1_p: float = math.nan
    w4_week: pd.Timestamp | None = None
    w4_rate: float = math.nan
    tiles: tuple[Tile, ...] = ()
    kind: PeriodKind = "week"


def kpis(frame: pd.DataFrame | None = None, *, metric: str = "new", app_id: str | None = None,
         period: type[Period] = Week, users: pd.DataFrame | None = None) -> Kpis:
    """The latest cohorts' headline figures (see :class:`Kpis`); ``users``: the cohort matrix
    of counts instead of ``frame`` (:func:`~wxdata.analytics.anomalies.users_matrix`).

    >>> k = kpis(frame)
    >>> k.latest_week, k.latest_size, round(k.size_change, 4), k.w1_rate, k.w1_p
    (Timestamp('2026-11-16 00:00:00'), 1100, -0.0833, 0.275, nan)
    >>> [(tile.name, tile.rate) for tile in k.tiles]
    [('W1', 0.275), ('W4', nan)]

    (no W1 baseline: the latest W1 has one cohort before it, not four). ``size_change`` of a
    day is against the same weekday a week before.
    """
    users = users_matrix(frame, users, metric=metric, app_id=app_id, period=period)
    sizes = users[0].dropna()
    if sizes.empty:
        return Kpis(metric, kind=period.kind)
    tiles = tuple(_tile(users, k, period) for k in kpi_offsets(period))
    w4 = _tile(users, 4, period)
    return Kpis(metric, pd.Timestamp(sizes.index[-1]), int(sizes.iloc[-1]),
                _change(sizes, period), **_w1(users, period), w4_week=w4.cohort,
                w4_rate=w4.rate, tiles=tiles, kind=period.kind)


def _tile(users: pd.DataFrame, k: int, period: type[Period]) -> Tile:
    if k not in users.columns:
        return Tile(k, period.offset_name(k))
    rates = (users[k] / users[0].where(users[0] > 0)).dropna()
    if rates.empty:
        return Tile(k, period.offset_name(k))
    return Tile(k, period.offset_name(k), pd.Timestamp(rates.index[-1]), float(rates.iloc[-1]))


def _change(sizes: pd.Series, period: type[Period]) -> float:
    if period is Day:  # against the same weekday a week before, when the frame has it
        before = sizes.index[-1] - pd.Timedelta(days=7)
        earlier = float(sizes.get(before, math.nan))
        return float(sizes.iloc[-1] / earlier - 1.0) if earlier > 0 else math.nan
    if len(sizes) < 2 or sizes.iloc[-2] <= 0:
        return math.nan
    return float(sizes.iloc[-1] / sizes.iloc[-2] - 1.0)


def _w1(users: pd.DataFrame, period: type[Period]) -> dict[str, Any]:
    if 1 not in users.columns:
        return {}
    pairs = users[[0, 1]].dropna()
    pairs = pairs[pairs[0] > 0]
    if period is Day and not pairs.empty:  # the newest day's own weekday only
        weekday = pd.DatetimeIndex(pairs.index).day_of_week
        pairs = pairs[weekday == weekday[-1]]
    if pairs.empty:
        return {}
    last, before = pairs.iloc[-1], pairs.iloc[-1 - BASELINE_COHORTS:-1]
    out: dict[str, Any] = {"w1_week": pd.Timestamp(pairs.index[-1]),
                           "w1_rate": float(last[1] / last[0])}
    if len(before) == BASELINE_COHORTS:
        x, n = float(before[1].sum()), float(before[0].sum())
        history = pairs.iloc[-1 - SPREAD_COHORTS:-1]
        out |= {"w1_baseline": x / n, "w1_delta": out["w1_rate"] - x / n,
                "w1_p": w1_p(last[1], last[0], before[1].to_numpy(), before[0].to_numpy(),
                             history[1].to_numpy(), history[0].to_numpy())}
    return out


def w1_p(x: float, n: float, base_x: Floats, base_n: Floats, history_x: Floats,
         history_n: Floats) -> float:
    """p of the newest W1, x of n, against the pooled baseline Σbase_x / Σbase_n, allowing for
    the week-to-week variance τ² that the earlier cohorts (``history_*``) show.

    The newest rate varies by its binomial variance and τ²; the pooled baseline by its binomial
    variance and Σw_i²·τ² (w_i = n_i / Σn). So the change has variance
    p̄(1 - p̄)(1/n + 1/Σn) + (1 + Σw_i²)·τ², p̄ pooled over both; τ² comes from the consecutive
    differences of the history (:mod:`.spread`). The pooled z-test alone (τ² = 0) called the
    newest W1 significant in 32–63 % of simulated weeks in which nothing had changed (2 %
    variation); this test in 2.5–4.5 % at 0–5 % (``benchmarks/bench_calibration.py``).

    >>> history = np.array([300.0, 310, 290, 305, 295, 300]), np.full(6, 1000.0)
    >>> round(w1_p(250.0, 1000.0, history[0][-4:], history[1][-4:], *history), 4)
    0.0251

    (these six weeks vary less than their binomial noise: τ̂² = 0, and the test is the pooled
    z-test of 25 % against 1190/4000, t = -2.97 on 6.0 degrees of freedom.)
    """
    rates = history_x / history_n
    pooled = (history_x[1:] + history_x[:-1]) / (history_n[1:] + history_n[:-1])
    binomial = pooled * (1.0 - pooled) * (1.0 / history_n[1:] + 1.0 / history_n[:-1])
    spread = consecutive_spread(np.diff(rates)[:, None], binomial[:, None],
                                np.zeros(len(rates) - 1, dtype=np.intp), 1)
    total_x, total_n = float(np.sum(base_x)), float(np.sum(base_n))
    weights = base_n / total_n
    p_bar = (x + total_x) / (n + total_n)
    change = x / n - total_x / total_n
    p = spread_p(np.array([change]), np.array([p_bar * (1.0 - p_bar) * (1.0 / n + 1.0 / total_n)]),
                 1.0 + float(np.sum(weights * weights)), spread.variance[0], spread.binomial[0],
                 spread.df[0])
    return float(p[0])

"""Cohorts whose rate left the band the cohorts before them predict: the weeks worth a look.

The band is a prediction interval for one new cohort from the ``window`` w before it: the
window's mean ± t(1 - a/2, df)·√V, with a the two-sided level of ±``sigmas`` standard
deviations of a normal (a = 0.27 % at 3). The old band, mean ± 3·s over 8 cohorts, was really
|t₇| > 2.83 and flagged 2.4–2.9 % of ordinary simulated cohorts instead of 0.27 %; this one
0.05–0.5 % (``benchmarks/bench_calibration.py``).

V is the variance of (new rate - window mean): the binomial part, p(1 - p)·(1/n + mean(1/n_i)/w)
with p the window's mean (known, and right for a new cohort smaller or larger than those
before it), plus (1 + 1/w)·τ̂² for the week-to-week variation, τ̂² = max(0, s² - the window's
mean binomial variance) from the window's sample variance s². When τ̂² dominates this is the
textbook s·√(1 + 1/w) on w - 1 degrees of freedom; when the binomial part does, fewer of them
are spent on what is known (Satterthwaite: df = (w - 1)·(V / ((1 + 1/w)·s²))²). Flooring a
t₇ band at the binomial variance instead made it needlessly wide for big, steady apps.

Days are judged against the same weekday: the window of a Saturday is the ``window`` Saturdays
before it (eight weeks), since a Saturday's cohort retains differently from a Friday's every
week, and a band over mixed weekdays would flag ordinary weekends and miss festival days.

A flagged cohort (a holiday) is left out of the windows of the cohorts after it, so that one
odd week does not widen the next eight bands; but flags on the same side :data:`ANOMALY_RUN`
cohorts in a row are a new level (a launch): the windows start again from the first of them, and
the cohorts after it are judged once a full window of the new level has passed (a window that
mixed the two levels drew a band as wide as the jump for eight weeks).

A cohort whose users came back in a golden week (:data:`GOLDEN_WEEKS`: the period the
offset is measured in, ``cohort + offset``, has days off of the Spring Festival or National
Day, from ``chinese-calendar``) is judged like any other, but never enters a window and never
counts towards a new level: the festival's dip lasts as many cohorts as the offset is long (the
four cohorts before it at W4), which read as a new level and drew a band of ~4–20 % for eight
weeks after it (issue 19).

The examples use ``frame`` (``wxdata.analytics.example.example_frame()``): three cohorts, too few
to judge any of them against the ones before.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import special

from wxdata.analytics.cohort import cohort_matrix
from wxdata.analytics.defaults import ANOMALY_RUN, ANOMALY_SIGMAS, ANOMALY_WINDOW
from wxdata.analytics.shifts import Shift
from wxdata.analytics.stats import Floats
from wxdata.core import holidays
from wxdata.core.periods import Day, Period, Week

ANOMALY_COLUMNS: list[str] = ["rate", "expected", "low", "high", "t", "flagged"]

#: The festivals of a week or more off: a cohort measured in one is not a baseline.
GOLDEN_WEEKS: frozenset[str] = frozenset({"spring_festival", "national_day"})


def came_back_in_golden_week(starts: pd.Index, offset: int, period: type[Period]) -> Floats:
    """For each cohort start, whether ``cohort + offset`` (the period its retention at
    ``offset`` is measured in) has days off of a :data:`GOLDEN_WEEKS` festival."""
    return np.array([bool(GOLDEN_WEEKS.intersection(holidays.of_period(
        period.containing(pd.Timestamp(s).date()).shift(offset)))) for s in starts], dtype=bool)


def users_matrix(frame: pd.DataFrame | None, users: pd.DataFrame | None, *, metric: str,
                 app_id: str | None, period: type[Period]) -> pd.DataFrame:
    """``users`` when the caller has the cohort matrix of counts already (the dashboard's
    cached one: the KPIs, the flags and the decay fit need not build it again), else the
    matrix of ``frame``."""
    if users is not None:
        return users
    if frame is None:
        raise ValueError("pass the tidy frame or its cohort matrix of counts (users=)")
    return cohort_matrix(frame, metric=metric, values="users", app_id=app_id, period=period)


def anomalies(frame: pd.DataFrame | None = None, *, metric: str = "new", offset: int = 1,
              window: int = ANOMALY_WINDOW, sigmas: float = ANOMALY_SIGMAS,
              app_id: str | None = None, flagged_only: bool = True,
              period: type[Period] = Week, users: pd.DataFrame | None = None,
              calendar: bool = True) -> pd.DataFrame:
    """Cohorts whose rate at ``offset`` left the prediction band of the ``window`` before them.

    Index ``cohort_start``; ``expected``: the mean rate of the window (the previous ``window``
    cohorts that published ``offset``, flagged ones left out, see the module docstring; for
    days, the previous ``window`` cohorts of the same weekday);
    ``low``/``high``: the prediction band (clipped to [0, 1]); ``t``: (rate - expected) / the
    prediction's standard deviation; ``flagged``: outside the band. A cohort needs a full
    window before it to be judged. ``flagged_only=False`` returns every judged cohort, so that
    a chart can draw the band over time and mark the ones outside it. ``users``: the cohort
    matrix of counts instead of ``frame`` (:func:`users_matrix`). ``calendar=False``: no
    cohort is set aside for a golden week (worked examples whose dates fall in one).

    >>> anomalies(frame)
    Empty DataFrame
    Columns: [rate, expected, low, high, t, flagged]
    Index: []

    (three cohorts are no history).
    """
    if offset < 1 or window < 2 or sigmas <= 0:
        raise ValueError("anomalies needs offset >= 1, window >= 2 and sigmas > 0, got "
                         f"offset={offset}, window={window}, sigmas={sigmas}")
    users = users_matrix(frame, users, metric=metric, app_id=app_id, period=period)
    if offset not in users.columns:
        return _empty_anomalies()
    cells = users[[0, offset]].dropna()
    cells = cells[cells[0] > 0]
    rate, size = cells[offset].to_numpy() / cells[0].to_numpy(), cells[0].to_numpy()
    # one sequence per weekday for days, one for the other periods
    series = pd.DatetimeIndex(cells.index).day_of_week.to_numpy() if period is Day \
        else np.zeros(len(cells), dtype=np.int64)
    festive = came_back_in_golden_week(cells.index, offset, period) if calendar \
        else np.zeros(len(cells), dtype=bool)
    band = np.full((len(cells), 6), np.nan)
    for label in np.unique(series):
        at = np.flatnonzero(series == label)
        band[at] = _bands(rate[at], size[at], window=window, sigmas=sigmas,
                          festive=festive[at])
    out = pd.DataFrame(band[:, :-1], index=cells.index, columns=ANOMALY_COLUMNS[:-1])
    out["flagged"] = band[:, -1] == 1.0
    out = out[out["expected"].notna()]
    return out[out["flagged"]] if flagged_only else out


def _quantile(df: float, sigmas: float) -> float:
    """t(1 - a/2, df) for the two-sided level a of ±sigmas on a normal."""
    level = math.erfc(sigmas / math.sqrt(2.0))
    return float(special.stdtrit(df, 1.0 - level / 2.0))


def _bands(rate: Floats, size: Floats, *, window: int, sigmas: float,
           festive: Floats | None = None) -> Floats:
    """Rows (rate, expected, low, high, t, flagged); NaN where the cohort has no full window
    before it. Sequential: whether a cohort enters later windows depends on its own flag;
    a ``festive`` cohort (measured in a golden week) never enters one, nor starts a level."""
    out = np.full((len(rate), 6), np.nan)
    out[:, 0] = rate
    sides: dict[int, int] = {}  # judged cohorts: -1 below the band, 0 inside, 1 above
    left_out: set[int] = set() if festive is None else {int(i) for i in np.flatnonzero(festive)}
    holiday = set(left_out)
    level = 0  # the first cohort of the current level
    for i in range(len(rate)):
        pool = [j for j in range(level, i) if j not in left_out][-window:]
        if len(pool) < window:
            continue
        expected, sd, df = _prediction(rate[pool], size[pool], size[i])
        half = _quantile(df, sigmas) * sd
        t = (rate[i] - expected) / sd if sd > 0 else (0.0 if rate[i] == expected else math.inf)
        t = math.copysign(min(abs(t), 1e300), t)
        outside = abs(rate[i] - expected) > half
        out[i, 1:] = (expected, max(0.0, expected - half), min(1.0, expected + half), t,
                      float(outside))
        sides[i] = int(np.sign(t)) if outside and i not in holiday else 0
        if outside:
            left_out.add(i)
            if _new_level(sides, i):
                level = i - ANOMALY_RUN + 1
                left_out -= set(range(level, i + 1)) - holiday
    return out


def _new_level(sides: dict[int, int], i: int) -> bool:
    """The last :data:`ANOMALY_RUN` cohorts up to ``i`` were all judged, all on one side."""
    run = [sides.get(j) for j in range(i - ANOMALY_RUN + 1, i + 1)]
    return run[0] in (-1, 1) and all(side == run[0] for side in run)


def _prediction(rates: Floats, sizes: Floats, size: float) -> tuple[float, float, float]:
    """Expected rate, the prediction's standard deviation and its degrees of freedom for a
    cohort of ``size`` users after the window ``rates`` of cohorts of ``sizes``."""
    w = len(rates)
    expected, s2 = float(np.mean(rates)), float(np.var(rates, ddof=1))
    binomial = expected * (1.0 - expected)
    window_binomial = binomial * float(np.mean(1.0 / sizes))
    between = max(0.0, s2 - window_binomial)
    c = 1.0 + 1.0 / w
    variance = binomial / size + window_binomial / w + c * between
    df = (w - 1) * (variance / (c * s2)) ** 2 if s2 > 0 else math.inf
    return expected, math.sqrt(variance), min(df, 1e6)


def _empty_anomalies() -> pd.DataFrame:
    index = pd.DatetimeIndex([], dtype="datetime64[ns]", name="cohort_start")
    columns = {c: pd.Series(dtype="float64") for c in ANOMALY_COLUMNS[:-1]}
    return pd.DataFrame({**columns, "flagged": pd.Series(dtype="bool")}, index=index)


def flagged_weeks(band: pd.DataFrame) -> list[pd.Timestamp]:
    """The cohorts of ``band`` (from :func:`anomalies`) that left their band."""
    if band.empty:
        return []
    outside = band["flagged"].fillna(False).astype(bool)
    return [pd.Timestamp(s) for s in band.index[outside.to_numpy()]]


def flagged_cohorts(bands: Mapping[int, pd.DataFrame],
                    shifts: Sequence[Shift] = ()) -> dict[int, list[pd.Timestamp]]:
    """The cohorts worth a look, per offset: those of ``bands`` (``{k: anomalies(...,
    offset=k, flagged_only=False)}``) that left their band, except the ones that are the step
    of a level shift (``shifts``, :func:`wxdata.analytics.shifts.level_shifts`).

    A launch that lifts W1 for good leaves :data:`ANOMALY_RUN` cohorts outside the band of the
    level before, one after the other (until the band starts again from the new level): three
    flags for one event, which the shift's own sentence already says. So a run of flagged
    cohorts on the shift's side, around the shift's first cohort, is the shift and is not
    flagged again, at every offset (a launch moves W1, W2 and W4 from the same cohort). Every
    page that marks flagged cohorts (the Overview's list, the period-over-period chart) uses
    this one rule, so that they agree.
    """
    out: dict[int, list[pd.Timestamp]] = {}
    for k, band in bands.items():
        flagged = set(flagged_weeks(band))
        for shift in shifts:
            flagged -= _step(band, shift)
        out[k] = sorted(flagged)
    return out


def _step(band: pd.DataFrame, shift: Shift) -> set[pd.Timestamp]:
    """The flagged cohorts of ``band`` in the run, on ``shift``'s side, that holds its first
    cohort (or starts right after it: a run may begin a cohort late)."""
    if band.empty or shift.change == 0:
        return set()
    side = math.copysign(1.0, shift.change)
    index = pd.DatetimeIndex(band.index)
    on_side = (band["flagged"].fillna(False).astype(bool)
               & (np.sign(band["rate"] - band["expected"]) == side)).to_numpy()
    at = int(index.searchsorted(shift.since))
    if at < len(index) and not on_side[at] and at + 1 < len(index) and on_side[at + 1]:
        at += 1
    if at >= len(index) or not on_side[at]:
        return set()
    first = last = at
    while first > 0 and on_side[first - 1]:
        first -= 1
    while last + 1 < len(index) and on_side[last + 1]:
        last += 1
    return {pd.Timestamp(s) for s in index[first:last + 1]}

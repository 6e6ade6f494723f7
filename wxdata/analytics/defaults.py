"""The statistical choices every screen shares, in one place, so that a number on the overview and
the same number on another page are judged by the same rule.

Each choice was checked with simulated WeChat-like data (cohorts of 2·10^4 and 10^5 users whose
rates vary 0–5 % from week to week): ``benchmarks/bench_calibration.py`` prints how often each
test flags an unchanged cell, how many of its flags are real, and how often each interval covers
the truth. Its ``--period day`` half does the same with day cohorts of 10^3–10^5 users and a
weekday pattern, for the same-weekday comparisons and the weekday-stratified averages.
"""

from __future__ import annotations

from wxdata.core.periods import Period, PeriodKind

#: Significance level of every test the screens show (after the Benjamini-Hochberg correction
#: where a table holds many tests).
ALPHA = 0.05
#: Confidence of every interval drawn.
CONFIDENCE = 0.95

#: The week-to-week spread of a rate is estimated from the differences between consecutive
#: cohorts, keeping the smallest 80 % of their squares (a holiday or a real change is a large
#: difference: left out), see :mod:`wxdata.analytics.spread`.
SPREAD_KEEP = 0.8
#: Fewer differences than this say too little about the spread: no test (p is NaN).
SPREAD_MIN_PAIRS = 4
#: How many cohorts before the newest one estimate its W1's usual spread (the KPI's test).
SPREAD_COHORTS = 26

#: A cohort is flagged when its rate leaves the prediction band whose level is that of ±3
#: standard deviations of a normal (99.73 %), with the Student t quantile of the window.
ANOMALY_SIGMAS = 3.0
#: How many earlier cohorts make a cohort's expected rate.
ANOMALY_WINDOW = 8
#: Flags on the same side this many cohorts in a row are a new level, not a holiday: those
#: cohorts are taken back into the windows (other flagged cohorts are left out of them).
ANOMALY_RUN = 3

#: The average curve covers the current era: the newest cohorts (this many at each offset) ...
AVERAGE_COHORTS = 12
#: ... per period: four weeks of days (each weekday four times: a window of 12 days would count
#: five weekdays twice and two once, and weekends retain differently).
AVERAGE_WINDOW: dict[PeriodKind, int] = {"day": 28, "week": AVERAGE_COHORTS,
                                         "month": AVERAGE_COHORTS}
#: ... or fewer, from the last level shift of W1 among them (a launch), when one is detected
#: at this level (Bonferroni over the candidate weeks) ...
SHIFT_ALPHA = 0.01
#: ... with at least this many cohorts on either side of it.
SHIFT_MIN_COHORTS = 4

#: The week offsets the screens follow across cohorts (next week, the week after, a month on).
TRACKED_OFFSETS: tuple[int, ...] = (1, 2, 4)
#: The same per period: days 次日, 7日, 30日 (D1, D7, D30); months M1, the only one.
TRACKED_BY_PERIOD: dict[PeriodKind, tuple[int, ...]] = {
    "day": (1, 7, 30), "week": TRACKED_OFFSETS, "month": (1,)}
#: The offsets the headline tiles show: D1, D7, D30; W1, W4; M1. The first is tested against
#: its baseline (``kpis``).
KPI_OFFSETS: dict[PeriodKind, tuple[int, ...]] = {
    "day": (1, 7, 30), "week": (1, 4), "month": (1,)}
#: How many cohorts before the latest W1 make its baseline.
BASELINE_COHORTS = 4

#: A decay model replaces the default one only when its held-out gain exceeds this many of its
#: standard errors.
SWITCH_SE = 1.0
#: Beyond this multiple of the last published offset a projection is an assumption, not an
#: estimate (drawn as such).
ASSUMED_BEYOND = 3.0


def tracked_offsets(period: type[Period]) -> tuple[int, ...]:
    """The offsets the screens follow across cohorts of ``period`` (:data:`TRACKED_BY_PERIOD`)."""
    return TRACKED_BY_PERIOD[period.kind]


def kpi_offsets(period: type[Period]) -> tuple[int, ...]:
    """The offsets of the headline tiles for ``period`` (:data:`KPI_OFFSETS`)."""
    return KPI_OFFSETS[period.kind]

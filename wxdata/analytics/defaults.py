"""The statistical choices every screen shares, in one place, so that a number on the overview and
the same number on another page are judged by the same rule.
"""

from __future__ import annotations

#: Significance level of every test the screens show (after the Benjamini-Hochberg correction
#: where a table holds many tests).
ALPHA = 0.05
#: Confidence of every interval drawn.
CONFIDENCE = 0.95
#: A cohort is flagged when its rate lies this many standard deviations from the one expected.
ANOMALY_SIGMAS = 3.0
#: How many earlier cohorts make a cohort's expected rate.
ANOMALY_WINDOW = 8
#: The week offsets the screens follow across cohorts (next week, the week after, a month on).
TRACKED_OFFSETS: tuple[int, ...] = (1, 2, 4)
#: How many cohorts before the latest W1 make its baseline.
BASELINE_COHORTS = 4

"""The interval and test the dashboard used before its calibration, kept as the baseline that
``bench_calibration.py`` measures the current ones against ("before: ..." rows), on the same data.

- :func:`wilson_interval` of Σ users: every user independent, so it leaves the week-to-week
  variation out (it covered the true rate 41–76 % of the time at 2 % variation);
  ``wxdata.analytics.stats.ratio_interval`` replaced it.
- :func:`two_proportion_p`, the pooled two-proportion z-test of week over week: binomial noise
  only, so at 2 % week-to-week variation it flagged 21 % (20k users) to 59 % (100k users) of
  unchanged cells; the spread test of ``wxdata.analytics.spread`` replaced it.

Neither is used by wxretain itself.

>>> low, high = wilson_interval(np.array([250.0]), np.array([1000.0]), confidence=0.95)
>>> round(float(low[0]), 4), round(float(high[0]), 4)
(0.2242, 0.2778)
"""

from __future__ import annotations

import numpy as np
from scipy import special

from wxdata.analytics.stats import Floats, z_score


def wilson_interval(successes: Floats, trials: Floats, *, confidence: float = 0.95,
                    ) -> tuple[Floats, Floats]:
    """Wilson score interval of ``successes / trials``; NaN where trials <= 0.

    Chosen over the normal (Wald) interval because it stays inside [0, 1] and keeps its coverage
    for the small cohorts and low late-week rates a young mini program has. A count above its
    base (WeChat should never publish one) is clipped to the base for the interval only.

    >>> [round(float(v[0]), 3) for v in wilson_interval(np.array([0.0]), np.array([10.0]))]
    [0.0, 0.278]
    """
    z = z_score(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        n = np.where(trials > 0, trials, np.nan)
        p = np.clip(successes / n, 0.0, 1.0)
        shrink = 1.0 + z * z / n
        centre = (p + z * z / (2.0 * n)) / shrink
        half = z / shrink * np.sqrt(p * (1.0 - p) / n + z * z / (4.0 * n * n))
    return np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)




def two_proportion_p(x1: Floats, n1: Floats, x2: Floats, n2: Floats) -> Floats:
    """Two-sided p-value of the pooled two-proportion z-test of x1/n1 against x2/n2.

    NaN where a base is not positive or a count lies outside [0, base] (the binomial model does
    not apply). Equal rates at 0 or 1 (no variance at all) give p = 1.

    >>> p = two_proportion_p(np.array([300.0]), np.array([1000.0]),
    ...                      np.array([250.0]), np.array([1000.0]))
    >>> round(float(p[0]), 4)  # 30 % vs 25 % of 1,000 users each: z = 2.50
    0.0123
    """
    valid = (n1 > 0) & (n2 > 0) & (x1 >= 0) & (x2 >= 0) & (x1 <= n1) & (x2 <= n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = (x1 + x2) / (n1 + n2)
        se = np.sqrt(pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2))
        diff = x1 / n1 - x2 / n2
        z = np.where(diff == 0, 0.0, np.abs(diff) / se)
    p = special.erfc(z / np.sqrt(2.0))  # = 2·(1 - Φ(z)), without scipy.stats' per-call cost
    return np.where(valid, np.clip(p, 0.0, 1.0), np.nan)

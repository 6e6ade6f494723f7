"""The shifted-beta-geometric (sBG) model of Fader & Hardie, "How to Project Customer Retention"
(Journal of Interactive Marketing, 2007): its survival and churn probabilities.

Each customer churns at the end of every period with her own probability θ, and θ varies across
customers as Beta(α, β). Then the probability of churning in period t and of surviving t periods
are ratios of beta functions::

    P(T = t) = B(α + 1, β + t - 1) / B(α, β)        S(t) = B(α, β + t) / B(α, β)

:class:`.models.ShiftedBetaGeometric` fits S(t) to WeChat's curves; tests/test_decay.py checks
that these formulas, in the paper's own likelihood, give its published α = 0.704, β = 1.182.

>>> survival(0.704, 1.182, np.array([1.0, 2.0])).round(4).tolist()
[0.6267, 0.4738]
"""

from __future__ import annotations

import numpy as np
from scipy import special

from wxdata.analytics.stats import Floats

#: Search box for log α and log β: wide enough for any retention curve seen in practice, narrow
#: enough that a flat or degenerate curve cannot send the optimiser to overflow.
LOG_BOUNDS = (-9.0, 9.0)


def survival(alpha: Floats | float, beta: Floats | float, t: Floats) -> Floats:
    """S(t): the share of a cohort still active after ``t`` periods (S(0) = 1)."""
    return np.asarray(np.exp(special.betaln(alpha, beta + t) - special.betaln(alpha, beta)),
                      dtype=np.float64)


def churn_probability(alpha: float, beta: float, t: Floats) -> Floats:
    """P(T = t), t >= 1: the share of a cohort that churns in period ``t``."""
    return np.asarray(np.exp(special.betaln(alpha + 1.0, beta + t - 1.0)
                             - special.betaln(alpha, beta)), dtype=np.float64)

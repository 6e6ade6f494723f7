"""The shifted-beta-geometric (sBG) model of Fader & Hardie, "How to Project Customer Retention"
(Journal of Interactive Marketing, 2007): its survival probability.

Each customer churns at the end of every period with her own probability θ, and θ varies across
customers as Beta(α, β). Then the probability of surviving t periods is a ratio of beta
functions, and that of churning in period t is what S loses in it::

    S(t) = B(α, β + t) / B(α, β)        P(T = t) = S(t - 1) - S(t)

:class:`.models.ShiftedBetaGeometric` fits S(t) to WeChat's curves; tests/test_decay.py checks
that S, in the paper's own likelihood, gives its published α = 0.704, β = 1.182.

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


"""The shifted-beta-geometric (sBG) model of Fader & Hardie, "How to Project Customer Retention"
(Journal of Interactive Marketing, 2007).

Each customer churns at the end of every period with her own probability θ, and θ varies across
customers as Beta(α, β). Then the probability of churning in period t and of surviving t periods
are ratios of beta functions::

    P(T = t) = B(α + 1, β + t - 1) / B(α, β)        S(t) = B(α, β + t) / B(α, β)

:func:`fit_survivors` is the paper's own maximum-likelihood fit on survivor counts (the churned
of each period contribute P(T = t), the still active S(T)). For Table 1's "regular" segment it
gives the published α = 0.704, β = 1.182:

>>> alpha, beta = fit_survivors([1000, 631, 468, 382, 326, 289, 262, 241])
>>> round(alpha, 3), round(beta, 3)
(0.704, 1.182)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import optimize, special

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


def log_likelihood(alpha: float, beta: float, survivors: Floats) -> float:
    """The paper's log-likelihood of survivor counts n_0 >= n_1 >= ... >= n_T."""
    t = np.arange(1, len(survivors), dtype=np.float64)
    lost = survivors[:-1] - survivors[1:]
    churned = np.sum(lost * np.log(churn_probability(alpha, beta, t)))
    still = survivors[-1] * np.log(survival(alpha, beta, t[-1:]))[0]
    return float(churned + still)


def fit_survivors(survivors: Sequence[float]) -> tuple[float, float]:
    """Maximum-likelihood (α, β) from the survivors of one cohort at periods 0..T.

    Needs at least two periods after period 0 and counts that never rise (they are survivors,
    not "came back in week t": for WeChat's curves see :mod:`wxdata.analytics.decay`).
    """
    counts = np.asarray(survivors, dtype=np.float64)
    if counts.size < 3 or counts[0] <= 0 or np.any(np.diff(counts) > 0) or counts[-1] < 0:
        raise ValueError("fit_survivors needs survivor counts n_0 > 0 at three or more periods "
                         f"that never rise, got {list(survivors)}")

    def cost(theta: Floats) -> float:
        return -log_likelihood(float(np.exp(theta[0])), float(np.exp(theta[1])), counts)

    best = optimize.minimize(cost, np.zeros(2), method="L-BFGS-B", bounds=[LOG_BOUNDS] * 2)
    best = optimize.minimize(cost, best.x, method="Nelder-Mead",
                             options={"xatol": 1e-9, "fatol": 1e-12})  # polish past L-BFGS tol
    return float(np.exp(best.x[0])), float(np.exp(best.x[1]))

"""Maximum-likelihood fits of a decay model (:mod:`.models`) to pooled counts.

The fit maximises a binomial likelihood: each published cell is users_k "successes" out of
users_0 with probability r(k). Its sufficient statistics are the pooled counts Σ users_k and
Σ users_0 per offset over the cohorts that published k, which is how censoring (recent cohorts
with fewer offsets) is handled. It is an approximation (see ``decay``'s docstring).

:func:`fit` is one data set, with scipy and several starts; :func:`fit_many` refits many data
sets (bootstrap resamples) at once by projected Fisher scoring. Both score a curve with
:func:`binomial_nll`, as do the AIC's :func:`neg_log_likelihood` and :func:`saturated_nll`.

Two optimisers, because neither does the other's job (measured on 60 simulated curves and 200
bootstrap resamples of four offsets): scipy has no optimiser of many problems at once, and a
scipy fit per resample cost 25 (sBG) to 480 (power law) times the one batched Fisher-scoring
pass; Fisher scoring is local, and from the models' own starting points it ended as much as 30
nats (sBG) worse than scipy's L-BFGS-B on the full data. So the full-data fit is scipy's, and
it is the bootstrap's start; tests/test_decay.py checks that each refit is as good as scipy's.

>>> from wxdata.analytics.decay.models import PowerLaw
>>> theta = fit(PowerLaw, np.array([1.0, 2.0]), np.array([1000.0, 300.0]),
...             np.array([3000.0, 1000.0]))
>>> {name: round(value, 4) for name, value in PowerLaw.from_theta(theta).as_dict().items()}
{'a': 0.3333, 'b': 0.152}
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import optimize

from wxdata.analytics.decay.models import DecayModel
from wxdata.analytics.stats import Floats

_TINY = 1e-12


def _inside(p: Floats) -> Floats:
    """Probabilities kept off 0 and 1, where a log or a variance would be infinite."""
    return np.clip(p, _TINY, 1.0 - _TINY)


def binomial_nll(p: Floats, x: Floats, n: Floats) -> Floats:
    """-log L of x successes out of n at probabilities p, summed over the last axis (any leading
    axes are batches); the constant binomial coefficients are left out."""
    p = _inside(p)
    return np.asarray(-np.sum(x * np.log(p) + (n - x) * np.log1p(-p), axis=-1))


def neg_log_likelihood(model: type[DecayModel], theta: Floats, k: Floats, x: Floats,
                       n: Floats) -> float:
    """-log L of pooled counts x of n at offsets k under the curve ``theta`` of ``model``."""
    return float(binomial_nll(model.curve(theta, k), x, n))


def saturated_nll(x: Floats, n: Floats) -> float:
    """-log L of the curve that passes through every pooled rate x/n exactly."""
    return float(binomial_nll(np.divide(x, n, out=np.zeros_like(x), where=n > 0), x, n))


def fit(model: type[DecayModel], k: Floats, x: Floats, n: Floats,
        starts: Sequence[Sequence[float]] | None = None) -> Floats:
    """The maximum-likelihood ``theta`` of ``model`` for pooled counts x of n at offsets k.

    Several starting points by default (the likelihood of 3-parameter curves on four points has
    flat ridges); a bootstrap passes the full-data optimum as its only start.
    """
    scale = max(float(n.sum()), 1.0)  # per-user scale keeps the optimiser's tolerances sensible
    first = int(np.argmax(n > 0))
    w1 = float(np.clip(x[first] / n[first], 0.01, 0.99)) if n[first] > 0 else 0.3

    def cost(theta: Floats) -> float:
        return neg_log_likelihood(model, theta, k, x, n) / scale

    best: optimize.OptimizeResult | None = None
    for start in starts if starts is not None else model.starts(w1):
        found = optimize.minimize(cost, np.clip(start, *np.transpose(model.bounds)),
                                  method="L-BFGS-B", bounds=model.bounds)
        if best is None or found.fun < best.fun:
            best = found
    assert best is not None
    return np.asarray(best.x, dtype=np.float64)


def fit_many(model: type[DecayModel], start: Floats, k: Floats, x: Floats, n: Floats, *,
             steps: int = 50) -> Floats:
    """Maximum-likelihood ``theta`` for many data sets at once (rows of x and n), from ``start``.

    Projected Fisher scoring with step halving, all data sets in the same numpy calls: a
    bootstrap's 200 refits cost about what two scipy fits do. It is a local method, so it wants
    a start near every optimum, such as the full-data fit for bootstrap resamples.
    """
    low, high = (np.asarray(b, dtype=np.float64) for b in np.transpose(model.bounds))
    theta = np.tile(np.clip(start, low, high), (len(x), 1))
    cost = binomial_nll(model.curve(theta, k), x, n)
    for _ in range(steps):
        step = _scoring_step(model, theta, k, x, n, low, high)
        theta, cost, moved = _halving(model, theta, step, cost, k, x, n, low, high)
        if moved < 1e-10:
            break
    return theta


def _scoring_step(model: type[DecayModel], theta: Floats, k: Floats, x: Floats, n: Floats,
                  low: Floats, high: Floats) -> Floats:
    """The Fisher-scoring step of every row; a parameter held at a bound it pushes against is
    left out of the system (projected Newton), and a flat direction is damped, not inverted."""
    p = _inside(model.curve(theta, k))
    jac = _jacobian(model, theta, k, p, high)
    variance = p * (1.0 - p)
    score = np.einsum("bk,bkp->bp", (x - n * p) / variance, jac)
    info = np.einsum("bk,bkp,bkq->bpq", n / variance, jac, jac)
    held = ((theta <= low) & (score < 0)) | ((theta >= high) & (score > 0))
    free = ~held
    info = info * free[:, :, None] * free[:, None, :]
    diagonal = np.einsum("bpp->bp", info)
    damping = 1e-9 * diagonal.max(axis=1, keepdims=True) + 1e-12
    info = info + np.einsum("bp,pq->bpq", np.where(free, damping, 1.0), np.eye(theta.shape[1]))
    return np.asarray(np.linalg.solve(info, (score * free)[..., None])[..., 0])


def _jacobian(model: type[DecayModel], theta: Floats, k: Floats, p: Floats,
              high: Floats) -> Floats:
    """d curve / d theta by forward differences (backward at the upper bound)."""
    columns = []
    for j in range(theta.shape[1]):
        h = 1e-7 * np.maximum(1.0, np.abs(theta[:, j]))
        h = np.where(theta[:, j] + h > high[j], -h, h)
        moved = theta.copy()
        moved[:, j] += h
        columns.append((_inside(model.curve(moved, k)) - p) / h[:, None])
    return np.stack(columns, axis=-1)


def _halving(model: type[DecayModel], theta: Floats, step: Floats, cost: Floats, k: Floats,
             x: Floats, n: Floats, low: Floats, high: Floats,
             ) -> tuple[Floats, Floats, float]:
    """Take each row's step, halved until its cost does not rise (at most 30 times)."""
    scale = np.ones(len(theta))
    for _ in range(30):
        trial = np.clip(theta + scale[:, None] * step, low, high)
        trial_cost = binomial_nll(model.curve(trial, k), x, n)
        worse = trial_cost > cost + 1e-12 * np.abs(cost)
        if not worse.any():
            break
        scale = np.where(worse, scale / 2.0, scale)
    keep = ~worse
    new = np.where(keep[:, None], trial, theta)
    return new, np.where(keep, trial_cost, cost), float(np.max(np.abs(new - theta), initial=0.0))

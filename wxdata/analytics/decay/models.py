"""The decay curves ``decay.fit`` chooses from, and their maximum-likelihood fit on pooled counts.

A curve gives the retention r(k) at week offsets k >= 1 (r(0) = 1 by definition), and every
curve is non-increasing in k and inside [0, 1] for every parameter inside its bounds, so a
projection cannot rise or leave [0, 1] whatever the data:

- ``power``: r(k) = a·k^(-b) (a = the W1 rate, b >= 0 how fast it keeps falling);
- ``exponential``: r(k) = floor + (a - floor)·e^(-decay·(k-1)), decay to a floor 0 <= floor <= a;
- ``sbg``: r(k) = S(k) of the shifted-beta-geometric model (:mod:`wxdata.analytics.decay.sbg`).

The fit maximises a binomial likelihood: each published cell is users_k "successes" out of
users_0 with probability r(k). Its sufficient statistics are the pooled counts Σ users_k and
Σ users_0 per offset over the cohorts that published k, which is how censoring (recent cohorts
with fewer offsets) is handled. It is an approximation (see ``decay``'s docstring).

>>> theta = fit(MODELS["power"], np.array([1.0, 2.0]), np.array([1000.0, 300.0]),
...             np.array([3000.0, 1000.0]))
>>> {k: round(v, 4) for k, v in MODELS["power"].natural(theta).items()}
{'a': 0.3333, 'b': 0.152}
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import optimize

from wxdata.analytics.decay import sbg
from wxdata.analytics.stats import Floats

_TINY = 1e-12


@dataclass(frozen=True)
class Model:
    """A curve family: parameters ``theta`` (what the optimiser moves) and how to read them."""

    name: str
    size: int  # number of parameters (for AIC)
    bounds: tuple[tuple[float, float], ...]
    curve: Callable[[Floats, Floats], Floats]  # theta (..., size), k >= 1 (K,) -> (..., K)
    natural: Callable[[Floats], dict[str, float]]
    starts: Callable[[float], list[list[float]]]  # W1 rate -> starting points
    min_offsets: int  # distinct published offsets >= 1 the parameters need


def _power(theta: Floats, k: Floats) -> Floats:
    return np.asarray(theta[..., 0:1] * k ** -theta[..., 1:2], dtype=np.float64)


def _exponential(theta: Floats, k: Floats) -> Floats:
    a, share, decay = theta[..., 0:1], theta[..., 1:2], theta[..., 2:3]
    return np.asarray(a * (share + (1.0 - share) * np.exp(-decay * (k - 1.0))), dtype=np.float64)


def _sbg(theta: Floats, k: Floats) -> Floats:
    return sbg.survival(np.exp(theta[..., 0:1]), np.exp(theta[..., 1:2]), k)


MODELS: dict[str, Model] = {
    "power": Model(
        "power", 2, ((1e-9, 1.0), (0.0, 10.0)), _power,
        lambda t: {"a": float(t[0]), "b": float(t[1])},
        lambda w1: [[w1, 0.5], [w1, 0.1], [w1, 1.5]], 2),
    # The floor is a share of a so that the bounds alone keep 0 <= floor <= a.
    "exponential": Model(
        "exponential", 3, ((1e-9, 1.0), (0.0, 1.0), (0.0, 20.0)), _exponential,
        lambda t: {"a": float(t[0]), "floor": float(t[0] * t[1]), "decay": float(t[2])},
        lambda w1: [[w1, 0.3, 0.5], [w1, 0.05, 0.2], [w1, 0.7, 1.5]], 3),
    # sBG parameters live on a log scale (both must stay positive).
    "sbg": Model(
        "sbg", 2, (sbg.LOG_BOUNDS,) * 2, _sbg,
        lambda t: {"alpha": float(np.exp(t[0])), "beta": float(np.exp(t[1]))},
        lambda w1: [[0.0, float(np.log(w1 / (1.0 - w1)))], [-1.0, 0.0], [1.0, 2.0]], 2),
}


def rates(model: Model, theta: Floats, k: Floats) -> Floats:
    """r(k) for any k >= 0 (r(0) = 1), clipped to [0, 1]."""
    safe = np.maximum(k, 1.0)
    return np.where(k == 0, 1.0, np.clip(model.curve(theta, safe), 0.0, 1.0))


def neg_log_likelihood(model: Model, theta: Floats, k: Floats, x: Floats, n: Floats) -> float:
    """-log L of pooled counts x of n at offsets k (constant binomial coefficients left out)."""
    p = np.clip(model.curve(theta, k), _TINY, 1.0 - _TINY)
    return float(-np.sum(x * np.log(p) + (n - x) * np.log1p(-p)))


def saturated_nll(x: Floats, n: Floats) -> float:
    """-log L of the curve that passes through every pooled rate x/n exactly."""
    p = np.clip(np.divide(x, n, out=np.zeros_like(x), where=n > 0), _TINY, 1.0 - _TINY)
    return float(-np.sum(x * np.log(p) + (n - x) * np.log1p(-p)))


def fit(model: Model, k: Floats, x: Floats, n: Floats,
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


def fit_many(model: Model, start: Floats, k: Floats, x: Floats, n: Floats, *,
             steps: int = 50) -> Floats:
    """Maximum-likelihood ``theta`` for many data sets at once (rows of x and n), from ``start``.

    Projected Fisher scoring with step halving, all data sets in the same numpy calls: a
    bootstrap's 200 refits cost about what two scipy fits do. It is a local method, so it wants
    a start near every optimum, such as the full-data fit for bootstrap resamples.
    """
    low, high = (np.asarray(b, dtype=np.float64) for b in np.transpose(model.bounds))
    theta = np.tile(np.clip(start, low, high), (len(x), 1))
    cost = _costs(model, theta, k, x, n)
    for _ in range(steps):
        step = _scoring_step(model, theta, k, x, n, low, high)
        theta, cost, moved = _halving(model, theta, step, cost, k, x, n, low, high)
        if moved < 1e-10:
            break
    return theta


def _costs(model: Model, theta: Floats, k: Floats, x: Floats, n: Floats) -> Floats:
    p = np.clip(model.curve(theta, k), _TINY, 1.0 - _TINY)
    return np.asarray(-np.sum(x * np.log(p) + (n - x) * np.log1p(-p), axis=-1))


def _scoring_step(model: Model, theta: Floats, k: Floats, x: Floats, n: Floats,
                  low: Floats, high: Floats) -> Floats:
    """The Fisher-scoring step of every row; a parameter held at a bound it pushes against is
    left out of the system (projected Newton), and a flat direction is damped, not inverted."""
    p = np.clip(model.curve(theta, k), _TINY, 1.0 - _TINY)
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


def _jacobian(model: Model, theta: Floats, k: Floats, p: Floats, high: Floats) -> Floats:
    """d curve / d theta by forward differences (backward at the upper bound)."""
    columns = []
    for j in range(theta.shape[1]):
        h = 1e-7 * np.maximum(1.0, np.abs(theta[:, j]))
        h = np.where(theta[:, j] + h > high[j], -h, h)
        moved = theta.copy()
        moved[:, j] += h
        columns.append((np.clip(model.curve(moved, k), _TINY, 1.0 - _TINY) - p) / h[:, None])
    return np.stack(columns, axis=-1)


def _halving(model: Model, theta: Floats, step: Floats, cost: Floats, k: Floats, x: Floats,
             n: Floats, low: Floats, high: Floats) -> tuple[Floats, Floats, float]:
    """Take each row's step, halved until its cost does not rise (at most 30 times)."""
    scale = np.ones(len(theta))
    for _ in range(30):
        trial = np.clip(theta + scale[:, None] * step, low, high)
        trial_cost = _costs(model, trial, k, x, n)
        worse = trial_cost > cost + 1e-12 * np.abs(cost)
        if not worse.any():
            break
        scale = np.where(worse, scale / 2.0, scale)
    keep = ~worse
    new = np.where(keep[:, None], trial, theta)
    return new, np.where(keep, trial_cost, cost), float(np.max(np.abs(new - theta), initial=0.0))

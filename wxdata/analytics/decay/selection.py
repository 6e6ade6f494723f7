"""Which decay model to trust, and how far: each candidate judged on a held-out week, with the
bootstrap telling how sure that judgement is.

Every candidate is fitted to the pooled counts and refitted to each bootstrap resample of whole
cohorts. With four or more published offsets it is also fitted without the last one and scored
by how far it misses that week (``error``, in rate units), on the data and on every resample.

- The choice: the default model (:data:`DEFAULT`, the power law) is replaced only by a model
  whose held-out gain over it exceeds :data:`~wxdata.analytics.defaults.SWITCH_SE` standard
  errors of that gain (the spread of the gain over the resamples). Picking the lowest error
  outright chose sBG 37–40 % of the time on power-law data: one week's error between two
  curves that both fit is mostly noise.
- The band: every model that the held-out week cannot rule out (:func:`plausible`: its error
  within :data:`PLAUSIBLE_SE` standard errors of the best one's) contributes its bootstrap band,
  and the band drawn is their envelope. The chosen curve alone, on its own bootstrap, covered a
  power law's W12 64 % of the time when the choice was wrong.
- Too few offsets to hold one out: no comparison at all (an AIC over three pooled points
  measures nothing the eye cannot see); the default model, and the band of both two-parameter
  models, which W1..W3 cannot tell apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from wxdata.analytics.decay import likelihood
from wxdata.analytics.decay.models import MODELS, DecayModel
from wxdata.analytics.defaults import SWITCH_SE
from wxdata.analytics.stats import Floats

#: The model kept unless another predicts the held-out week clearly better.
DEFAULT = "power"
#: Held-out selection needs this many published offsets (fit on all but the last, which still
#: leaves the 3-parameter curves three points to fit).
HOLD_OUT_FROM = 4
#: A model stays in the band while its held-out error is within this many standard errors of the
#: best model's.
PLAUSIBLE_SE = 2.0


@dataclass(frozen=True)
class Candidate:
    """One model fitted to the data: ``theta`` (pooled counts), ``draws`` (one refit per
    resample), and its held-out ``error`` on the data and ``errors`` on the resamples (NaN and
    empty without a held-out week)."""

    model: type[DecayModel]
    theta: Floats
    draws: Floats
    error: float = float("nan")
    errors: Floats = field(default_factory=lambda: np.zeros(0))


def candidates(k: Floats, data: tuple[Floats, Floats], resamples: tuple[Floats, Floats],
               names: tuple[str, ...]) -> dict[str, Candidate]:
    """Each model of ``names`` (that the published offsets can fit) fitted to the pooled
    ``data`` (x, n per offset) and to every row of ``resamples`` (X, N)."""
    x, n = data
    published = k[n > 0]
    out = {}
    for name in names:
        model = MODELS[name]
        if len(published) < model.min_offsets:
            continue
        theta = likelihood.fit(model, k, x, n)
        draws = likelihood.fit_many(model, theta, k, *resamples) if len(resamples[0]) \
            else np.zeros((0, model.size()))
        out[name] = Candidate(model, theta, draws)
        if len(published) >= HOLD_OUT_FROM:
            error, errors = _held_out(model, k, data, resamples, float(published[-1]), theta)
            out[name] = Candidate(model, theta, draws, error, errors)
    return out


def _held_out(model: type[DecayModel], k: Floats, data: tuple[Floats, Floats],
              resamples: tuple[Floats, Floats], last: float, start: Floats,
              ) -> tuple[float, Floats]:
    """|predicted - observed| at offset ``last`` of the model fitted to the offsets before it
    (from ``start``, the fit to every offset, and the model's own starts), on the data and on
    every resample."""
    train, at = k < last, k == last
    x, n = data
    w1 = float(np.clip(x[0] / n[0], 0.01, 0.99)) if n[0] > 0 else 0.3
    theta = likelihood.fit(model, k[train], x[train], n[train],
                           starts=[list(start), model.starts(w1)[0]])
    error = abs(float(model.rates(theta, k[at])[0]) - float(x[at][0] / n[at][0]))
    big_x, big_n = resamples
    if not len(big_x):
        return error, np.zeros(0)
    thetas = likelihood.fit_many(model, theta, k[train], big_x[:, train], big_n[:, train])
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = big_x[:, at][:, 0] / big_n[:, at][:, 0]
    return error, np.abs(model.rates(thetas, k[at])[:, 0] - observed)


def _se(first: Candidate, second: Candidate) -> float:
    """Standard error of the difference of two held-out errors, over the resamples."""
    gap = first.errors - second.errors
    gap = gap[~np.isnan(gap)]
    return float(np.std(gap, ddof=1)) if len(gap) >= 2 else float("inf")


def choose(found: dict[str, Candidate]) -> str:
    """:data:`DEFAULT`, unless another candidate's held-out gain over it exceeds
    ``SWITCH_SE`` standard errors (then the one with the largest gain)."""
    default = found.get(DEFAULT)
    if default is None:
        return next(iter(found))
    best, best_gain = DEFAULT, 0.0
    for name, other in found.items():
        gain = default.error - other.error
        if name != DEFAULT and gain > SWITCH_SE * _se(default, other) and gain > best_gain:
            best, best_gain = name, gain
    return best


def plausible(found: dict[str, Candidate], chosen: str) -> tuple[str, ...]:
    """The candidates the held-out week cannot rule out, the chosen one first. Without a held-out
    week: the two-parameter ones (the held-out week is what could tell them apart)."""
    if all(np.isnan(c.error) for c in found.values()):
        two = tuple(n for n, c in found.items() if c.model.size() == 2 and n != chosen)
        return (chosen, *two)
    best = min(found.values(), key=lambda c: c.error)
    close = tuple(name for name, c in found.items() if name != chosen
                  and c.error - best.error <= PLAUSIBLE_SE * _se(c, best))
    return (chosen, *close)


def describe(found: dict[str, Candidate], chosen: str, last: int) -> str:
    """The reason string of an automatic choice, e.g. "held-out W4 error: power 0.12 pp, ...;
    power kept: no other model beat it by more than its standard error"."""
    if all(np.isnan(c.error) for c in found.values()):
        return (f"only {last} published offsets: too few to hold one out; {DEFAULT} assumed, "
                "the band spans every two-parameter model")
    listed = ", ".join(f"{name} {c.error * 100:.2f} pp" for name, c in found.items())
    if chosen == DEFAULT:
        return (f"held-out W{last} error: {listed}; {DEFAULT} kept: no other model beat it by "
                f"more than {SWITCH_SE:g} standard error of the gain")
    gain = found[DEFAULT].error - found[chosen].error
    return (f"held-out W{last} error: {listed}; {chosen} beats {DEFAULT} by {gain * 100:.2f} pp "
            f"(standard error {_se(found[DEFAULT], found[chosen]) * 100:.2f} pp)")

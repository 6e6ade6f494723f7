"""Which decay model to trust, and how far: each candidate judged on a held-out week, cohort by
cohort, so that the judgement comes with its standard error.

Every candidate is fitted to the pooled counts and refitted to each bootstrap resample of whole
cohorts (its band). With four or more published offsets it is also fitted without the last one,
and its prediction of that week is compared with every cohort that published it: the held-out
``residuals`` r_i - predicted, and ``error``, their root mean square.

- The choice: the default model (:data:`DEFAULT`, the power law) is replaced only by a model
  whose held-out gain over it, the mean over cohorts of e_i(default)² - e_i(model)², exceeds
  :data:`~wxdata.analytics.defaults.SWITCH_SE` standard errors of that mean. Picking the lowest
  error of the pooled week outright chose sBG 37–40 % of the time on power-law data: one pooled
  point between two curves that both fit is mostly noise, and its bootstrap hid that (when both
  curves miss on the same side the gap between them, not the noise, sets the spread).
- The band: every model that the held-out week cannot rule out (:func:`plausible`: its mean
  squared error within :data:`PLAUSIBLE_SE` standard errors of the best one's) contributes its
  bootstrap band, and the band drawn is their envelope. The chosen curve alone, on its own
  bootstrap, covered a power law's W12 64 % of the time when the choice was wrong.
- A floor is an assumption W1..W4 cannot check: a loyal segment that keeps fading slowly looks
  the same for four weeks. When a model with a floor is among them, every candidate joins the
  band (on a two-segment mixture the floor model alone covered the true W12 0–10 % of the time).
- Too few offsets to hold one out: no comparison at all (an AIC over three pooled points
  measures nothing the eye cannot see); the default model, and the band of both two-parameter
  models, which W1..W3 cannot tell apart.

>>> from wxdata.analytics.decay.models import PowerLaw
>>> found = {"power": Candidate(PowerLaw, np.zeros(2), np.zeros((0, 2)), residuals=np.array(
...              [0.010, -0.006, 0.008, -0.004])),
...          "sbg": Candidate(PowerLaw, np.zeros(2), np.zeros((0, 2)), residuals=np.array(
...              [0.009, -0.007, 0.007, -0.005]))}
>>> choose(found), plausible(found, "power")
('power', ('power', 'sbg'))
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
    resample), and on the held-out week the ``residuals`` of every cohort that published it
    (empty without a held-out week)."""

    model: type[DecayModel]
    theta: Floats
    draws: Floats
    residuals: Floats = field(default_factory=lambda: np.zeros(0))

    @property
    def error(self) -> float:
        """Root mean square of the held-out residuals (NaN without a held-out week)."""
        if not len(self.residuals):
            return float("nan")
        return float(np.sqrt(np.mean(self.residuals ** 2)))


def candidates(k: Floats, cohorts: tuple[Floats, Floats], resamples: tuple[Floats, Floats],
               names: tuple[str, ...]) -> dict[str, Candidate]:
    """Each model of ``names`` (that the published offsets can fit) fitted to the pooled
    ``cohorts`` (x, n: one row per cohort, one column per offset, 0 where unpublished) and to
    every row of ``resamples`` (pooled X, N)."""
    x, n = (np.asarray(a.sum(axis=0), dtype=np.float64) for a in cohorts)
    published = k[n > 0]
    out = {}
    for name in names:
        model = MODELS[name]
        if len(published) < model.min_offsets:
            continue
        theta = likelihood.fit(model, k, x, n)
        draws = likelihood.fit_many(model, theta, k, *resamples) if len(resamples[0]) \
            else np.zeros((0, model.size()))
        residuals = _held_out(model, k, cohorts, float(published[-1]), theta) \
            if len(published) >= HOLD_OUT_FROM else np.zeros(0)
        out[name] = Candidate(model, theta, draws, residuals)
    return out


def _held_out(model: type[DecayModel], k: Floats, cohorts: tuple[Floats, Floats], last: float,
              start: Floats) -> Floats:
    """r_i - predicted at offset ``last`` for every cohort that published it, the model fitted
    to the pooled offsets before it (from ``start``, the fit to every offset, and the model's
    own first start)."""
    x, n = cohorts
    train, at = k < last, k == last
    pooled_x, pooled_n = x.sum(axis=0), n.sum(axis=0)
    w1 = float(np.clip(pooled_x[0] / pooled_n[0], 0.01, 0.99)) if pooled_n[0] > 0 else 0.3
    theta = likelihood.fit(model, k[train], pooled_x[train], pooled_n[train],
                           starts=[list(start), model.starts(w1)[0]])
    predicted = float(model.rates(theta, k[at])[0])
    has = n[:, at][:, 0] > 0
    return np.asarray(x[has][:, at][:, 0] / n[has][:, at][:, 0] - predicted)


def _gain(worse: Candidate, better: Candidate) -> tuple[float, float]:
    """Mean over cohorts of e(worse)² - e(better)², and its standard error."""
    gap = worse.residuals ** 2 - better.residuals ** 2
    if len(gap) < 2:
        return float(np.mean(gap)) if len(gap) else 0.0, float("inf")
    return float(np.mean(gap)), float(np.std(gap, ddof=1) / np.sqrt(len(gap)))


def choose(found: dict[str, Candidate]) -> str:
    """:data:`DEFAULT`, unless another candidate's held-out gain over it exceeds
    ``SWITCH_SE`` standard errors (then the one with the largest gain)."""
    default = found.get(DEFAULT)
    if default is None:
        return next(iter(found))
    best, best_gain = DEFAULT, 0.0
    for name, other in found.items():
        gain, se = _gain(default, other)
        if name != DEFAULT and gain > SWITCH_SE * se and gain > best_gain:
            best, best_gain = name, gain
    return best


def plausible(found: dict[str, Candidate], chosen: str) -> tuple[str, ...]:
    """The candidates the held-out week cannot rule out, the chosen one first; all of them when
    one has a floor. Without a held-out week: the two-parameter ones (the held-out week is what
    could tell them apart)."""
    if all(np.isnan(c.error) for c in found.values()):
        two = tuple(n for n, c in found.items() if c.model.size() == 2 and n != chosen)
        return (chosen, *two)
    best = min(found.values(), key=lambda c: c.error)
    close = []
    for name, candidate in found.items():
        excess, se = _gain(candidate, best)
        if name != chosen and excess <= PLAUSIBLE_SE * se:
            close.append(name)
    if any(found[name].model.has_floor for name in (chosen, *close)):
        close = [name for name in found if name != chosen]
    return (chosen, *close)


def describe(found: dict[str, Candidate], chosen: str, last: str, published: int) -> str:
    """The reason string of an automatic choice, ``last`` the held-out offset's name (``W4``,
    ``D30``) and ``published`` how many offsets after 0 there are, e.g.
    "held-out W4 error: power 0.52 pp, ...; power kept: no other model beat it by more than 1
    standard error of the gain"."""
    if all(np.isnan(c.error) for c in found.values()):
        return (f"only {published} published offsets: too few to hold one out; {DEFAULT} assumed, "
                "the band spans every two-parameter model")
    listed = ", ".join(f"{name} {c.error * 100:.2f} pp" for name, c in found.items())
    if chosen == DEFAULT:
        return (f"held-out {last} error (root mean square over cohorts): {listed}; {DEFAULT} "
                f"kept: no other model beat it by more than {SWITCH_SE:g} standard error of the "
                "gain")
    gain, se = _gain(found[DEFAULT], found[chosen])
    return (f"held-out {last} error (root mean square over cohorts): {listed}; {chosen} beats "
            f"{DEFAULT} by {gain * 1e4:.3f} pp² (standard error {se * 1e4:.3f} pp²)")

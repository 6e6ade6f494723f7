"""Fitted decay models of an app's retention curve, and projections with an uncertainty band.

:func:`fit` fits ``"power"``, ``"exponential"`` (decay to a floor) or ``"sbg"`` (Fader & Hardie's
shifted-beta-geometric, :mod:`.sbg`) to the cohorts' counts, or picks one (``"auto"``), and
:meth:`DecayFit.project` extends the curve to any week with a bootstrap band. The curves are
classes in :mod:`.models` (``DecayFit.curve`` is one, its parameters as attributes), their
maximum-likelihood fit is :mod:`.likelihood`; this module chooses, fits and bootstraps.

How WeChat's numbers are used, and what that assumes:

- WeChat counts the users of a cohort who *came back in week k*, not those who never left, so a
  later offset can exceed an earlier one. The models read r_k = users_k / users_0 as if it were a
  survival curve S(k): they are monotone, so they fit the trend through such wiggles.
- The likelihood treats each published cell as users_k successes out of users_0 with probability
  r(k), independently across cells. The cells of one cohort share users, so this is a composite
  likelihood: its optimum is a sound estimate, but its curvature overstates certainty. The band
  therefore comes from a bootstrap over whole cohorts, which keeps each cohort's cells together.
- Censoring: a recent cohort counts at the offsets it has published and nowhere else.
- The band is the uncertainty of the fit *given the model*; beyond the observed weeks the model's
  form dominates, which is why the model's name travels with every projection.

The examples use ``frame`` (``wxdata.analytics.example.example_frame()``): with W1 and W2
only, there is nothing to hold out, and both 2-parameter curves pass through both points.

>>> fitted = fit(frame)
>>> fitted.model, fitted.reason
('sbg', 'AIC (only 2 offsets: too few to hold one out): sbg 4.00, power 4.00; sbg is best')
>>> curve = fitted.curve  # a ShiftedBetaGeometric: the parameters are attributes
>>> round(curve.alpha, 4), round(curve.beta, 4)
(1.0395, 0.3722)
>>> fitted.project(weeks=3).round(4)
               rate     low    high
week_offset
0            1.0000  1.0000  1.0000
1            0.2636  0.2500  0.2750
2            0.1500  0.1500  0.1589
3            0.1043  0.1043  0.1116
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from wxdata.analytics.cohort import cohort_matrix
from wxdata.analytics.decay import likelihood
from wxdata.analytics.decay.models import MODELS, DecayModel
from wxdata.analytics.stats import Floats

CHOICES: tuple[str, ...] = ("auto", *MODELS)
DEFAULT_WEEKS = 52
DEFAULT_RESAMPLES = 200
#: Held-out selection needs this many published offsets (fit on all but the last, which still
#: leaves the 3-parameter curve three points to fit).
HOLD_OUT_FROM = 4


@dataclass(frozen=True)
class Counts:
    """Per cohort (rows) and offset k = 1..K (columns): users_k (clipped to [0, users_0]) and
    users_0, both 0 where the cell is unpublished or the base is 0."""

    k: Floats
    x: Floats
    n: Floats

    @property
    def pooled(self) -> tuple[Floats, Floats]:
        return self.x.sum(axis=0), self.n.sum(axis=0)

    @property
    def published(self) -> Floats:
        """The offsets at least one cohort has published."""
        return np.asarray(self.k[self.n.sum(axis=0) > 0], dtype=np.float64)


@dataclass(frozen=True)
class DecayFit:
    """A fitted decay curve. ``curve``: the fitted model with its named parameters (see
    :mod:`.models`), ``params`` the same as a dict;
    ``gof``: ``rmse`` (of the curve against the pooled average, in rate units, over the
    published offsets), ``aic`` (the binomial composite likelihood's deviance from a curve
    through every pooled point, plus 2 per parameter) and ``cohorts`` (how many informed it);
    ``reason``: how the model was chosen; ``selection``: each candidate's score when chosen
    automatically; ``observed``: the pooled average the curve was fitted to."""

    model: str
    params: dict[str, float]
    gof: dict[str, float]
    reason: str
    selection: dict[str, float] = field(default_factory=dict)
    observed: pd.Series = field(default_factory=lambda: pd.Series(dtype="float64"),
                                repr=False, compare=False)
    theta: tuple[float, ...] = field(default=(), repr=False)
    draws: Floats = field(default_factory=lambda: np.zeros((0, 0)), repr=False, compare=False)

    @property
    def curve(self) -> DecayModel:
        """The fitted curve, e.g. ``PowerLaw(a=0.28, b=0.55)``."""
        return MODELS[self.model].from_theta(np.asarray(self.theta))

    def project(self, weeks: int = DEFAULT_WEEKS, *, confidence: float = 0.95) -> pd.DataFrame:
        """The curve at offsets 0..``weeks``: ``rate`` and the bootstrap band ``low``/``high``.

        Inside [0, 1], never rising with the offset, and low <= rate <= high.
        """
        if weeks < 0 or not 0.0 < confidence < 1.0:
            raise ValueError(f"project needs weeks >= 0 and 0 < confidence < 1, got "
                             f"weeks={weeks}, confidence={confidence}")
        model, k = MODELS[self.model], np.arange(weeks + 1, dtype=np.float64)
        rate = model.rates(np.asarray(self.theta), k)
        tails = [(1.0 - confidence) / 2.0, (1.0 + confidence) / 2.0]
        drawn = model.rates(self.draws, k) if len(self.draws) else rate[None, :]
        low, high = np.quantile(drawn, tails, axis=0)
        # Each drawn curve is monotone, so are its quantiles; the accumulate only irons out
        # floating-point ties.
        low, high = (np.minimum.accumulate(np.clip(v, 0.0, 1.0)) for v in (low, high))
        return pd.DataFrame({"rate": rate, "low": np.minimum(low, rate),
                             "high": np.maximum(high, rate)},
                            index=pd.Index(k.astype(np.int64), name="week_offset"))


def fit(frame: pd.DataFrame, *, metric: str = "new", app_id: str | None = None,
        model: str = "auto", resamples: int = DEFAULT_RESAMPLES, seed: int = 0) -> DecayFit:
    """Fit a decay model to one app's cohorts (see the module docstring for the assumptions).

    ``model``: ``"power"``, ``"exponential"``, ``"sbg"`` or ``"auto"``, which fits each on all
    published offsets but the last and keeps the one that predicts the last best (with fewer than
    four published offsets: the lowest AIC), and says so in ``.reason``. ``resamples`` bootstrap
    draws over cohorts (seeded: the same frame always gives the same band) make the band; a
    single cohort is resampled binomially instead. Raises ValueError when the cohorts have fewer
    than two published offsets after W0 (or three for ``"exponential"``).
    """
    if model not in CHOICES:
        raise ValueError(f"model must be one of {', '.join(map(repr, CHOICES))}, got {model!r}")
    if resamples < 0:
        raise ValueError(f"resamples must be 0 (no band) or more, got {resamples}")
    counts = _counts(frame, metric=metric, app_id=app_id)
    _check_enough(counts, model)
    if model == "auto":
        model, selection, reason = _select(counts)
    else:
        selection, reason = {}, f"{model}: chosen by the caller"
    chosen = MODELS[model]
    theta = likelihood.fit(chosen, counts.k, *counts.pooled)
    return DecayFit(model, chosen.from_theta(theta).as_dict(), _gof(chosen, theta, counts), reason,
                    selection, _observed(counts), tuple(float(v) for v in theta),
                    _draws(chosen, theta, counts, resamples=resamples, seed=seed))


def _counts(frame: pd.DataFrame, *, metric: str, app_id: str | None) -> Counts:
    users = cohort_matrix(frame, metric=metric, values="users", app_id=app_id).to_numpy()
    base = users[:, :1]
    usable = ~np.isnan(users[:, 1:]) & (base > 0)
    x = np.where(usable, np.clip(users[:, 1:], 0.0, base), 0.0)
    n = np.where(usable, base, 0.0)
    keep = usable.any(axis=1)  # a cohort with W0 only carries no information on the decay
    return Counts(np.arange(1, users.shape[1], dtype=np.float64), x[keep], n[keep])


def _check_enough(counts: Counts, model: str) -> None:
    have = len(counts.published)
    need = MODELS[model].min_offsets if model in MODELS else 2
    if have < need:
        shown = ", ".join(f"W{int(k)}" for k in counts.published) or "none"
        raise ValueError(f"decay.fit({model!r}) needs cohorts with users at W0 and at {need} or "
                         f"more later week offsets (e.g. W1..W{need}); published: {shown}")


def _select(counts: Counts) -> tuple[str, dict[str, float], str]:
    """The model that best predicts the last published offset from the others (or by AIC)."""
    published = counts.published
    candidates = [m for m in MODELS.values() if m.min_offsets <= len(published)]
    if len(published) >= HOLD_OUT_FROM:
        last = published[-1]
        scores = {m.name: _held_out_error(m, counts, last) for m in candidates}
        label, unit, scale = f"held-out W{int(last)} error", " pp", 100.0
    else:
        scores = {m.name: _aic(m, counts) for m in candidates}
        label, unit, scale = f"AIC (only {len(published)} offsets: too few to hold one out)", \
            "", 1.0
    # Scores equal to rounding are a tie: fewer parameters first, then sbg, whose heterogeneous
    # churn Fader & Hardie validated on real retention data.
    ranked = sorted(scores, key=lambda name: (round(scores[name], 6), MODELS[name].size(),
                                              name != "sbg"))
    listed = ", ".join(f"{name} {scores[name] * scale:.2f}{unit}" for name in ranked)
    return ranked[0], scores, f"{label}: {listed}; {ranked[0]} is best"


def _held_out_error(model: type[DecayModel], counts: Counts, last: float) -> float:
    x, n = counts.pooled
    train = counts.k < last
    theta = likelihood.fit(model, counts.k[train], x[train], n[train])
    at = counts.k == last
    predicted = model.rates(theta, counts.k[at])
    return float(abs(predicted[0] - x[at][0] / n[at][0]))


def _aic(model: type[DecayModel], counts: Counts, theta: Floats | None = None) -> float:
    """AIC measured from the saturated fit (its deviance + 2 per parameter): the same ranking
    as the textbook AIC, but a number that reads 0 for a perfect fit rather than millions."""
    x, n = counts.pooled
    if theta is None:
        theta = likelihood.fit(model, counts.k, x, n)
    nll = likelihood.neg_log_likelihood(model, theta, counts.k, x, n)
    return 2.0 * model.size() + 2.0 * (nll - likelihood.saturated_nll(x, n))


def _observed(counts: Counts) -> pd.Series:
    x, n = counts.pooled
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(n > 0, x / n, np.nan)
    return pd.Series(rate, index=pd.Index(counts.k.astype(np.int64), name="week_offset"))


def _gof(model: type[DecayModel], theta: Floats, counts: Counts) -> dict[str, float]:
    observed = _observed(counts).dropna()
    fitted = model.rates(theta, observed.index.to_numpy(dtype=np.float64))
    rmse = float(np.sqrt(np.mean((fitted - observed.to_numpy()) ** 2)))
    return {"rmse": rmse, "aic": _aic(model, counts, theta), "cohorts": float(len(counts.x))}


def _draws(model: type[DecayModel], theta: Floats, counts: Counts, *, resamples: int,
           seed: int) -> Floats:
    """Parameters refitted to ``resamples`` resampled data sets, warm-started at ``theta``."""
    rng = np.random.default_rng(seed)
    cohorts = len(counts.x)
    if cohorts >= 2:
        picks = rng.integers(0, cohorts, size=(resamples, cohorts))
        offset = cohorts * np.arange(resamples)[:, None]
        weights = np.bincount((picks + offset).ravel(), minlength=resamples * cohorts)
        weights = weights.reshape(resamples, cohorts).astype(np.float64)
        x, n = weights @ counts.x, weights @ counts.n
    else:  # one cohort: nothing to resample but its binomial noise
        x0, n0 = counts.pooled
        p = np.divide(x0, n0, out=np.zeros_like(x0), where=n0 > 0)
        x = rng.binomial(n0.astype(np.int64), p, size=(resamples, len(n0))).astype(np.float64)
        n = np.broadcast_to(n0, x.shape)
    return likelihood.fit_many(model, theta, counts.k, x, np.asarray(n))

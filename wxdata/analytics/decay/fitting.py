"""Fitted decay models of an app's retention curve, and projections that say how sure they are.

:func:`fit` fits ``"power"``, ``"weibull"``, ``"exponential"`` (decay to a floor) or ``"sbg"``
(Fader & Hardie's shifted-beta-geometric, :mod:`.sbg`) to the cohorts' counts, or judges them
on a held-out week (``"auto"``, :mod:`.selection`), and :meth:`DecayFit.project` extends the
curve to any week with a band. The curves are classes in :mod:`.models` (``DecayFit.curve`` is
one, its parameters as attributes), their maximum-likelihood fit is :mod:`.likelihood`; this
module resamples, fits and projects.

How WeChat's numbers are used, and what that assumes:

- WeChat counts the users of a cohort who *came back in week k*, not those who never left, so a
  later offset can exceed an earlier one. The models read r_k = users_k / users_0 as a curve
  that never rises: they fit the trend through such wiggles.
- The likelihood treats each published cell as users_k successes out of users_0 with probability
  r(k), independently across cells. The cells of one cohort share users, and cohorts vary from
  week to week beyond their binomial noise, so its curvature overstates certainty: the band
  comes from a bootstrap over whole cohorts instead, which keeps each cohort's cells together
  and carries the week-to-week variation. (A single cohort can only be resampled binomially:
  its band then shows the binomial noise and the model uncertainty only.)
- Censoring: a recent cohort counts at the offsets it has published and nowhere else. A count
  above its base (which WeChat should never publish) is left out of the fit, not clipped.
- The band is the envelope of every model the held-out week cannot rule out, each on its own
  bootstrap: the uncertainty of the fit *and* of the model. WeChat publishes W1..W4 only, and
  beyond about three times the last published offset (:data:`ASSUMED_BEYOND`) the curve is the
  models' form rather than the data: ``project`` marks those weeks ``assumed``.

Per period (``period=``): the curves take the offset k itself as their x, so the irregular daily
keys D1..D7, D14, D30 need nothing special (no gap is filled in: D8..D13 are simply not data),
the held-out offset is D30 (fitted on D1..D14), and days project to D90 by default
(:data:`DEFAULT_HORIZON`; D60 and D90 are estimates, not assumptions, since 90 = 3 × 30).
Months publish M1 only: one point fixes no curve, so ``fit(period=Month)`` raises
:class:`NotEnoughKeys` (``fittable(Month)`` is False) and the page says why instead of drawing.

The examples use ``frame`` (``wxdata.analytics.example.example_frame()``): with W1 and W2
only, there is nothing to hold out, and both 2-parameter curves pass through both points.

>>> fitted = fit(frame)
>>> fitted.model, fitted.plausible
('power', ('power', 'sbg'))
>>> first, then = fitted.reason.split("; ")
>>> first
'only 2 published offsets: too few to hold one out'
>>> then
'power assumed, the band spans every two-parameter model'
>>> curve = fitted.curve  # a PowerLaw: the parameters are attributes
>>> round(curve.a, 4), round(curve.b, 4)
(0.2636, 0.8136)
>>> fitted.project(weeks=7).round(4)
               rate     low    high  assumed
offset
0            1.0000  1.0000  1.0000    False
1            0.2636  0.2500  0.2750    False
2            0.1500  0.1500  0.1589    False
3            0.1079  0.1043  0.1125    False
4            0.0853  0.0797  0.0900    False
5            0.0712  0.0644  0.0764    False
6            0.0614  0.0540  0.0668    False
7            0.0541  0.0464  0.0596     True
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from wxdata.analytics.anomalies import users_matrix
from wxdata.analytics.decay import selection
from wxdata.analytics.decay.models import MODELS, DecayModel
from wxdata.analytics.defaults import ASSUMED_BEYOND
from wxdata.analytics.stats import Floats
from wxdata.core.periods import Period, PeriodKind, Week

CHOICES: tuple[str, ...] = ("auto", *MODELS)
DEFAULT_WEEKS = 52
DEFAULT_RESAMPLES = 200
#: How far ``project()`` goes by default: a year of weeks, 90 days (D60 and D90 are what the
#: daily page shows), a year of months (never fitted, see :class:`NotEnoughKeys`).
DEFAULT_HORIZON: dict[PeriodKind, int] = {"day": 90, "week": DEFAULT_WEEKS, "month": 12}
#: The projected offsets the daily page names beyond WeChat's D30.
PROJECTED_DAYS: tuple[int, ...] = (60, 90)


class NotEnoughKeys(ValueError):
    """The cohorts publish too few offsets after 0 to fit ``model``: ``published`` names the
    ones they have (``["M1"]``), ``needed`` how many it takes, ``kind`` the period. Months
    always raise it (WeChat's monthly API publishes M1 only); a page catches it and explains."""

    def __init__(self, message: str, *, kind: PeriodKind, published: list[str],
                 needed: int) -> None:
        super().__init__(message)
        self.kind, self.published, self.needed = kind, published, needed


def fittable(period: type[Period]) -> bool:
    """Whether ``period``'s published keys can ever carry a decay fit (two offsets after 0 or
    more): True for days and weeks, False for months."""
    return len(period.KEYS) - 1 >= min(model.min_offsets for model in MODELS.values())


@dataclass(frozen=True)
class Counts:
    """Per cohort (rows) and offset k = 1..K (columns): users_k and users_0, both 0 where the
    cell is unpublished, its base is 0 or its count exceeds the base (``dropped`` counts those
    last cells)."""

    k: Floats
    x: Floats
    n: Floats
    dropped: int = 0

    @property
    def pooled(self) -> tuple[Floats, Floats]:
        return self.x.sum(axis=0), self.n.sum(axis=0)

    @property
    def published(self) -> Floats:
        """The offsets at least one cohort has published."""
        return np.asarray(self.k[self.n.sum(axis=0) > 0], dtype=np.float64)


@dataclass(frozen=True)
class DecayFit:
    """A fitted decay curve. ``curve``: the chosen model with its named parameters (see
    :mod:`.models`), ``params`` the same as a dict; ``gof``: ``rmse`` (of the curve against the
    pooled average, in rate units, over the published offsets), ``cohorts`` (how many informed
    it) and ``dropped`` (cells left out for a count above their base); ``reason``: how the
    model was chosen; ``selection``: each candidate's held-out error when chosen automatically
    (NaN without a held-out week); ``plausible``: the models whose bands make the band, the
    chosen one first; ``observed``: the pooled average the curve was fitted to;
    ``last_offset``: the last published offset."""

    model: str
    params: dict[str, float]
    gof: dict[str, float]
    reason: str
    selection: dict[str, float] = field(default_factory=dict)
    observed: pd.Series = field(default_factory=lambda: pd.Series(dtype="float64"),
                                repr=False, compare=False)
    theta: tuple[float, ...] = field(default=(), repr=False)
    draws: dict[str, Floats] = field(default_factory=dict, repr=False, compare=False)
    plausible: tuple[str, ...] = ()
    last_offset: int = 0
    kind: PeriodKind = "week"

    @property
    def curve(self) -> DecayModel:
        """The fitted curve, e.g. ``PowerLaw(a=0.28, b=0.55)``."""
        return MODELS[self.model].from_theta(np.asarray(self.theta))

    def project(self, weeks: int | None = None, *, confidence: float = 0.95) -> pd.DataFrame:
        """The curve at offsets 0..``weeks`` (in the period's own units despite the name: days
        for a daily fit; None: :data:`DEFAULT_HORIZON`, 52 weeks or 90 days): ``rate``, the band
        ``low``/``high`` (the envelope of the plausible models' bootstrap bands) and
        ``assumed``: beyond
        :data:`ASSUMED_BEYOND` times the last published offset, where the model's form speaks
        rather than the data. Inside [0, 1], never rising with the offset, low <= rate <= high.
        """
        if weeks is None:
            weeks = DEFAULT_HORIZON[self.kind]
        if weeks < 0 or not 0.0 < confidence < 1.0:
            raise ValueError(f"project needs weeks >= 0 and 0 < confidence < 1, got "
                             f"weeks={weeks}, confidence={confidence}")
        k = np.arange(weeks + 1, dtype=np.float64)
        rate = MODELS[self.model].rates(np.asarray(self.theta), k)
        low, high = rate.copy(), rate.copy()
        tails = [(1.0 - confidence) / 2.0, (1.0 + confidence) / 2.0]
        for name, draws in self.draws.items():
            if len(draws):
                lower, upper = np.quantile(MODELS[name].rates(draws, k), tails, axis=0)
                low, high = np.minimum(low, lower), np.maximum(high, upper)
        # Each drawn curve is monotone, so are its quantiles and their envelope; the accumulate
        # only irons out floating-point ties.
        low, high = (np.minimum.accumulate(np.clip(v, 0.0, 1.0)) for v in (low, high))
        return pd.DataFrame({"rate": rate, "low": np.minimum(low, rate),
                             "high": np.maximum(high, rate),
                             "assumed": k > ASSUMED_BEYOND * max(self.last_offset, 1)},
                            index=pd.Index(k.astype(np.int64), name="offset"))


def fit(frame: pd.DataFrame | None = None, *, metric: str = "new", app_id: str | None = None,
        model: str = "auto", resamples: int = DEFAULT_RESAMPLES, seed: int = 0,
        period: type[Period] = Week, users: pd.DataFrame | None = None) -> DecayFit:
    """Fit a decay model to one app's cohorts (see the module docstring for the assumptions).

    ``model``: ``"power"``, ``"weibull"``, ``"exponential"``, ``"sbg"`` (that model and its
    own band) or ``"auto"``: the power law unless another model predicts the last published
    offset from the others better by more than the standard error of the gain, and a band that
    spans every model the held-out week cannot rule out (:mod:`.selection`); ``.reason`` says
    what happened. ``resamples`` bootstrap draws over cohorts (seeded: the same frame always
    gives the same band) make the band; a single cohort is resampled binomially instead. Raises
    :class:`NotEnoughKeys` (a ValueError) when the cohorts have fewer than two published
    offsets after 0 (or three for ``"weibull"`` and ``"exponential"``), and always for months.

    ``users``: the cohort matrix of counts (:func:`~wxdata.analytics.cohort.cohort_matrix` with
    ``values="users"``) instead of ``frame``, when the caller has it already (the dashboard's
    cached one): the fit is the same, the matrix is not built again.
    """
    if model not in CHOICES:
        raise ValueError(f"model must be one of {', '.join(map(repr, CHOICES))}, got {model!r}")
    if resamples < 0:
        raise ValueError(f"resamples must be 0 (no band) or more, got {resamples}")
    if not fittable(period):
        raise NotEnoughKeys(
            f"decay.fit: {period.kind}ly retention publishes "
            f"{', '.join(period.offset_name(k) for k in period.KEYS[1:])} only, and one point "
            "fixes no curve: there is no decay fit for months", kind=period.kind,
            published=[period.offset_name(k) for k in period.KEYS[1:]], needed=2)
    counts = _counts(frame, metric=metric, app_id=app_id, period=period, users=users)
    _check_enough(counts, model, period)
    names = tuple(MODELS) if model == "auto" else (model,)
    found = selection.candidates(counts.k, (counts.x, counts.n),
                                 _resampled(counts, resamples=resamples, seed=seed), names)
    last = int(counts.published[-1])
    if model == "auto":
        model = selection.choose(found)
        plausible = selection.plausible(found, model)
        reason = selection.describe(found, model, period.offset_name(last),
                                    len(counts.published))
    else:
        plausible, reason = (model,), f"{model}: chosen by the caller"
    chosen = found[model]
    return DecayFit(model, chosen.model.from_theta(chosen.theta).as_dict(),
                    _gof(chosen.model, chosen.theta, counts), reason,
                    {name: c.error for name, c in found.items()} if len(names) > 1 else {},
                    _observed(counts), tuple(float(v) for v in chosen.theta),
                    {name: found[name].draws for name in plausible}, plausible, last,
                    period.kind)


def _counts(frame: pd.DataFrame | None, *, metric: str, app_id: str | None,
            period: type[Period] = Week, users: pd.DataFrame | None = None) -> Counts:
    matrix = users_matrix(frame, users, metric=metric, app_id=app_id, period=period)
    cells = matrix.to_numpy()
    base = cells[:, :1]
    published = ~np.isnan(cells[:, 1:]) & (base > 0)
    above = published & (cells[:, 1:] > base)
    usable = published & ~above
    x = np.where(usable, cells[:, 1:], 0.0)
    n = np.where(usable, base, 0.0)
    keep = usable.any(axis=1)  # a cohort with W0 only carries no information on the decay
    k = matrix.columns.to_numpy(dtype=np.float64)[1:]  # the offsets themselves: D14 is 14
    return Counts(k, x[keep], n[keep], int(above.sum()))


def _check_enough(counts: Counts, model: str, period: type[Period]) -> None:
    have = len(counts.published)
    need = MODELS[model].min_offsets if model in MODELS else 2
    if have < need:
        name = period.offset_name
        published = [name(int(k)) for k in counts.published]
        raise NotEnoughKeys(
            f"decay.fit({model!r}) needs cohorts with users at {name(0)} and at {need} or more "
            f"later {period.kind} offsets (e.g. {name(1)}..{name(period.KEYS[need])}); "
            f"published: "
            f"{', '.join(published) or 'none'}", kind=period.kind, published=published,
            needed=need)


def _observed(counts: Counts) -> pd.Series:
    x, n = counts.pooled
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(n > 0, x / n, np.nan)
    return pd.Series(rate, index=pd.Index(counts.k.astype(np.int64), name="offset"))


def _gof(model: type[DecayModel], theta: Floats, counts: Counts) -> dict[str, float]:
    observed = _observed(counts).dropna()
    fitted = model.rates(theta, observed.index.to_numpy(dtype=np.float64))
    rmse = float(np.sqrt(np.mean((fitted - observed.to_numpy()) ** 2)))
    return {"rmse": rmse, "cohorts": float(len(counts.x)), "dropped": float(counts.dropped)}


def _resampled(counts: Counts, *, resamples: int, seed: int) -> tuple[Floats, Floats]:
    """Pooled counts (x, n) of ``resamples`` bootstrap resamples of whole cohorts."""
    rng = np.random.default_rng(seed)
    cohorts = len(counts.x)
    if cohorts >= 2:
        picks = rng.integers(0, cohorts, size=(resamples, cohorts))
        offset = cohorts * np.arange(resamples)[:, None]
        weights = np.bincount((picks + offset).ravel(), minlength=resamples * cohorts)
        weights = weights.reshape(resamples, cohorts).astype(np.float64)
        return weights @ counts.x, weights @ counts.n
    x0, n0 = counts.pooled  # one cohort: nothing to resample but its binomial noise
    p = np.divide(x0, n0, out=np.zeros_like(x0), where=n0 > 0)
    x = rng.binomial(n0.astype(np.int64), p, size=(resamples, len(n0))).astype(np.float64)
    return x, np.array(np.broadcast_to(n0, x.shape))

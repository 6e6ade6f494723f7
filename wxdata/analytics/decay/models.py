"""The decay curves ``decay.fit`` chooses from: one small class per model, with named parameters.

A curve gives the retention r(k) at week offsets k >= 1 (r(0) = 1 by definition). Every curve
is non-increasing in k and inside [0, 1] for every parameter inside its bounds, so a projection
cannot rise or leave [0, 1] whatever the data:

- :class:`PowerLaw` (``"power"``): r(k) = a·k^(-b), a the W1 rate, b >= 0 how fast it keeps
  falling;
- :class:`Weibull` (``"weibull"``): r(k) = a·exp(-decay·(k^shape - 1)/shape), a stretched
  exponential (the discrete Weibull of reliability): the power law at shape 0, an exponential
  decay to 0 at shape 1; unlike the others it lets a slowly fading loyal segment fade;
- :class:`ExponentialFloor` (``"exponential"``): r(k) = floor + (a - floor)·e^(-decay·(k-1)),
  decay to a floor 0 <= floor <= a;
- :class:`ShiftedBetaGeometric` (``"sbg"``): r(k) = S(k) of Fader & Hardie's model
  (:mod:`wxdata.analytics.decay.sbg`), churn probabilities spread as Beta(alpha, beta). It is a
  model of contractual churn (a customer who leaves never comes back), while WeChat counts who
  *came back in week k*: its label says so.

A class describes its family to the optimiser (:mod:`.likelihood`), which moves a plain vector
``theta`` inside the box ``bounds``; an instance is one curve of the family, its parameters as
attributes. ``MODELS`` finds a class by name:

>>> curve = MODELS["power"].from_theta(np.array([0.3, 0.5]))
>>> curve
PowerLaw(a=0.3, b=0.5)
>>> curve.rate(np.array([0.0, 1.0, 4.0])).tolist()
[1.0, 0.3, 0.15]
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, fields
from typing import ClassVar, Self

import numpy as np

from wxdata.analytics.decay import sbg
from wxdata.analytics.stats import Floats

Bounds = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class DecayModel(ABC):
    """What a decay model is; a subclass is one family, an instance one curve of it.

    ``theta`` is what the optimiser moves: one number per parameter, each inside its ``bounds``
    (a parameter with an awkward constraint is stored in a form that makes the box enough).
    ``min_offsets``: how many distinct published offsets >= 1 the parameters need.
    """

    name: ClassVar[str]
    bounds: ClassVar[Bounds]
    min_offsets: ClassVar[int]
    #: Whether the curve levels off at a floor above 0 (a retention that never fades further).
    has_floor: ClassVar[bool] = False

    @staticmethod
    @abstractmethod
    def curve(theta: Floats, k: Floats) -> Floats:
        """r(k) at offsets k >= 1 (shape (K,)) for theta of shape (..., size): (..., K)."""

    @staticmethod
    @abstractmethod
    def starts(w1: float) -> list[list[float]]:
        """Starting points for the optimiser, from the observed W1 rate."""

    @classmethod
    @abstractmethod
    def from_theta(cls, theta: Floats) -> Self:
        """The curve whose optimiser vector is ``theta``."""

    @property
    @abstractmethod
    def theta(self) -> Floats:
        """This curve's optimiser vector (the inverse of :meth:`from_theta`)."""

    @classmethod
    def parameter_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    @classmethod
    def size(cls) -> int:
        """The number of parameters (what AIC charges for)."""
        return len(cls.bounds)

    @classmethod
    def rates(cls, theta: Floats, k: Floats) -> Floats:
        """r(k) for any k >= 0 (r(0) = 1), clipped to [0, 1]; theta may carry batch axes."""
        safe = np.maximum(k, 1.0)
        return np.where(k == 0, 1.0, np.clip(cls.curve(theta, safe), 0.0, 1.0))

    def rate(self, k: Floats) -> Floats:
        """This curve at offsets ``k`` (r(0) = 1)."""
        return self.rates(self.theta, np.asarray(k, dtype=np.float64))

    def as_dict(self) -> dict[str, float]:
        return {name: float(getattr(self, name)) for name in self.parameter_names()}


@dataclass(frozen=True)
class PowerLaw(DecayModel):
    """r(k) = a·k^(-b): ``a`` the W1 rate, ``b`` >= 0 how fast it keeps falling."""

    a: float
    b: float

    name: ClassVar[str] = "power"
    bounds: ClassVar[Bounds] = ((1e-9, 1.0), (0.0, 10.0))
    min_offsets: ClassVar[int] = 2

    @staticmethod
    def curve(theta: Floats, k: Floats) -> Floats:
        a, b = theta[..., 0:1], theta[..., 1:2]
        return np.asarray(a * k ** -b, dtype=np.float64)

    @staticmethod
    def starts(w1: float) -> list[list[float]]:
        return [[w1, 0.5], [w1, 0.1], [w1, 1.5]]

    @classmethod
    def from_theta(cls, theta: Floats) -> Self:
        return cls(a=float(theta[0]), b=float(theta[1]))

    @property
    def theta(self) -> Floats:
        return np.array([self.a, self.b])


@dataclass(frozen=True)
class Weibull(DecayModel):
    """r(k) = a·exp(-decay·(k^shape - 1)/shape): ``a`` at W1, then a stretched exponential.

    The Box-Cox form (k^shape - 1)/shape tends to log k as the shape tends to 0, so the power
    law a·k^(-decay) is this family at shape 0 and an exponential decay to 0 is shape 1: a
    smooth path between them, with no ridge for the optimiser to crawl along.
    """

    a: float
    decay: float
    shape: float

    name: ClassVar[str] = "weibull"
    bounds: ClassVar[Bounds] = ((1e-9, 1.0), (0.0, 10.0), (0.0, 3.0))
    min_offsets: ClassVar[int] = 3

    @staticmethod
    def curve(theta: Floats, k: Floats) -> Floats:
        a, decay, shape = theta[..., 0:1], theta[..., 1:2], theta[..., 2:3]
        log_k = np.log(k)
        with np.errstate(divide="ignore", invalid="ignore"):
            box_cox = np.where(shape > 1e-9, np.expm1(shape * log_k) / shape, log_k)
        return np.asarray(a * np.exp(-decay * box_cox), dtype=np.float64)

    @staticmethod
    def starts(w1: float) -> list[list[float]]:
        return [[w1, 0.5, 0.2], [w1, 0.3, 0.8], [w1, 1.0, 0.0]]

    @classmethod
    def from_theta(cls, theta: Floats) -> Self:
        return cls(a=float(theta[0]), decay=float(theta[1]), shape=float(theta[2]))

    @property
    def theta(self) -> Floats:
        return np.array([self.a, self.decay, self.shape])


@dataclass(frozen=True)
class ExponentialFloor(DecayModel):
    """r(k) = floor + (a - floor)·e^(-decay·(k-1)): from ``a`` at W1 down to ``floor``.

    theta holds the floor as a share of a, so that the bounds alone keep 0 <= floor <= a.
    """

    a: float
    floor: float
    decay: float

    name: ClassVar[str] = "exponential"
    bounds: ClassVar[Bounds] = ((1e-9, 1.0), (0.0, 1.0), (0.0, 20.0))  # a, floor / a, decay
    min_offsets: ClassVar[int] = 3
    has_floor: ClassVar[bool] = True

    @staticmethod
    def curve(theta: Floats, k: Floats) -> Floats:
        a, share, decay = theta[..., 0:1], theta[..., 1:2], theta[..., 2:3]
        return np.asarray(a * (share + (1.0 - share) * np.exp(-decay * (k - 1.0))),
                          dtype=np.float64)

    @staticmethod
    def starts(w1: float) -> list[list[float]]:
        return [[w1, 0.3, 0.5], [w1, 0.05, 0.2], [w1, 0.7, 1.5]]

    @classmethod
    def from_theta(cls, theta: Floats) -> Self:
        return cls(a=float(theta[0]), floor=float(theta[0] * theta[1]), decay=float(theta[2]))

    @property
    def theta(self) -> Floats:
        return np.array([self.a, self.floor / self.a, self.decay])


@dataclass(frozen=True)
class ShiftedBetaGeometric(DecayModel):
    """r(k) = S(k) of the sBG model: each user churns with her own probability, spread across
    users as Beta(``alpha``, ``beta``). theta holds log alpha and log beta (both must stay
    positive)."""

    alpha: float
    beta: float

    name: ClassVar[str] = "sbg"
    bounds: ClassVar[Bounds] = (sbg.LOG_BOUNDS, sbg.LOG_BOUNDS)
    min_offsets: ClassVar[int] = 2

    @staticmethod
    def curve(theta: Floats, k: Floats) -> Floats:
        return sbg.survival(np.exp(theta[..., 0:1]), np.exp(theta[..., 1:2]), k)

    @staticmethod
    def starts(w1: float) -> list[list[float]]:
        # S(1) = beta / (alpha + beta): alpha = 1 and beta = w1 / (1 - w1) start at the W1 rate
        return [[0.0, float(np.log(w1 / (1.0 - w1)))], [-1.0, 0.0], [1.0, 2.0]]

    @classmethod
    def from_theta(cls, theta: Floats) -> Self:
        return cls(alpha=float(np.exp(theta[0])), beta=float(np.exp(theta[1])))

    @property
    def theta(self) -> Floats:
        return np.log([self.alpha, self.beta])


#: The candidates, the default first (see ``fitting``: another one replaces it only when it
#: predicts a held-out week clearly better).
MODELS: dict[str, type[DecayModel]] = {
    model.name: model for model in (PowerLaw, Weibull, ExponentialFloor, ShiftedBetaGeometric)}

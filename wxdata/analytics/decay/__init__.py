"""Decay curves fitted to an app's cohorts and projected beyond the weeks WeChat publishes.

:func:`fit` (in :mod:`.fitting`) chooses and fits a model and returns a :class:`DecayFit` whose
``project(weeks)`` gives the curve with a bootstrap band (in the period's units: days for a daily
fit; months have no fit, :class:`NotEnoughKeys`) and whose ``curve`` is the fitted model:
one class per model in :mod:`.models` (:class:`PowerLaw`, :class:`ExponentialFloor`,
:class:`Weibull`, :class:`ShiftedBetaGeometric`, found by name in ``MODELS``), fitted by
:mod:`.likelihood`; :mod:`.selection` judges them on a held-out week.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wxdata._lazy import lazy_exports

if TYPE_CHECKING:
    from wxdata.analytics.decay.fitting import (
        CHOICES,
        DEFAULT_HORIZON,
        DEFAULT_RESAMPLES,
        DEFAULT_WEEKS,
        PROJECTED_DAYS,
        DecayFit,
        NotEnoughKeys,
        fit,
        fittable,
    )
    from wxdata.analytics.decay.forecast import FORECAST_COHORTS, forecast_for, forecast_periods
    from wxdata.analytics.decay.models import (
        MODELS,
        DecayModel,
        ExponentialFloor,
        PowerLaw,
        ShiftedBetaGeometric,
        Weibull,
    )

__all__ = ["CHOICES", "DEFAULT_HORIZON", "DEFAULT_RESAMPLES", "DEFAULT_WEEKS", "FORECAST_COHORTS",
           "MODELS",
           "PROJECTED_DAYS", "DecayFit", "DecayModel", "ExponentialFloor", "NotEnoughKeys",
           "PowerLaw", "ShiftedBetaGeometric", "Weibull", "fit", "fittable", "forecast_for",
           "forecast_periods"]

__getattr__ = lazy_exports(__name__, {
    "CHOICES": "wxdata.analytics.decay.fitting",
    "DEFAULT_HORIZON": "wxdata.analytics.decay.fitting",
    "PROJECTED_DAYS": "wxdata.analytics.decay.fitting",
    "NotEnoughKeys": "wxdata.analytics.decay.fitting",
    "fittable": "wxdata.analytics.decay.fitting",
    "DEFAULT_RESAMPLES": "wxdata.analytics.decay.fitting",
    "DEFAULT_WEEKS": "wxdata.analytics.decay.fitting",
    "DecayFit": "wxdata.analytics.decay.fitting",
    "DecayModel": "wxdata.analytics.decay.models",
    "ExponentialFloor": "wxdata.analytics.decay.models",
    "MODELS": "wxdata.analytics.decay.models",
    "PowerLaw": "wxdata.analytics.decay.models",
    "ShiftedBetaGeometric": "wxdata.analytics.decay.models",
    "Weibull": "wxdata.analytics.decay.models",
    "fit": "wxdata.analytics.decay.fitting",
    "FORECAST_COHORTS": "wxdata.analytics.decay.forecast",
    "forecast_for": "wxdata.analytics.decay.forecast",
    "forecast_periods": "wxdata.analytics.decay.forecast",
})

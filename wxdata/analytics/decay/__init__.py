"""Decay curves fitted to an app's cohorts and projected beyond the weeks WeChat publishes.

:func:`fit` (in :mod:`.fitting`) chooses and fits a model from :mod:`.models` and returns a
:class:`DecayFit` whose ``project(weeks)`` gives the curve with a bootstrap band.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wxdata._lazy import lazy_exports

if TYPE_CHECKING:
    from wxdata.analytics.decay.fitting import (
        CHOICES,
        DEFAULT_RESAMPLES,
        DEFAULT_WEEKS,
        DecayFit,
        fit,
    )
    from wxdata.analytics.decay.models import MODELS

__all__ = ["CHOICES", "DEFAULT_RESAMPLES", "DEFAULT_WEEKS", "MODELS", "DecayFit", "fit"]

__getattr__ = lazy_exports(__name__, {
    "CHOICES": "wxdata.analytics.decay.fitting",
    "DEFAULT_RESAMPLES": "wxdata.analytics.decay.fitting",
    "DEFAULT_WEEKS": "wxdata.analytics.decay.fitting",
    "DecayFit": "wxdata.analytics.decay.fitting",
    "MODELS": "wxdata.analytics.decay.models",
    "fit": "wxdata.analytics.decay.fitting",
})

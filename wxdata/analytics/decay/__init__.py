"""Decay curves fitted to an app's cohorts and projected beyond the weeks WeChat publishes.

:func:`fit` (in :mod:`.fitting`) chooses and fits a model from :mod:`.models` and returns a
:class:`DecayFit` whose ``project(weeks)`` gives the curve with a bootstrap band.
"""

from __future__ import annotations

from wxdata.analytics.decay.fitting import CHOICES, DEFAULT_RESAMPLES, DEFAULT_WEEKS, DecayFit, fit
from wxdata.analytics.decay.models import MODELS

__all__ = ["CHOICES", "DEFAULT_RESAMPLES", "DEFAULT_WEEKS", "MODELS", "DecayFit", "fit"]

"""The forecast a PM reads (the Overview's W12 tile, the curves page's projection): one fit on a
fixed window of cohorts ending at the newest, whatever span the screen draws.

Fitting every cohort of the span made the same app's W12 forecast 8.6 % at 12 and 26 weeks,
7.9 % at 52 and 7.5 % at 104 (the older cohorts, before the demo's launch, retain worse), and
its band 8.2–8.7 % at 26 weeks but 7.0–13.1 % at 52: the span moved the forecast, and nothing
said so. The window is :data:`FORECAST_COHORTS` periods ending at the newest cohort (12 weeks,
the shortest span the sidebar offers, so a preset span always holds it; 60 days, the default
daily span); a page drawing a shorter span loads :func:`forecast_periods` for it.

>>> fitted = forecast_for(frame)  # the example frame: three weeks, all inside the window
>>> fitted.model
'power'
"""

from __future__ import annotations

import pandas as pd

from wxdata.analytics.anomalies import users_matrix
from wxdata.analytics.decay.fitting import DecayFit, fit
from wxdata.core.periods import Period, PeriodKind, Week

#: How many periods of cohorts, ending at the newest, a forecast is fitted on.
FORECAST_COHORTS: dict[PeriodKind, int] = {"day": 60, "week": 12, "month": 12}


def forecast_periods(newest: Period) -> list[Period]:
    """The periods a forecast ending at cohort ``newest`` is fitted on, oldest first."""
    n = FORECAST_COHORTS[newest.kind]
    return [newest.shift(k) for k in range(-(n - 1), 1)]


def window(users: pd.DataFrame, period: type[Period]) -> pd.DataFrame:
    """The rows of the matrix ``users`` inside the forecast's window (by period, not by row:
    a missing cohort does not pull an older one in)."""
    if users.empty:
        return users
    newest = period.containing(pd.Timestamp(users.index[-1]).date())
    first = pd.Timestamp(forecast_periods(newest)[0].start)
    return users[users.index >= first]


def forecast_for(frame: pd.DataFrame | None = None, *, metric: str = "new",
                 app_id: str | None = None, period: type[Period] = Week,
                 users: pd.DataFrame | None = None) -> DecayFit:
    """:func:`~wxdata.analytics.decay.fit` (``"auto"``, seeded) on the newest
    :data:`FORECAST_COHORTS` periods of cohorts of ``frame`` (or of the matrix of counts
    ``users``): the same cohorts give the same fit and band, however many older ones the frame
    also holds. Raises what ``fit`` raises (too few cohorts, months)."""
    matrix = users_matrix(frame, users, metric=metric, app_id=app_id, period=period)
    return fit(users=window(matrix, period), metric=metric, app_id=app_id, period=period)


__all__ = ["FORECAST_COHORTS", "forecast_for", "forecast_periods", "window"]

"""Issue 19, item 2: the W12 forecast is the same whatever span is drawn, and its tile shows its
band; issue 18, item 4: the KPIs, the flags and the fit take the cached matrix and give the same
results as from the frame."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.fixtures_app import AppFactory
from wxdata.analytics import decay
from wxdata.analytics.anomalies import anomalies
from wxdata.analytics.cohort import cohort_matrix
from wxdata.analytics.decay.forecast import FORECAST_COHORTS, forecast_periods
from wxdata.analytics.kpis import kpis
from wxdata.core.periods import Day, Period, Week, last_ended_week, last_n_weeks
from wxdata.sources.demo import DEMO_APPS, DemoSource

FRESH, PUZZLE = (a.appid for a in DEMO_APPS)
SPANS = (12, 26, 52, 104)


def _frame(app_id: str, weeks: int) -> pd.DataFrame:
    return DemoSource().load([app_id], last_n_weeks(weeks)).frame


@pytest.mark.parametrize("metric", ["new", "active"])
@pytest.mark.parametrize("app_id", [FRESH, PUZZLE])
def test_the_forecast_and_its_band_are_the_same_at_every_span(app_id: str, metric: str) -> None:
    curves = [decay.forecast_for(_frame(app_id, n), metric=metric, app_id=app_id)
              .project(weeks=12) for n in SPANS]
    for curve in curves[1:]:
        pd.testing.assert_frame_equal(curve, curves[0])
    assert curves[0]["low"].iloc[12] < curves[0]["rate"].iloc[12] < curves[0]["high"].iloc[12]


def test_fitting_the_whole_span_is_what_moved_the_forecast() -> None:
    """The fit of the whole span (what the Overview drew before) differs between 12 and 104
    weeks of the fruit shop, whose launch lifted retention 30 weeks ago: the window is why the
    forecast holds still."""
    short, long = (decay.fit(_frame(FRESH, n), app_id=FRESH).project(weeks=12)["rate"].iloc[12]
                   for n in (12, 104))
    assert abs(short - long) > 0.005


def test_the_window_is_periods_ending_at_the_newest_cohort() -> None:
    newest = last_ended_week()
    window = forecast_periods(newest)
    assert len(window) == FORECAST_COHORTS["week"] and window[-1] == newest
    assert window == last_n_weeks(FORECAST_COHORTS["week"])
    assert forecast_periods(Day.last_ended())[0] == Day.last_ended().shift(1 - 60)


@pytest.mark.parametrize("weeks", ["26", "52", "104"])
def test_the_forecast_tile_reads_the_same_at_every_span(app: AppFactory, weeks: str) -> None:
    base = app("overview", app=FRESH).metric[3]
    tile = app("overview", app=FRESH, weeks=weeks).metric[3]
    assert (tile.label, tile.value, tile.proto.delta) == (base.label, base.value,
                                                         base.proto.delta)
    assert "预测" in tile.label and tile.value.endswith("%")
    low, high = tile.proto.delta.removeprefix("区间 ").split("–")
    assert float(low.rstrip("%")) < float(tile.value.rstrip("%")) < float(high.rstrip("%"))


def test_a_span_shorter_than_the_window_loads_the_window(app: AppFactory) -> None:
    newest = last_ended_week()
    custom = app("overview", app=FRESH, lang="en",
                 **{"from": newest.shift(-5).iso, "to": newest.iso}).metric[3]
    preset = app("overview", app=FRESH, lang="en").metric[3]
    assert "forecast" in custom.label
    assert (custom.value, custom.proto.delta) == (preset.value, preset.proto.delta)


@pytest.mark.parametrize(("period", "n"), [(Week, 52), (Day, 60)])
def test_the_analytics_give_the_same_from_the_cached_matrix(period: type[Period], n: int) -> None:
    frame = DemoSource().load([FRESH], list(period.last_n(n))).frame
    users = cohort_matrix(frame, metric="new", values="users", app_id=FRESH, period=period)
    published = users[[k for k in period.KEYS if k in users.columns]]  # as loaders.matrix
    assert kpis(frame, app_id=FRESH, period=period) == kpis(users=published, period=period)
    pd.testing.assert_frame_equal(
        anomalies(frame, app_id=FRESH, period=period, flagged_only=False),
        anomalies(users=published, period=period, flagged_only=False))
    alone = decay.fit(frame, app_id=FRESH, period=period, resamples=40)
    given = decay.fit(users=published, period=period, resamples=40)
    assert (alone.model, alone.theta, alone.params) == (given.model, given.theta, given.params)
    pd.testing.assert_frame_equal(alone.project(), given.project())

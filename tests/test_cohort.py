"""Cohort analytics on hand-made tidy frames, checked against arithmetic written out here, and
Hypothesis properties over random frames (rates in [0, 1], offset 0 is 1, averages between the
extremes, the all-apps tables equal to the per-app ones)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from wxdata.analytics import anomalies, cohort, kpis
from wxdata.core.tidy import TIDY_COLUMNS

Cohort = tuple[str, Sequence[int | None]]  # (cohort_start, users by offset; None = unpublished)


def tidy(*cohorts: Cohort, app: str = "wx1", metric: str = "new") -> pd.DataFrame:
    """A tidy frame of one app and metric; rate worked out row by row."""
    rows = []
    for start, users in cohorts:
        monday = pd.Timestamp(start)
        base = users[0] if users else None
        for k, count in enumerate(users):
            if count is not None:
                rate = count / base if base else math.nan
                rows.append((app, monday, monday + pd.Timedelta(days=6), metric, k, count, rate))
    return pd.DataFrame(rows, columns=TIDY_COLUMNS)


def both(*frames: pd.DataFrame) -> pd.DataFrame:
    return pd.concat(frames, ignore_index=True)


# Four cohorts of one app: a zero base, a full-ish one, a newer one, one with only W0.
BASIC = tidy(("2026-10-26", [0, 0]), ("2026-11-02", [1000, 250, 150]),
             ("2026-11-09", [1200, 330]), ("2026-11-16", [1100]))
Z95 = 1.959963984540054


def test_matrix_rates_counts_zero_base_and_unpublished() -> None:
    rates = cohort.cohort_matrix(BASIC)
    assert list(rates.columns) == [0, 1, 2, 3, 4]
    assert list(rates.index) == list(pd.to_datetime(
        ["2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16"]))
    assert rates.index.name == "cohort_start"
    assert rates.loc["2026-11-02"].tolist()[:3] == [1.0, 0.25, 0.15]  # 250/1000, 150/1000
    assert rates.loc["2026-11-09", 1] == pytest.approx(0.275)  # 330/1200
    assert rates.loc["2026-10-26"].isna().all()  # over a zero base: NaN, not 0 or inf
    assert rates.loc["2026-11-16", 1:].isna().all()  # unpublished: NaN, never 0
    users = cohort.cohort_matrix(BASIC, values="users")
    assert users.loc["2026-11-02", 2] == 150 and np.isnan(users.loc["2026-11-09", 2])


def test_matrix_keeps_offsets_beyond_four_and_gaps() -> None:
    frame = tidy(("2026-01-05", [1000, 300, None, 200, 180, 170, 160, 150]))
    rates = cohort.cohort_matrix(frame)
    assert list(rates.columns) == list(range(8))
    assert np.isnan(rates.iloc[0, 2]) and rates.iloc[0, 7] == pytest.approx(0.15)


def test_matrix_reads_the_chosen_metric_and_app() -> None:
    frame = both(BASIC, tidy(("2026-11-02", [5000, 3000]), metric="active"),
                 tidy(("2026-11-02", [10, 1]), app="wx2"))
    assert cohort.cohort_matrix(frame, metric="active", app_id="wx1").iloc[0, 1] == 0.6
    assert cohort.cohort_matrix(frame, app_id="wx2").iloc[0, 1] == pytest.approx(0.1)
    assert cohort.cohort_matrix(frame, metric="active", app_id="wx2").empty


def test_unsorted_rows_give_sorted_cohorts() -> None:
    frame = BASIC.sample(frac=1.0, random_state=3)
    pd.testing.assert_frame_equal(cohort.cohort_matrix(frame), cohort.cohort_matrix(BASIC))


PER_APP = [
    lambda f, **kw: cohort.cohort_matrix(f, **kw),
    lambda f, **kw: cohort.average_curve(f, **kw),
    lambda f, **kw: cohort.week_over_week(f, **kw),
    lambda f, **kw: anomalies.anomalies(f, **kw),
    lambda f, **kw: cohort.calendar_view(f, **kw),
    lambda f, **kw: kpis.kpis(f, **kw),
]


@pytest.mark.parametrize("call", PER_APP)
def test_two_apps_without_app_id_name_the_apps(call: object) -> None:
    frame = both(BASIC, tidy(("2026-11-02", [10, 1]), app="wx2"))
    with pytest.raises(ValueError, match=r"2 apps \(wx1, wx2\); pass app_id="):
        call(frame)  # type: ignore[operator]
    with pytest.raises(ValueError, match="'wx9' is not in the frame; it holds wx1, wx2"):
        call(frame, app_id="wx9")  # type: ignore[operator]


@pytest.mark.parametrize(("options", "message"), [
    ({"metric": "visits"}, "metric must be one of 'new', 'active'"),
])
@pytest.mark.parametrize("call", PER_APP)
def test_bad_options_are_refused(call: object, options: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call(BASIC, **options)  # type: ignore[operator]


def test_bad_frames_are_refused_with_a_way_out() -> None:
    with pytest.raises(ValueError, match=r"lacks column.*users.*a tidy frame has app_id"):
        cohort.cohort_matrix(BASIC.drop(columns=["users"]))
    with pytest.raises(ValueError, match="appear more than once; drop the duplicate rows"):
        cohort.cohort_matrix(both(BASIC, BASIC))
    with pytest.raises(ValueError, match="values must be one of 'rate', 'users'"):
        cohort.cohort_matrix(BASIC, values="share")
    with pytest.raises(ValueError, match="weighting must be one of"):
        cohort.average_curve(BASIC, weighting="median")
    with pytest.raises(ValueError, match="offset >= 1"):
        anomalies.anomalies(BASIC, offset=0)


def test_empty_frames_give_empty_results_with_the_usual_columns() -> None:
    empty = BASIC.iloc[:0]
    assert list(cohort.cohort_matrix(empty).columns) == [0, 1, 2, 3, 4]
    assert cohort.cohort_matrix(pd.DataFrame()).empty
    assert list(cohort.average_curve(empty).columns) == ["rate", "low", "high", "cohorts", "users"]
    wow = cohort.week_over_week(empty)
    assert wow.empty and list(wow.columns[:6]) == ["size", "size_change", "rate_1", "delta_1",
                                                   "p_1", "significant_1"]
    assert list(anomalies.anomalies(empty).columns) == ["rate", "expected", "low", "high", "z"]
    assert cohort.calendar_view(empty).empty
    assert kpis.kpis(empty) == kpis.Kpis("new")
    tables = cohort.all_tables(empty)
    assert list(tables) == ["rates", "users", "average", "week_over_week"]
    assert all(table.empty for table in tables.values())


def test_weighted_average_by_hand() -> None:
    avg = cohort.average_curve(BASIC)
    assert list(avg.index) == [0, 1, 2, 3, 4] and avg.index.name == "week_offset"
    # offset 0: three cohorts with a positive base (the zero base is left out), 1000+1200+1100
    assert avg.loc[0].tolist() == [1.0, 1.0, 1.0, 3, 3300]
    # offset 1: (250 + 330) / (1000 + 1200) = 580 / 2200 = 0.263636, Wilson 0.245648..0.282448
    assert avg.loc[1, "rate"] == pytest.approx(580 / 2200)
    assert (avg.loc[1, "low"], avg.loc[1, "high"]) == pytest.approx((0.245648, 0.282448),
                                                                    abs=2e-6)
    assert (avg.loc[1, "cohorts"], avg.loc[1, "users"]) == (2, 2200)
    # offset 2: only the 11-02 cohort has published it: 150 / 1000
    assert avg.loc[2, "rate"] == pytest.approx(0.15) and avg.loc[2, "users"] == 1000
    assert np.isnan(avg.loc[3, "rate"]) and avg.loc[3, "cohorts"] == 0


def test_simple_average_by_hand() -> None:
    avg = cohort.average_curve(BASIC, weighting="simple", confidence=0.9)
    # offset 1: mean(0.25, 0.275) = 0.2625; sd = √(2 · 0.0125² / 1) = 0.0176777;
    # 90 %: z = 1.644854, half = 1.644854 · 0.0176777 / √2 = 0.0205607
    assert avg.loc[1, "rate"] == pytest.approx(0.2625)
    assert (avg.loc[1, "low"], avg.loc[1, "high"]) == pytest.approx(
        (0.2625 - 0.0205607, 0.2625 + 0.0205607), abs=1e-6)
    assert avg.loc[2, "rate"] == pytest.approx(0.15) and np.isnan(avg.loc[2, "low"])  # one cohort


def test_single_cohort() -> None:
    frame = tidy(("2026-11-02", [800, 200, 120]))
    avg = cohort.average_curve(frame)
    assert avg.loc[2, "rate"] == pytest.approx(0.15) and avg.loc[2, "cohorts"] == 1
    assert cohort.week_over_week(frame).empty
    kpi = kpis.kpis(frame)
    assert (kpi.latest_size, kpi.w1_rate) == (800, 0.25) and math.isnan(kpi.size_change)
    assert math.isnan(kpi.w1_p)  # no four cohorts before it: no baseline, no test


def test_week_over_week_by_hand() -> None:
    wow = cohort.week_over_week(BASIC)
    assert list(wow.index) == list(pd.to_datetime(["2026-11-02", "2026-11-09", "2026-11-16"]))
    nov9 = wow.loc["2026-11-09"]
    assert (nov9["size"], nov9["size_change"]) == (1200, pytest.approx(0.2))  # 1200 / 1000 - 1
    assert (nov9["rate_1"], nov9["delta_1"]) == pytest.approx((0.275, 0.025))
    # pooled 580/2200; se = √(0.263636 · 0.736364 · (1/1200 + 1/1000)) = 0.0188655;
    # z = 0.025 / 0.0188655 = 1.325170; p = 2 · (1 - Φ(z)) = 0.185116
    assert nov9["p_1"] == pytest.approx(0.185116, abs=2e-6) and not nov9["significant_1"]
    assert np.isnan(nov9["p_2"])  # 11-09 has not published W2
    assert np.isnan(wow.loc["2026-11-02", "size_change"])  # the week before had no users
    assert np.isnan(wow.loc["2026-11-02", "p_1"])
    assert wow.loc["2026-11-16", "size_change"] == pytest.approx(1100 / 1200 - 1)
    assert wow["significant_1"].dtype == bool


def test_week_over_week_significance_is_corrected_over_the_whole_table() -> None:
    # W1: 250/1000 -> 150/1000 -> 172/1000. Raw two-proportion p-values, by hand:
    # 150 vs 250: pooled 0.2, se = √(0.2·0.8·0.002) = 0.0178885, z = 5.5902 -> p = 2.27e-8
    # 172 vs 150: pooled 0.161, se = √(0.161·0.839·0.002) = 0.0164368, z = 1.33846 -> p = 0.1807
    # W2: 100/1000 -> 75/1000: pooled 0.0875, se = 0.0126368, z = 1.97835 -> p = 0.04789
    # BH over the three: 2.27e-8·3 ✓; 0.04789·3/2 = 0.0718 > 0.05 ✗; 0.1807 ✗
    frame = tidy(("2026-01-05", [1000, 250, 100]), ("2026-01-12", [1000, 150, 75]),
                 ("2026-01-19", [1000, 172]))
    wow = cohort.week_over_week(frame)
    expected = 2 * sps.norm.sf([5.59017, 1.33846, 1.97835])
    assert wow["p_1"].tolist() == pytest.approx(expected[:2], rel=1e-4)
    assert wow.loc["2026-01-12", "p_2"] == pytest.approx(expected[2], rel=1e-4)
    assert wow.loc["2026-01-12", "p_2"] < 0.05  # significant on its own ...
    assert not wow.loc["2026-01-12", "significant_2"]  # ... but not among three tests
    assert wow["significant_1"].tolist() == [True, False]
    assert wow.loc["2026-01-12", "delta_1"] == pytest.approx(-0.1)


def test_anomalies_by_hand() -> None:
    w1 = [300, 310, 290, 300, 310, 290, 300, 300, 250, 300]
    frame = tidy(*((str(pd.Timestamp("2026-01-05") + pd.Timedelta(weeks=i)).split()[0],
                    [1000, users]) for i, users in enumerate(w1)))
    flagged = anomalies.anomalies(frame)
    # window before the 9th cohort: mean 0.3, squares of deviations 4·0.01² -> var 4e-4/7,
    # sd 0.00755929; band 0.3 ± 3 · sd = 0.277322..0.322678; z = -0.05 / sd = -6.61438
    assert list(flagged.index) == [pd.Timestamp("2026-03-02")]
    row = flagged.iloc[0]
    assert row["rate"] == 0.25 and row["expected"] == pytest.approx(0.3)
    assert (row["low"], row["high"], row["z"]) == pytest.approx((0.277322, 0.322678, -6.61438),
                                                                abs=1e-5)
    band = anomalies.anomalies(frame, flagged_only=False)
    assert len(band) == 2  # only the last two cohorts have eight before them
    assert abs(band.loc["2026-03-09", "z"]) < 3  # 0.30 against a window that holds the 0.25
    assert anomalies.anomalies(frame, window=20).empty


def test_calendar_view_by_hand() -> None:
    view = cohort.calendar_view(BASIC)
    assert list(view.columns) == list(pd.to_datetime(["2026-11-09", "2026-11-16"]))
    assert view.columns.name == "return_week" and view.index.name == "cohort_start"
    # 11-02 at W1 came back in 11-09, at W2 in 11-16; 11-09 at W1 came back in 11-16
    assert view.loc["2026-11-02"].tolist() == [0.25, 0.15]
    assert np.isnan(view.loc["2026-11-09", "2026-11-09"])
    assert view.loc["2026-11-09", "2026-11-16"] == pytest.approx(0.275)


def test_calendar_view_shows_a_holiday_as_one_column() -> None:
    frame = tidy(("2026-01-05", [1000, 300, 200, 150]), ("2026-01-12", [1000, 300, 100]),
                 ("2026-01-19", [1000, 150]))  # every cohort dips in the week of 01-26
    dip = cohort.calendar_view(frame)[pd.Timestamp("2026-01-26")]
    assert dip.tolist() == [0.15, 0.1, 0.15]


def test_kpis_by_hand() -> None:
    w1 = [250, 260, 240, 250, 200]
    frame = tidy(("2025-12-01", [1000, 250, 180, 120, 100]),
                 *((str(pd.Timestamp("2025-12-08") + pd.Timedelta(weeks=i)).split()[0],
                    [1000, users]) for i, users in enumerate(w1[1:])),
                 ("2026-01-05", [1100]))
    kpi = kpis.kpis(frame)
    assert (kpi.latest_week, kpi.latest_size) == (pd.Timestamp("2026-01-05"), 1100)
    assert kpi.size_change == pytest.approx(0.1)  # 1100 / 1000 - 1
    assert (kpi.w1_week, kpi.w1_rate) == (pd.Timestamp("2025-12-29"), 0.2)
    # baseline: (250 + 260 + 240 + 250) / 4000 = 0.25; delta -0.05
    assert (kpi.w1_baseline, kpi.w1_delta) == pytest.approx((0.25, -0.05))
    # 200/1000 vs 1000/4000: pooled 0.24, se = √(0.24·0.76·(1/1000 + 1/4000)) = 0.0150997,
    # z = 3.31132, p = 0.000928
    assert kpi.w1_p == pytest.approx(2 * sps.norm.sf(3.31132), rel=1e-4)
    assert (kpi.w4_week, kpi.w4_rate) == (pd.Timestamp("2025-12-01"), 0.1)
    assert kpi.metric == "new"


@pytest.mark.parametrize("options", [
    {},
    {"metric": "active", "weighting": "simple", "confidence": 0.9, "alpha": 0.1},
])
def test_all_tables_are_the_per_app_tables(options: dict[str, Any]) -> None:
    frame = both(BASIC, tidy(("2026-11-02", [10, 1, 1, 0, 0, 0, 1]), ("2026-11-09", [20, 4]),
                             app="wx2"))
    if options:  # the same cohorts as "active": the options must reach every table
        frame = both(frame, frame.assign(metric="active"))
    for app in ("wx1", "wx2"):
        _same_tables(frame, app, **options)


def _same_tables(frame: pd.DataFrame, app: str, *, metric: str = "new",
                 weighting: str = "weighted", confidence: float = 0.95,
                 alpha: float = 0.05) -> None:
    """``app``'s part of each table of ``all_tables(frame)`` is the per-app function's table."""
    tables = cohort.all_tables(frame, metric=metric, weighting=weighting, confidence=confidence,
                               alpha=alpha)
    one = frame[frame["app_id"] == app]
    for values, key in (("rate", "rates"), ("users", "users")):
        matrix = cohort.cohort_matrix(one, metric=metric, values=values)
        pd.testing.assert_frame_equal(tables[key].loc[app][matrix.columns], matrix,
                                      check_freq=False)
    average = cohort.average_curve(one, metric=metric, weighting=weighting,
                                   confidence=confidence)
    pd.testing.assert_frame_equal(tables["average"].loc[app].loc[average.index], average)
    wow, every = cohort.week_over_week(one, metric=metric, alpha=alpha), tables["week_over_week"]
    if wow.empty:  # a single cohort has nothing to compare with
        assert app not in every.index.get_level_values("app_id")
    else:
        pd.testing.assert_frame_equal(every.loc[app][wow.columns], wow, check_freq=False)


# A random app: 1..8 cohorts, each a base and the offsets it published (gaps allowed), never more
# users than the base.
@st.composite
def frames(draw: st.DrawFn, app: str = "wx1") -> pd.DataFrame:
    cohorts = []
    for i in range(draw(st.integers(min_value=1, max_value=8))):
        base = draw(st.integers(min_value=0, max_value=5000))
        shown = draw(st.lists(st.one_of(st.none(), st.integers(min_value=0, max_value=base)),
                              max_size=7))
        start = str(pd.Timestamp("2026-01-05") + pd.Timedelta(weeks=i)).split()[0]
        cohorts.append((start, [base, *shown]))
    return tidy(*cohorts, app=app)


@settings(max_examples=60, deadline=None)
@given(frames())
def test_rates_lie_in_unit_interval_and_offset_zero_is_one(frame: pd.DataFrame) -> None:
    rates = cohort.cohort_matrix(frame)
    values = rates.to_numpy()
    assert np.all((values[~np.isnan(values)] >= 0) & (values[~np.isnan(values)] <= 1))
    base = cohort.cohort_matrix(frame, values="users")[0]
    assert (rates.loc[base > 0, 0] == 1.0).all() and rates.loc[base == 0].isna().all(axis=None)


@settings(max_examples=60, deadline=None)
@given(frames(), st.sampled_from(["weighted", "simple"]))
def test_average_lies_between_the_cohorts_and_inside_its_band(frame: pd.DataFrame,
                                                              weighting: str) -> None:
    rates = cohort.cohort_matrix(frame)
    avg = cohort.average_curve(frame, weighting=weighting)
    for k in avg.index[avg["cohorts"] > 0]:
        rate = avg.loc[k, "rate"]
        assert rates[k].min() - 1e-12 <= rate <= rates[k].max() + 1e-12
        assert avg.loc[k, "cohorts"] == rates[k].notna().sum()
        if not np.isnan(avg.loc[k, "low"]):
            assert avg.loc[k, "low"] - 1e-12 <= rate <= avg.loc[k, "high"] + 1e-12


@settings(max_examples=30, deadline=None)
@given(frames("wx1"), frames("wx2"), st.sampled_from(["weighted", "simple"]))
def test_all_apps_tables_match_per_app_tables(one: pd.DataFrame, two: pd.DataFrame,
                                              weighting: str) -> None:
    frame = both(one, two)
    for app in ("wx1", "wx2"):
        _same_tables(frame, app, weighting=weighting)
    wow = cohort.all_tables(frame)["week_over_week"]
    p = wow.filter(like="p_").to_numpy(dtype=float)
    assert np.all((p[~np.isnan(p)] >= 0) & (p[~np.isnan(p)] <= 1))

"""Cohort analytics on hand-made tidy frames, checked against arithmetic written out here, and
Hypothesis properties over random frames (rates in [0, 1], offset 0 is 1, averages between the
extremes, the all-apps tables equal to the per-app ones). Days and months: test_cohort_days."""

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
from wxdata.core.periods import Period, Week
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
    assert list(cohort.average_curve(empty).columns) == [
        "rate", "low", "high", "cohorts", "users", "since", "after_shift"]
    wow = cohort.week_over_week(empty)
    assert wow.empty and list(wow.columns[:6]) == ["size", "size_change", "rate_1", "delta_1",
                                                   "p_1", "significant_1"]
    assert list(anomalies.anomalies(empty).columns) == [
        "rate", "expected", "low", "high", "t", "flagged"]
    assert cohort.calendar_view(empty).empty
    assert kpis.kpis(empty) == kpis.Kpis("new")
    tables = cohort.all_tables(empty)
    assert list(tables) == ["rates", "users", "average", "week_over_week"]
    assert all(table.empty for table in tables.values())


def test_weighted_average_by_hand() -> None:
    avg = cohort.average_curve(BASIC)
    assert list(avg.index) == [0, 1, 2, 3, 4] and avg.index.name == "offset"
    # offset 0: three cohorts with a positive base (the zero base is left out), 1000+1200+1100
    assert avg.loc[0, ["rate", "low", "high", "cohorts", "users"]].tolist() == [
        1.0, 1.0, 1.0, 3, 3300]
    # offset 1: (250 + 330) / (1000 + 1200) = 580 / 2200 = 0.263636; cluster-robust: residuals
    # 250 - 263.636 = -13.636 and 330 - 316.364 = 13.636, Σ² = 371.90; Var = 2/1 · 371.90 /
    # 2200² = 1.53678e-4, se = 0.0123967; t(1) = 12.7062: half 0.157516
    assert avg.loc[1, "rate"] == pytest.approx(580 / 2200)
    assert (avg.loc[1, "low"], avg.loc[1, "high"]) == pytest.approx(
        (580 / 2200 - 0.157516, 580 / 2200 + 0.157516), abs=2e-6)
    assert (avg.loc[1, "cohorts"], avg.loc[1, "users"]) == (2, 2200)
    assert avg.loc[1, "since"] == pd.Timestamp("2026-11-02") and not avg.loc[1, "after_shift"]
    # offset 2: only the 11-02 cohort has published it: 150 / 1000, and no interval from one
    assert avg.loc[2, "rate"] == pytest.approx(0.15) and avg.loc[2, "users"] == 1000
    assert np.isnan(avg.loc[2, "low"]) and np.isnan(avg.loc[2, "high"])
    assert np.isnan(avg.loc[3, "rate"]) and avg.loc[3, "cohorts"] == 0
    assert pd.isna(avg.loc[3, "since"])


def test_weighted_average_of_four_cohorts_by_hand() -> None:
    # W1 300/1000, 280/1000, 330/1200, 250/900: R = 1160/4100 = 0.282927; residuals 17.0732,
    # -2.9268, -9.5122, -4.6341, Σ² = 412.0167; Var = 4/3 · 412.0167 / 4100² = 3.26803e-5,
    # se = 0.00571667, t(3) = 3.182446: half = 0.0181930 (Wilson of 1160/4100: ± 0.0138)
    frame = tidy(("2026-01-05", [1000, 300]), ("2026-01-12", [1000, 280]),
                 ("2026-01-19", [1200, 330]), ("2026-01-26", [900, 250]))
    avg = cohort.average_curve(frame)
    assert avg.loc[1, "rate"] == pytest.approx(1160 / 4100)
    assert (avg.loc[1, "low"], avg.loc[1, "high"]) == pytest.approx(
        (1160 / 4100 - 0.0181930, 1160 / 4100 + 0.0181930), abs=1e-6)


def test_simple_average_by_hand() -> None:
    avg = cohort.average_curve(BASIC, weighting="simple", confidence=0.9)
    # offset 1: mean(0.25, 0.275) = 0.2625; sd = √(2 · 0.0125² / 1) = 0.0176777;
    # 90 %: t(1) = 6.313752, half = 6.313752 · 0.0176777 / √2 = 0.0789219
    assert avg.loc[1, "rate"] == pytest.approx(0.2625)
    assert (avg.loc[1, "low"], avg.loc[1, "high"]) == pytest.approx(
        (0.2625 - 0.0789219, 0.2625 + 0.0789219), abs=1e-6)
    assert avg.loc[2, "rate"] == pytest.approx(0.15) and np.isnan(avg.loc[2, "low"])  # one cohort


def weekly(w1: Sequence[int], *, size: int = 1000, start: str = "2026-01-05") -> pd.DataFrame:
    """One cohort a week from ``start``, each ``size`` users with the given W1 counts."""
    return tidy(*((str(pd.Timestamp(start) + pd.Timedelta(weeks=i)).split()[0], [size, users])
                  for i, users in enumerate(w1)))


def test_the_average_covers_the_newest_cohorts_at_each_offset() -> None:
    frame = weekly([300 + (i % 3) for i in range(20)])
    avg = cohort.average_curve(frame, window=12)
    assert avg.loc[1, "cohorts"] == 12
    assert avg.loc[1, "since"] == pd.Timestamp("2026-01-05") + pd.Timedelta(weeks=8)
    everything = cohort.average_curve(frame, window=None)
    assert everything.loc[1, "cohorts"] == 20 and everything.loc[1, "since"] == pd.Timestamp(
        "2026-01-05")
    with pytest.raises(ValueError, match="window must be 2 or more"):
        cohort.average_curve(frame, window=1)


def test_the_average_starts_at_a_level_shift_among_the_newest_cohorts() -> None:
    # 14 weeks around 30 %, then a launch: 8 weeks around 36 %
    before, after = [300, 310, 290, 305, 295, 300, 310] * 2, [360, 370, 350, 365, 355, 360, 370,
                                                              350]
    frame = weekly(before + after)
    avg = cohort.average_curve(frame)
    assert avg.loc[1, "after_shift"] and avg.loc[1, "cohorts"] == 8
    assert avg.loc[1, "since"] == pd.Timestamp("2026-01-05") + pd.Timedelta(weeks=14)
    assert avg.loc[1, "rate"] == pytest.approx(sum(after) / 8000)
    assert not cohort.average_curve(frame, shifts=False).loc[1, "after_shift"]
    assert cohort.average_curve(frame, shifts=False).loc[1, "cohorts"] == 12
    # a holiday (two odd weeks) among steady ones is not a shift
    holiday = weekly([300, 310, 290, 305, 295, 300, 310] * 3 + [220, 230, 300, 305, 295])
    assert not cohort.average_curve(holiday).loc[1, "after_shift"]


def test_single_cohort() -> None:
    frame = tidy(("2026-11-02", [800, 200, 120]))
    avg = cohort.average_curve(frame)
    assert avg.loc[2, "rate"] == pytest.approx(0.15) and avg.loc[2, "cohorts"] == 1
    assert cohort.week_over_week(frame).empty
    kpi = kpis.kpis(frame)
    assert (kpi.latest_size, kpi.w1_rate) == (800, 0.25) and math.isnan(kpi.size_change)
    assert math.isnan(kpi.w1_p)  # no four cohorts before it: no baseline, no test
    assert np.isnan(avg.loc[2, "low"])  # one cohort: no interval


def test_week_over_week_columns_by_hand() -> None:
    wow = cohort.week_over_week(BASIC)
    assert list(wow.index) == list(pd.to_datetime(["2026-11-02", "2026-11-09", "2026-11-16"]))
    nov9 = wow.loc["2026-11-09"]
    assert (nov9["size"], nov9["size_change"]) == (1200, pytest.approx(0.2))  # 1200 / 1000 - 1
    assert (nov9["rate_1"], nov9["delta_1"]) == pytest.approx((0.275, 0.025))
    assert np.isnan(nov9["p_1"])  # one pair of cohorts says nothing of the usual spread
    assert np.isnan(nov9["p_2"])  # 11-09 has not published W2
    assert np.isnan(wow.loc["2026-11-02", "size_change"])  # the week before had no users
    assert wow.loc["2026-11-16", "size_change"] == pytest.approx(1100 / 1200 - 1)
    assert wow["significant_1"].dtype == bool


def test_week_over_week_allows_for_the_usual_spread_by_hand() -> None:
    # W1 of six cohorts of 1000: 300, 310, 290, 305, 295, 350. Differences 0.01, -0.02, 0.015,
    # -0.01, 0.055; pooled binomial variances 4.2395e-4, 4.2e-4, 4.17988e-4, 4.2e-4, 4.36988e-4
    # (mean 4.23785e-4). Keep the 4 smallest squares: (1 + 1 + 2.25 + 4)e-4 / 4 / 0.437725 =
    # 4.71187e-4 = Var̂(d); τ̂² = (4.71187e-4 - 4.23785e-4) / 2 = 2.37008e-5.
    # The last change: V = 4.36988e-4 + 2τ̂² = 4.84389e-4, t = 0.055 / √V = 2.49900,
    # df = 0.47 · 5 · (V / Var̂(d))² = 2.48354: p = 0.105321 (the pooled z-test: 0.0085).
    frame = weekly([300, 310, 290, 305, 295, 350])
    wow = cohort.week_over_week(frame)
    assert wow["delta_1"].tolist() == pytest.approx([0.01, -0.02, 0.015, -0.01, 0.055])
    assert wow["p_1"].tolist() == pytest.approx(
        [0.684233, 0.441015, 0.550640, 0.683625, 0.105321], abs=2e-6)
    assert not wow["significant_1"].any()
    # a hundred times the users: the binomial noise vanishes, the weeks vary as much as before,
    # so nothing becomes significant (the z-test's p for the last change: 1e-152)
    big = cohort.week_over_week(weekly([30000, 31000, 29000, 30500, 29500, 35000], size=100_000))
    assert big["p_1"].iloc[-1] == pytest.approx(0.108255, abs=2e-6)
    assert not big["significant_1"].any()


def test_week_over_week_flags_a_change_far_beyond_the_spread() -> None:
    # twelve steady weeks (± 0.5 pp), then a 6 pp drop; BH over the eleven W1 tests
    w1 = [300, 305, 295, 300, 305, 295, 300, 305, 295, 300, 305, 240]
    wow = cohort.week_over_week(weekly(w1))
    assert wow["p_1"].iloc[-1] < 0.005  # 6.5 pp against a binomial sd of 2 pp
    assert wow["significant_1"].tolist() == [False] * 10 + [True]
    # the same drop in a table where weeks usually move by 5 pp is not significant
    noisy = [300, 350, 290, 340, 280, 330, 300, 350, 290, 340, 300, 240]
    assert not cohort.week_over_week(weekly(noisy))["significant_1"].iloc[-1]


def test_anomalies_by_hand() -> None:
    # (calendar=False in these worked examples: their weeks from 2026-01-05 cross the Spring
    # Festival, whose cohorts the calendar sets aside; test_wow_chart tests that rule)
    w1 = [300, 310, 290, 300, 310, 290, 300, 300, 250, 300]
    flagged = anomalies.anomalies(weekly(w1), calendar=False)
    # window before the 9th cohort: mean 0.3, s² = 4e-4 / 7 = 5.71429e-5, below the binomial
    # 0.21 / 1000 = 2.1e-4: τ̂² = 0. V = 2.1e-4 + 2.1e-4 / 8 = 2.3625e-4 (sd 0.0153704);
    # df = 7 · (V / (1.125 · s²))² = 94.539, t quantile at 1 - 0.0027/2: 3.081298;
    # band 0.3 ± 0.0473609 = 0.252639..0.347361; t = -0.05 / 0.0153704 = -3.25300
    assert list(flagged.index) == [pd.Timestamp("2026-03-02")]
    row = flagged.iloc[0]
    assert row["rate"] == 0.25 and row["expected"] == pytest.approx(0.3) and row["flagged"]
    assert (row["low"], row["high"], row["t"]) == pytest.approx((0.252639, 0.347361, -3.25300),
                                                                abs=1e-5)
    band = anomalies.anomalies(weekly(w1), flagged_only=False, calendar=False)
    assert len(band) == 2  # only the last two cohorts have eight before them
    # the 10th's window leaves the flagged 9th out: the same eight cohorts, the same band
    assert band.loc["2026-03-09", ["expected", "low", "high"]].tolist() == pytest.approx(
        [0.3, 0.252639, 0.347361], abs=1e-5)
    assert anomalies.anomalies(weekly(w1), window=20, calendar=False).empty


def test_anomaly_band_is_the_textbook_one_when_weeks_vary_beyond_the_binomial() -> None:
    # 100,000 users a week: binomial 2.1e-6, s² = 5.71429e-5 as above. V = 2.1e-6·(1 + 1/8)
    # + 1.125 · (s² - 2.1e-6) = 1.125 · s² = 6.42857e-5 (sd 0.00801784) on df = 7 exactly:
    # t₇ quantile 4.529974, band 0.3 ± 0.0363204; t = -0.05 / 0.00801784 = -6.23610
    w1 = [30000, 31000, 29000, 30000, 31000, 29000, 30000, 30000, 25000]
    row = anomalies.anomalies(weekly(w1, size=100_000), calendar=False).iloc[0]
    assert (row["low"], row["high"], row["t"]) == pytest.approx(
        (0.3 - 0.0363204, 0.3 + 0.0363204, -6.23610), abs=1e-5)


def test_a_holiday_does_not_widen_the_bands_after_it_but_a_new_level_is_learnt() -> None:
    steady = [30000, 30400, 29600, 30200, 29800, 30000, 30300, 29700]  # 100,000 users a week
    # a holiday dip, then a small but real drop (1.5 pp) four weeks later: with the holiday in
    # its window the band would be ± 15 pp wide; without it, ± 1.1 pp
    with_holiday = anomalies.anomalies(weekly([*steady, 20000, 30000, 30200, 29800, 28500],
                                              size=100_000), calendar=False)
    assert [d.strftime("%m-%d") for d in with_holiday.index] == ["03-02", "03-30"]
    # a launch: three high weeks in a row are a new level; the windows start again from it, and
    # its weeks are judged again once eight of them have passed (not flagged one after another)
    level = [38000, 38500, 37800, 38200, 37900, 38300, 38100, 37700, 38400, 38000, 38200]
    launch = anomalies.anomalies(weekly([*steady, *level], size=100_000), flagged_only=False,
                                 calendar=False)
    assert launch["flagged"].tolist() == [True, True, True, False, False, False]
    judged = [d.strftime("%m-%d") for d in launch.index]
    assert judged[3:] == ["04-27", "05-04", "05-11"]  # the 9th, 10th and 11th week of the level
    assert launch["expected"].iloc[-1] == pytest.approx(np.mean(level[2:10]) / 100_000)


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
    w1 = [300, 310, 290, 305, 295, 300, 250]
    frame = both(weekly(w1), tidy(("2026-02-23", [1100])),
                 tidy(("2025-12-29", [1000, 300, 200, 150, 120])))
    kpi = kpis.kpis(frame)
    assert (kpi.latest_week, kpi.latest_size) == (pd.Timestamp("2026-02-23"), 1100)
    assert kpi.size_change == pytest.approx(0.1)  # 1100 / 1000 - 1
    assert (kpi.w1_week, kpi.w1_rate) == (pd.Timestamp("2026-02-16"), 0.25)
    # baseline: (290 + 305 + 295 + 300) / 4000 = 0.2975; delta -0.0475. The spread comes from
    # the 7 cohorts before the newest (12-29 and the first six weekly ones): too steady to add
    # anything (τ̂² = 0), so the test is the pooled z: p̄ = 1440/5000, V = 0.288·0.712·(1/1000
    # + 1/4000) = 2.5632e-4, t = -2.96690; df = 0.47 · 6 · (2V / (1.25·Var̂(d)))², Var̂(d) =
    # (0 + 1 + 1 + 2.25 + 4)e-4 / 5 / 0.437725·... (see test_spread): p from t(df) below
    assert (kpi.w1_baseline, kpi.w1_delta) == pytest.approx((0.2975, -0.0475))
    history = np.array([300.0, 300, 310, 290, 305, 295, 300]), np.full(7, 1000.0)
    assert kpi.w1_p == pytest.approx(kpis.w1_p(250.0, 1000.0, history[0][-4:], history[1][-4:],
                                               *history), rel=1e-12)
    assert 0.005 < kpi.w1_p < 0.05
    assert (kpi.w4_week, kpi.w4_rate) == (pd.Timestamp("2025-12-29"), 0.12)
    assert kpi.metric == "new"


def test_the_kpi_test_by_hand() -> None:
    # six earlier cohorts of 1000 (W1 300, 310, 290, 305, 295, 300; differences 0.01, -0.02,
    # 0.015, -0.01, 0.005): the 4 smallest squares (0.25 + 1 + 1 + 2.25)e-4 / 4 / 0.437725 =
    # 2.57011e-4 = Var̂(d), below the mean pooled binomial variance 4.19985e-4: τ̂² = 0.
    # Newest 250/1000 against 1190/4000: p̄ = 0.288, B = 0.288·0.712·(1/1000 + 1/4000) =
    # 2.5632e-4, t = -0.0475 / √B = -2.96690; c = 1 + 4·(1/4)² = 1.25, df = 0.47·5·(2B /
    # (1.25·Var̂(d)))² = 5.98370: p = 2·P(t(5.98370) < -2.96690) = 0.025140
    history = np.array([300.0, 310, 290, 305, 295, 300]), np.full(6, 1000.0)
    p = kpis.w1_p(250.0, 1000.0, history[0][-4:], history[1][-4:], *history)
    assert p == pytest.approx(2 * sps.t.sf(2.96690, 5.98370), rel=1e-5)
    assert p == pytest.approx(0.025140, abs=2e-6)
    # the same weeks a hundred times larger vary far beyond their binomial noise: the pooled
    # z-test would say p = 1e-200; allowing for the spread, five differences leave it at 0.05
    big = kpis.w1_p(25000.0, 100000.0, history[0][-4:] * 100, history[1][-4:] * 100,
                    history[0] * 100, history[1] * 100)
    assert big == pytest.approx(0.049917, abs=1e-5)


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
                 alpha: float = 0.05, period: type[Period] = Week) -> None:
    """``app``'s part of each table of ``all_tables(frame)`` is the per-app function's table."""
    tables = cohort.all_tables(frame, metric=metric, weighting=weighting, confidence=confidence,
                               alpha=alpha, period=period)
    one = frame[frame["app_id"] == app]
    for values, key in (("rate", "rates"), ("users", "users")):
        matrix = cohort.cohort_matrix(one, metric=metric, values=values, period=period)
        pd.testing.assert_frame_equal(tables[key].loc[app][matrix.columns], matrix,
                                      check_freq=False)
    average = cohort.average_curve(one, metric=metric, weighting=weighting,
                                   confidence=confidence, period=period)
    pd.testing.assert_frame_equal(tables["average"].loc[app].loc[average.index], average)
    wow = cohort.period_over_period(one, metric=metric, alpha=alpha, period=period)
    every = tables["week_over_week"]
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


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=100, max_value=400), min_size=9, max_size=20),
       st.sampled_from([1000, 100_000]), st.integers(min_value=2, max_value=8))
def test_anomaly_bands_contain_their_expectation_and_flag_what_leaves_them(
        w1: list[int], size: int, window: int) -> None:
    band = anomalies.anomalies(weekly([v * size // 1000 for v in w1], size=size), window=window,
                               flagged_only=False)
    assert band.index.is_monotonic_increasing and len(band) <= len(w1) - window
    assert np.all((band["low"] <= band["expected"]) & (band["expected"] <= band["high"]))
    assert np.all((band["low"] >= 0) & (band["high"] <= 1))
    outside = (band["rate"] < band["low"]) | (band["rate"] > band["high"])
    assert band["flagged"].tolist() == outside.tolist()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=1000), min_size=5, max_size=30),
       st.sampled_from([1000, 100_000]))
def test_the_kpi_p_value_lies_in_unit_interval_and_ignores_direction(w1: list[int],
                                                                    size: int) -> None:
    counts = np.array(w1, dtype=np.float64) * size / 1000
    sizes = np.full(len(w1), float(size))
    p = kpis.w1_p(counts[-1], sizes[-1], counts[-5:-1], sizes[-5:-1], counts[:-1], sizes[:-1])
    mirrored = kpis.w1_p(size - counts[-1], sizes[-1], size - counts[-5:-1], sizes[-5:-1],
                         size - counts[:-1], sizes[:-1])  # the same change, seen as churn
    assert np.isnan(p) or 0.0 <= p <= 1.0
    assert (np.isnan(p) and np.isnan(mirrored)) or p == pytest.approx(mirrored, rel=1e-9,
                                                                      abs=1e-12)

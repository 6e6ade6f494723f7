"""The interval and test formulas against hand arithmetic, scipy's own implementations, and
Hypothesis properties (bounds around the estimate, p in [0, 1], symmetric in the two groups).
The Wilson interval and the pooled z-test are the calibration benchmark's baselines
(benchmarks/rejected.py): its "before" rows are only worth what they are."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from benchmarks.rejected import two_proportion_p, wilson_interval
from wxdata.analytics.stats import (
    bh_significant,
    mean_interval,
    ratio_interval,
    t_p_value,
    t_quantile,
    z_score,
)

Z95 = 1.959963984540054


def one(x: float) -> np.ndarray:
    return np.array([float(x)])


def test_wilson_by_hand_and_against_scipy() -> None:
    # 580 of 2200: p = 0.263636, z² = 3.841459
    # centre = (p + z²/4400) / (1 + z²/2200) = 0.2645094 / 1.0017461 = 0.2640484
    # half = z / 1.0017461 · √(p(1-p)/2200 + z²/(4·2200²)) = 1.9565476 · 0.0094043 = 0.0184000
    low, high = wilson_interval(one(580), one(2200))
    assert float(low[0]) == pytest.approx(0.2640484 - 0.0184000, abs=2e-6)
    assert float(high[0]) == pytest.approx(0.2640484 + 0.0184000, abs=2e-6)
    ci = sps.binomtest(580, 2200).proportion_ci(confidence_level=0.95, method="wilson")
    assert (float(low[0]), float(high[0])) == pytest.approx((ci.low, ci.high), abs=1e-12)


def test_wilson_is_nan_without_trials_and_stays_in_unit_interval() -> None:
    low, high = wilson_interval(np.array([0.0, 0.0, 10.0, 12.0]),
                                np.array([0.0, 10.0, 10.0, 10.0]))
    assert math.isnan(low[0]) and math.isnan(high[0])
    assert low[1] == 0.0 and high[1] == pytest.approx(Z95**2 / (10 + Z95**2))  # 0 of 10
    assert high[2] == pytest.approx(1.0) and low[2] == pytest.approx(10 / (10 + Z95**2))
    assert high[3] <= 1.0  # a count above its base is clipped, never a bound above 1


def test_t_quantiles_and_p_values_by_hand_and_against_scipy() -> None:
    # t(1) at 97.5 %: tan(π·0.475) = 12.7062; t(11): 2.2010 (tables); inf: the normal 1.96
    assert t_quantile(0.95, np.array([1.0, 11.0, np.inf])).tolist() == pytest.approx(
        [math.tan(math.pi * 0.475), 2.200985, Z95], abs=1e-6)
    assert np.isnan(t_quantile(0.95, np.array([0.0, np.nan]))).all()
    # t(1) is Cauchy: P(|T| > 1) = 1/2; t(4) at 2: 2·(1 - F) = 0.116117
    t = np.array([1.0, 2.0, 2.0, -2.0])
    df = np.array([1.0, 4.0, np.inf, np.inf])
    assert t_p_value(t, df).tolist() == pytest.approx(
        [0.5, 0.116117, 0.0455003, 0.0455003], abs=1e-6)
    assert t_p_value(t, df) == pytest.approx(2 * sps.t.sf(np.abs(t), df), abs=1e-12)
    assert np.isnan(t_p_value(np.array([np.nan, 1.0]), np.array([3.0, 0.0]))).all()


def test_mean_interval_by_hand_uses_t_and_is_nan_from_one_value() -> None:
    # mean 0.2625 of two rates, sd 0.0176777: t(1) = 12.7062, 12.7062 · 0.0176777 / √2 = 0.158827
    low, high = mean_interval(np.array([0.2625, 0.15]), np.array([0.0176777, np.nan]),
                              np.array([2.0, 1.0]))
    assert (low[0], high[0]) == pytest.approx((0.2625 - 0.158827, 0.2625 + 0.158827), abs=1e-6)
    assert math.isnan(low[1]) and math.isnan(high[1])
    # four rates, sd 0.02: t(3) = 3.182446, half = 3.182446 · 0.02 / 2 = 0.0318245
    low, high = mean_interval(np.array([0.3]), np.array([0.02]), np.array([4.0]))
    assert (low[0], high[0]) == pytest.approx((0.3 - 0.0318245, 0.3 + 0.0318245), abs=1e-6)


def test_ratio_interval_by_hand() -> None:
    # Four cohorts, W1 300/1000, 280/1000, 330/1200, 250/900: R = 1160/4100 = 0.2829268.
    # Residuals x - R·n: 17.0732, -2.9268, -9.5122, -4.6341; Σ² = 412.0167.
    # Var = 4/3 · 412.0167 / 4100² = 3.26803e-5, se = 0.00571667; t(3) = 3.182446,
    # half = 0.0181930
    x, n = np.array([300.0, 280, 330, 250]), np.array([1000.0, 1000, 1200, 900])
    rate = x.sum() / n.sum()
    residual = float(np.sum((x - rate * n) ** 2))
    assert residual == pytest.approx(412.0167, abs=1e-3)
    low, high = ratio_interval(np.array([x.sum()]), np.array([n.sum()]), np.array([residual]),
                               np.array([4.0]))
    assert (low[0], high[0]) == pytest.approx((rate - 0.0181930, rate + 0.0181930), abs=1e-6)
    one = ratio_interval(np.array([300.0]), np.array([1000.0]), np.array([0.0]), np.array([1.0]))
    assert np.isnan(one).all()  # one cohort says nothing about how weeks vary


def test_two_proportion_by_hand() -> None:
    # 330/1200 vs 250/1000: pooled 580/2200 = 0.263636; se = √(0.263636·0.736364·(1/1200+1/1000))
    # = 0.0188655; z = 0.025 / 0.0188655 = 1.325170; p = 2·(1 - Φ(1.325170)) = 0.185116
    p = two_proportion_p(one(330), one(1200), one(250), one(1000))
    assert float(p[0]) == pytest.approx(0.185116, abs=2e-6)


def test_two_proportion_edge_cases() -> None:
    x1, n1 = np.array([0.0, 5.0, 5.0, 11.0, np.nan]), np.array([10.0, 10.0, 0.0, 10.0, 10.0])
    x2, n2 = np.array([0.0, 5.0, 5.0, 5.0, 5.0]), np.array([20.0, 10.0, 10.0, 10.0, 10.0])
    p = two_proportion_p(x1, n1, x2, n2)
    assert p[0] == 1.0 and p[1] == 1.0  # equal rates, even with no variance at all
    assert np.isnan(p[2:]).all()  # zero base, count above base, unpublished


def test_benjamini_hochberg_by_hand() -> None:
    # m = 4 tests. Sorted: 0.001·4/1 = 0.004, 0.02·4/2 = 0.04, 0.03·4/3 = 0.04, 0.2·4/4 = 0.2.
    # At alpha 0.05 the first three stay significant; at alpha 0.035 only the first (0.04 > 0.035)
    p = np.array([0.03, 0.2, 0.001, 0.02])
    assert bh_significant(p, alpha=0.05).tolist() == [True, False, True, True]
    assert bh_significant(p, alpha=0.035).tolist() == [False, False, True, False]
    # a raw p of 0.04 does not survive among three tests (0.04 · 3 / 2 = 0.06)
    assert bh_significant(np.array([1e-10, 0.04, 0.5]), alpha=0.05).tolist() == [
        True, False, False]


def test_benjamini_hochberg_keeps_shape_and_skips_nan() -> None:
    p = np.array([[0.001, np.nan], [np.nan, 0.5]])
    assert bh_significant(p, alpha=0.05).tolist() == [[True, False], [False, False]]
    assert bh_significant(np.full(3, np.nan), alpha=0.05).tolist() == [False] * 3


@pytest.mark.parametrize("bad", [0.0, 1.0, -0.1, 1.5])
def test_bad_confidence_and_alpha_are_refused(bad: float) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        z_score(bad)
    with pytest.raises(ValueError, match="between 0 and 1"):
        bh_significant(np.array([0.1]), alpha=bad)


counts = st.integers(min_value=1, max_value=100_000).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n)))


@settings(max_examples=200, deadline=None)
@given(counts, st.floats(min_value=0.5, max_value=0.999))
def test_wilson_bounds_lie_around_the_estimate(count: tuple[int, int], confidence: float) -> None:
    x, n = count
    low, high = wilson_interval(one(x), one(n), confidence=confidence)
    assert 0.0 <= low[0] <= x / n + 1e-12 and x / n - 1e-12 <= high[0] <= 1.0


@settings(max_examples=200, deadline=None)
@given(counts, counts)
def test_p_values_lie_in_unit_interval_and_are_symmetric(a: tuple[int, int],
                                                         b: tuple[int, int]) -> None:
    p = two_proportion_p(one(a[0]), one(a[1]), one(b[0]), one(b[1]))
    swapped = two_proportion_p(one(b[0]), one(b[1]), one(a[0]), one(a[1]))
    assert 0.0 <= p[0] <= 1.0
    assert p[0] == pytest.approx(swapped[0], rel=1e-12, abs=1e-300)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.lists(st.one_of(
    st.none(), st.floats(0.0, 1.0)), min_size=2, max_size=2)), max_size=30),
    st.floats(0.01, 0.5))
def test_grouped_correction_is_scipys_correction_per_group(
        rows: list[tuple[int, list[float | None]]], alpha: float) -> None:
    groups = np.array([g for g, _ in rows], dtype=np.intp)  # in any order
    p = np.array([[np.nan if v is None else v for v in values] for _, values in rows],
                 dtype=np.float64).reshape(len(rows), 2)
    grouped = bh_significant(p, alpha=alpha, groups=groups)
    for group in set(groups.tolist()):
        assert grouped[groups == group].tolist() == scipy_bh(p[groups == group], alpha).tolist()


def scipy_bh(p: np.ndarray, alpha: float) -> np.ndarray:
    """scipy's Benjamini–Hochberg over the p-values that are not NaN, in p's shape."""
    out = np.zeros(p.shape, dtype=bool)
    tested = ~np.isnan(p)
    if tested.any():
        out[tested] = sps.false_discovery_control(p[tested], method="bh") <= alpha
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(0.0, 1.0),
                          st.sampled_from([0.01, 0.02, 0.04])),  # ties
                min_size=0, max_size=60), st.floats(0.01, 0.5))
def test_the_correction_is_scipys(values: list[float | None], alpha: float) -> None:
    p = np.array([np.nan if v is None else v for v in values], dtype=np.float64)
    assert bh_significant(p, alpha=alpha).tolist() == scipy_bh(p, alpha).tolist()


@settings(max_examples=100, deadline=None)
@given(st.lists(counts, min_size=1, max_size=8), st.floats(0.5, 0.999))
def test_ratio_interval_lies_around_the_estimate(cohorts: list[tuple[int, int]],
                                                 confidence: float) -> None:
    x = np.array([float(c[0]) for c in cohorts])
    n = np.array([float(c[1]) for c in cohorts])
    rate = x.sum() / n.sum()
    low, high = ratio_interval(np.array([x.sum()]), np.array([n.sum()]),
                               np.array([np.sum((x - rate * n) ** 2)]),
                               np.array([float(len(x))]), confidence=confidence)
    if len(x) < 2:
        assert np.isnan(low[0]) and np.isnan(high[0])
    else:
        assert 0.0 <= low[0] <= rate + 1e-12 and rate - 1e-12 <= high[0] <= 1.0


@settings(max_examples=100, deadline=None)
@given(st.floats(-50, 50), st.floats(0.5, 1e6))
def test_t_p_values_lie_in_unit_interval_and_are_symmetric(t: float, df: float) -> None:
    p = t_p_value(np.array([t, -t]), np.array([df, df]))
    assert 0.0 <= p[0] <= 1.0 and p[0] == p[1]

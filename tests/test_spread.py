"""The week-to-week spread and the tests that allow for it (wxdata.analytics.spread): the trimmed
estimate and its constant by hand, the test reducing to the pooled z-test without spread, a
holiday left out, and Hypothesis properties (p in [0, 1], symmetric in the sign of the change,
τ̂² never negative)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from wxdata.analytics.spread import EFFICIENCY, _kept_mean, consecutive_spread, spread_p


def one_group(d: list[float], binomial: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    values = np.array(d, dtype=np.float64)[:, None]
    return values, np.full_like(values, binomial), np.zeros(len(d), dtype=np.intp)


def test_the_kept_mean_of_a_chi_square_by_hand() -> None:
    # keeping all of a χ²(1): its mean, 1. Keeping the lower 80 %: ∫₀^q x f₁(x) dx / 0.8 with
    # q = 1.642374 (the 80 % quantile); x f₁(x) = f₃(x), so P(χ²(3) <= q) / 0.8 = 0.437725
    assert _kept_mean(np.array([1.0, 0.8])).tolist() == pytest.approx([1.0, 0.437725], abs=1e-6)
    q = sps.chi2.ppf(0.8, 1)
    numeric = sps.chi2.expect(lambda x: x, args=(1,), ub=q) / 0.8
    assert float(_kept_mean(np.array([0.8]))[0]) == pytest.approx(numeric, rel=1e-6)


def test_spread_by_hand_leaves_the_largest_differences_out() -> None:
    # d = 0.01, -0.02, 0.015, -0.01 and a holiday's 0.12: m = 5, keep floor(0.8·5) = 4 squares:
    # (1 + 4 + 2.25 + 1)e-4 / 4 = 2.0625e-4; / 0.437725 = 4.71187e-4 = Var̂(d).
    # τ̂² = (4.71187e-4 - 1e-5) / 2 = 2.30593e-4 (τ̂ = 1.5185 pp); df = 0.47 · 5 = 2.35
    values, binomial, groups = one_group([0.01, -0.02, 0.015, -0.01, 0.12], 1e-5)
    spread = consecutive_spread(values, binomial, groups, 1)
    assert float(spread.variance[0, 0]) == pytest.approx(4.71187e-4, rel=1e-5)
    assert float(spread.between[0, 0]) == pytest.approx(2.30593e-4, rel=1e-5)
    assert (float(spread.pairs[0, 0]), float(spread.df[0, 0])) == (5.0, pytest.approx(2.35))
    # the holiday can be as large as it likes: the estimate does not move
    bigger, _, _ = one_group([0.01, -0.02, 0.015, -0.01, 0.9], 1e-5)
    assert consecutive_spread(bigger, binomial, groups, 1).variance == pytest.approx(
        spread.variance)


def test_too_few_pairs_give_no_spread_and_no_test() -> None:
    values, binomial, groups = one_group([0.01, -0.02, 0.015], 1e-5)
    spread = consecutive_spread(values, binomial, groups, 1)
    assert np.isnan(spread.variance).all() and spread.pairs.tolist() == [[3.0]]
    p = spread_p(np.array([0.05]), np.array([1e-5]), 2.0, spread.variance[0], spread.binomial[0],
                 spread.df[0])
    assert np.isnan(p).all()


def test_groups_and_columns_are_separate_and_nan_is_no_pair() -> None:
    d = np.array([[0.01, np.nan], [-0.02, 0.001], [0.015, -0.002], [-0.01, 0.002],
                  [0.02, 0.001], [0.3, -0.001]])
    groups = np.array([0, 0, 0, 0, 0, 1], dtype=np.intp)
    spread = consecutive_spread(d, np.full_like(d, 1e-6), groups, 2, least=1)
    assert spread.pairs.tolist() == [[5.0, 4.0], [1.0, 1.0]]
    alone = consecutive_spread(d[:5, :1], np.full((5, 1), 1e-6), np.zeros(5, dtype=np.intp), 1)
    assert spread.variance[0, 0] == pytest.approx(alone.variance[0, 0])


def test_without_spread_the_test_is_the_pooled_z_test() -> None:
    # Var̂(d) below the binomial variance: τ̂² = 0, and with S small against B the degrees of
    # freedom df·(2V/(c·S))² are large: t = d/√B is read almost on the normal
    contrast, binomial = np.array([0.05]), np.array([4.2e-4])
    p = spread_p(contrast, binomial, 2.0, np.array([1e-5]), np.array([4e-4]), np.array([2.35]))
    z = 0.05 / math.sqrt(4.2e-4)  # 2.43975
    df = 2.35 * (2 * 4.2e-4 / (2 * 1e-5)) ** 2  # 4145.1
    assert float(p[0]) == pytest.approx(2 * sps.t.sf(z, df), rel=1e-9)
    assert float(p[0]) == pytest.approx(2 * sps.norm.sf(z), abs=1e-4)


def test_with_spread_the_variance_and_degrees_of_freedom_by_hand() -> None:
    # S = 4.71187e-4, v̄ = 1e-5: τ̂² = 2.30593e-4. A contrast with B = 1e-5 and weight 2:
    # V = 1e-5 + 2 · 2.30593e-4 = 4.71187e-4 (= S: the difference of two cohorts);
    # df = 2.35 · (2V / (2S))² = 2.35; t = 0.05 / √V = 2.30342; p = 2·P(t(2.35) > 2.30342)
    p = spread_p(np.array([0.05]), np.array([1e-5]), 2.0, np.array([4.71187e-4]),
                 np.array([1e-5]), np.array([2.35]))
    assert float(p[0]) == pytest.approx(2 * sps.t.sf(0.05 / math.sqrt(4.71187e-4), 2.35),
                                        rel=1e-6)
    assert EFFICIENCY == 0.47


@settings(max_examples=150, deadline=None)
@given(st.lists(st.floats(-0.2, 0.2), min_size=4, max_size=30), st.floats(1e-7, 1e-3),
       st.floats(-0.3, 0.3), st.floats(1.0, 3.0))
def test_p_lies_in_unit_interval_and_ignores_the_sign(d: list[float], binomial: float,
                                                      change: float, weight: float) -> None:
    values, binomials, groups = one_group(d, binomial)
    spread = consecutive_spread(values, binomials, groups, 1)
    assert float(spread.between[0, 0]) >= 0.0 or np.isnan(spread.variance[0, 0])
    p = spread_p(np.array([change, -change]), np.array([binomial, binomial]), weight,
                 spread.variance[0], spread.binomial[0], spread.df[0])
    assert np.all((p >= 0.0) & (p <= 1.0)) and p[0] == pytest.approx(p[1])

"""Decay models: the sBG formulas against Fader & Hardie's published numbers, exact fits worked out
by hand, the model classes and the one binomial likelihood, recovery of known curves (Hypothesis),
and what every projection promises: inside [0, 1], never rising, a band around it, and close to
the observed average where there are observations."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize
from scipy import stats as sps

from wxdata.analytics import cohort, decay
from wxdata.analytics.decay import fitting, likelihood, models, sbg, selection
from wxdata.core.periods import Day, Month, Week
from wxdata.core.tidy import TIDY_COLUMNS

Curve = Callable[[int], float]


def tidy(*cohorts: tuple[str, list[int | None]], app: str = "wx1") -> pd.DataFrame:
    """A tidy frame of one app's "new" cohorts; rate worked out row by row."""
    rows = []
    for start, users in cohorts:
        monday = pd.Timestamp(start)
        for k, count in enumerate(users):
            if count is not None:
                rate = count / users[0] if users[0] else math.nan
                rows.append((app, monday, monday + pd.Timedelta(days=6), "new", k, count, rate))
    return pd.DataFrame(rows, columns=TIDY_COLUMNS)


def week(i: int) -> str:
    return str((pd.Timestamp("2025-01-06") + pd.Timedelta(weeks=i)).date())


def generated(curve: Curve, *, cohorts: int, size: int, offsets: int,
              rng: np.random.Generator | None = None) -> pd.DataFrame:
    """``cohorts`` weekly cohorts of ``size`` users following ``curve`` (rounded expected counts,
    or binomial draws with ``rng``); the newest ones censored as WeChat publishes them."""
    rows = []
    for i in range(cohorts):
        published = min(offsets, cohorts - i)  # cohort i has seen cohorts - i - 1 weeks end
        users = [size] + [int(rng.binomial(size, curve(k))) if rng else round(size * curve(k))
                          for k in range(1, published)]
        rows.append((week(i), users))
    return tidy(*rows)


# -- the sBG model itself -------------------------------------------------------------------

def fader_hardie_fit(survivors: list[int]) -> tuple[float, float]:
    """The paper's maximum-likelihood (α, β) from one cohort's survivors at periods 0..T, built
    on the package's S(t): the churned of period t contribute log P(T = t) = log(S(t - 1) -
    S(t)), the still active log S(T)."""
    counts = np.asarray(survivors, dtype=np.float64)
    t = np.arange(1, len(counts), dtype=np.float64)
    lost = counts[:-1] - counts[1:]

    def cost(log_ab: np.ndarray) -> float:
        alpha, beta = np.exp(log_ab)
        churn = sbg.survival(alpha, beta, t - 1.0) - sbg.survival(alpha, beta, t)
        churned = np.sum(lost * np.log(churn))
        return -float(churned + counts[-1] * np.log(sbg.survival(alpha, beta, t[-1:]))[0])

    best = optimize.minimize(cost, np.zeros(2), method="L-BFGS-B", bounds=[sbg.LOG_BOUNDS] * 2)
    best = optimize.minimize(cost, best.x, method="Nelder-Mead",
                             options={"xatol": 1e-9, "fatol": 1e-12})  # polish past L-BFGS tol
    return float(np.exp(best.x[0])), float(np.exp(best.x[1]))


def test_sbg_formulas_reproduce_fader_hardie_table_1() -> None:
    # "How to Project Customer Retention" (2007), Table 1, years 0..7, and the paper's estimates
    regular = fader_hardie_fit([1000, 631, 468, 382, 326, 289, 262, 241])
    high_end = fader_hardie_fit([1000, 869, 743, 653, 593, 551, 517, 491])
    assert regular == pytest.approx((0.704, 1.182), abs=0.005)
    assert high_end == pytest.approx((0.668, 3.806), abs=0.005)


def test_sbg_survival_by_hand() -> None:
    alpha, beta = 0.704, 1.182
    # S(1) = β/(α+β); S(2) = β(β+1)/((α+β)(α+β+1)); S(0) = 1
    s1, s2 = beta / (alpha + beta), beta * (beta + 1) / ((alpha + beta) * (alpha + beta + 1))
    assert sbg.survival(alpha, beta, np.array([0.0, 1.0, 2.0])).tolist() == pytest.approx(
        [1.0, s1, s2])


# -- exact fits by hand: two published offsets, two parameters --------------------------------

# A published W0..W2, B (newer) only W0..W1. Pooled over the cohorts that published each offset:
# W1 = (400 + 600) / (1000 + 2000) = 1/3, W2 = 300 / 1000 = 0.3 (not 300 / 3000: B is censored).
CENSORED = tidy((week(0), [1000, 400, 300]), (week(1), [2000, 600]))


def test_power_fit_through_two_points_by_hand() -> None:
    fitted = decay.fit(CENSORED, model="power", resamples=20)
    # a·1^-b = 1/3 and a·2^-b = 0.3: a = 1/3, b = log2((1/3) / 0.3) = log2(10/9) = 0.152003
    assert fitted.params == pytest.approx({"a": 1 / 3, "b": math.log2(10 / 9)}, abs=1e-4)
    assert fitted.gof["rmse"] < 1e-4 and fitted.gof["cohorts"] == 2
    assert fitted.observed.loc[1:2].tolist() == pytest.approx([1 / 3, 0.3])


def test_sbg_fit_through_two_points_by_hand() -> None:
    fitted = decay.fit(CENSORED, model="sbg", resamples=20)
    # β/(α+β) = 1/3 -> α = 2β; S(2)/S(1) = (β+1)/(α+β+1) = (β+1)/(3β+1) = 0.9 -> β = 1/17
    assert fitted.params == pytest.approx({"alpha": 2 / 17, "beta": 1 / 17}, rel=1e-3)


def test_too_little_data_says_what_is_needed() -> None:
    with pytest.raises(ValueError, match=r"2 or more later week offsets.*published: none"):
        decay.fit(tidy((week(0), [1000]), (week(1), [900])))
    with pytest.raises(ValueError, match=r"published: W1$"):
        decay.fit(tidy((week(0), [1000, 300]), (week(1), [900])))
    with pytest.raises(ValueError, match=r"decay.fit\('exponential'\) needs .* 3 or more"):
        decay.fit(CENSORED, model="exponential")
    with pytest.raises(ValueError, match="published: none"):
        decay.fit(tidy((week(0), [0, 0, 0])))  # a zero base says nothing about the decay
    with pytest.raises(ValueError, match=r"decay.fit\('weibull'\) needs .* 3 or more"):
        decay.fit(CENSORED, model="weibull")
    with pytest.raises(ValueError, match="model must be one of 'auto', 'power', 'weibull'"):
        decay.fit(CENSORED, model="gompertz")
    with pytest.raises(ValueError, match="resamples must be 0"):
        decay.fit(CENSORED, resamples=-1)
    with pytest.raises(ValueError, match=r"2 apps \(wx1, wx2\)"):
        decay.fit(pd.concat([CENSORED, tidy((week(0), [10, 1, 1]), app="wx2")]))


# -- the model classes and the one likelihood -------------------------------------------------

def test_curves_with_named_parameters_by_hand() -> None:
    assert models.PowerLaw(a=0.3, b=0.5).rate(np.array([0.0, 1.0, 4.0])).tolist() == \
        pytest.approx([1.0, 0.3, 0.15])  # 0.3 · 4^-0.5
    # theta (a, floor / a, decay) = (0.4, 0.25, ln 2): floor 0.1, half the excess gone each week
    curve = models.ExponentialFloor.from_theta(np.array([0.4, 0.25, math.log(2.0)]))
    assert curve.as_dict() == pytest.approx({"a": 0.4, "floor": 0.1, "decay": math.log(2.0)})
    assert curve.rate(np.array([1.0, 2.0, 3.0, 60.0])).tolist() == pytest.approx(
        [0.4, 0.25, 0.175, 0.1])
    sbg_curve = models.ShiftedBetaGeometric(alpha=0.704, beta=1.182)
    assert sbg_curve.rate(np.array([1.0])).tolist() == pytest.approx([1.182 / 1.886])


@pytest.mark.parametrize("model", list(models.MODELS.values()))
def test_every_model_describes_its_parameters(model: type[models.DecayModel]) -> None:
    assert models.MODELS[model.name] is model
    names = model.parameter_names()
    assert len(names) == len(model.bounds) == model.size() >= 2
    assert all(len(start) == model.size() for start in model.starts(0.3))
    low, high = np.transpose(model.bounds)
    theta = np.stack([low + (high - low) * share for share in (0.2, 0.5)])  # a batch of two
    curves = model.rates(theta, np.arange(30.0))
    assert curves.shape == (2, 30) and np.all((curves >= 0) & (curves <= 1))
    assert np.all(np.diff(curves, axis=-1) <= 1e-12)
    one = model.from_theta(theta[1])
    assert list(one.as_dict()) == list(names)
    assert one.theta == pytest.approx(theta[1])
    assert one.rate(np.arange(30.0)) == pytest.approx(curves[1])


@pytest.mark.parametrize("name", ["power", "weibull", "exponential", "sbg"])
def test_a_fit_returns_its_curve_with_named_parameters(name: str) -> None:
    frame = generated(lambda k: 0.3 * k**-0.5, cohorts=6, size=10_000, offsets=5)
    fitted = decay.fit(frame, model=name, resamples=0)
    assert type(fitted.curve) is models.MODELS[name]
    assert fitted.curve.as_dict() == fitted.params
    projected = fitted.project(weeks=10)["rate"].to_numpy()
    assert fitted.curve.rate(np.arange(11.0)) == pytest.approx(projected, abs=1e-12)


def test_binomial_nll_is_the_binomial_log_likelihood() -> None:
    x, n = np.array([30.0, 12.0, 0.0]), np.array([100.0, 100.0, 50.0])
    p, q = np.array([0.3, 0.1, 0.02]), np.array([0.25, 0.2, 0.1])
    # up to the binomial coefficients, which cancel in a difference
    log_ratio = sps.binom.logpmf(x, n, p).sum() - sps.binom.logpmf(x, n, q).sum()
    nll = likelihood.binomial_nll
    assert float(nll(q, x, n) - nll(p, x, n)) == pytest.approx(log_ratio, rel=1e-12)
    assert nll(np.stack([p, q]), x, n).tolist() == pytest.approx(
        [float(nll(p, x, n)), float(nll(q, x, n))])  # leading axes are batches
    assert np.isfinite(nll(np.array([0.0, 1.0, 0.5]), x, n))  # clipped off 0 and 1
    assert likelihood.saturated_nll(x, n) == pytest.approx(float(nll(x / n, x, n)))
    k = np.array([1.0, 2.0, 3.0])
    for model in models.MODELS.values():
        theta = likelihood.fit(model, k, x, n)
        assert likelihood.saturated_nll(x, n) <= likelihood.neg_log_likelihood(
            model, theta, k, x, n) + 1e-9


# -- recovering known curves ------------------------------------------------------------------

@settings(max_examples=15, deadline=None)
@given(st.floats(0.1, 0.6), st.floats(0.1, 1.5))
def test_power_law_parameters_are_recovered(a: float, b: float) -> None:
    frame = generated(lambda k: a * k**-b, cohorts=12, size=200_000, offsets=9)
    fitted = decay.fit(frame, model="power", resamples=5)
    # rounding each count to a whole user moves a rate by at most 2.5e-6
    assert fitted.params == pytest.approx({"a": a, "b": b}, abs=2e-3)


@settings(max_examples=15, deadline=None)
@given(st.floats(0.15, 0.6), st.floats(0.0, 0.7), st.floats(0.2, 1.5))
def test_exponential_parameters_are_recovered(a: float, share: float, rate: float) -> None:
    floor = a * share
    frame = generated(lambda k: floor + (a - floor) * math.exp(-rate * (k - 1)),
                      cohorts=12, size=200_000, offsets=9)
    fitted = decay.fit(frame, model="exponential", resamples=5)
    assert fitted.params["a"] == pytest.approx(a, abs=2e-3)
    assert fitted.params["floor"] == pytest.approx(floor, abs=5e-3)
    assert fitted.params["decay"] == pytest.approx(rate, abs=0.05)


@pytest.mark.parametrize(("curve", "truth"), [
    (lambda k: 0.3 * k**-0.6, "power"),
    (lambda k: 0.08 + 0.22 * math.exp(-0.7 * (k - 1)), "exponential"),
    (lambda k: float(sbg.survival(0.5, 0.8, np.array([float(k)]))[0]), "sbg"),
])
def test_auto_keeps_the_power_law_unless_another_model_is_clearly_better(curve: Curve,
                                                                        truth: str) -> None:
    fitted = decay.fit(generated(curve, cohorts=12, size=200_000, offsets=9), resamples=20)
    assert fitted.model == truth
    assert fitted.reason.startswith("held-out W8 error (root mean square over cohorts): power ")
    ending = "power kept: no other model beat it by more than 1 standard error of the gain" \
        if truth == "power" else f"; {truth} beats power by "
    assert ending in fitted.reason
    assert set(fitted.selection) == {"power", "weibull", "exponential", "sbg"}
    best = min(fitted.selection.values())
    assert fitted.selection[truth] == best  # (Weibull at shape 0 is the power law: a tie)
    assert fitted.plausible[0] == truth


def candidate(residuals: list[float],
              model: type[models.DecayModel] = models.PowerLaw) -> selection.Candidate:
    return selection.Candidate(model, np.zeros(model.size()), np.zeros((0, model.size())),
                               np.array(residuals) / 1000)  # in units of 0.1 pp


def test_a_model_replaces_the_default_only_beyond_one_standard_error_by_hand() -> None:
    # Held-out W4 residuals of five cohorts (0.1 pp): power 10, -6, 8, -4, 6; sBG 4, -2, 3, -1, 2.
    # Gains e(power)² - e(sBG)² (1e-6): 84, 32, 55, 15, 32: mean 43.6, sd 26.689, se 11.936:
    # 43.6 > 1 se, sBG replaces the power law
    power = candidate([10, -6, 8, -4, 6])
    found = {"power": power, "sbg": candidate([4, -2, 3, -1, 2])}
    assert selection.choose(found) == "sbg"
    assert selection._gain(power, found["sbg"]) == pytest.approx((43.6e-6, 11.936e-6), rel=1e-4)
    # sBG 4, -12, 3, -10, 2: gains 84, -108, 55, -84, 32, mean -4.2: the power law stays, and
    # sBG (mean excess 4.2 against a standard error of 38.56) is not ruled out: both bands
    found["sbg"] = candidate([4, -12, 3, -10, 2])
    assert selection.choose(found) == "power"
    assert selection.plausible(found, "power") == ("power", "sbg")
    # exponential 30, 31, 29, 32, 30: excess over the best (power) 874.8 ± 42.15: ruled out
    found["exponential"] = candidate([30, 31, 29, 32, 30], models.ExponentialFloor)
    assert selection._gain(found["exponential"], power) == pytest.approx((874.8e-6, 42.15e-6),
                                                                         rel=1e-3)
    assert selection.plausible(found, "power") == ("power", "sbg")
    assert found["power"].error == pytest.approx(math.sqrt(50.4e-6))  # the RMS shown
    # the floor model far better (residuals 1, -1, 0, 1, -1): chosen, and since a floor is what
    # four weeks cannot check, every model joins its band
    found["exponential"] = candidate([1, -1, 0, 1, -1], models.ExponentialFloor)
    assert selection.choose(found) == "exponential"
    assert selection.plausible(found, "exponential") == ("exponential", "power", "sbg")


def test_no_model_is_chosen_on_three_offsets() -> None:
    frame = generated(lambda k: 0.3 * k**-0.6, cohorts=8, size=10_000, offsets=4)
    fitted = decay.fit(frame, resamples=20)
    assert fitted.model == "power" and fitted.plausible == ("power", "sbg")
    assert fitted.reason.startswith("only 3 published offsets: too few to hold one out")
    band = fitted.project(weeks=12).loc[12]
    for name in ("power", "sbg"):  # the band spans both two-parameter models' projections
        alone = decay.fit(frame, model=name, resamples=20).project(weeks=12).loc[12]
        assert band["low"] <= alone["low"] + 1e-12 and alone["high"] <= band["high"] + 1e-12


def test_weeks_beyond_three_times_the_last_published_offset_are_assumed() -> None:
    fitted = decay.fit(generated(lambda k: 0.3 * k**-0.6, cohorts=10, size=10_000, offsets=5),
                       resamples=20)
    assert fitted.last_offset == 4
    projection = fitted.project(weeks=20)
    assert projection["assumed"].tolist() == [False] * 13 + [True] * 8  # W13 on: beyond 3 × 4


def test_counts_above_their_base_are_left_out_not_clipped() -> None:
    frame = tidy((week(0), [1000, 300, 200, 150]), (week(1), [1000, 1200, 210, 140]),
                 (week(2), [1000, 310, 190, 160]))
    fitted = decay.fit(frame, model="power", resamples=10)
    assert fitted.gof["dropped"] == 1
    assert fitted.observed.loc[1] == pytest.approx(610 / 2000)  # not (300 + 1000 + 310) / 3000


def test_a_power_law_with_weekly_noise_keeps_the_power_law_and_covers_w12() -> None:
    # 52 weeks of 20,000 users, 2 % week-to-week variation, W1..W4 as WeChat publishes them
    rng = np.random.default_rng(11)
    rows = []
    for i in range(52):
        factor = 1 + 0.02 * rng.standard_normal()
        counts = [20_000] + [int(rng.binomial(20_000, 0.28 * k**-0.55 * factor))
                             for k in range(1, min(5, 52 - i))]
        rows.append((week(i), counts))
    fitted = decay.fit(tidy(*rows))
    assert fitted.model == "power"
    w12 = fitted.project(weeks=12).loc[12]
    assert w12["low"] <= 0.28 * 12**-0.55 <= w12["high"] and not w12["assumed"]


# -- what every projection promises -----------------------------------------------------------

def check_projection(projection: pd.DataFrame, weeks: int) -> None:
    assert list(projection.index) == list(range(weeks + 1))
    assert list(projection.columns) == ["rate", "low", "high", "assumed"]
    assert projection.loc[0, ["rate", "low", "high"]].tolist() == [1.0, 1.0, 1.0]
    assumed = projection["assumed"].to_numpy(dtype=bool)
    assert not assumed[0] and np.all(np.diff(assumed.astype(int)) >= 0)  # a tail, if any
    values = projection[["rate", "low", "high"]].to_numpy()
    assert np.all((values >= 0) & (values <= 1))
    assert np.all(np.diff(values, axis=0) <= 1e-12)  # never rises with the offset
    assert np.all(projection["low"] <= projection["rate"])
    assert np.all(projection["rate"] <= projection["high"])


@pytest.mark.parametrize("model", ["auto", "power", "weibull", "exponential", "sbg"])
def test_projection_agrees_with_the_observed_average(model: str) -> None:
    rng = np.random.default_rng(7)
    frame = generated(lambda k: 0.28 * k**-0.55, cohorts=40, size=5000, offsets=5, rng=rng)
    projection = decay.fit(frame, model=model).project(weeks=52)
    check_projection(projection, 52)
    observed = cohort.average_curve(frame, window=None).loc[1:4]
    # Stated tolerance: within the observed 95 % band of all cohorts widened by 1 pp on W1..W4.
    gap = projection["rate"].loc[1:4] - observed["rate"]
    assert np.all(projection["rate"].loc[1:4] >= observed["low"] - 0.01)
    assert np.all(projection["rate"].loc[1:4] <= observed["high"] + 0.01)
    assert float(gap.abs().max()) < 0.01


def test_later_offsets_above_earlier_ones_still_give_a_falling_curve() -> None:
    # "came back in week k": W2 above W1 in every cohort (a campaign in their second week)
    frame = tidy(*((week(i), [1000, 200, 260, 150, 120][: 5 - max(0, i - 3)]) for i in range(8)))
    projection = decay.fit(frame).project(weeks=20)
    check_projection(projection, 20)
    assert 0.15 < projection.loc[2, "rate"] < 0.26


def test_a_single_cohort_has_a_binomial_band() -> None:
    fitted = decay.fit(tidy((week(0), [2000, 600, 400, 330, 290])))
    projection = fitted.project(weeks=12)
    check_projection(projection, 12)
    assert fitted.gof["cohorts"] == 1
    assert (projection["high"] - projection["low"]).loc[1:].min() > 0.001


def test_bootstrap_is_seeded() -> None:
    frame = generated(lambda k: 0.3 * k**-0.5, cohorts=20, size=3000, offsets=5,
                      rng=np.random.default_rng(1))
    first = decay.fit(frame, model="sbg").project(weeks=8)
    pd.testing.assert_frame_equal(first, decay.fit(frame, model="sbg").project(weeks=8))
    other = decay.fit(frame, model="sbg", seed=1).project(weeks=8)
    pd.testing.assert_series_equal(first["rate"], other["rate"])
    assert not np.allclose(first["low"].loc[1:], other["low"].loc[1:])


def test_project_refuses_a_negative_horizon() -> None:
    with pytest.raises(ValueError, match="weeks >= 0"):
        decay.fit(CENSORED, model="power", resamples=5).project(weeks=-1)
    assert len(decay.fit(CENSORED, model="power", resamples=0).project(weeks=0)) == 1


@st.composite
def frames(draw: st.DrawFn) -> pd.DataFrame:
    """Random cohorts whose users never exceed the base, with W1 and W2 published somewhere."""
    cohorts = []
    for i in range(draw(st.integers(min_value=1, max_value=6))):
        base = draw(st.integers(min_value=1, max_value=5000))
        later = draw(st.lists(st.one_of(st.none(), st.integers(0, base)), min_size=2,
                              max_size=6))
        cohorts.append((week(i), [base, *later]))
    frame = tidy(*cohorts)
    published = frame.loc[frame["users"].notna(), "offset"]
    if published[published > 0].nunique() < 2:
        frame = pd.concat([frame, tidy((week(10), [100, 30, 20]))])
    return frame


@settings(max_examples=40, deadline=None)
@given(frames(), st.sampled_from(["auto", "power", "sbg"]), st.integers(0, 60))
def test_every_projection_is_a_falling_curve_in_unit_interval(frame: pd.DataFrame, model: str,
                                                               weeks: int) -> None:
    check_projection(decay.fit(frame, model=model, resamples=10).project(weeks=weeks), weeks)


@pytest.mark.parametrize("name", ["power", "weibull", "exponential", "sbg"])
def test_batched_refits_reach_scipys_optimum(name: str) -> None:
    """The bootstrap's vectorised Fisher scoring ends where scipy's L-BFGS-B does (or lower)."""
    frame = generated(lambda k: 0.28 * k**-0.55, cohorts=30, size=4000, offsets=6,
                      rng=np.random.default_rng(5))
    counts = fitting._counts(frame, metric="new", app_id=None)
    rng, size = np.random.default_rng(3), len(counts.x)  # 29: the newest cohort has W0 only
    weights = np.stack([np.bincount(rng.integers(0, size, size), minlength=size)
                        for _ in range(12)])
    x, n = weights @ counts.x, weights @ counts.n
    model = models.MODELS[name]
    start = likelihood.fit(model, counts.k, *counts.pooled)
    many = likelihood.fit_many(model, start, counts.k, x, n)
    for row, theta in enumerate(many):
        alone = likelihood.fit(model, counts.k, x[row], n[row])
        cost = likelihood.neg_log_likelihood(model, theta, counts.k, x[row], n[row])
        assert cost <= likelihood.neg_log_likelihood(model, alone, counts.k, x[row],
                                                     n[row]) + 1e-6


# -- days (irregular keys) and months (one key) ----------------------------------------------

def days_frame(curve: Curve, *, cohorts: int, size: int, newest: str = "2026-03-01",
               rng: np.random.Generator | None = None) -> pd.DataFrame:
    """``cohorts`` day cohorts ending on ``newest``, each with the daily keys it has published
    (key k once k days have passed), expected counts rounded (or binomial with ``rng``)."""
    rows = []
    last = pd.Timestamp(newest)
    for i in range(cohorts):
        day = last - pd.Timedelta(days=cohorts - 1 - i)
        age = cohorts - 1 - i
        for k in (k for k in Day.KEYS if k <= age):
            users = size if k == 0 else (int(rng.binomial(size, curve(k))) if rng
                                         else round(size * curve(k)))
            rows.append(("wx1", day, day, "new", k, users, users / size))
    return pd.DataFrame(rows, columns=TIDY_COLUMNS)


def test_a_daily_fit_reads_the_offsets_themselves_and_projects_to_d90_by_hand() -> None:
    # r(k) = 0.4·k^-0.5 at D1..D7, D14, D30 exactly (10^6 users): the maximum-likelihood power
    # law is that curve, so D60 = 0.4/√60 = 0.0516398 and D90 = 0.4/√90 = 0.0421637. Read as
    # columns 1..9 instead of offsets, D14 and D30 would sit at 8 and 9 and bend the fit.
    frame = days_frame(lambda k: 0.4 * k**-0.5, cohorts=45, size=1_000_000)
    fitted = decay.fit(frame, model="power", resamples=20, period=Day)
    assert fitted.curve.as_dict() == pytest.approx({"a": 0.4, "b": 0.5}, rel=1e-3)
    assert fitted.last_offset == 30 and fitted.kind == "day"
    projection = fitted.project()  # days: D0..D90
    assert list(projection.index) == list(range(91))
    assert projection.loc[[60, 90], "rate"].tolist() == pytest.approx([0.0516398, 0.0421637],
                                                                      abs=1e-4)
    assert not projection.loc[[60, 90], "assumed"].any()  # 90 = 3 × D30: still an estimate
    assert fitted.project(120).loc[91:, "assumed"].all()
    for offset in decay.PROJECTED_DAYS:
        row = projection.loc[offset]
        assert row["low"] <= row["rate"] <= row["high"]
    auto = decay.fit(frame, resamples=20, period=Day)
    assert "held-out D30 error" in auto.reason  # fitted on D1..D14, judged on D30


def test_a_noisy_daily_fit_covers_its_own_truth_at_d60() -> None:
    truth = 0.35 * 60**-0.6
    frame = days_frame(lambda k: 0.35 * k**-0.6, cohorts=60, size=20_000,
                       rng=np.random.default_rng(7))
    row = decay.fit(frame, period=Day).project().loc[60]
    assert row["low"] <= truth <= row["high"]


def test_months_have_no_fit_and_say_why() -> None:
    frame = pd.DataFrame([("wx1", pd.Timestamp(f"2026-{m:02d}-01"),
                           pd.Timestamp(f"2026-{m:02d}-01") + pd.offsets.MonthEnd(0), "new", k,
                           users, users / 1000) for m in range(1, 7)
                          for k, users in ((0, 1000), (1, 300))], columns=TIDY_COLUMNS)
    with pytest.raises(decay.NotEnoughKeys, match="publishes M1 only") as refused:
        decay.fit(frame, period=Month)
    assert (refused.value.kind, refused.value.published, refused.value.needed) == (
        "month", ["M1"], 2)
    assert isinstance(refused.value, ValueError)  # callers that catch ValueError still do
    assert [decay.fittable(p) for p in (Day, Week, Month)] == [True, True, False]


def test_days_with_too_few_keys_name_them() -> None:
    frame = days_frame(lambda k: 0.4 * k**-0.5, cohorts=2, size=1000)  # D0, and D1 for one
    with pytest.raises(decay.NotEnoughKeys, match=r"later day offsets \(e.g. D1..D2\); "
                                                   r"published: D1$") as refused:
        decay.fit(frame, period=Day)
    assert refused.value.published == ["D1"]


@st.composite
def day_frames(draw: st.DrawFn) -> pd.DataFrame:
    """Random day cohorts on the daily keys (any subset each), users never above the base, and
    D1 and D30 published somewhere (so that every model has two offsets)."""
    rows = []
    for i in range(draw(st.integers(min_value=1, max_value=6))):
        day = pd.Timestamp("2026-01-05") + pd.Timedelta(days=i)
        base = draw(st.integers(min_value=1, max_value=5000))
        keys = draw(st.lists(st.sampled_from(Day.KEYS[1:]), unique=True, max_size=9))
        users = {0: base} | {k: draw(st.integers(0, base)) for k in keys}
        rows += [("wx1", day, day, "new", k, n, n / base) for k, n in users.items()]
    anchor = pd.Timestamp("2026-03-01")
    rows += [("wx1", anchor, anchor, "new", k, n, n / 100) for k, n in ((0, 100), (1, 30),
                                                                        (30, 5))]
    return pd.DataFrame(rows, columns=TIDY_COLUMNS)


@settings(max_examples=30, deadline=None)
@given(day_frames(), st.sampled_from(["auto", "power", "sbg"]))
def test_every_daily_projection_is_a_falling_curve_to_d90(frame: pd.DataFrame,
                                                          model: str) -> None:
    fitted = decay.fit(frame, model=model, resamples=10, period=Day)
    check_projection(fitted.project(), 90)  # days: D0..D90 by default
    assert fitted.last_offset == 30 and not fitted.project().loc[90, "assumed"]

"""Mix or rate (analytics/mix.py): the two parts add up to the change (to 1e-9, on random
frames too) and match examples worked out by hand here."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_cohort import tidy
from tests.test_cohort_days import daily
from wxdata.analytics import mix
from wxdata.core.periods import Day, Month, Week
from wxdata.core.tidy import TIDY_COLUMNS
from wxdata.present import context as mix_text


def weekly(*cohorts: tuple[str, int, int]) -> pd.DataFrame:
    """Week cohorts with W0 and W1 only: (Monday, users, back a week later)."""
    return tidy(*[(start, [users, back]) for start, users, back in cohorts])


MONDAYS = [d.strftime("%Y-%m-%d") for d in pd.date_range("2026-08-03", periods=8, freq="7D")]


def test_kitagawa_by_hand() -> None:
    # Monday 100 users at 40 %, Saturday 100 at 20 % → pooled 30 %. After: Monday 200 at 30 %,
    # Saturday 200 at 20 % → pooled 25 %. Weights stay 1/2, 1/2: mix 0; rate part
    # 1/2·(-0.1) + 1/2·0 = -0.05.
    before = pd.DataFrame({"users": [100, 100], "rate": [0.4, 0.2]}, index=[0, 5])
    after = pd.DataFrame({"users": [200, 200], "rate": [0.3, 0.2]}, index=[0, 5])
    d = mix.kitagawa(before, after)
    assert (d.before, d.after) == pytest.approx((0.3, 0.25))
    assert d.rate == pytest.approx(-0.05) and d.mix == pytest.approx(0.0, abs=1e-12)
    # both at once: Monday 100 at 30 %, Saturday 300 at 20 % → 90/400 = 22.5 %.
    # rate part: Monday (1/2 + 1/4)/2 · -0.1 = -0.0375; mix: Monday (0.4+0.3)/2 · (1/4-1/2)
    # = -0.0875, Saturday 0.2 · (3/4 - 1/2) = +0.05 → -0.0375. Sum -0.075 = 0.225 - 0.3.
    after = pd.DataFrame({"users": [100, 300], "rate": [0.3, 0.2]}, index=[0, 5])
    d = mix.kitagawa(before, after)
    assert d.after == pytest.approx(0.225)
    assert (d.rate, d.mix) == pytest.approx((-0.0375, -0.0375))


def test_a_group_on_one_side_only_is_all_mix() -> None:
    before = pd.DataFrame({"users": [100], "rate": [0.4]}, index=["a"])
    after = pd.DataFrame({"users": [100, 100], "rate": [0.4, 0.2]}, index=["a", "b"])
    d = mix.kitagawa(before, after)
    assert d.rate == pytest.approx(0.0, abs=1e-12) and d.mix == pytest.approx(-0.1)
    with pytest.raises(ValueError):
        mix.kitagawa(before.assign(users=0), after)


def test_weeks_split_into_the_plain_mean_and_what_the_sizes_add() -> None:
    # before: four weeks of 100 users, 30 back: pooled 30 %, mean 30 %, sizes add 0.
    # after: 100/30, 100/30, 100/30, 300/60: pooled 150/600 = 25 %; plain mean (3·0.3 + 0.2)/4
    # = 27.5 %; the sizes add 25 - 27.5 = -2.5 pp. Rate part -2.5 pp, mix part -2.5 pp.
    frame = weekly(*[(m, 100, 30) for m in MONDAYS[:7]], (MONDAYS[7], 300, 60))
    d = mix.window_change(frame, offset=1, period=Week)
    assert d is not None
    assert (d.before, d.after) == pytest.approx((0.3, 0.25))
    assert (d.rate, d.mix) == pytest.approx((-0.025, -0.025))
    assert d.rate + d.mix == pytest.approx(d.change, abs=1e-12)
    assert (d.since, d.until) == (pd.Timestamp(MONDAYS[0]), pd.Timestamp(MONDAYS[3]))
    assert (d.first, d.last) == (pd.Timestamp(MONDAYS[4]), pd.Timestamp(MONDAYS[7]))
    # the same sizes with a real fall of every rate: no mix at all
    fall = weekly(*[(m, 100, 30) for m in MONDAYS[:4]], *[(m, 100, 25) for m in MONDAYS[4:]])
    d = mix.window_change(fall, offset=1, period=Week)
    assert d is not None and d.rate == pytest.approx(-0.05)
    assert d.mix == pytest.approx(0.0, abs=1e-12)
    # too few cohorts for two windows
    assert mix.window_change(weekly(*[(m, 100, 30) for m in MONDAYS[:7]]), offset=1) is None
    assert mix.window_change(frame, offset=4, period=Week) is None  # W4 not in the frame


def test_days_are_grouped_by_weekday() -> None:
    # 56 days from Monday 2026-08-03: weekdays 100 users, 40 back; weekends 100, 20 back. In
    # the newer 28 days weekends bring 300 users at the same 20 %. Before: (20·40 + 8·20) /
    # 2800 = 960/2800; after: (800 + 8·60) / (2000 + 2400) = 1280/4400. No weekday retains
    # any differently: the whole change is mix.
    cohorts = []
    for i, day in enumerate(pd.date_range("2026-08-03", periods=56)):
        weekend = day.day_of_week >= 5
        users = (300 if i >= 28 else 100) if weekend else 100
        back = users * (0.2 if weekend else 0.4)
        cohorts.append((day.strftime("%Y-%m-%d"), {0: users, 1: int(back)}))
    d = mix.window_change(daily(*cohorts), offset=1, period=Day)
    assert d is not None
    assert (d.before, d.after) == pytest.approx((960 / 2800, 1280 / 4400))
    assert d.rate == pytest.approx(0.0, abs=1e-12)
    assert d.mix == pytest.approx(1280 / 4400 - 960 / 2800)
    assert d.first == pd.Timestamp("2026-08-31") and d.last == pd.Timestamp("2026-09-27")


def test_months_use_three_a_window() -> None:
    rows = []
    for i, (users, back) in enumerate([(1000, 300)] * 3 + [(1000, 300), (1000, 300), (2000, 500)]):
        first = pd.Timestamp("2026-01-01") + pd.DateOffset(months=i)
        rows += [("wx1", first, first + pd.offsets.MonthEnd(0), "new", 0, users, 1.0),
                 ("wx1", first, first + pd.offsets.MonthEnd(0), "new", 1, back, back / users)]
    d = mix.window_change(pd.DataFrame(rows, columns=TIDY_COLUMNS), offset=1, period=Month)
    # after: 1100/4000 = 27.5 %; plain mean (0.3 + 0.3 + 0.25)/3; mix = 0.275 - 0.28333
    assert d is not None and d.after == pytest.approx(0.275)
    assert d.rate == pytest.approx(0.85 / 3 - 0.3)
    assert d.mix == pytest.approx(0.275 - 0.85 / 3)


@settings(max_examples=60)
@given(st.lists(st.tuples(st.integers(1, 10**5), st.floats(0.0, 1.0)), min_size=8, max_size=20),
       st.sampled_from(["day", "week"]))
def test_the_parts_always_add_up_to_the_change(cohorts: list[tuple[int, float]],
                                               kind: str) -> None:
    if kind == "day":
        start = pd.Timestamp("2026-06-01")
        frame = daily(*[((start + pd.Timedelta(days=i)).strftime("%Y-%m-%d"),
                         {0: n, 1: int(n * r)}) for i, (n, r) in enumerate(cohorts)])
        d = mix.window_change(frame, offset=1, period=Day, cohorts=len(cohorts) // 2)
    else:
        frame = weekly(*[((pd.Timestamp("2026-01-05") + pd.Timedelta(weeks=i)).strftime(
            "%Y-%m-%d"), n, int(n * r)) for i, (n, r) in enumerate(cohorts)])
        d = mix.window_change(frame, offset=1, period=Week, cohorts=len(cohorts) // 2)
    assert d is not None
    assert abs(d.rate + d.mix - d.change) <= 1e-9
    assert all(math.isfinite(v) for v in (d.before, d.after, d.rate, d.mix))
    assert 0.0 <= d.before <= 1.0 and 0.0 <= d.after <= 1.0
    assert not np.isnan(d.change)


def test_the_sentence_says_both_parts_and_what_the_mix_means() -> None:
    frame = weekly(*[(m, 100, 30) for m in MONDAYS[:7]], (MONDAYS[7], 300, 60))
    split = mix.window_change(frame, offset=1, period=Week)
    zh = mix_text.mix_sentence(split, metric="new", offset=1, kind="week", lang="zh")
    assert zh is not None
    assert "W1" in zh and "25.0%" in zh and "30.0%" in zh and "-5.0 个百分点" in zh
    assert zh.count("-2.5 个百分点") == 2  # the rates' part and the mix, equal here
    assert "人多的周留存较低" in zh  # the mix is as large as the rates' part: say what it means
    en = mix_text.mix_sentence(split, metric="new", offset=1, kind="week", lang="en")
    assert en is not None and "the larger weeks retain worse" in en and "-5.0 pp" in en
    # a real fall with the same sizes: no mix clause
    fall = weekly(*[(m, 100, 30) for m in MONDAYS[:4]], *[(m, 100, 25) for m in MONDAYS[4:]])
    zh = mix_text.mix_sentence(mix.window_change(fall, offset=1, period=Week), metric="new",
                               offset=1, kind="week", lang="zh")
    assert zh is not None and "人数分布变化 +0.0 个百分点" in zh and "主要来自" not in zh
    # days: 次日 in Chinese, the weekday clause
    cohorts = [(d.strftime("%Y-%m-%d"), {0: 300 if (i >= 28 and d.day_of_week >= 5) else 100,
                                         1: 60 if (i >= 28 and d.day_of_week >= 5)
                                         else 20 if d.day_of_week >= 5 else 40})
               for i, d in enumerate(pd.date_range("2026-08-03", periods=56))]
    split = mix.window_change(daily(*cohorts), offset=1, period=Day)
    zh = mix_text.mix_sentence(split, metric="new", offset=1, kind="day", lang="zh")
    assert zh is not None and "次日留存" in zh and "留存较低的星期几" in zh
    # nothing to split: no sentence
    flat = weekly(*[(m, 100, 30) for m in MONDAYS])
    assert mix_text.mix_sentence(mix.window_change(flat, offset=1, period=Week), metric="new",
                                 offset=1, kind="week", lang="zh") is None
    assert mix_text.mix_sentence(None, metric="new", offset=1, kind="week", lang="zh") is None

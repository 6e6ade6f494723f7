"""Level shifts (analytics/shifts.py) and their sentences (present/context.py): a hand-made
step, the demo's launch found at the same week whatever the span, days with a weekday pattern."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd
import pytest

from tests.test_cohort import tidy
from tests.test_cohort_days import daily
from wxdata.analytics import shifts
from wxdata.core.periods import CST, Day, Month, Week
from wxdata.present import context
from wxdata.sources.demo import DEMO_APPS, DemoSource

NOW = datetime(2026, 11, 28, 12, tzinfo=CST)
FRUIT, PUZZLE = (app.appid for app in DEMO_APPS)

# The era's own example: W1 around 30 % for six weeks, then around 36 % for five.
W1 = [0.30, 0.31, 0.29, 0.30, 0.31, 0.30, 0.36, 0.37, 0.35, 0.36, 0.37]
MONDAYS = pd.date_range("2026-08-03", periods=len(W1), freq="7D")


def stepped() -> pd.DataFrame:
    return tidy(*[(m.strftime("%Y-%m-%d"), [10_000, round(r * 10_000)])
                  for m, r in zip(MONDAYS, W1, strict=True)])


def test_a_step_is_found_where_it_is_with_its_levels() -> None:
    shift = shifts.level_shift(stepped(), 1, period=Week)
    assert shift is not None
    assert shift.since == MONDAYS[6]
    assert (shift.cohorts_before, shift.cohorts_after) == (6, 5)
    assert shift.before == pytest.approx(sum(W1[:6]) / 6)  # pooled, equal sizes: the mean
    assert shift.after == pytest.approx(sum(W1[6:]) / 5)
    assert shift.low < shift.change < shift.high
    assert shift.low > 0  # the step (6 pp) is far beyond the noise (about 1 pp)
    # no step: the first six weeks alone, and a flat series, report none
    assert shifts.level_shift(tidy(*[(m.strftime("%Y-%m-%d"), [10_000, round(r * 10_000)])
                                     for m, r in zip(MONDAYS, W1[:6] * 2, strict=False)]),
                              1, period=Week) is None
    assert shifts.level_shift(stepped(), 4, period=Week) is None  # no W4 in the frame
    too_short = tidy(*[(m.strftime("%Y-%m-%d"), [10_000, 3000]) for m in MONDAYS[:8]])
    assert shifts.level_shift(too_short, 1, period=Week) is None


def _demo(kind: type[Week] | type[Month], n: int) -> pd.DataFrame:
    return DemoSource(now=NOW).load([FRUIT, PUZZLE], kind.last_n(n, NOW)).frame


def test_the_demo_launch_is_one_shift_at_the_same_week_whatever_the_span() -> None:
    found = {n: shifts.level_shifts(_demo(Week, n), app_id=FRUIT, period=Week)
             for n in (52, 104)}
    for n, found_n in found.items():
        assert [s.offset for s in found_n][:1] == [1], n
        assert found_n[0].since == pd.Timestamp(Week.parse("2026-W18").start), n
        assert found_n[0].change > 0.04  # the launch lifts W1 by a fifth: 28 % → 34 %
    assert shifts.level_shifts(_demo(Week, 52), app_id=PUZZLE, period=Week) == []  # no launch
    sentence = context.shift_sentence(found[52][0], metric="new", kind="week", lang="zh")
    assert sentence.startswith("自 2026-W18 起新用户W1留存上了一个台阶:")
    assert "95% 区间" in sentence and "→" in sentence
    en = context.shift_sentence(found[52][0], metric="new", kind="week", lang="en")
    assert en.startswith("From 2026-W18 on, W1 retention of new users stepped up")
    months = shifts.level_shifts(_demo(Month, 24), app_id=FRUIT, period=Month)
    assert [s.since for s in months] == [pd.Timestamp("2026-05-01")]
    assert context.shift_sentence(months[0], metric="new", kind="month",
                                  lang="zh").startswith("自 2026-05 起")


def _days(step_at: int | None, days: int = 84) -> pd.DataFrame:
    """Days from Monday 2026-08-03: D1 40 % on weekdays, 28 % at weekends, ±1 pp of fixed
    wiggle; from day ``step_at`` on, every rate 10 % higher."""
    rng = np.random.default_rng(3)
    cohorts = []
    for i, day in enumerate(pd.date_range("2026-08-03", periods=days)):
        rate = (0.28 if day.day_of_week >= 5 else 0.40) + rng.normal(0, 0.004)
        if step_at is not None and i >= step_at:
            rate *= 1.10
        cohorts.append((day.strftime("%Y-%m-%d"), {0: 20_000, 1: round(rate * 20_000)}))
    return daily(*cohorts)


def test_weekends_are_not_a_shift_and_a_daily_step_is_found() -> None:
    assert shifts.level_shifts(_days(None), period=Day, offsets=(1,)) == []
    shift = shifts.level_shift(_days(60), 1, period=Day)
    assert shift is not None
    assert abs((shift.since - pd.Timestamp("2026-08-03") - pd.Timedelta(days=60)).days) <= 1
    assert 0.025 < shift.change < 0.045  # a tenth of a rate of 28-40 %
    zh = context.shift_sentence(shift, metric="new", kind="day", lang="zh")
    assert "次日留存上了一个台阶" in zh

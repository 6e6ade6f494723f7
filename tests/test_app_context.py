"""The Overview's context (issue 16): goals met or missed, the demo's launch as one lasting
shift, and mix or rate, each a sentence apart from the one-cohort flags."""

from __future__ import annotations

from tests.fixtures_app import AppFactory, shown
from wxdata.core.periods import last_ended_week
from wxdata.sources.demo import DEMO_APPS, LAUNCH_WEEKS_AGO

FRESH, PUZZLE = (a.appid for a in DEMO_APPS)


def _bullets(at: object) -> list[str]:
    return [shown(m.value) for m in at.markdown]  # type: ignore[attr-defined]


def test_the_overview_says_goals_and_the_launch_as_one_shift(app: AppFactory) -> None:
    at = app("overview", app=FRESH, weeks="52")
    said = "\n".join(_bullets(at))
    assert "W1留存目标 30.0%:已达标" in said  # the demo's goal for the fruit shop
    launch = last_ended_week().shift(1 - LAUNCH_WEEKS_AGO).iso
    assert f"自 {launch} 起新用户W1留存上了一个台阶" in said
    assert said.count("台阶") == 1  # the launch is one event: one sentence
    assert "W2、W4留存也在同一批次起变了水平" in said
    puzzle = "\n".join(_bullets(app("overview", app=PUZZLE, weeks="52", lang="en")))
    assert "W1 retention goal of new users, 22.0%: missed" in puzzle
    assert "stepped" not in puzzle  # the puzzle had no launch


def test_a_short_span_has_no_shift_but_keeps_its_goal(app: AppFactory) -> None:
    said = "\n".join(_bullets(app("overview", app=FRESH)))  # 12 weeks, all after the launch
    assert "台阶" not in said and "已达标" in said


def test_days_and_months_get_their_goals_and_mix(app: AppFactory) -> None:
    days = "\n".join(_bullets(app("overview", app=PUZZLE, period="day")))
    assert "次日留存目标 25.0%:未达标" in days
    months = "\n".join(_bullets(app("overview", app=FRESH, period="month", months="24")))
    assert "M1留存目标 22.0%:已达标" in months and "M1留存上了一个台阶" in months

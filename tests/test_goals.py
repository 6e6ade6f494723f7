"""Goals (core/goals.py, analytics/goals.py): names and values as secrets.toml writes them,
refused with the form that works, and the verdict with its run, by hand."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.test_cohort import tidy
from tests.test_cohort_days import daily
from wxdata.analytics import goals as judged
from wxdata.config import load_settings
from wxdata.core.errors import ConfigError
from wxdata.core.goals import Goal, parse_goals


def test_goal_names_say_metric_period_and_offset() -> None:
    assert parse_goals({"new_d1": 0.35, "new_w1": 0.30, "ACTIVE_M1": 0.5, "new_d30": 0.1}) == (
        Goal("new", "day", 1, 0.35), Goal("new", "week", 1, 0.30),
        Goal("active", "month", 1, 0.5), Goal("new", "day", 30, 0.1))
    assert parse_goals(None) == ()
    assert Goal("new", "day", 7, 0.2).name == "new_d7"


@pytest.mark.parametrize(("name", "value", "code"), [
    ("new_d8", 0.2, "bad_goal_name"),  # WeChat publishes no D8
    ("new_w5", 0.2, "bad_goal_name"),
    ("new_m2", 0.2, "bad_goal_name"),
    ("paid_w1", 0.2, "bad_goal_name"),
    ("w1", 0.2, "bad_goal_name"),
    ("new_w1", 35, "bad_goal_value"),  # a percentage, not a fraction
    ("new_w1", "35%", "bad_goal_value"),
    ("new_w1", 0, "bad_goal_value"),
    ("new_w1", True, "bad_goal_value"),
    ("new_w1", float("nan"), "bad_goal_value"),
])
def test_a_bad_goal_is_refused_naming_where_and_what(name: str, value: object,
                                                     code: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_goals({name: value}, where="[[wxdata.apps]] 鲜果优选")
    assert caught.value.code == code
    zh, en = caught.value.message("zh"), caught.value.message("en")
    assert "鲜果优选" in zh and name in en
    assert ("0.35" in en) if code == "bad_goal_value" else ("new_d1" in en)
    with pytest.raises(ConfigError) as caught:
        parse_goals(["new_w1"], where="goals")  # type: ignore[arg-type]
    assert caught.value.code == "bad_goal_table"


# W1 of six weeks: 28, 31, 29, 31, 32, 30 % against a 30 % goal.
W1 = [28, 31, 29, 31, 32, 30]
WEEKS = tidy(*[(d.strftime("%Y-%m-%d"), [100, r]) for d, r in
               zip(pd.date_range("2026-09-07", periods=6, freq="7D"), W1, strict=True)],
             ("2026-10-19", [100]))  # the newest week has no W1 yet


def test_a_met_goal_says_since_when() -> None:
    verdict = judged.judge(WEEKS, Goal("new", "week", 1, 0.30))
    assert verdict.met is True  # 30 % meets a 30 % goal
    assert verdict.cohort == pd.Timestamp("2026-10-12") and verdict.rate == pytest.approx(0.30)
    assert verdict.run == 3 and verdict.since == pd.Timestamp("2026-09-28")  # 31, 32, 30
    assert verdict.rates is not None and len(verdict.rates) == 6


def test_a_missed_goal_says_since_when() -> None:
    verdict = judged.judge(WEEKS, Goal("new", "week", 1, 0.305))
    assert verdict.met is False and verdict.run == 1 and verdict.since == verdict.cohort
    high = judged.judge(WEEKS, Goal("new", "week", 1, 0.5))
    assert high.met is False and high.run == 6 and high.since == pd.Timestamp("2026-09-07")


def test_no_cohort_with_the_offset_gives_no_verdict() -> None:
    assert judged.judge(WEEKS, Goal("new", "week", 4, 0.1)).met is None
    assert judged.judge(WEEKS, Goal("active", "week", 1, 0.1)).met is None


def test_days_are_judged_on_their_own_offset() -> None:
    frame = daily(("2026-11-02", {0: 100, 1: 40, 7: 20}), ("2026-11-03", {0: 100, 1: 30}))
    d1 = judged.judge(frame, Goal("new", "day", 1, 0.35))
    assert (d1.met, d1.cohort, d1.run) == (False, pd.Timestamp("2026-11-03"), 1)
    d7 = judged.judge(frame, Goal("new", "day", 7, 0.2))
    assert (d7.met, d7.cohort) == (True, pd.Timestamp("2026-11-02"))


def test_goals_are_read_from_each_apps_table(tmp_path: Path) -> None:
    path = tmp_path / "secrets.toml"
    path.write_text("""
[[wxdata.apps]]
name = "鲜果优选"
appid = "wx0001"
secret = "never-shown-secret-0001"
goals = { new_d1 = 0.35, new_w1 = 0.30 }

[[wxdata.apps]]
appid = "wx0002"
secret = "never-shown-secret-0002"
""", encoding="utf-8")
    settings = load_settings(env={}, secrets_path=path)
    assert settings.goals("wx0001") == (Goal("new", "day", 1, 0.35), Goal("new", "week", 1, 0.30))
    assert settings.goals("wx0002") == () and settings.goals("wxnope") == ()
    path.write_text(path.read_text(encoding="utf-8").replace("new_w1 = 0.30", "new_w1 = 30"),
                    encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(env={}, secrets_path=path)
    message = caught.value.message("en")
    assert "鲜果优选" in message and str(path) in message and "0.35" in message
    assert "never-shown" not in message

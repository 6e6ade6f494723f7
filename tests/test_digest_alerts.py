"""``wxdata alert``: the rules (a calibrated drop, a goal, the data failing) and their sent-state
in the store, which makes each alert go out once however many processes and hosts run the
command (SQLite and a real PostgreSQL, ``tests/fixtures_postgres.py``)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tests.fake_webhooks import BASE, WECOM_KEY, digest_table
from wxdata.cli import main
from wxdata.config import DigestConfig
from wxdata.core.goals import Goal
from wxdata.core.periods import Week
from wxdata.core.report import LoadResult
from wxdata.digest import alerts, run
from wxdata.sources.demo import DemoSource
from wxdata.store.sent import STALE_CLAIM, AlertState
from wxdata.testing.fake import FAKE_APPID, FAKE_SECRET, FakeWeChat
from wxdata.testing.webhooks import FakeWebhooks

REPO = Path(__file__).resolve().parent.parent
GOAL = 'alerts = ["goal"]\ngoals = { new_w1 = 0.5 }\n'  # the demo's W1: about 19 % and 33 %


@pytest.fixture(scope="module")
def demo_weeks() -> LoadResult:
    source = DemoSource()
    return run.load(source, source.apps(), ["week"])["week"]


def _digest(**values: Any) -> DigestConfig:
    return DigestConfig("fruit-weekly", "wecom", webhook="https://x/cgi-bin/webhook/send?key=k",
                        **values)


# -- the rules ----------------------------------------------------------------------------------


def test_a_calibrated_drop_of_the_newest_w1_is_an_alert(demo_weeks: LoadResult) -> None:
    app = DemoSource().apps()[0]
    frame = demo_weeks.frame.copy()
    mine = (frame["app_id"] == app.appid) & (frame["metric"] == "new")
    newest = frame.loc[mine & (frame["offset"] == 1), "cohort_start"].max()
    cut = mine & (frame["offset"] == 1) & (frame["cohort_start"] == newest)
    frame.loc[cut, "users"] = (frame.loc[cut, "users"] * 0.6).round().astype("int64")
    frame.loc[cut, "rate"] = frame.loc[cut, "rate"] * 0.6
    digest = _digest(alerts=("drop",))
    found = alerts.drops(digest, app, {"week": LoadResult(frame)}, "en")
    week = Week.containing(pd.Timestamp(newest).date())
    assert [(a.rule, a.period) for a in found] == [("drop", f"{week.iso} W1")]
    assert week.label in found[0].text
    # the demo as it is has no drop in its newest cohorts: nothing to say
    assert alerts.drops(digest, app, {"week": demo_weeks}, "en") == []


def test_a_figure_below_its_goal_is_an_alert(demo_weeks: LoadResult) -> None:
    apps = DemoSource().apps()
    high = _digest(alerts=("goal",), goals=(Goal("new", "week", 1, 0.5),))
    found = alerts.find(high, apps, {"week": demo_weeks}, None, "zh")
    assert sorted(a.app.appid for a in found) == sorted(a.appid for a in apps)
    assert all(a.rule == "goal" and a.period.endswith(" W1") and "50.0%" in a.text
               for a in found)
    low = _digest(alerts=("goal",), goals=(Goal("new", "week", 1, 0.01),))
    assert alerts.find(low, apps, {"week": demo_weeks}, None, "zh") == []
    # an app's own goals ([[wxdata.apps]] goals) count too, for that app only
    own = {apps[0].appid: (Goal("new", "week", 1, 0.5),)}
    found = alerts.find(_digest(alerts=("goal",)), apps, {"week": demo_weeks}, None, "en", own)
    assert [a.app.appid for a in found] == [apps[0].appid]
    assert "below its goal of 50.0%" in found[0].text and "in a row" in found[0].text


def test_three_refused_syncs_in_a_row_or_a_quota_are_data_alerts(tmp_path: Path) -> None:
    state = AlertState(f"sqlite:///{tmp_path / 'cache.sqlite3'}")
    app = DemoSource().apps()[0]
    digest = _digest(alerts=("data",))
    start = datetime(2026, 11, 30, tzinfo=UTC)
    for hours, (outcome, errcode) in enumerate([("ok", None), ("refused", 61501),
                                                ("refused", 61501)]):
        state.record_run(app.appid, outcome, errcode, now=start + timedelta(hours=hours))
    assert alerts.data(digest, app, state.runs(app.appid), [], "en") == []  # two in a row
    state.record_run(app.appid, "refused", 61501, now=start + timedelta(hours=3))
    (alert,) = alerts.data(digest, app, state.runs(app.appid), [], "en")
    assert alert.period.endswith(" refused") and "61501" in alert.text
    state.record_run(app.appid, "quota", 45009, now=start + timedelta(hours=4))
    (alert,) = alerts.data(digest, app, state.runs(app.appid), [], "en")
    assert alert.period.endswith(" quota") and "quota" in alert.text
    state.record_run(app.appid, "ok", None, now=start + timedelta(hours=5))
    assert alerts.data(digest, app, state.runs(app.appid), [], "en") == []


# -- the sent-state -----------------------------------------------------------------------------


def test_an_alert_is_claimed_once_released_when_not_sent_and_a_dead_claim_retaken(
        store_url: str) -> None:
    state, other = AlertState(store_url), AlertState(store_url)
    key = ("fruit-weekly", "goal", "wx1", "2026-W47 W1")
    now = datetime(2026, 12, 1, tzinfo=UTC)
    assert state.claim(*key, now=now) is True
    assert other.claim(*key, now=now) is False
    state.release(*key)
    assert other.claim(*key, now=now) is True  # a message that was not sent is tried again
    assert state.claim(*key, now=now + STALE_CLAIM * 2) is True  # its sender died
    state.confirm(*key)
    assert other.claim(*key, now=now + STALE_CLAIM * 10) is False  # sent is sent, forever
    assert state.sent() == [(*key, "sent")]


def test_sync_runs_are_kept_newest_first_and_trimmed(store_url: str) -> None:
    state = AlertState(store_url)
    start = datetime(2026, 11, 1, tzinfo=UTC)
    for day in range(25):
        state.record_run("wx1", "ok" if day % 2 else "refused", None if day % 2 else 61501,
                         now=start + timedelta(days=day))
    runs = state.runs("wx1", 30)
    assert len(runs) == 20 and runs[0].ran_at == start + timedelta(days=24)
    assert [r.outcome for r in runs[:2]] == ["refused", "ok"] and runs[0].errcode == 61501


def _alert_process(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "wxdata.cli", "alert"], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_an_alert_is_sent_once_across_two_processes_sharing_postgresql(
        postgres_url: str, robots: FakeWebhooks, write_secrets: Callable[[str], Path]) -> None:
    path = write_secrets(BASE + digest_table("wecom", robots.wecom_url(WECOM_KEY), extra=GOAL))
    env = {**os.environ, "WXDATA_SECRETS_FILE": str(path), "WXDATA_CACHE_URL": postgres_url}
    first, second = _alert_process(env), _alert_process(env)
    outputs = [p.communicate(timeout=240) for p in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outputs
    counts = [re.search(r"sent (\d+) alerts; (\d+) were sent before", out) for out, _ in outputs]
    assert all(counts), outputs
    assert sorted((int(m[1]), int(m[2])) for m in counts if m) in ([(0, 2), (2, 0)],
                                                                   [(1, 1), (1, 1)])
    got = robots.of("wecom")
    apps = DemoSource().apps()
    assert len(got) == len(apps)  # one per app, not one per app and process
    assert sorted(a.name for a in apps if any(a.name in r.text for r in got)) == \
        sorted(a.name for a in apps)
    again = _alert_process(env)
    out, err = again.communicate(timeout=240)
    assert again.returncode == 0 and len(robots.of("wecom")) == len(apps), err
    assert "sent 0 alerts; 2 were sent before" in out
    assert WECOM_KEY not in "".join(o + e for o, e in outputs) + out + err


def test_a_quota_met_by_sync_is_one_data_alert(tmp_path: Path, robots: FakeWebhooks,
                                               write_secrets: Callable[[str], Path],
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WXDATA_CACHE_URL")  # the file's cache_url, below
    with FakeWeChat(apps={FAKE_APPID: FAKE_SECRET}) as wechat:
        write_secrets(
            f'[wxdata]\napi_base = "{wechat.url}"\ncache_url = "sqlite:///{tmp_path / "c.db"}"\n'
            f'timeout = 2\n[[wxdata.apps]]\nname = "果园"\nappid = "{FAKE_APPID}"\n'
            f'secret = "{FAKE_SECRET}"\n'
            + digest_table("wecom", robots.wecom_url(WECOM_KEY), extra='alerts = ["data"]\n'))
        wechat.fail(45009, times=50)
        assert main(["sync", "--period", "week", "--weeks", "2"]) == 1
        wechat.clear_faults()
        assert main(["alert"]) == 0
        assert main(["alert"]) == 0  # the same day's quota: already said
    capsys.readouterr()
    (message,) = robots.of("wecom")
    assert "果园" in message.text and "45009" in message.text


def test_sync_without_data_alerts_adds_no_table(tmp_path: Path,
                                                write_secrets: Callable[[str], Path],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WXDATA_CACHE_URL")  # the file's cache_url, below
    cache = tmp_path / "c.db"
    with FakeWeChat(apps={FAKE_APPID: FAKE_SECRET}) as wechat:
        write_secrets(f'[wxdata]\napi_base = "{wechat.url}"\ncache_url = "sqlite:///{cache}"\n'
                      f'[[wxdata.apps]]\nappid = "{FAKE_APPID}"\nsecret = "{FAKE_SECRET}"\n')
        assert main(["sync", "--period", "week", "--weeks", "1"]) == 0
    import sqlite3

    with sqlite3.connect(cache) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"weeks"}

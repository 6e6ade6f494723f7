"""The quota check before a load and the consistency of visit trend with retention
(sources/checks.py), against the fake WeChat server over real HTTP, and the CLI refusing an
export its quota cannot pay for."""

from __future__ import annotations

from pathlib import Path

import pytest

from wxdata.cli import main
from wxdata.core.periods import Day, last_ended_week, last_n_weeks
from wxdata.sources import checks
from wxdata.sources.live import LiveSource
from wxdata.testing.fake import FAKE_APPID, FAKE_SECRET, FakeWeChat


def test_the_shortfall_counts_only_what_the_store_cannot_serve(
        fake_live: LiveSource, fake_wechat: FakeWeChat) -> None:
    weeks = last_n_weeks(8)
    fake_wechat.daily_limit = 5
    short = checks.quota_shortfall(fake_live, [FAKE_APPID], weeks)
    assert short == [checks.Shortfall(FAKE_APPID, "week", 8, 5)]
    assert fake_wechat.calls["weekly"] == 0  # nothing was asked for retention
    fake_live.load([FAKE_APPID], weeks[:5])  # five weeks now in the store, five calls spent
    assert fake_wechat.calls["weekly"] == 5
    # the three left need three calls, and none is left today
    assert checks.quota_shortfall(fake_live, [FAKE_APPID], weeks) == [
        checks.Shortfall(FAKE_APPID, "week", 3, 0)]
    fake_wechat.daily_limit = 8
    assert checks.quota_shortfall(fake_live, [FAKE_APPID], weeks) == []  # 3 needed, 3 left


def test_a_quota_api_that_cannot_answer_refuses_nothing(fake_live: LiveSource,
                                                        fake_wechat: FakeWeChat) -> None:
    fake_wechat.daily_limit = 0
    fake_wechat.fail(48001, on="token")  # the token endpoint refuses once: the quota is unknown
    assert checks.quota_shortfall(fake_live, [FAKE_APPID], last_n_weeks(4)) == []


def test_visit_trend_lines_up_with_retention(fake_live: LiveSource,
                                             fake_wechat: FakeWeChat) -> None:
    days = [Day.last_ended().shift(-40 - i) for i in range(3)]
    fake_wechat.disagree(days[1], new=7)
    frame = fake_live.load([FAKE_APPID], days).frame
    visits, failed = checks.visit_trend(fake_live, FAKE_APPID, days)
    assert failed == [] and len(visits) == 3
    table = checks.compare(frame, visits, FAKE_APPID)
    assert len(table) == 6  # three days × new and active
    wrong = table[~table["agree"]]
    assert list(zip(wrong["cohort_start"].dt.date, wrong["metric"], wrong["difference"],
                    strict=True)) == [(days[1].start, "new", 7)]
    fake_wechat.fail(61501, week=days[2], on="visits_daily")
    visits, failed = checks.visit_trend(fake_live, FAKE_APPID, days)
    assert len(visits) == 2 and [p for p, _ in failed] == [days[2]]
    # a period retention lacks does not agree, and says so with NaN
    lonely = checks.compare(frame.iloc[:0], visits, FAKE_APPID)
    assert not lonely["agree"].any() and lonely["retention"].isna().all()


def test_the_cli_refuses_an_export_its_quota_cannot_pay_for(
        fake_wechat: FakeWeChat, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    for name, value in {"WXDATA_API_BASE": fake_wechat.url, "WXDATA_APPID": FAKE_APPID,
                        "WXDATA_SECRET": FAKE_SECRET, "WXDATA_TIMEOUT": "30",
                        "WXDATA_CACHE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}"}.items():
        monkeypatch.setenv(name, value)
    fake_wechat.daily_limit = 3
    last = last_ended_week()
    span = ["--from", last.shift(-5).start.isoformat(), "--to", last.end.isoformat()]
    assert main(["export", *span, "-o", str(tmp_path / "x.csv")]) == 1
    err = capsys.readouterr().err
    assert "6 weeks" in err and "(6 calls)" in err and "only 3 calls" in err
    assert FAKE_SECRET not in err
    assert fake_wechat.calls["weekly"] == 0 and not (tmp_path / "x.csv").exists()
    fake_wechat.daily_limit = 100
    assert main(["export", *span, "-o", str(tmp_path / "x.csv")]) == 0
    assert fake_wechat.calls["weekly"] == 6
    # a warm re-run needs no call: it does not even ask for the quota
    quota_calls = fake_wechat.calls["quota"]
    assert main(["export", *span, "-o", str(tmp_path / "y.csv")]) == 0
    assert fake_wechat.calls["quota"] == quota_calls and fake_wechat.calls["weekly"] == 6

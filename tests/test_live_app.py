"""The dashboard on the live path: the app against the fake WeChat server with faults on.

The partial-data warning must name the failed weeks and say why, the other weeks must still be
drawn, a run-stopping error (a wrong secret) must read as what to fix, and neither the AppSecret
nor an access token may ever reach the screen.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Iterator

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.fixtures_app import AppFactory, figures, heatmap_rows, run, shown
from wxdata.config import load_settings
from wxdata.core.payload import Retention
from wxdata.core.periods import Week, last_n_weeks
from wxdata.dashboard import keys, source
from wxdata.i18n import t
from wxdata.present.tables import strip_marks
from wxdata.sources import LiveSource, make_source
from wxdata.testing.fake import FAKE_APPID, FAKE_SECRET, FakeWeChat

REFUSED = last_n_weeks(12)[3:5]


@pytest.fixture
def live(fake_wechat: FakeWeChat, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeWeChat]:
    """The app configured for one mini program served by the fake (env, as an operator would)."""
    monkeypatch.setenv("WXDATA_API_BASE", fake_wechat.url)
    monkeypatch.setenv("WXDATA_APPID", FAKE_APPID)
    monkeypatch.setenv("WXDATA_SECRET", FAKE_SECRET)
    monkeypatch.setenv("WXDATA_APP_NAME", "假小程序")
    monkeypatch.setenv("WXDATA_TIMEOUT", "2")
    # A refresh right after the first load re-asks every provisional week (no cooldown here).
    monkeypatch.setenv("WXDATA_REFRESH_COOLDOWN_MINUTES", "0")
    st.cache_data.clear()
    yield fake_wechat
    st.cache_data.clear()
    source.live_source.clear()  # closes the shared source's clients and store


def screen_text(at: AppTest) -> str:
    """Every text element's value and label, sidebar included."""
    parts = []
    for kind in ("markdown", "caption", "warning", "error", "info", "success", "title",
                 "subheader", "metric", "text", "toast"):
        for element in getattr(at, kind):
            parts.append(str(getattr(element, "value", "")))
            parts.append(str(getattr(element, "label", "")))
    for chart in figures(at):
        parts.append(str(chart))
    return "\n".join(parts)


def assert_no_secret(at: AppTest, fake: FakeWeChat) -> None:
    text = screen_text(at)
    assert FAKE_SECRET not in text
    assert not any(token in text for token in fake.issued_tokens())


def test_refused_weeks_are_named_and_the_others_drawn(app: AppFactory, live: FakeWeChat) -> None:
    for week in REFUSED:
        live.fail(61501, week=week, times=-1)
    at = app("heatmap")
    assert any(t("status.live", "zh") in m.value for m in at.sidebar.markdown)
    warning = at.warning[0].value
    assert t("warn.partial.week", "zh", n=2) in warning
    for week in REFUSED:
        assert week.label in warning
    assert "61501" in warning
    rows = heatmap_rows(figures(at)[0])
    assert len(rows) == 12
    failed = [r for r in rows if r.endswith(t("chart.mark.failed", "zh"))]
    assert [strip_marks(r, "zh") for r in failed] == [w.label for w in REFUSED]
    assert not at.exception
    assert_no_secret(at, live)


def test_every_page_survives_partial_data(app: AppFactory, live: FakeWeChat) -> None:
    live.fail(61501, week=REFUSED[0], times=-1)
    at = app("overview")
    for page in ("overview", "curves", "week_over_week", "data"):
        run(at.switch_page(f"pages/{page}.py"))
        assert at.warning and REFUSED[0].label in at.warning[0].value, page
        assert figures(at), page
    assert_no_secret(at, live)


def test_every_week_failing_explains_why_and_draws_nothing(app: AppFactory,
                                                           live: FakeWeChat) -> None:
    live.fail(48001, times=-1)
    at = app("heatmap")
    assert at.error and t("empty.all_failed", "zh") in at.error[0].value
    assert "48001" in at.error[0].value
    assert not figures(at)
    assert_no_secret(at, live)


def test_a_wrong_secret_says_what_to_fix_without_showing_it(app: AppFactory,
                                                            live: FakeWeChat) -> None:
    live.fail(40125, on="token", times=-1)
    at = app("overview", lang="en")
    shown = "\n".join(e.value for e in at.error)
    assert "40125" in shown or "secret" in shown.lower()
    assert_no_secret(at, live)


def test_refresh_names_failed_weeks_and_keeps_earlier_copies(app: AppFactory,
                                                             live: FakeWeChat) -> None:
    live.fail(61501, week=REFUSED[1], times=-1)
    at = app("data")
    provisional = [w for w in last_n_weeks(12) if not w.is_final()]
    asked_before = live.calls["weekly"]
    live.fail(-1, week=provisional[0], times=-1)  # WeChat busy for a week already cached
    run(at.button(key=keys.REFRESH).click())
    summary = "\n".join(w.value for w in at.warning)
    assert REFUSED[1].label in summary and "61501" in summary
    kept = "\n".join(i.value for i in at.info)
    assert provisional[0].label in kept and t("data.refresh.kept", "zh") in kept
    # asked again: every provisional week and the refused one; never a final cached week
    asked = {e["week"] for e in live.log[asked_before:] if e["endpoint"] == "weekly"}
    assert asked == {w.iso for w in [*provisional, REFUSED[1]]}
    assert_no_secret(at, live)


def test_every_session_shares_one_live_source(app: AppFactory, live: FakeWeChat) -> None:
    first = app("heatmap")
    second = app("overview", weeks="26")  # 14 weeks the first did not load: the client is used
    sources = [at.session_state[keys.VIEW].source for at in (first, second)]
    assert isinstance(sources[0], LiveSource) and sources[0] is sources[1]
    assert live.calls["stable_token"] == 1  # one client per app, so one token for everyone
    assert live.calls["weekly"] == 26


def test_the_live_source_is_one_per_settings_and_closed_when_released(live: FakeWeChat) -> None:
    settings = load_settings()
    got: list[LiveSource] = []
    threads = [threading.Thread(target=lambda: got.append(source.live_source(settings)))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(s) for s in got}) == 1
    assert make_source(settings, live=source.live_source) is got[0]
    other = source.live_source(dataclasses.replace(settings, timeout=3))
    assert other is not got[0]
    got[0].load([FAKE_APPID], last_n_weeks(2))
    assert got[0].calls == 2
    source.live_source.clear()
    assert got[0].calls == 0  # closed: its clients are gone
    assert source.live_source(settings) is not got[0]


def doubled(data: Callable[[str, Week], Retention | None]) -> Callable[
        [str, Week], Retention | None]:
    def answer(appid: str, week: Week) -> Retention | None:
        payload = data(appid, week)
        if payload is None:
            return None
        return Retention(payload.period, {k: 2 * v for k, v in payload.new.items()},
                               {k: 2 * v for k, v in payload.active.items()})

    return answer


def test_a_refresh_in_one_session_shows_in_another(app: AppFactory, live: FakeWeChat) -> None:
    watcher = app("overview")
    size = watcher.metric[0].value
    live.data = doubled(live.data)  # WeChat revises the provisional weeks
    refresher = app("data")
    run(refresher.button(key=keys.REFRESH).click())
    run(watcher)
    assert watcher.metric[0].value != size  # the newest week's users, fetched again, doubled
    assert_no_secret(watcher, live)


def test_wechats_errmsg_is_shown_as_text_never_as_markdown(app: AppFactory,
                                                           live: FakeWeChat) -> None:
    live.fail("markdown", week=REFUSED[0], times=-1)
    at = app("heatmap")
    warning = at.warning[0].value
    assert "40097" in warning and "evil.example" not in warning  # escaped: evil\.example
    assert "[LOGIN AGAIN](https://evil.example/login)" in shown(warning)
    assert ":red[**urgent**]" in shown(warning) and ":red[**urgent**]" not in warning

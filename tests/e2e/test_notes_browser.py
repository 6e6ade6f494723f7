"""A note on a chart in a real browser: Plotly draws its characters, never its markup (issue 16).
Plotly reads ``<b>``, ``<i>`` and ``<a href>`` in annotation texts; a note's text is escaped, so
Chromium shows the tags as typed and makes no bold text, no link."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import Page

from tests.e2e.isolated import clean_env
from tests.e2e.test_browser import (
    WAIT_MS,
    browser,
    open_page,
    page,
    serving,
)
from wxdata.core.notes import Note
from wxdata.core.periods import last_ended_week
from wxdata.sources.demo import DEMO_APPS
from wxdata.store.admin import AdminState

__all__ = ["browser", "page"]  # the fixtures, shared with test_browser.py
pytestmark = pytest.mark.e2e

#: 24 characters at most: drawn whole on the chart.
HOSTILE = "<b>粗</b><a href=x>链</a>"
assert len(HOSTILE) <= 24


@pytest.fixture(scope="module")
def noted_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo dashboard with one stored note, about a day inside the default twelve weeks."""
    env = clean_env(tmp_path_factory.mktemp("notes-home"))
    day = last_ended_week().start - timedelta(weeks=3)
    AdminState(env["WXDATA_CACHE_URL"]).add_note(
        Note.new(DEMO_APPS[0].appid, day, None, HOSTILE, author="lead@corp.cn"))
    yield from serving(env, "streamlit-notes.log")


def test_a_note_on_the_trend_is_drawn_as_its_characters(page: Page, noted_server: str) -> None:
    open_page(page, f"{noted_server}/?app={DEMO_APPS[0].appid}")
    page.wait_for_selector(".annotation-text", timeout=WAIT_MS)
    texts = page.locator(".js-plotly-plot .annotation-text").all_text_contents()
    assert HOSTILE in texts, texts
    notes = page.locator(".js-plotly-plot .annotation-text", has_text="链")
    assert notes.locator("a").count() == 0  # no link made of it
    assert notes.locator("tspan[style*='bold']").count() == 0  # no bold either

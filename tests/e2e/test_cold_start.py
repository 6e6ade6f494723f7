"""A freshly started server and ten colleagues opening the dashboard at the same moment.

Right after a server start the first sessions run the app's imports in parallel threads; a
package that imported itself in a cycle handed them half-initialised modules ("cannot import name
'AppInfo' from partially initialized module 'wxdata.sources'": 20 of 20 sessions in one wave).
Every page must draw its chart, with no exception element and no traceback in the server's log.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.async_api import Page, async_playwright

from tests.e2e.isolated import clean_env
from tests.e2e.test_browser import (
    ARTIFACTS,
    CHART,
    CHROMIUM,
    CHROMIUM_ARGS,
    WAIT_MS,
    free_port,
    start_streamlit,
    stop,
    wait_healthy,
)

pytestmark = pytest.mark.e2e
SESSIONS = 10
PATHS = ("heatmap", "", "curves", "week_over_week", "data")


@pytest.fixture
def fresh_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A server started for this test alone: nothing imported, nothing cached yet."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = ARTIFACTS / "cold-start.log"
    port = free_port()
    proc = start_streamlit(port, env=clean_env(tmp_path), log=log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        yield url, log
    finally:
        stop(proc)


async def _open(page: Page, url: str) -> str:
    """The page's first error text, or "" when its chart is drawn and nothing failed."""
    try:
        await page.goto(url, timeout=WAIT_MS)
        await page.wait_for_selector(CHART, timeout=WAIT_MS)
    except Exception as exc:  # a timeout is a failure to report, not to crash the wave
        return f"{url}: {type(exc).__name__}"
    for selector in ("[data-testid=stException]", "text=这个页面出错了", "text=This page failed"):
        if await page.locator(selector).count():
            return f"{url}: {await page.locator(selector).first.inner_text()}"
    return ""


async def _wave(base: str) -> list[str]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                   args=CHROMIUM_ARGS)
        pages = [await (await browser.new_context()).new_page() for _ in range(SESSIONS)]
        urls = [f"{base}/{PATHS[i % len(PATHS)]}" for i in range(SESSIONS)]
        outcomes = await asyncio.gather(*(_open(p, u) for p, u in zip(pages, urls, strict=True)))
        await browser.close()
    return list(outcomes)


def test_ten_sessions_at_once_on_a_fresh_server_all_draw(
        fresh_server: tuple[str, Path]) -> None:
    url, log = fresh_server
    failures = [outcome for outcome in asyncio.run(_wave(url)) if outcome]
    assert not failures, failures
    server_log = log.read_text(errors="replace")
    assert "Traceback" not in server_log and "ImportError" not in server_log, server_log[-3000:]

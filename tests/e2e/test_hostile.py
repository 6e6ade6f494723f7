"""What anyone can put in a link reaches the page as text: in the real browser, a link's values
shown at the top of the page never become a live link or an image the viewer's browser fetches."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Browser, Page

from tests.e2e.test_browser import (
    CHART,
    WAIT_MS,
    assert_no_exception,
    browser,
    open_page,
    server,
)

pytestmark = pytest.mark.e2e
__all__ = ["browser", "server"]  # module-scoped fixtures shared with the browser tests

LINK = "[LOGIN](https://evil.example/x)"
IMAGE = "![p](https://evil.example/p.png)"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    context.set_default_timeout(WAIT_MS)
    fetched: list[str] = []
    context.on("request", lambda request: fetched.append(request.url))
    tab = context.new_page()
    tab.fetched = fetched  # type: ignore[attr-defined]
    yield tab
    context.close()


def test_a_hostile_link_shows_its_values_as_text(page: Page, server: str) -> None:
    open_page(page, f"{server}/heatmap?calendar={quote(LINK)}&weeks={quote(IMAGE)}"
                    f"&from={quote('0001-W01')}&to={quote('9999-W52')}")
    page.wait_for_selector(CHART)
    # the link's notices are at the top of the page (issue 19.10), no longer in the sidebar
    main = page.locator("[data-testid=stMain]")
    text = main.inner_text().replace("\u200b", "")  # invisible: keeps bare URLs text
    assert LINK in text and IMAGE in text  # shown as the characters they are
    assert page.locator("a[href*='evil.example']").count() == 0
    assert page.locator("img[src*='evil.example']").count() == 0
    fetched = page.fetched  # type: ignore[attr-defined]
    assert not [url for url in fetched if urlsplit(url).hostname == "evil.example"]
    assert "from=0001-W01" in text and "to=9999-W52" in text  # corrected, and said so
    assert_no_exception(page)

"""Issue 19, items 4 and 9 in the real browser: at 1280 px no KPI tile's label is cut, in both
languages, both metrics, one app or two; on Chinese pages the file uploader's own English
("Upload", "5MB per file • JSON") reads in Chinese at Streamlit's own size, English pages keep
Streamlit's text."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.test_browser import WAIT_MS, assert_no_exception, browser, open_page, server
from wxdata.dashboard import locale_css
from wxdata.i18n import t
from wxdata.sources.demo import DEMO_APPS

pytestmark = pytest.mark.e2e
__all__ = ["browser", "server"]  # module-scoped fixtures shared with the browser tests

LABEL = "[data-testid=stMetricLabel]"
BUTTON = "[data-testid=stFileUploaderDropzone] button [data-testid=stMarkdownContainer] p"
LIMITS = "[data-testid=stFileUploaderDropzoneInstructions] span"
APPS = {"one": DEMO_APPS[0].appid, "two": ",".join(a.appid for a in DEMO_APPS)}


@pytest.fixture
def narrow(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    context.set_default_timeout(WAIT_MS)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.mark.parametrize("apps", ["one", "two"])
@pytest.mark.parametrize("metric", ["new", "active"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_tile_label_is_cut_at_1280_px(narrow: Page, server: str, lang: str, metric: str,
                                          apps: str) -> None:
    open_page(narrow, f"{server}/?lang={lang}&metric={metric}&app={APPS[apps]}")
    expect(narrow.locator(LABEL)).to_have_count(4 * len(APPS[apps].split(",")))
    assert_no_exception(narrow)
    labels = narrow.evaluate("""(selector) => [...document.querySelectorAll(selector)]
        .map(label => ({text: label.innerText,
                        cut: [label, ...label.querySelectorAll('*')]
                             .some(e => e.scrollWidth > e.clientWidth)}))""", LABEL)
    assert [label["text"] for label in labels if label["cut"]] == []
    forecast = "预测" if lang == "zh" else "forecast"
    assert sum(forecast in label["text"] for label in labels) == len(APPS[apps].split(","))
    assert all(" · " in label["text"] for label in labels)  # each names its cohort


def _styles(page: Page, selector: str) -> dict[str, str]:
    return dict(page.evaluate("""(selector) => {
        const e = document.querySelector(selector);
        const after = getComputedStyle(e, '::after');
        return {own: getComputedStyle(e).fontSize, content: after.content,
                after: after.fontSize, height: String(e.getBoundingClientRect().height)};
    }""", selector))


def test_the_uploader_speaks_chinese_on_chinese_pages(narrow: Page, server: str) -> None:
    narrow.goto(f"{server}/data?lang=en")
    narrow.wait_for_selector(LIMITS, timeout=WAIT_MS)
    english = {s: _styles(narrow, s) for s in (BUTTON, LIMITS)}
    assert all(style["content"] in ("none", "normal") for style in english.values())
    narrow.goto(f"{server}/data")
    narrow.wait_for_selector(LIMITS, timeout=WAIT_MS)
    expect(narrow.locator("[data-testid=stFileUploaderDropzone]").first).to_be_visible()
    chinese = {s: _styles(narrow, s) for s in (BUTTON, LIMITS)}
    assert chinese[BUTTON]["content"] == f'"{t("locale.upload.button", "zh")}"'
    limits = t("locale.upload.limits", "zh", mb=locale_css.MAX_UPLOAD_MB,
               types=locale_css.UPLOAD_TYPES)
    assert chinese[LIMITS]["content"] == f'"{limits}"'
    for selector in (BUTTON, LIMITS):  # Streamlit's English is hidden, ours at its size
        assert chinese[selector]["own"] == "0px"
        assert chinese[selector]["after"] == english[selector]["own"]
        assert float(chinese[selector]["height"]) > 0
    assert_no_exception(narrow)

"""End to end: ``streamlit run app.py`` on a free port, driven by the real Debian Chromium.

Each page must show its Plotly chart and no exception element; a link with query parameters must
restore the view; the CSV download must have the contract's columns; every page draws for days
and months too, and the sidebar's 日 / 周 / 月 switch changes the period. A screenshot of every
page is saved under ``test-artifacts/e2e/`` (git-ignored) for a human to look at; with
``WXRETAIN_DOCS_SCREENSHOTS=1`` the overview, heatmap and 90-day heatmap ones also go to
``docs/`` for the README.
"""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import openpyxl
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests import workbook
from tests.e2e.isolated import clean_env
from wxdata.core.periods import Day, last_ended_week, last_n_weeks
from wxdata.core.tidy import export_columns
from wxdata.i18n import t
from wxdata.present.fmt import app_label
from wxdata.present.tables import TABLE_ROW_PX
from wxdata.sources.demo import DEMO_APPS, demo_payload

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
#: How long one wait in the browser may take before it fails (ms). Generous, because a page that
#: draws in 2 s alone took over Playwright's 30 s default (``Page.goto: Timeout 30000ms``) on a
#: 2-core machine busy with other work; the bound only turns a hang into a failure. Set on every
#: context (``set_default_timeout``) and for ``expect`` (5 s by default).
WAIT_MS = 180_000
expect.set_options(timeout=WAIT_MS)
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
CHART = "[data-testid=stPlotlyChart] .js-plotly-plot .main-svg"
#: Pages whose screenshot the README shows: ``WXRETAIN_DOCS_SCREENSHOTS=1`` writes them to docs/.
DOC_SHOTS = ("overview", "heatmap", "heatmap-daily", "heatmap-phone", "curves")
#: The heatmap first: the first visit to a fresh server lands on a deep link, which Streamlit
#: once ran without the router (pages/ folder guess, streamlit#9446).
PAGES = {"heatmap": "留存热力图", "": "概览", "curves": "留存曲线",
         "week_over_week": "周环比", "data": "数据"}

pytestmark = pytest.mark.e2e


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode} before it was healthy")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"streamlit was not healthy at {url} within {timeout:.0f} s")


def start_streamlit(port: int, env: dict[str, str] | None = None, log: Path | None = None,
                    cwd: Path = ROOT, extra: list[str] | None = None) -> subprocess.Popen[bytes]:
    """``streamlit run app.py`` as a direct child (its own PID, no shell in between); ``extra``
    are more options (e.g. ``--secrets.files``)."""
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
               "--server.headless", "true", "--server.address", "127.0.0.1",
               "--browser.gatherUsageStats", "false", *(extra or [])]
    out = log.open("wb") if log else subprocess.DEVNULL
    return subprocess.Popen(command, cwd=cwd, env=env or dict(os.environ), stdout=out,
                            stderr=subprocess.STDOUT)


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def serving(env: dict[str, str], log_name: str) -> Iterator[str]:
    """``streamlit run app.py`` in ``env`` on a free port until the generator is closed: its
    URL once healthy; the process stopped (its own PID) whatever happened."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    proc = start_streamlit(port, env=env, log=ARTIFACTS / log_name)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        yield url
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo dashboard in an environment of its own (a developer's [auth], WXDATA_* or
    ~/.streamlit never apply to it: tests/e2e/isolated.py)."""
    yield from serving(clean_env(tmp_path_factory.mktemp("browser-home")), "streamlit.log")


def launch(playwright: object) -> Browser:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)"
                    " to run the browser tests; they are not optional.")
    browser: Browser = playwright.chromium.launch(  # type: ignore[attr-defined]
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    return browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True,
                                  locale="zh-CN")
    context.set_default_timeout(WAIT_MS)
    tab = context.new_page()
    yield tab
    context.close()


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(CHART, timeout=WAIT_MS)
    page.wait_for_load_state("networkidle")


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    if name in DOC_SHOTS and os.environ.get("WXRETAIN_DOCS_SCREENSHOTS") == "1":
        page.screenshot(path=str(ROOT / "docs" / f"{name}.png"), full_page=True)


def assert_no_exception(page: Page) -> None:
    """No exception element, and no last-resort message from the router either."""
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.get_by_text("这个页面出错了").count() == 0
    assert page.get_by_text("This page failed").count() == 0


def trace_rows(page: Page) -> int:
    """Rows of the first heatmap on the page, read from Plotly's own data in the browser."""
    return int(page.evaluate("""() => {
        const plot = document.querySelector('[data-testid=stPlotlyChart] .js-plotly-plot');
        const maps = plot.data.filter(d => d.type === 'heatmap' && d.showscale !== false);
        return maps[maps.length - 1].y.length;
    }"""))


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_shows_its_chart_and_no_exception(page: Page, server: str,
                                                     path: str) -> None:
    open_page(page, f"{server}/{path}")
    assert page.locator("h1").first.inner_text().strip() == PAGES[path]
    assert_no_exception(page)
    assert page.locator(CHART).count() >= 1
    shot(page, path or "overview")


def test_a_link_restores_the_view_and_survives_navigation(page: Page, server: str) -> None:
    apps = f"{DEMO_APPS[1].appid}"
    open_page(page, f"{server}/heatmap?app={apps}&weeks=26&metric=active&lang=en&values=users")
    assert page.locator("h1").first.inner_text().strip() == "Retention heatmap"
    assert trace_rows(page) == 26
    sidebar = page.locator("[data-testid=stSidebar]")
    # an English page names the demo app in English ("益智消消乐 (demo)", issue 19.9)
    assert app_label(DEMO_APPS[1].name, DEMO_APPS[1].appid, "en").split(" · ")[0] \
        in sidebar.inner_text()
    assert "26 natural weeks" in sidebar.inner_text()
    assert "Active-user retention" in page.locator("[data-testid=stPlotlyChart]").first \
        .inner_text()
    page.locator("[data-testid=stSidebarNavLink]", has_text="Decay curves").click()
    wait_for_page(page, "Decay curves", {"legendgroup": "avg"})  # the average's name varies
    # The router drops the heatmap's own parameters after the page has drawn: wait for it.
    page.wait_for_url(lambda url: "/curves" in url and "values=" not in url, timeout=WAIT_MS)
    for part in ("weeks=26", "metric=active", "lang=en", f"app={apps}"):
        assert part in page.url
    page.locator("[data-testid=stSidebar] [data-testid=stExpander]", has_text="Share").click()
    code = page.locator("[data-testid=stSidebar] [data-testid=stCode]")
    expect(code).to_contain_text("/curves?", timeout=WAIT_MS)  # the heatmap's box is replaced
    assert same_link(code.inner_text().strip(), page.url)
    shot(page, "link-restored")


def test_every_choice_survives_a_language_switch_and_navigation(page: Page, server: str) -> None:
    """Issue 11, item 1: the span came back as 12 weeks after "English" and a page switch (the
    browser sent the span's Chinese label back, which no English option matched)."""
    apps = f"{DEMO_APPS[0].appid},{DEMO_APPS[1].appid}"
    open_page(page, f"{server}/heatmap?app={apps}&weeks=26&metric=active&values=users")
    page.locator("[data-testid=stSidebar] button", has_text="English").click()
    wait_for_page(page, "Retention heatmap", {"type": "heatmap"})
    page.wait_for_url("**lang=en**")
    page.locator("[data-testid=stSidebarNavLink]", has_text="Overview").click()
    wait_for_page(page, "Overview", {"type": "bar"})
    page.wait_for_url(lambda url: "/heatmap" not in url and "values=" not in url,
                      timeout=WAIT_MS)
    expect(page.locator("[data-testid=stSidebar]")).to_contain_text("26 natural weeks")
    for part in ("weeks=26", "metric=active", "lang=en", f"app={apps.replace(',', '%2C')}"):
        assert part in page.url, (part, page.url)
    page.locator("[data-testid=stSidebarNavLink]", has_text="Retention heatmap").click()
    wait_for_page(page, "Retention heatmap", {"type": "heatmap"})
    page.wait_for_url("**values=users**")
    assert trace_rows(page) == 26
    page.locator("[data-testid=stSidebar] button", has_text="中文").click()
    wait_for_page(page, "留存热力图", {"type": "heatmap"})
    page.locator("[data-testid=stSidebarNavLink]", has_text="概览").click()
    wait_for_page(page, "概览", {"type": "bar"})
    expect(page.locator("[data-testid=stSidebar]")).to_contain_text("共 26 个自然周")
    assert "lang=" not in page.url and "weeks=26" in page.url
    assert_no_exception(page)


def test_a_toggle_lives_in_the_link_and_stays_on_its_page(page: Page, server: str) -> None:
    """Toggles are bound to the URL by Streamlit, which writes them from the browser (AppTest
    cannot see that): a click puts ``log=true`` in the address bar and the share box, another
    page drops it, and coming back brings the toggle and the parameter back."""
    open_page(page, f"{server}/curves")
    page.locator("[data-testid=stCheckbox] label", has_text=t("page.curves.log", "zh")).click()
    page.wait_for_url("**log=true**")
    page.wait_for_function("""() => [...document.querySelectorAll(
        '[data-testid=stPlotlyChart] .js-plotly-plot')].some(p => p.layout.yaxis.type === 'log')
        """, timeout=WAIT_MS)
    page.locator("[data-testid=stSidebar] [data-testid=stExpander]", has_text="分享").click()
    code = page.locator("[data-testid=stSidebar] [data-testid=stCode]")
    page.wait_for_function("t => document.querySelector(t).innerText.includes('log=true')",
                           arg="[data-testid=stSidebar] [data-testid=stCode]", timeout=WAIT_MS)
    assert same_link(code.inner_text().strip(), page.url)
    page.locator("[data-testid=stSidebarNavLink]", has_text="留存热力图").click()
    wait_for_page(page, "留存热力图", {"type": "heatmap"})  # not the curves page's chart
    page.wait_for_url(lambda url: "/heatmap" in url and "log=" not in url, timeout=WAIT_MS)
    page.locator("[data-testid=stSidebarNavLink]", has_text="留存曲线").click()
    page.wait_for_url("**/curves?**log=true**")
    assert_no_exception(page)


def wait_for_page(page: Page, title: str, trace: dict[str, str]) -> None:
    """Wait until the page titled ``title`` is drawn: every chart of the main block has a trace
    with the fields of ``trace`` (``{"type": "heatmap"}``, ``{"name": ...}``).

    After a click in the sidebar the URL changes at once and the previous page's elements stay
    in the DOM until the new page replaces them, so neither the URL nor "a chart" says that the
    new page is there: its title and only its own charts, in the main block, do.
    """
    page.wait_for_function("""([title, trace]) => {
        const main = document.querySelector('[data-testid=stMain]');
        const h1 = main && main.querySelector('h1');
        if (!h1 || h1.innerText.trim() !== title) return false;
        const plots = [...main.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot')];
        const ours = d => Object.entries(trace).every(([field, value]) => d[field] === value);
        return plots.length > 0 && plots.every(p => (p.data || []).some(ours));
    }""", arg=[title, trace], timeout=WAIT_MS)


def same_link(one: str, two: str) -> bool:
    a, b = urlsplit(one), urlsplit(two)
    return (a.netloc, a.path, sorted(parse_qsl(a.query))) == \
        (b.netloc, b.path, sorted(parse_qsl(b.query)))


@pytest.mark.parametrize(("path", "title", "back"), [
    ("/heatmap/extra/path?lang=en&weeks=26", "Page not found", "Retention heatmap"),
    ("/nosuch", "找不到这个页面", "留存热力图"),
])
def test_an_unknown_address_gets_the_apps_not_found_page(page: Page, server: str, path: str,
                                                         title: str, back: str) -> None:
    """Issue 11, item 9: ``/heatmap/extra/path`` was a blank page (Streamlit's index.html, whose
    scripts are linked relative to the address), ``/nosuch`` the first page under Streamlit's
    English dialog. Both land on the app's own page, in the link's language, with links back."""
    page.goto(f"{server}{path}")
    main = page.locator("[data-testid=stMain]")
    expect(main.locator("h1")).to_have_text(title, timeout=WAIT_MS)
    expect(main).to_contain_text(path.split("?")[0])  # the body comes a moment after the title
    assert page.get_by_text("Page not found", exact=False).count() == (1 if "en" in path else 0)
    main.locator("[data-testid=stPageLink] a", has_text=back).click()
    wait_for_page(page, back, {"type": "heatmap"})
    assert "weeks=26" in page.url if "weeks" in path else "weeks" not in page.url
    assert "path=" not in page.url
    assert_no_exception(page)


@pytest.mark.parametrize("query", ["", "?metric=active", "?lang=en", "?lang=en&metric=active"])
def test_the_kpi_labels_fit_their_tiles_at_1440_px(page: Page, server: str, query: str) -> None:
    """Issue 11, item 8: "Projected W12 retention, new users" was cut off at 1440 px."""
    open_page(page, f"{server}/{query}")
    cut = page.evaluate("""() => [...document.querySelectorAll('[data-testid=stMetricLabel]')]
        .filter(label => [label, ...label.querySelectorAll('*')]
                         .some(e => e.scrollWidth > e.clientWidth + 1))
        .map(label => label.innerText)""")
    assert page.locator("[data-testid=stMetricLabel]").count() == 4
    assert cut == []


def test_an_invalid_link_falls_back_with_a_notice(page: Page, server: str) -> None:
    open_page(page, f"{server}/heatmap?weeks=abc")
    assert trace_rows(page) == 12
    main = page.locator("[data-testid=stMain]").inner_text()
    assert "weeks=abc" in main and main.index("weeks=abc") < main.index(t("page.heatmap.title",
                                                                            "zh"))
    assert "weeks=abc" not in page.locator("[data-testid=stSidebar]").inner_text()
    assert_no_exception(page)


def test_csv_download_has_the_contract_columns(page: Page, server: str) -> None:
    open_page(page, f"{server}/data")
    with page.expect_download() as download:
        page.locator("[data-testid=stDownloadButton] button").first.click()
    content = Path(download.value.path()).read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel opens Chinese text
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == export_columns("week")
    assert {r[0] for r in rows[1:]} == {DEMO_APPS[0].appid} and len(rows) > 12


def test_xlsx_download_names_the_app_and_marks_provisional_weeks(page: Page,
                                                                  server: str) -> None:
    open_page(page, f"{server}/data")
    with page.expect_download() as download:
        page.locator("[data-testid=stDownloadButton] button",
                     has_text=t("page.data.xlsx", "zh")).click()
    book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    for metric in ("new", "active"):  # one row per cohort of the default 12 weeks, once each
        matrix = workbook.sheet(book, f"matrix_{metric}")  # a Chinese page: a Chinese workbook
        cohorts = [(r[0].value, r[2].value) for r in matrix.iter_rows(min_row=2)]
        assert len(cohorts) == len(set(cohorts)) == 12
        assert {r[1].value for r in matrix.iter_rows(min_row=2)} == {DEMO_APPS[0].name}
    tidy = workbook.sheet(book, "tidy")
    header = workbook.header(tidy)
    rows = [dict(zip(header, row, strict=True)) for row in tidy.iter_rows(min_row=2)]
    assert {r["app_name"].value for r in rows} == {DEMO_APPS[0].name}
    assert any(r["provisional"].value == "是" for r in rows)
    assert all(r["rate"].number_format == "0.0%" and r["cohort_start"].is_date for r in rows)


def test_an_upload_feeds_the_dashboard_and_a_bad_one_keeps_it(page: Page, server: str,
                                                               tmp_path: Path) -> None:
    good, bad = tmp_path / "saved-answers.json", tmp_path / "broken.json"
    newest = last_ended_week()
    good.write_text(json.dumps([demo_payload(DEMO_APPS[1], w, newest).to_api()
                                for w in last_n_weeks(8)]), encoding="utf-8")
    bad.write_text('{"ref_date": "20261102-20261108"', encoding="utf-8")
    open_page(page, f"{server}/data")
    uploader = page.locator("[data-testid=stFileUploaderDropzoneInput]")
    uploader.set_input_files(str(good))
    page.locator("[data-testid=stAlertContentSuccess]", has_text="saved-answers.json") \
        .wait_for(timeout=WAIT_MS)
    sidebar = page.locator("[data-testid=stSidebar]")
    assert "导入的文件" in sidebar.inner_text()
    uploader.set_input_files(str(bad))
    error = page.locator("[data-testid=stAlertContentError]", has_text="broken.json")
    error.wait_for(timeout=WAIT_MS)
    assert "JSON" in error.inner_text()
    assert_no_exception(page)
    shot(page, "upload")
    page.locator("[data-testid=stSidebarNavLink]", has_text="留存热力图").click()
    wait_for_page(page, "留存热力图", {"type": "heatmap"})  # not the data page's chart
    assert "导入的文件" in sidebar.inner_text()  # the earlier import still feeds the charts
    assert trace_rows(page) == 12
    assert_no_exception(page)


def test_a_custom_range_typed_in_the_picker_is_snapped_and_linked(page: Page,
                                                                  server: str) -> None:
    newest = last_ended_week()
    first, last = newest.shift(-20), newest.shift(-10)
    open_page(page, f"{server}/heatmap?from={first.iso}&to={last.iso}")
    assert trace_rows(page) == 11
    wednesday = newest.shift(-15).start + timedelta(days=2)
    start = page.locator("[data-testid=stDateInput] [data-range-field=start]")
    start.locator("[data-type=year]").click()
    page.keyboard.type(f"{wednesday:%Y%m%d}")
    page.locator("h1").first.click()  # leaving the field commits the date
    page.wait_for_url(f"**from={newest.shift(-15).iso}**")
    page.wait_for_function(
        """() => { const p = document.querySelector('[data-testid=stPlotlyChart] .js-plotly-plot');
                   const m = p && p.data.filter(d => d.type === 'heatmap' && d.showscale !== false);
                   return m && m.length && m[m.length - 1].y.length === 6; }""", timeout=WAIT_MS)
    assert newest.shift(-15).label in page.locator("[data-testid=stSidebar]").inner_text()


def test_every_chart_keeps_plotlys_png_download(page: Page, server: str) -> None:
    open_page(page, f"{server}/curves")
    page.locator("[data-testid=stPlotlyChart]").first.hover()
    assert page.locator(".modebar-btn[data-title='Download plot as a PNG']").count() >= 1


def test_the_week_over_week_table_shows_its_last_row_beside_a_scroll_bar(
        browser: Browser, server: str) -> None:
    """Issue 11.8: at 1280 px the Chinese table scrolls sideways, and the scroll bar (17 px on
    Windows; Playwright hides scroll bars unless told) covered the last row. The weekly table
    fits 1280 px since issue 19.10, so the window here is narrower, where it still scrolls."""
    chromium = browser.browser_type.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                           ignore_default_args=["--hide-scrollbars"])
    try:
        page = chromium.new_page(viewport={"width": 1000, "height": 1000}, locale="zh-CN")
        page.set_default_timeout(WAIT_MS)
        page.add_init_script("""document.addEventListener('DOMContentLoaded', () => {
            const style = document.createElement('style');
            style.textContent = '* { scrollbar-width: auto !important; '
                + 'scrollbar-color: auto !important; } ::-webkit-scrollbar '
                + '{ width: 17px !important; height: 17px !important; }';
            document.head.appendChild(style); });""")
        open_page(page, f"{server}/week_over_week?weeks=8")
        grid = page.locator("[data-testid=stDataFrame] .dvn-scroller").first
        grid.wait_for(timeout=WAIT_MS)
        # the grid lays itself out after it appears: measure once it scrolls sideways
        page.wait_for_function("""() => {
            const s = document.querySelector('[data-testid=stDataFrame] .dvn-scroller');
            const rows = document.querySelector('[data-testid=stDataFrame] [aria-rowcount]');
            return s && rows && s.scrollWidth > s.clientWidth; }""", timeout=WAIT_MS)
        sizes = grid.evaluate("""s => ({sw: s.scrollWidth, cw: s.clientWidth, ch: s.clientHeight,
            rows: (document.querySelector('[data-testid=stDataFrame] [aria-rowcount]') || {})
                  .ariaRowCount})""")
        assert sizes["sw"] > sizes["cw"]  # the case at hand: a sideways scroll bar
        # aria-rowcount counts the header: every row drawn above the bar, none under it
        assert sizes["ch"] >= int(sizes["rows"]) * TABLE_ROW_PX, sizes
    finally:
        chromium.close()


PAGE_TITLES = {"zh": {"heatmap": "留存热力图", "": "概览", "curves": "留存曲线", "data": "数据"},
               "en": {"heatmap": "Retention heatmap", "": "Overview", "curves": "Decay curves",
                      "data": "Data"}}
WOW_TITLES = {("day", "zh"): "日环比", ("day", "en"): "Day over day",
              ("month", "zh"): "月环比", ("month", "en"): "Month over month"}


@pytest.mark.parametrize(("period", "lang", "path"),
                         [(k, lang, p) for k in ("day", "month") for lang in ("zh", "en")
                          for p in (*PAGE_TITLES[lang], "week_over_week")])
def test_every_page_draws_for_days_and_months(page: Page, server: str, period: str,
                                             lang: str, path: str) -> None:
    """One page load per page, period and language (AppTest checks every text of them:
    tests/test_app_periods.py)."""
    open_page(page, f"{server}/{path}?period={period}" + ("&lang=en" if lang == "en" else ""))
    title = WOW_TITLES[period, lang] if path == "week_over_week" else PAGE_TITLES[lang][path]
    assert page.locator("h1").first.inner_text().strip() == title
    assert_no_exception(page)
    assert page.locator(CHART).count() >= 1
    shot(page, f"{period}-{lang}-{path or 'overview'}")


def test_the_period_switch_in_the_sidebar_changes_the_view_and_the_link(page: Page,
                                                                       server: str) -> None:
    open_page(page, f"{server}/heatmap")
    sidebar = page.locator("[data-testid=stSidebar]")
    sidebar.locator("button", has_text=t("period.day", "zh")).first.click()
    page.wait_for_url("**period=day**")
    page.wait_for_function("""() => {
        const plot = document.querySelector('[data-testid=stPlotlyChart] .js-plotly-plot');
        const maps = plot && plot.data.filter(d => d.type === 'heatmap' && d.showscale !== false);
        return maps && maps.length && maps[maps.length - 1].y.length === 60;
    }""", timeout=WAIT_MS)
    expect(sidebar).to_contain_text("共 60 天")
    page.locator("[data-testid=stSidebarNavLink]", has_text="日环比").click()
    wait_for_page(page, "日环比", {"mode": "lines+markers"})
    assert "period=day" in page.url
    sidebar.locator("button", has_text=t("period.week", "zh")).first.click()
    wait_for_page(page, "周环比", {"mode": "lines+markers"})
    page.wait_for_url(lambda url: "period=" not in url, timeout=20_000)
    assert_no_exception(page)


def test_a_daily_heatmap_of_90_days_labels_each_row_with_its_weekday(page: Page,
                                                                    server: str) -> None:
    open_page(page, f"{server}/heatmap?period=day&days=90")
    assert trace_rows(page) == 90
    ticks = page.evaluate("""() => [...document.querySelectorAll(
        '[data-testid=stPlotlyChart] .yaxislayer-above text')].map(t => t.textContent)""")
    newest = Day.last_ended()
    weekdays = "一二三四五六日"
    assert f"{newest.start:%m-%d} 周{weekdays[newest.start.weekday()]}" in "|".join(ticks)
    assert sum("周六" in t for t in ticks) in (12, 13)  # 90 days hold 12 or 13 Saturdays
    orange = page.evaluate("""() => [...document.querySelectorAll(
        '[data-testid=stPlotlyChart] .yaxislayer-above text tspan')]
        .filter(t => (t.getAttribute('style') || '').includes('250, 157, 59')
                     || (t.getAttribute('style') || '').toUpperCase().includes('FA9D3B'))
        .map(t => t.textContent)""")
    assert orange and all(("周六" in t or "周日" in t) for t in orange)
    assert_no_exception(page)
    shot(page, "heatmap-daily")


def test_a_daily_csv_names_its_offset_column_day_offset(page: Page, server: str) -> None:
    open_page(page, f"{server}/data?period=day&days=60")  # D30 of the older cohorts is out
    with page.expect_download() as download:
        page.locator("[data-testid=stDownloadButton] button").first.click()
    assert download.value.suggested_filename.startswith(f"wxretain-{DEMO_APPS[0].appid}-day-")
    rows = list(csv.reader(io.StringIO(
        Path(download.value.path()).read_bytes().decode("utf-8-sig"))))
    assert rows[0] == export_columns("day") and "day_offset" in rows[0]
    assert {r[4] for r in rows[1:]} == {"0", "1", "2", "3", "4", "5", "6", "7", "14", "30"}


def _sideways(page: Page) -> dict[str, int]:
    """The period-over-period grid's scroll and client widths, once it has laid itself out."""
    page.locator("[data-testid=stDataFrame] .dvn-scroller").first.wait_for(timeout=WAIT_MS)
    page.wait_for_function("""() => {
        const s = document.querySelector('[data-testid=stDataFrame] .dvn-scroller');
        return s && s.clientWidth > 0 && s.scrollWidth > 0; }""", timeout=WAIT_MS)
    sizes: dict[str, int] = page.locator("[data-testid=stDataFrame] .dvn-scroller").first \
        .evaluate("s => ({sw: s.scrollWidth, cw: s.clientWidth})")
    return sizes


def test_the_daily_table_fits_1280_px_and_all_days_are_one_click_away(browser: Browser,
                                                                       server: str) -> None:
    """Issue 14, item 6: a rate and a change for each of D1..D7, D14 and D30 made 23 columns;
    the tracked days fit a 1280 px window, every day is a choice away (and then scrolls)."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    context.set_default_timeout(WAIT_MS)
    try:
        page = context.new_page()
        open_page(page, f"{server}/week_over_week?period=day")
        sizes = _sideways(page)
        assert sizes["sw"] <= sizes["cw"] + 1, sizes
        page.locator("[data-testid=stMain] button",
                     has_text=t("page.week_over_week.offsets.all", "zh")).click()
        page.wait_for_url("**offsets=all**")
        page.wait_for_function("""() => {
            const s = document.querySelector('[data-testid=stDataFrame] .dvn-scroller');
            return s && s.scrollWidth > s.clientWidth + 1; }""", timeout=WAIT_MS)
        assert_no_exception(page)
    finally:
        context.close()


def test_a_link_to_a_flagged_week_lands_on_its_row(page: Page, server: str) -> None:
    """Issue 19 item 5: '在热力图中查看' opened the heatmap at its top, the outlined row some
    1,000 px below the fold; the page now scrolls it into the window."""
    old = last_n_weeks(52)[3]
    page.goto(f"{server}/heatmap?weeks=52&focus={old.iso}")
    page.wait_for_selector(CHART, timeout=WAIT_MS)
    page.wait_for_function("""() => {
        for (const plot of document.querySelectorAll('.js-plotly-plot')) {
            const shapes = (plot.layout && plot.layout.shapes) || [];
            const at = shapes.findIndex(s => s.name === 'focus');
            const box = at < 0 ? null
                : plot.querySelector(`.shapelayer path[data-index="${at}"]`);
            if (box) {
                const r = box.getBoundingClientRect();
                return r.top >= 0 && r.bottom <= window.innerHeight;
            }
        }
        return false; }""", timeout=WAIT_MS)
    chart_top = page.locator("[data-testid=stPlotlyChart]").first.bounding_box()
    assert chart_top is not None and chart_top["y"] < 0  # it scrolled: the chart's top is above
    shot(page, "heatmap-focus")
    assert_no_exception(page)


#: WeCom's in-app browser on an iPhone (its agent keeps the system's "Mobile").
PHONE_AGENT = ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 "
               "(KHTML, like Gecko) Mobile/15E148 wxwork/4.1.30 MicroMessenger/7.0.1 "
               "Language/zh ColorScheme/Light")


def test_on_a_phone_the_heatmap_cells_keep_their_width(browser: Browser, server: str) -> None:
    """Issue 19 item 11: at 390 px the row labels and the size column crushed the cells to
    slivers; on a phone the labels are short, the size bars gone (the hover has the size)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                  user_agent=PHONE_AGENT, is_mobile=True, has_touch=True,
                                  device_scale_factor=2)
    context.set_default_timeout(WAIT_MS)
    try:
        page = context.new_page()
        open_page(page, f"{server}/heatmap")
        sizes = page.evaluate("""() => {
            const plot = document.querySelector('[data-testid=stPlotlyChart] .js-plotly-plot');
            const maps = plot.data.filter(d => d.type === 'heatmap' && d.showscale !== false);
            const cells = maps[maps.length - 1];
            const axis = plot._fullLayout[cells.xaxis === 'x' ? 'xaxis'
                : 'xaxis' + cells.xaxis.slice(1)];
            return {bars: plot.data.filter(d => d.type === 'bar').length,
                    cell: axis._length / cells.x.length, width: plot.clientWidth,
                    label: Math.max(...cells.y.map(y => y.length))}; }""")
        assert sizes["bars"] == 0, sizes
        assert sizes["cell"] >= 44, sizes  # "28.3%" fits in 11 px type
        assert sizes["width"] <= 390, sizes
        shot(page, "heatmap-phone")
        for path in ("curves", "week_over_week"):
            open_page(page, f"{server}/{path}")
            assert_no_exception(page)
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= 390 + 1, (path, width)  # the page itself never scrolls sideways
            shot(page, f"{path}-phone")
    finally:
        context.close()


def test_the_weekly_table_fits_1280_px_with_its_last_change_column(browser: Browser,
                                                                   server: str) -> None:
    """Issue 19 item 10: at 1280 px the week-over-week table cut its ΔW4 column."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    context.set_default_timeout(WAIT_MS)
    try:
        page = context.new_page()
        open_page(page, f"{server}/week_over_week?weeks=52")
        sizes = _sideways(page)
        assert sizes["sw"] <= sizes["cw"] + 1, sizes
        shot(page, "week_over_week-1280")
    finally:
        context.close()

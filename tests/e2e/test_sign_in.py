"""End to end: sign-in through a real OpenID Connect provider, and who sees what.

``oidc-provider-mock`` (a real OIDC provider: discovery, authorization form, token endpoint,
signed ID tokens) runs on a free loopback port; ``streamlit run app.py`` runs from the project
folder (so ``.streamlit/config.toml`` applies) with ``--secrets.files`` naming a temporary
secrets file whose ``[auth]`` points at that provider and whose ``[access]`` shares the first
demo app with ``@corp.cn`` and both with an admin. Chromium clicks "sign in", types the address
on the provider's form and comes back signed in, through the real redirects and cookie.
"""

from __future__ import annotations

import csv
import io
import json
import re
import secrets
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.e2e.isolated import auth_section, clean_env
from tests.e2e.test_browser import (
    ARTIFACTS,
    CHART,
    WAIT_MS,
    assert_no_exception,
    browser,
    free_port,
    start_streamlit,
    stop,
    wait_healthy,
)
from wxdata.i18n import t
from wxdata.sources.demo import DEMO_APPS

pytestmark = pytest.mark.e2e
__all__ = ["browser"]  # the module-scoped Chromium shared with the browser tests

FRESH, PUZZLE = DEMO_APPS
VIEWER, ADMIN, STRANGER = "pm@corp.cn", "lead@corp.cn", "someone@evilcorp.cn"
COOKIE_SECRET = f"cookie-{secrets.token_hex(24)}"
CLIENT_SECRET = f"client-{secrets.token_hex(16)}"
SIGN_IN = t("auth.sign_in.button", "zh")


def wait_provider(url: str, proc: subprocess.Popen[bytes], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the OIDC provider exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/.well-known/openid-configuration",
                                        timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the OIDC provider did not answer at {url} within {timeout:.0f} s")


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``python -m oidc_provider_mock`` on a free loopback port, a direct child (its own PID)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = (ARTIFACTS / "oidc-provider.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1",
                             "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_provider(url, proc)
        yield url
    finally:
        stop(proc)
        log.close()


@pytest.fixture(scope="module")
def server(provider: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("signed-in")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    secrets = (auth_section(url, provider, cookie_secret=COOKIE_SECRET,
                            client_secret=CLIENT_SECRET)
               + "[access]\n"
               'contact = "数据组 data@corp.cn"\n'
               f'admins = ["{ADMIN}"]\n'
               f'[access.{FRESH.appid}]\n'
               'viewers = ["@corp.cn"]\n')
    proc = start_streamlit(port, env=clean_env(folder, secrets),
                           log=ARTIFACTS / "streamlit-sign-in.log")
    try:
        wait_healthy(url, proc)
        yield url
    finally:
        stop(proc)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser (no cookie: nobody signed in)."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True,
                                  locale="zh-CN")
    context.set_default_timeout(WAIT_MS)
    tab = context.new_page()
    yield tab
    context.close()


def log_text() -> str:
    return (ARTIFACTS / "streamlit-sign-in.log").read_text(encoding="utf-8", errors="replace")


def sign_in(page: Page, server: str, email: str, path: str = "") -> None:
    """Through the real flow: our button, the provider's form, the callback, back to the app."""
    page.goto(f"{server}/{path}")
    page.get_by_role("button", name=SIGN_IN).click()
    page.locator("input[name=sub]").fill(email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{server}/**")
    page.locator("[data-testid=stSidebar]").get_by_text(email).wait_for(timeout=WAIT_MS)


def sidebar_text(page: Page) -> str:
    return page.locator("[data-testid=stSidebar]").inner_text().replace("\u200b", "")


@pytest.mark.parametrize("path", ["", "heatmap", "curves", "week_over_week",
                                  f"data?app={PUZZLE.appid}"])
def test_an_anonymous_visitor_sees_only_the_sign_in_page(page: Page, server: str,
                                                          path: str) -> None:
    page.goto(f"{server}/{path}")
    page.get_by_role("button", name=SIGN_IN).wait_for(timeout=WAIT_MS)
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").first.inner_text().strip() == t("auth.sign_in.title", "zh")
    assert page.locator(CHART).count() == 0
    assert page.locator("[data-testid=stDownloadButton]").count() == 0
    assert page.locator("[data-testid=stSidebarNavLink]").count() == 0
    body = page.content()
    for app in DEMO_APPS:
        assert app.name not in body
    assert COOKIE_SECRET not in body and CLIENT_SECRET not in body
    assert_no_exception(page)


def test_a_viewer_sees_their_app_only_by_picker_link_and_download(page: Page,
                                                                  server: str) -> None:
    sign_in(page, server, VIEWER)
    page.wait_for_selector(CHART, timeout=WAIT_MS)
    assert FRESH.name in sidebar_text(page) and PUZZLE.name not in sidebar_text(page)
    page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").click()
    offered = page.locator("[role=option]").all_inner_texts()
    assert offered == [] or all(PUZZLE.appid not in o for o in offered)
    page.keyboard.press("Escape")
    # a link naming the other app: a notice, and only the viewer's own numbers
    page.goto(f"{server}/data?app={PUZZLE.appid}")
    page.locator("[data-testid=stDownloadButton]").first.wait_for(timeout=WAIT_MS)
    assert page.locator(CHART).count() == 0  # the week-states chart is the cache status
    # the router writes the link's notices above the page after the page ran: wait for them
    # (reading at once raced the end of the run on a loaded machine)
    page.locator("[data-testid=stMain]").get_by_text(f"app={PUZZLE.appid}").first.wait_for(
        timeout=WAIT_MS)
    with page.expect_download() as download:
        page.locator("[data-testid=stDownloadButton] button").first.click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig"))))
    assert {r[0] for r in rows[1:]} == {FRESH.appid}
    # no refresh, no import, no cache status; whom to ask instead
    assert page.get_by_role("button", name=t("page.data.refresh.button", "zh")).count() == 0
    assert page.locator("[data-testid=stFileUploader]").count() == 0
    assert "data@corp.cn" in page.locator("[data-testid=stMain]").inner_text().replace(
        "\u200b", "")
    body = page.content()
    assert PUZZLE.name not in body and COOKIE_SECRET not in body and CLIENT_SECRET not in body
    assert_no_exception(page)
    line = f'download email="{VIEWER}" apps="{FRESH.appid}" what="csv"'
    deadline = time.monotonic() + WAIT_MS / 1000  # the server logs it after the download
    while line not in log_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert line in log_text()
    assert f'sign_in email="{VIEWER}" apps="{FRESH.appid}" admin=""' in log_text()


def test_an_admin_sees_both_apps_and_can_refresh(page: Page, server: str) -> None:
    sign_in(page, server, ADMIN, f"data?app={FRESH.appid},{PUZZLE.appid}")
    page.goto(f"{server}/data?app={FRESH.appid},{PUZZLE.appid}")
    page.wait_for_selector(CHART, timeout=WAIT_MS)
    assert FRESH.name in sidebar_text(page) and PUZZLE.name in sidebar_text(page)
    page.get_by_role("button", name=t("page.data.refresh.button", "zh")).click()
    page.locator("[data-testid=stAlertContentSuccess]").wait_for(timeout=WAIT_MS)
    assert page.locator("[data-testid=stFileUploader]").count() == 1
    assert_no_exception(page)


def test_someone_without_an_app_is_told_whom_to_ask_and_can_sign_out(page: Page,
                                                                      server: str) -> None:
    page.goto(f"{server}/heatmap")
    page.get_by_role("button", name=SIGN_IN).click()
    page.locator("input[name=sub]").fill(STRANGER)
    page.get_by_role("button", name="Authorize").click()
    page.get_by_text("数据组").wait_for(timeout=WAIT_MS)
    main = page.locator("[data-testid=stMain]").inner_text().replace("\u200b", "")
    assert STRANGER in main and page.locator(CHART).count() == 0
    page.get_by_role("button", name=t("auth.sign_out", "zh")).click()
    end = page.get_by_role("button", name="End session")
    signed_out = page.get_by_role("button", name=SIGN_IN)
    end.or_(signed_out).wait_for(timeout=WAIT_MS)
    if end.count():  # the provider asks to confirm its own sign-out, then sends us back
        end.click()
    signed_out.wait_for(timeout=WAIT_MS)
    assert page.locator(CHART).count() == 0


def test_no_credential_reaches_the_log(server: str) -> None:
    text = log_text()
    assert COOKIE_SECRET not in text and CLIENT_SECRET not in text
    assert re.search(r"sign_in email=", text)  # the log was written at all
    assert json.dumps(COOKIE_SECRET) not in text

"""The Data page's digest panel (AppTest, demo data, sign-in off so the viewer is an admin):
"send a test message" reaches the fake robot, "preview digest" shows the message ``wxdata
digest`` would send and its PNGs, and no credential is drawn."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.fake_webhooks import BASE, WECOM_KEY, digest_table
from tests.fixtures_app import AppFactory
from wxdata.dashboard import digest_panel
from wxdata.i18n import t
from wxdata.sources.demo import DemoSource
from wxdata.testing.webhooks import FakeWebhooks


def _button(at: AppTest, key: str) -> object:
    (button,) = [b for b in at.button if b.key == key]
    return button


def _shown(at: AppTest) -> str:
    texts = [c.value for c in at.code] + [e.value for e in at.markdown] + \
        [e.value for e in at.caption] + [e.value for e in at.success] + \
        [e.value for e in at.error]
    return "\n".join(str(x) for x in texts)


def test_an_admin_sends_a_test_message_and_previews_the_digest(
        app: AppFactory, robots: FakeWebhooks, write_secrets: Callable[[str], Path]) -> None:
    write_secrets(BASE + digest_table("wecom", robots.wecom_url(WECOM_KEY)))
    at = app("data", lang="en")
    assert t("page.data.digest.title", "en") in [s.value for s in at.subheader]
    _button(at, digest_panel.DIGEST_TEST).click()  # type: ignore[attr-defined]
    at.run()
    (message,) = robots.of("wecom")
    assert "fruit-weekly" in message.text
    assert t("page.data.digest.sent", "en") in _shown(at)
    _button(at, digest_panel.DIGEST_PREVIEW).click()  # type: ignore[attr-defined]
    at.run(timeout=240)
    shown = _shown(at)
    assert all(a.name in shown for a in DemoSource().apps()), shown
    assert "W1 retention" in shown and len(at.get("image")) == 2
    assert len(robots.of("wecom")) == 1  # a preview sends nothing
    assert WECOM_KEY not in shown


def test_without_a_digest_the_panel_says_how_to_add_one(
        app: AppFactory, write_secrets: Callable[[str], Path]) -> None:
    write_secrets(BASE)
    at = app("data", lang="en")
    assert t("page.data.digest.none", "en") in [c.value for c in at.caption]

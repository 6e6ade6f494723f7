"""Sign-in and who sees what, under AppTest on demo data.

AppTest cannot sign in through a provider; it gives the app a person through its own
``AppTest.user`` (what ``st.user`` returns: ``is_logged_in`` and the ID token's claims), which
is what Streamlit itself reads from its signed cookie. The real redirect flow through a real
OpenID provider is ``tests/e2e/test_sign_in.py``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.fixtures_app import PAGES, ROOT, figures, link_notices, run, shown
from wxdata.access import Grant, parse_access
from wxdata.dashboard import actions, auth, keys, load, state
from wxdata.i18n import t
from wxdata.sources.demo import DEMO_APPS

FRESH, PUZZLE = (a.appid for a in DEMO_APPS)
AUTH = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback",
        "cookie_secret": "cookie-secret-of-the-apptest-0123456789abcdef",
        "client_id": "wxretain", "client_secret": "client-secret-of-the-apptest",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}
ACCESS: dict[str, Any] = {"contact": "数据组 data@corp.cn", "admins": ["lead@corp.cn"],
                          FRESH: {"viewers": ["@corp.cn"]},
                          PUZZLE: {"viewers": ["gamer@studio.cn"]}}
PM, LEAD, GAMER, STRANGER = "pm@corp.cn", "lead@corp.cn", "gamer@studio.cn", "x@elsewhere.cn"

Signed = Callable[..., AppTest]


@pytest.fixture
def signed() -> Signed:
    """``signed(email, page=None, claims=None, secrets=None, **query)``: the app with sign-in on,
    as ``email`` (None: nobody signed in) would open it."""
    def make(email: str | None, page: str | None = None, *, claims: dict[str, Any] | None = None,
             secrets: dict[str, Any] | None = None, **query: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.secrets = secrets if secrets is not None else {"auth": AUTH, "access": ACCESS}
        at.user = {"is_logged_in": False} if email is None and claims is None else \
            {"is_logged_in": True, "email": email, **(claims or {})}
        for key, value in query.items():
            at.query_params[key] = value
        if page is not None:
            at.switch_page(f"pages/{page}.py")
        return run(at)

    return make


def offered(at: AppTest) -> list[str]:
    """The app ids the sidebar's picker offers (its options are shown as labels)."""
    options = at.sidebar.multiselect(key=keys.APPS_WIDGET).options
    return [a.appid for a in DEMO_APPS for label in options if label.endswith(a.appid)]


def view_of(at: AppTest) -> state.View:
    view = at.session_state[keys.VIEW]
    assert isinstance(view, state.View)
    return view


@pytest.mark.parametrize("page", [None, *PAGES])
def test_nobody_signed_in_sees_only_the_sign_in_page(signed: Signed, page: str | None) -> None:
    at = signed(None, page, app=PUZZLE)
    assert [e.value for e in at.title] == [t("auth.sign_in.title", "zh")]
    assert at.button(key=keys.SIGN_IN).label == t("auth.sign_in.button", "zh")
    assert not figures(at) and not at.get("download_button") and not at.dataframe
    assert not at.sidebar.multiselect and keys.VIEW not in at.session_state


def test_the_sign_in_page_speaks_the_links_language(signed: Signed) -> None:
    assert signed(None, lang="en").title[0].value == "Sign in"


def test_without_auth_the_app_is_open_and_says_so(signed: Signed) -> None:
    at = signed(None, "heatmap", secrets={"wxdata": {"source": "demo"}})
    assert figures(at) and view_of(at).grant.open
    assert any(t("auth.open", "zh") in c.value for c in at.sidebar.caption)
    assert offered(at) == [FRESH, PUZZLE]


def test_access_rules_without_auth_show_nothing(signed: Signed) -> None:
    at = signed(PM, "heatmap", secrets={"access": ACCESS})
    assert "[auth]" in at.error[0].value and not figures(at)
    assert not at.sidebar.multiselect and keys.VIEW not in at.session_state


def test_a_guessable_cookie_secret_shows_nothing(signed: Signed) -> None:
    at = signed(PM, secrets={"auth": {**AUTH, "cookie_secret": "guessable"}, "access": ACCESS})
    assert "cookie_secret" in at.error[0].value and not figures(at)
    assert "guessable" not in at.error[0].value


def test_a_viewer_is_offered_only_their_apps(signed: Signed) -> None:
    at = signed(PM, "heatmap")
    assert offered(at) == [FRESH]
    assert view_of(at).app_ids == (FRESH,) and len(figures(at)) == 1
    assert any(PM in shown(c.value) for c in at.sidebar.caption)
    assert at.sidebar.button(key=keys.SIGN_OUT).label == t("auth.sign_out", "zh")


def test_a_link_to_a_forbidden_app_is_a_notice_not_data(signed: Signed) -> None:
    at = signed(PM, "heatmap", app=f"{PUZZLE},{FRESH}")
    assert view_of(at).app_ids == (FRESH,)
    assert set(view_of(at).loaded.frame["app_id"]) == {FRESH}
    notices = [shown(n) for n in link_notices(at)]
    assert len(notices) == 1 and f"app={PUZZLE},{FRESH}" in notices[0]
    assert DEMO_APPS[1].name not in " ".join(m.value for m in at.sidebar.markdown)
    at = signed(PM, "heatmap", app=PUZZLE)  # only a forbidden app: the allowed one instead
    assert view_of(at).app_ids == (FRESH,) and set(view_of(at).loaded.frame["app_id"]) == {FRESH}


def test_a_load_cached_for_one_person_is_not_served_to_another(signed: Signed) -> None:
    """``load_result`` is shared by every session: the lead's load of both apps is in the cache
    when the viewer asks by link for the same view, and the viewer gets a load of their own app
    only; a View whose key names a forbidden app (a bug in the sidebar) loads nothing."""
    both = f"{FRESH},{PUZZLE}"
    lead = signed(LEAD, "data", app=both)
    assert set(view_of(lead).loaded.frame["app_id"]) == {FRESH, PUZZLE}
    viewer = signed(PM, "data", app=both)
    assert view_of(viewer).key is not None and view_of(viewer).key.app_ids == (FRESH,)
    assert set(view_of(viewer).loaded.frame["app_id"]) == {FRESH}
    assert not [d for d in viewer.dataframe if PUZZLE in d.value.to_string()]
    forged = state.View(view_of(lead).selection, view_of(lead).source, view_of(lead).apps,
                        view_of(lead).periods, view_of(lead).key,
                        grant=Grant.of(PM, parse_access(ACCESS)))
    assert not forged.allowed and load.fetch(forged).frame.empty
    ungranted = state.View(view_of(lead).selection, view_of(lead).source, view_of(lead).apps,
                           view_of(lead).periods, view_of(lead).key)
    assert not ungranted.allowed and load.fetch(ungranted).frame.empty  # no grant: nothing


def test_a_viewer_cannot_refresh_import_or_see_the_cache_status(signed: Signed) -> None:
    at = signed(PM, "data")
    assert at.get("download_button")  # the numbers they may see, they may download
    assert not [b for b in at.button if b.key == keys.REFRESH]
    assert not at.get("file_uploader") and not at.text_input
    assert len(figures(at)) == 0  # the week-states chart is the cache status
    assert any("data@corp.cn" in shown(c.value) and "lock" in c.value for c in at.caption)


def test_an_admin_can_refresh_and_import(signed: Signed) -> None:
    at = signed(LEAD, "data", app=f"{FRESH},{PUZZLE}")
    assert at.button(key=keys.REFRESH).disabled is False
    assert at.get("file_uploader") and len(figures(at)) == 1
    assert not any("lock" in c.value for c in at.caption)


def test_refresh_is_refused_to_a_viewer_even_when_asked_directly(
        signed: Signed, monkeypatch: pytest.MonkeyPatch) -> None:
    view = view_of(signed(PM, "data"))
    asked: list[object] = []
    monkeypatch.setattr(actions, "refresh_once", lambda *a, **k: asked.append(a))
    actions.refresh(view)
    assert asked == []


def test_someone_with_no_app_is_told_whom_to_ask(signed: Signed) -> None:
    at = signed(STRANGER, "heatmap")
    assert at.title[0].value == t("auth.no_app.title", "zh")
    text = shown(at.info[0].value)
    assert STRANGER in text and "数据组 data@corp.cn" in text
    assert at.button(key=keys.SIGN_OUT) and not figures(at) and not at.sidebar.multiselect


def test_an_unverified_address_sees_nothing(signed: Signed) -> None:
    at = signed(None, claims={"email": LEAD, "email_verified": False}, lang="en")
    assert at.title[0].value == t("auth.no_app.title", "en")
    assert "verified" in at.warning[0].value and not figures(at)


def test_sign_out_from_the_sidebar(signed: Signed) -> None:
    at = signed(GAMER, "heatmap")
    assert view_of(at).app_ids == (PUZZLE,)
    at.sidebar.button(key=keys.SIGN_OUT).click()
    at = run(at)
    assert at.user == {"is_logged_in": False}  # st.logout() ran
    assert at.title[0].value == t("auth.sign_in.title", "zh") and not figures(at)


def test_a_sign_in_is_audited_once_per_session(signed: Signed,
                                                caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="wxdata.audit"):
        at = signed(LEAD, "heatmap")
        run(at.sidebar.segmented_control(key=keys.METRIC_WIDGET).set_value("active"))
    lines = [r.getMessage() for r in caplog.records if r.name == "wxdata.audit"]
    assert lines == [f'sign_in email="{LEAD}" apps="{FRESH},{PUZZLE}" admin="{FRESH},{PUZZLE}"']


def test_a_download_is_audited_when_it_is_made(caplog: pytest.LogCaptureFixture) -> None:
    grant = Grant.of(PM, parse_access(ACCESS))
    make = auth.audited_download(grant, "csv", [FRESH], "wxretain-x.csv", lambda: b"a,b\n")
    with caplog.at_level(logging.INFO, logger="wxdata.audit"):
        assert not caplog.records  # drawing the button is not a download
        assert make() == b"a,b\n"
    assert [r.getMessage() for r in caplog.records] == [
        f'download email="{PM}" apps="{FRESH}" what="csv" file="wxretain-x.csv" bytes="4"']


def test_an_audit_line_cannot_be_forged_by_an_address(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="wxdata.audit"):
        auth.audit("sign_in", Grant("a@b.cn\nsign_in email=\"lead@corp.cn\"", None))
    assert "\n" not in caplog.records[0].getMessage()


@pytest.mark.parametrize(("address", "warned"), [(None, True), ("0.0.0.0", True),
                                                 ("127.0.0.1", False), ("localhost", False)])
def test_open_on_a_reachable_address_is_warned_once(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
        address: str | None, warned: bool) -> None:
    monkeypatch.setattr(auth, "_exposed_warned", threading.Event())
    monkeypatch.setattr(st, "get_option", lambda name: address)
    with caplog.at_level(logging.WARNING, logger="wxretain.auth"):
        auth._warn_if_exposed()
        auth._warn_if_exposed()
    found = [r for r in caplog.records if "without sign-in" in r.getMessage()]
    assert len(found) == (1 if warned else 0)

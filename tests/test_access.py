"""Who sees what: allow-lists parsed from ``[access]``, addresses matched to apps, admins, and
the ``[auth]`` credentials kept out of every text (``wxdata.access``, no Streamlit)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from wxdata.access import (
    Grant,
    auth_secrets,
    check_auth,
    email_from_claims,
    is_loopback,
    matches,
    parse_access,
    provider_name,
)
from wxdata.config import declares_sign_in
from wxdata.core.errors import ConfigError
from wxdata.core.secrets import logger, redact

TABLE: dict[str, Any] = {
    "contact": "数据组 data@corp.cn",
    "admins": ["lead@corp.cn"],
    "wxshop": {"viewers": ["pm@corp.cn", "@corp.cn"], "admins": ["ops@corp.cn"]},
    "wxgame": {"viewers": ["Gamer@Studio.cn"]},
}
APPS = ["wxshop", "wxgame", "wxnobody"]


def grant(email: str | None) -> Grant:
    return Grant.of(email, parse_access(TABLE))


@pytest.mark.parametrize(("email", "visible"), [
    ("pm@corp.cn", ("wxshop",)),
    ("anyone@corp.cn", ("wxshop",)),          # the domain rule
    ("gamer@studio.cn", ("wxgame",)),         # the rule was written in mixed case
    ("lead@corp.cn", ("wxshop", "wxgame", "wxnobody")),  # an admin of every app
    ("ops@corp.cn", ("wxshop",)),             # an admin of one app views it too
    ("pm@evilcorp.cn", ()),                   # a domain is not a suffix
    ("pm@corp.cn.evil.com", ()),
    ("pm@sub.corp.cn", ()),                   # nor a parent of subdomains
    ("corp.cn@evil.com", ()),
    ("other@studio.cn", ()),
    (None, ()),                               # signed in without a (verified) address
])
def test_an_address_sees_the_apps_it_is_allowed(email: str | None,
                                                visible: tuple[str, ...]) -> None:
    assert grant(email).visible(APPS) == visible


def test_addresses_compare_in_lower_case_from_the_claims() -> None:
    email = email_from_claims({"email": "  PM@CORP.CN ", "email_verified": True})
    assert email == "pm@corp.cn" and grant(email).visible(APPS) == ("wxshop",)


@pytest.mark.parametrize("verified", [False, "false", 0])
def test_an_unverified_address_is_no_address(verified: object) -> None:
    assert email_from_claims({"email": "lead@corp.cn", "email_verified": verified}) is None


@pytest.mark.parametrize("claims", [{}, {"email": ""}, {"email": 5}, {"email": "no-at-sign"},
                                    {"email": "a b@corp.cn"}, {"email": "@corp.cn"}])
def test_claims_without_a_usable_address(claims: dict[str, Any]) -> None:
    assert email_from_claims(claims) is None


def test_admins_refresh_and_import_viewers_do_not() -> None:
    assert grant("lead@corp.cn").may_admin(["wxshop", "wxgame"])
    assert grant("ops@corp.cn").may_admin(["wxshop"])
    assert not grant("ops@corp.cn").may_admin(["wxshop", "wxgame"])  # every app of the view
    assert not grant("pm@corp.cn").may_admin(["wxshop"])
    assert not grant("lead@corp.cn").may_admin([])
    assert grant("ops@corp.cn").may_import and not grant("pm@corp.cn").may_import
    assert not grant(None).may_import


def test_without_sign_in_everything_is_open() -> None:
    open_ = Grant()
    assert open_.open and open_.visible(APPS) == tuple(APPS)
    assert open_.may_admin(APPS) and open_.may_import


def test_no_access_table_means_nobody_sees_anything() -> None:
    closed = Grant.of("pm@corp.cn", parse_access(None))
    assert closed.visible(APPS) == () and not closed.may_import and closed.contact == ""


def test_the_contact_is_kept() -> None:
    assert grant("x@y.cn").contact == "数据组 data@corp.cn"


@pytest.mark.parametrize(("table", "where"), [
    ({"wxshop": {"viewer": ["pm@corp.cn"]}}, "access.wxshop"),      # a typo is not ignored
    ({"wxshop": {"viewers": "pm@corp.cn"}}, "access.wxshop.viewers"),  # not a list
    ({"wxshop": {"viewers": ["corp.cn"]}}, "access.wxshop.viewers"),   # no @
    ({"wxshop": {"viewers": ["a@b@corp.cn"]}}, "access.wxshop.viewers"),
    ({"wxshop": {"viewers": ["@"]}}, "access.wxshop.viewers"),
    ({"wxshop": {"viewers": ["@.corp.cn"]}}, "access.wxshop.viewers"),
    ({"wxshop": {"viewers": ["pm @corp.cn"]}}, "access.wxshop.viewers"),
    ({"wxshop": {"viewers": [7]}}, "access.wxshop.viewers"),
    ({"admins": "lead@corp.cn"}, "access.admins"),
    ({"contact": ["x"]}, "access.contact"),
    ({"owners": ["x@y.cn"]}, "access"),
])
def test_a_bad_access_table_says_which_entry(table: dict[str, Any], where: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_access(table)
    assert info.value.code == "bad_access" and info.value.params["where"] == where
    assert where in info.value.message("en") and where in info.value.message("zh")


def test_domain_rules_match_the_whole_domain() -> None:
    assert matches("@corp.cn", "a@corp.cn")
    assert not matches("@corp.cn", "a@evilcorp.cn") and not matches("@corp.cn", "a@corp.cn.evil")
    assert not matches("pm@corp.cn", "xpm@corp.cn")


COOKIE = "c00kie-secret-for-the-access-tests-0123456789"
CLIENT = "client-secret-for-the-access-tests"
OTHER = "second-provider-client-secret-x"
AUTH = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": COOKIE,
        "client_id": "wxretain", "client_secret": CLIENT,
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
        "feishu": {"client_id": "x", "client_secret": OTHER}}


def test_auth_credentials_are_redacted_from_messages_and_logs(
        caplog: pytest.LogCaptureFixture) -> None:
    assert set(auth_secrets(AUTH)) == {COOKIE, CLIENT, OTHER}
    check_auth(AUTH)
    text = f"token exchange failed: client_secret {CLIENT}, cookie {COOKIE}, other {OTHER}"
    assert COOKIE not in redact(text) and CLIENT not in redact(text) and OTHER not in redact(text)
    with caplog.at_level(logging.INFO, logger="wxdata.audit"):
        logger("wxdata.audit").info("oops %s %s", COOKIE, CLIENT)
    assert caplog.records and COOKIE not in caplog.text and CLIENT not in caplog.text
    error = ConfigError("bad_value", name="cookie_secret", value=COOKIE, hint="-")
    assert COOKIE not in str(error) and COOKIE not in error.message("zh")


def test_a_guessable_cookie_secret_is_refused() -> None:
    with pytest.raises(ConfigError) as info:
        check_auth({**AUTH, "cookie_secret": "short-but-8"})
    assert info.value.code == "weak_cookie_secret" and "32" in info.value.message("en")


@pytest.mark.parametrize(("address", "loopback"), [
    ("127.0.0.1", True), ("localhost", True), ("::1", True), ("[::1]", True),
    ("127.0.0.2", True), ("0.0.0.0", False), ("10.0.0.5", False), ("::", False),
    ("wxretain.corp.cn", False), ("", False), (None, False),
])
def test_loopback_addresses(address: str | None, loopback: bool) -> None:
    assert is_loopback(address) is loopback


def test_the_settings_file_may_declare_sign_in(tmp_path: Path) -> None:
    path = tmp_path / "secrets.toml"
    path.write_text("[wxdata]\nsource = 'demo'\n", encoding="utf-8")
    assert not declares_sign_in(env={}, secrets_path=path)
    path.write_text("[access.wx1]\nviewers = ['@corp.cn']\n", encoding="utf-8")
    assert declares_sign_in(env={}, secrets_path=path)
    assert not declares_sign_in(env={}, secrets_path=tmp_path / "missing.toml")


def test_sign_in_uses_the_one_named_provider_when_auth_names_none() -> None:
    assert provider_name(AUTH) is None  # client_id in [auth] itself: Streamlit's "default"
    named = {k: v for k, v in AUTH.items() if k not in ("client_id", "client_secret")}
    assert provider_name(named) == "feishu"

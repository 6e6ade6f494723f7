"""The servers the e2e tests start see none of the developer's own configuration (no browser)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.isolated import auth_section, clean_env


def test_a_servers_environment_has_none_of_the_developers_configuration(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WXDATA_APPID", "wx-the-developers-own")
    monkeypatch.setenv("WXDATA_CACHE_URL", "postgresql://their/store")
    monkeypatch.setenv("STREAMLIT_SECRETS_FILES", "/home/dev/.streamlit/secrets.toml")
    monkeypatch.setenv("STREAMLIT_SERVER_PORT", "8501")
    monkeypatch.setenv("HOME", "/home/dev")
    env = clean_env(tmp_path / "home", "[access]\n", WXDATA_SOURCE="demo")
    assert "WXDATA_APPID" not in env and "STREAMLIT_SERVER_PORT" not in env
    home = tmp_path / "home"
    assert env["HOME"] == str(home)  # no ~/.streamlit, no ~/.cache of the developer's
    assert env["STREAMLIT_SECRETS_FILES"] == str(home / "secrets.toml")  # not .streamlit/'s
    assert (home / "secrets.toml").read_text(encoding="utf-8") == "[access]\n"
    assert env["WXDATA_CACHE_URL"].startswith(f"sqlite:///{home}")
    assert not Path(env["WXDATA_SECRETS_FILE"]).exists()
    assert env["WXDATA_SOURCE"] == "demo" and env["PATH"]  # the rest of the parent's is kept


def test_the_auth_section_names_the_servers_callback_and_the_provider() -> None:
    text = auth_section("http://127.0.0.1:1", "http://127.0.0.1:2", cookie_secret="c",
                        client_secret="s")
    assert text.splitlines() == [
        "[auth]", 'redirect_uri = "http://127.0.0.1:1/oauth2callback"', 'cookie_secret = "c"',
        'client_id = "wxretain"', 'client_secret = "s"',
        'server_metadata_url = "http://127.0.0.1:2/.well-known/openid-configuration"']

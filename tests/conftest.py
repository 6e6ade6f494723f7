"""Shared test set-up. Fixtures of one area live in their own plugin module (listed below) so
that each area's fixtures are found in one place."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from streamlit.runtime.pages_manager import PagesManager

pytest_plugins = ["tests.fixtures_fake", "tests.fixtures_app", "tests.fixtures_postgres"]


@pytest.fixture(autouse=True)
def _no_pages_directory_mode(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Keep AppTest in st.navigation mode although a ``pages/`` folder sits next to app.py.

    On every run after the first, AppTest re-detects ``pages/`` and falls back to the old
    multipage mode, so the router and the shared sidebar stop running (upstream streamlit#9446,
    fixed only partly by #14217; the real server is not affected). Forcing the class flag to False
    after ``PagesManager.__init__`` keeps the app under test the same app users get.
    """
    original = PagesManager.__init__

    def init(self: PagesManager, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)  # type: ignore[arg-type]
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
    PagesManager.uses_pages_directory = False
    yield
    PagesManager.uses_pages_directory = None


@pytest.fixture(autouse=True)
def _no_user_configuration(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Tests never read the developer's own secrets.toml, environment or cache."""
    for name in ("WXDATA_APPID", "WXDATA_SECRET", "WXDATA_API_BASE", "WXDATA_SOURCE",
                 "WXDATA_CONCURRENCY", "WXDATA_SECRETS_FILE", "WXDATA_REFRESH_HOURS",
                 "WXDATA_TIMEOUT", "WXDATA_APP_NAME", "WXDATA_MAX_WEEKS",
                 "WXDATA_REFRESH_COOLDOWN_MINUTES"):
        monkeypatch.delenv(name, raising=False)
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("WXDATA_CACHE_URL", f"sqlite:///{home / 'cache' / 'wx.sqlite3'}")
    monkeypatch.setenv("WXDATA_SECRETS_FILE", str(home / "no-secrets.toml"))

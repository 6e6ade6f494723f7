"""The environment of a server a test starts: nothing a developer configured applies to it.

A ``streamlit run`` started with the parent's environment read the developer's own
``~/.streamlit/secrets.toml`` and the project's ``.streamlit/secrets.toml`` (their ``[auth]``
would sign the test's server in against their provider), their ``WXDATA_*`` variables (their
mini programs, their store) and their ``~/.cache``. :func:`clean_env` gives a server a home of
its own instead; :func:`auth_section` is the ``[auth]`` of a server signing in through a test's
OpenID Connect provider.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Variables of the parent that a server never sees: wxretain's settings and Streamlit's options.
_DEVELOPERS = ("WXDATA_", "STREAMLIT_")


def clean_env(home: Path, secrets: str = "", **settings: str) -> dict[str, str]:
    """The parent's environment without ``WXDATA_*`` and ``STREAMLIT_*`` variables, ``HOME`` in
    ``home`` (no ``~/.streamlit``, no ``~/.cache`` of the developer's), Streamlit's secrets only
    ``home/secrets.toml`` (holding ``secrets``: the project's own file is not read), no wxretain
    settings file, the store in ``home``; then ``settings`` (``WXDATA_*`` names and values)."""
    home.mkdir(parents=True, exist_ok=True)
    secrets_file = home / "secrets.toml"
    secrets_file.write_text(secrets, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(_DEVELOPERS)}
    env.update({
        "HOME": str(home), "XDG_CACHE_HOME": str(home / "cache"),
        "STREAMLIT_SECRETS_FILES": str(secrets_file),
        "WXDATA_SECRETS_FILE": str(home / "no-wxdata-settings.toml"),
        "WXDATA_CACHE_URL": f"sqlite:///{home / 'cache' / 'wx.sqlite3'}",
        **settings,
    })
    return env


def auth_section(url: str, provider: str, *, cookie_secret: str, client_secret: str) -> str:
    """The ``[auth]`` of the server at ``url``, signing in through the provider at ``provider``
    (client ``wxretain``)."""
    return ("[auth]\n"
            f'redirect_uri = "{url}/oauth2callback"\n'
            f'cookie_secret = "{cookie_secret}"\n'
            'client_id = "wxretain"\n'
            f'client_secret = "{client_secret}"\n'
            f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n')

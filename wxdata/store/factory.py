"""The one store factory: the store a ``cache_url`` names.

>>> open_store("sqlite:///:memory:")
SQLiteStore('sqlite:///:memory:')
"""

from __future__ import annotations

from wxdata.core.errors import ConfigError
from wxdata.core.secrets import hide_url_secrets
from wxdata.store.base import Store
from wxdata.store.sqlite import SQLiteStore

HINT = "sqlite:///path/to/cache.sqlite3 | postgresql://user:password@host:5432/database"


def open_store(url: str) -> Store:
    """The SQLite store for ``sqlite:///...``, the PostgreSQL store for ``postgresql://...``
    (or ``postgres://``). Nothing is opened or connected to until the store is first used."""
    if url.startswith("sqlite:"):
        return SQLiteStore(url)
    if url.lower().startswith(("postgresql://", "postgres://")):
        _check_credentials(url)
        # psycopg only when it is asked for: the embedded default never loads it
        from wxdata.store.postgres import PostgresStore

        return PostgresStore(url)
    raise ConfigError("bad_value", name="cache_url", value=hide_url_secrets(url), hint=HINT)


def _check_credentials(url: str) -> None:
    """libpq reads a raw ``@`` or ``/`` in the password as the end of it, and then echoes the
    rest (part of the password) in its error messages: such a URL is refused up front."""
    authority = url.partition("://")[2].partition("?")[0]
    if authority.count("@") > 1 or "/" in authority.rpartition("@")[0]:
        raise ConfigError("bad_value", name="cache_url", value=hide_url_secrets(url),
                          hint="percent-encode @ and / in the password (%40, %2F)")


__all__ = ["open_store"]

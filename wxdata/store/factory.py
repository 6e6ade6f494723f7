"""The one store factory: the store a ``cache_url`` names.

>>> open_store("sqlite:///:memory:")
SQLiteStore('sqlite:///:memory:')
"""

from __future__ import annotations

from wxdata.core.errors import ConfigError
from wxdata.core.secrets import hide_url_secrets
from wxdata.store.base import Store
from wxdata.store.sqlite import SQLiteStore

HINT = "sqlite:///path/to/cache.sqlite3"


def open_store(url: str) -> Store:
    """The SQLite store for ``sqlite:///...``. Nothing is opened until it is first used."""
    if url.startswith("sqlite:"):
        return SQLiteStore(url)
    raise ConfigError("bad_value", name="cache_url", value=hide_url_secrets(url), hint=HINT)


__all__ = ["open_store"]

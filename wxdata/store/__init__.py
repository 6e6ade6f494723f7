"""The store of fetched cohorts: every answer WeChat gave (days, weeks, months), validated, keyed
(app_id, period, start).

``base`` says what a stored cohort is, when it is fresh, and what every store does (:class:`Store`);
``sqlite`` is the embedded store (one file, shared by the dashboard, cron's ``wxdata sync`` and
colleagues' exports), ``postgres`` the shared one (every replica of the dashboard);
:func:`open_store` gives the one a ``cache_url`` names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wxdata._lazy import lazy_exports

if TYPE_CHECKING:
    from wxdata.store.base import CachedPeriod, CacheInfo, Store, utc_now
    from wxdata.store.factory import open_store
    from wxdata.store.marker import SCHEMA_VERSION
    from wxdata.store.sqlite import SQLiteStore, cache_path

__all__ = ["SCHEMA_VERSION", "CacheInfo", "CachedPeriod", "SQLiteStore", "Store", "cache_path",
           "open_store", "utc_now"]

__getattr__ = lazy_exports(__name__, {
    "CacheInfo": "wxdata.store.base",
    "CachedPeriod": "wxdata.store.base",
    "SCHEMA_VERSION": "wxdata.store.marker",
    "SQLiteStore": "wxdata.store.sqlite",
    "Store": "wxdata.store.base",
    "cache_path": "wxdata.store.sqlite",
    "open_store": "wxdata.store.factory",
    "utc_now": "wxdata.store.base",
})

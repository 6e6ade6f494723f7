"""The store of fetched weeks: every answer WeChat gave, validated, keyed (app_id, week).

``base`` says what a stored week is and when it is fresh; ``sqlite`` is the embedded store (one
file, shared by the dashboard, cron's ``wxdata sync`` and colleagues' exports).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wxdata._lazy import lazy_exports

if TYPE_CHECKING:
    from wxdata.store.base import CachedWeek, CacheInfo, utc_now
    from wxdata.store.marker import SCHEMA_VERSION
    from wxdata.store.sqlite import Cache, cache_path

__all__ = ["SCHEMA_VERSION", "Cache", "CacheInfo", "CachedWeek", "cache_path", "utc_now"]

__getattr__ = lazy_exports(__name__, {
    "Cache": "wxdata.store.sqlite",
    "CacheInfo": "wxdata.store.base",
    "CachedWeek": "wxdata.store.base",
    "SCHEMA_VERSION": "wxdata.store.marker",
    "cache_path": "wxdata.store.sqlite",
    "utc_now": "wxdata.store.base",
})

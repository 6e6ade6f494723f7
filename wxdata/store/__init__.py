"""The store of fetched weeks: every answer WeChat gave, validated, keyed (app_id, week).

``base`` says what a stored week is and when it is fresh; ``sqlite`` is the embedded store (one
file, shared by the dashboard, cron's ``wxdata sync`` and colleagues' exports).
"""

from __future__ import annotations

from wxdata.store.base import CachedWeek, CacheInfo, utc_now
from wxdata.store.sqlite import SCHEMA_VERSION, Cache, cache_path

__all__ = ["SCHEMA_VERSION", "Cache", "CacheInfo", "CachedWeek", "cache_path", "utc_now"]

"""wxdata: weekly retention of WeChat mini programs, fetched, cached and analysed.

Everything that is not Streamlit lives here; the dashboard (``app.py``, ``pages/``) and the
``wxdata`` command are thin layers over these names.
"""

from __future__ import annotations

from wxdata.config import AppConfig, Settings, load_settings
from wxdata.core.apps import AppInfo
from wxdata.core.errors import (
    ApiError,
    CacheError,
    ConfigError,
    CredentialError,
    DateError,
    NoDataError,
    PayloadError,
    QuotaError,
    TransientError,
    WxDataError,
)
from wxdata.core.payload import WeeklyRetention, parse_many, parse_payload
from wxdata.core.report import LoadResult, WeekReport
from wxdata.core.tidy import TIDY_COLUMNS
from wxdata.core.weeks import CST, Week, last_ended_week, last_n_weeks, span
from wxdata.sources import DemoSource, FileSource, Source

__all__ = [
    "CST",
    "TIDY_COLUMNS",
    "ApiError",
    "AppConfig",
    "AppInfo",
    "CacheError",
    "ConfigError",
    "CredentialError",
    "DateError",
    "DemoSource",
    "FileSource",
    "LoadResult",
    "NoDataError",
    "PayloadError",
    "QuotaError",
    "Settings",
    "Source",
    "TransientError",
    "Week",
    "WeekReport",
    "WeeklyRetention",
    "WxDataError",
    "last_ended_week",
    "last_n_weeks",
    "load_settings",
    "parse_many",
    "parse_payload",
    "span",
]

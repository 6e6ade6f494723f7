"""wxdata: weekly retention of WeChat mini programs, fetched, cached and analysed.

Everything that is not Streamlit lives here; the dashboard (``app.py``, ``pages/``) and the
``wxdata`` command are thin layers over these names.
"""

from __future__ import annotations

from wxdata.config import AppConfig, Settings, load_settings
from wxdata.errors import (
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
from wxdata.payload import WeeklyRetention, parse_many, parse_payload
from wxdata.report import LoadResult, WeekReport
from wxdata.sources import AppInfo, DemoSource, FileSource, Source
from wxdata.tidy import TIDY_COLUMNS
from wxdata.weeks import CST, Week, last_ended_week, last_n_weeks, span

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

"""wxdata: weekly retention of WeChat mini programs, fetched, cached and analysed.

Everything that is not Streamlit lives here; the dashboard (``app.py``, ``pages/``) and the
``wxdata`` command are thin layers over these names, which are imported on first use (see
:mod:`wxdata._lazy` for why no package ``__init__`` imports its own modules).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
    from wxdata.core.payload import Retention, parse_many, parse_payload
    from wxdata.core.periods import CST, Week, last_ended_week, last_n_weeks, span
    from wxdata.core.report import LoadResult, PeriodReport
    from wxdata.core.tidy import TIDY_COLUMNS
    from wxdata.sources.base import Source
    from wxdata.sources.demo import DemoSource
    from wxdata.sources.file import FileSource

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
    "PeriodReport",
    "QuotaError",
    "Retention",
    "Settings",
    "Source",
    "TransientError",
    "Week",
    "WxDataError",
    "last_ended_week",
    "last_n_weeks",
    "load_settings",
    "parse_many",
    "parse_payload",
    "span",
]

_EXPORTS = {
    "ApiError": "wxdata.core.errors",
    "AppConfig": "wxdata.config",
    "AppInfo": "wxdata.core.apps",
    "CST": "wxdata.core.periods",
    "CacheError": "wxdata.core.errors",
    "ConfigError": "wxdata.core.errors",
    "CredentialError": "wxdata.core.errors",
    "DateError": "wxdata.core.errors",
    "DemoSource": "wxdata.sources.demo",
    "FileSource": "wxdata.sources.file",
    "LoadResult": "wxdata.core.report",
    "NoDataError": "wxdata.core.errors",
    "PayloadError": "wxdata.core.errors",
    "QuotaError": "wxdata.core.errors",
    "Settings": "wxdata.config",
    "Source": "wxdata.sources.base",
    "TIDY_COLUMNS": "wxdata.core.tidy",
    "TransientError": "wxdata.core.errors",
    "Week": "wxdata.core.periods",
    "PeriodReport": "wxdata.core.report",
    "Retention": "wxdata.core.payload",
    "WxDataError": "wxdata.core.errors",
    "last_ended_week": "wxdata.core.periods",
    "last_n_weeks": "wxdata.core.periods",
    "load_settings": "wxdata.config",
    "parse_many": "wxdata.core.payload",
    "parse_payload": "wxdata.core.payload",
    "span": "wxdata.core.periods",
}


def __getattr__(name: str) -> Any:
    # Inline rather than wxdata._lazy: the root package imports none of its own modules.
    if name not in _EXPORTS:
        raise AttributeError(f"module 'wxdata' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)

"""Where the numbers come from: demo (synthetic), file (imported payloads), live (WeChat through
the store). :func:`make_source` is the one factory; every source answers
``load(app_ids, weeks)`` with the same :class:`~wxdata.core.report.LoadResult`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wxdata._lazy import lazy_exports

if TYPE_CHECKING:
    from wxdata.sources.base import Source, SourceName
    from wxdata.sources.demo import DemoSource
    from wxdata.sources.factory import make_source
    from wxdata.sources.file import IMPORTED_APPID, FileSource
    from wxdata.sources.live import LiveSource

__all__ = [
    "IMPORTED_APPID",
    "DemoSource",
    "FileSource",
    "LiveSource",
    "Source",
    "SourceName",
    "make_source",
]

__getattr__ = lazy_exports(__name__, {
    "DemoSource": "wxdata.sources.demo",
    "FileSource": "wxdata.sources.file",
    "IMPORTED_APPID": "wxdata.sources.file",
    "LiveSource": "wxdata.sources.live",
    "Source": "wxdata.sources.base",
    "SourceName": "wxdata.sources.base",
    "make_source": "wxdata.sources.factory",
})

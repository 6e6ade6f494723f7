"""Where the numbers come from: demo (synthetic), file (imported payloads), live (WeChat through
the store). :func:`make_source` is the one factory; every source answers
``load(app_ids, weeks)`` with the same :class:`~wxdata.core.report.LoadResult`.
"""

from __future__ import annotations

from wxdata.config import Settings
from wxdata.sources.base import Source, SourceName
from wxdata.sources.demo import DemoSource
from wxdata.sources.file import IMPORTED_APPID, FileSource
from wxdata.sources.live import LiveSource


def make_source(settings: Settings) -> Source:
    """The source the settings ask for: demo without configured apps, else live."""
    if settings.source == "demo":
        return DemoSource()
    return LiveSource.shared(settings)


__all__ = ["IMPORTED_APPID", "DemoSource", "FileSource", "LiveSource", "Source", "SourceName",
           "make_source"]

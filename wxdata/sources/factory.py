"""The one source factory: the source the settings ask for."""

from __future__ import annotations

from wxdata.config import Settings
from wxdata.sources.base import Source
from wxdata.sources.demo import DemoSource
from wxdata.sources.live import LiveSource


def make_source(settings: Settings) -> Source:
    """The source the settings ask for: demo without configured apps, else live."""
    if settings.source == "demo":
        return DemoSource()
    return LiveSource.shared(settings)

"""The one source factory: the source the settings ask for."""

from __future__ import annotations

from collections.abc import Callable

from wxdata.config import Settings
from wxdata.sources.base import Source
from wxdata.sources.demo import DemoSource
from wxdata.sources.live import LiveSource


def make_source(settings: Settings, *,
                live: Callable[[Settings], LiveSource] = LiveSource) -> Source:
    """The source the settings ask for: demo without configured apps, else live.

    ``live`` makes the live source: by default a new one the caller owns (and closes); the
    dashboard passes its process-wide cached one (``dashboard.source.live_source``).
    """
    if settings.source == "demo":
        return DemoSource()
    return live(settings)

"""One load and its name: what a view asks for (:class:`LoadKey`) and what came back, stamped
(:class:`Loaded`). Plain values, no Streamlit and no I/O.

Each load carries a ``stamp`` of its own, and everything derived from it (tables, fits, the
pages' figures; :func:`wxdata.dashboard.loaders.derived`) is cached by ``(key, stamp)``: after a
refresh or the ttl of :mod:`wxdata.dashboard.load`, the next load has a new stamp, so no derived
cache can serve a table of the previous load, and no figure mixes two loads.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import pandas as pd

from wxdata.core.periods import Period, PeriodKind
from wxdata.core.report import LoadResult
from wxdata.sources import Source


class LoadKey(NamedTuple):
    """What to load: the source, a fingerprint of where it reads from, apps, the ISO names of
    the periods and their kind (one kind per load, as every source loads)."""

    source: str
    fingerprint: str
    app_ids: tuple[str, ...]
    periods: tuple[str, ...]
    kind: PeriodKind


def make_key(source: Source, fingerprint: str, app_ids: Sequence[str],
             periods: Sequence[Period]) -> LoadKey:
    """The key of a load of ``app_ids`` over ``periods`` from ``source``."""
    kind = periods[0].kind if periods else "week"
    return LoadKey(source.name, fingerprint, tuple(app_ids), tuple(p.iso for p in periods), kind)


#: The key of a view with nothing to load (no app chosen, or no ended period in the span).
NOTHING = LoadKey("", "", (), (), "week")


@dataclass(frozen=True)
class Loaded:
    """One load of ``key``: its result, and a stamp no other load has."""

    key: LoadKey
    stamp: str
    result: LoadResult

    @classmethod
    def now(cls, key: LoadKey, result: LoadResult) -> Loaded:
        """``result``, loaded just now: it gets a new stamp."""
        return cls(key, uuid.uuid4().hex, result)

    @classmethod
    def nothing(cls) -> Loaded:
        """The load of a view with nothing to load: no rows, no failure."""
        return cls.now(NOTHING, LoadResult())

    @property
    def frame(self) -> pd.DataFrame:
        return self.result.frame

    def app_frame(self, app_id: str) -> pd.DataFrame:
        return self.frame[self.frame["app_id"] == app_id]

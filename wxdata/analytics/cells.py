"""The tidy frame checked and laid out as one users array per metric: the layer under ``cohort``.

Every cohort figure is arithmetic on one 2-D array, ``users[row, offset]``, where a row is an
(app, cohort) pair, rows are sorted by app then cohort, and an unpublished offset is NaN. Building
that array once for every app (a few numpy calls over the whole frame) and doing the arithmetic
per column is what makes 500 apps cost about as much as one app 500 times over without any
per-app Python loop.

>>> frame = pd.DataFrame({"app_id": ["wx1"] * 3, "cohort_start": pd.Timestamp("2026-11-02"),
...                       "metric": "new", "offset": [0, 1, 2], "users": [1000, 250, 150]})
>>> cells = layout(frame, metric="new")
>>> cells.users.tolist()
[[1000.0, 250.0, 150.0, nan, nan]]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from wxdata.analytics.stats import Floats
from wxdata.core.payload import METRICS
from wxdata.core.periods import DOCUMENTED_OFFSETS
from wxdata.core.tidy import TIDY_COLUMNS

_NEEDED = ("app_id", "cohort_start", "metric", "offset", "users")
_SHOWN_APPS = 10

Ints = npt.NDArray[np.intp]


@dataclass(frozen=True)
class Cells:
    """Users of every (app, cohort) row by week offset.

    ``apps``: the app ids, sorted; ``app_of_row``: which of them each row belongs to;
    ``starts``: each row's cohort_start; ``users``: (rows, offsets), NaN where unpublished;
    ``bounds``: the first row of each app, then the number of rows.
    """

    apps: pd.Index
    app_of_row: Ints
    starts: pd.DatetimeIndex
    users: Floats
    bounds: Ints
    weeks: pd.DatetimeIndex  # every cohort_start of the frame, sorted
    week_of_row: Ints  # each row's position in ``weeks``

    @property
    def width(self) -> int:
        return int(self.users.shape[1])

    @property
    def base(self) -> Floats:
        return self.users[:, 0]

    def rates(self) -> Floats:
        """users_k / users_0 of the same row; NaN over a zero or missing base."""
        base = self.users[:, :1]
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.users / np.where(base > 0, base, np.nan)

    def index(self, *, by_app: bool) -> pd.Index:
        """The rows as ``cohort_start`` (one app) or ``(app_id, cohort_start)``."""
        if not by_app:
            return self.starts.rename("cohort_start")
        # Built from the layout's codes, so nothing is hashed again; pandas accepts Index
        # levels and array codes although its stubs ask for plain sequences.
        levels: list[Any] = [self.apps, self.weeks]
        codes: list[Any] = [self.app_of_row, self.week_of_row]
        return pd.MultiIndex(levels=levels, codes=codes, names=["app_id", "cohort_start"],
                             verify_integrity=False)


def offsets(width: int) -> pd.Index:
    return pd.Index(np.arange(width, dtype=np.int64), name="offset")


def check_choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, allowed))}, got {value!r}")


def _check_columns(frame: pd.DataFrame) -> None:
    missing = [c for c in _NEEDED if c not in frame.columns]
    if missing:
        raise ValueError(f"the frame lacks column(s) {', '.join(missing)}; a tidy frame has "
                         f"{', '.join(TIDY_COLUMNS)} (see wxdata.core.tidy)")


def _apps_text(apps: list[str]) -> str:
    shown = ", ".join(apps[:_SHOWN_APPS])
    more = len(apps) - _SHOWN_APPS
    return shown + (f" and {more} more" if more > 0 else "")


def one_app(frame: pd.DataFrame, app_id: str | None) -> pd.DataFrame:
    """The rows of ``app_id``, or of the only app; ValueError naming the apps when ambiguous."""
    if frame.empty:
        return frame
    _check_columns(frame)
    apps = sorted(str(a) for a in pd.unique(frame["app_id"]))
    if app_id is None:
        if len(apps) > 1:
            raise ValueError(f"the frame holds {len(apps)} apps ({_apps_text(apps)}); "
                             "pass app_id= to choose one")
        return frame
    if app_id not in apps:
        raise ValueError(f"app_id {app_id!r} is not in the frame; it holds {_apps_text(apps)}")
    return frame[frame["app_id"] == app_id]


def layout(frame: pd.DataFrame, *, metric: str) -> Cells:
    """The ``metric`` rows of ``frame`` (any number of apps) as a :class:`Cells` array."""
    check_choice("metric", metric, METRICS)
    if frame.empty:
        return _empty()
    _check_columns(frame)
    rows = frame.loc[(frame["metric"] == metric).to_numpy(dtype=bool), list(_NEEDED)]
    if rows.empty:
        return _empty()
    app_codes, apps = pd.factorize(rows["app_id"], sort=True)
    start_codes, starts = pd.factorize(rows["cohort_start"], sort=True)
    offset = rows["offset"].to_numpy(dtype=np.int64)
    if offset.min() < 0:
        raise ValueError("offset must be 0 or more (0 is the cohort's own week)")
    keys, row_of = np.unique(app_codes.astype(np.int64) * len(starts) + start_codes,
                             return_inverse=True)
    width = max(DOCUMENTED_OFFSETS, int(offset.max()) + 1)  # results keep W0..W4
    flat = row_of.astype(np.int64) * width + offset
    _check_unique(flat)
    users = np.full(len(keys) * width, np.nan)
    users[flat] = rows["users"].to_numpy(dtype=np.float64, na_value=np.nan)
    app_of_row = (keys // len(starts)).astype(np.intp)
    week_of_row = (keys % len(starts)).astype(np.intp)
    bounds = np.searchsorted(app_of_row, np.arange(len(apps) + 1)).astype(np.intp)
    weeks = pd.DatetimeIndex(starts)
    return Cells(pd.Index(apps, dtype="str"), app_of_row, weeks[week_of_row],
                 users.reshape(len(keys), width), bounds, weeks, week_of_row)


def _check_unique(flat: npt.NDArray[np.int64]) -> None:
    repeats = int((np.bincount(flat) > 1).sum())
    if repeats:
        raise ValueError(f"{repeats} (app_id, cohort_start, metric, offset) cells appear more "
                         "than once; drop the duplicate rows (was the same data loaded twice?)")


def _empty() -> Cells:
    none = pd.DatetimeIndex([], dtype="datetime64[ns]")
    return Cells(pd.Index([], dtype="str"), np.zeros(0, dtype=np.intp), none,
                 np.zeros((0, DOCUMENTED_OFFSETS)), np.zeros(1, dtype=np.intp), none,
                 np.zeros(0, dtype=np.intp))


def app_cells(frame: pd.DataFrame, *, metric: str, app_id: str | None) -> Cells:
    """:func:`layout` of one app's rows (see :func:`one_app`)."""
    check_choice("metric", metric, METRICS)
    return layout(one_app(frame, app_id), metric=metric)

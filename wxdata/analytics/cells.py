"""The tidy frame checked and laid out as one users array per metric: the layer under ``cohort``.

Every cohort figure is arithmetic on one 2-D array, ``users[row, column]``, where a row is an
(app, cohort) pair, rows are sorted by app then cohort, a column is one of the keys the period's
API publishes (``Cells.keys``: days D0..D7, D14, D30; weeks W0..W4; months M0, M1; never an
invented D8..D13) and an unpublished offset is NaN. Building
that array once for every app (a few numpy calls over the whole frame) and doing the arithmetic
per column is what makes 500 apps cost about as much as one app 500 times over without any
per-app Python loop.

>>> frame = pd.DataFrame({"app_id": ["wx1"] * 3, "cohort_start": pd.Timestamp("2026-11-02"),
...                       "metric": "new", "offset": [0, 1, 2], "users": [1000, 250, 150]})
>>> cells = layout(frame, metric="new")
>>> cells.users.tolist(), cells.keys.tolist()
([[1000.0, 250.0, 150.0, nan, nan]], [0, 1, 2, 3, 4])

Every function takes the period of the frame's cohorts as ``period=`` (a :class:`Period`
class, ``Week`` by default). A frame whose ``cohort_end`` says its cohorts are of another period
is refused, so that a daily frame is never read as weeks by a forgotten keyword:

>>> days = frame.assign(cohort_end=frame["cohort_start"])
>>> layout(days, metric="new", period=Day).keys.tolist()
[0, 1, 2, 3, 4, 5, 6, 7, 14, 30]
>>> layout(days, metric="new")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
ValueError: the frame's cohorts are days (...), not weeks; pass period=Day
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from wxdata.analytics.stats import Floats
from wxdata.core.payload import METRICS
from wxdata.core.periods import Day, Month, Period, Week
from wxdata.core.tidy import TIDY_COLUMNS

_NEEDED = ("app_id", "cohort_start", "metric", "offset", "users")
_SHOWN_APPS = 10

Ints = npt.NDArray[np.intp]
#: Rows of a block of apps (:meth:`Cells.blocks`): a (rows, 10) float array of 2^15 rows is
#: 2.6 MiB. Done on all 360,000 rows of 500 apps × 720 days at once, the per-app sums ran
#: from memory, not the cache: ten times the apps took 16 times the time.
BLOCK_ROWS = 2**15


@dataclass(frozen=True)
class Cells:
    """Users of every (app, cohort) row by offset.

    ``apps``: the app ids, sorted; ``app_of_row``: which of them each row belongs to;
    ``starts``: each row's cohort_start; ``users``: (rows, columns), NaN where unpublished, the
    offset of each column in ``keys`` (the period's keys, and any other offset the frame holds);
    ``bounds``: the first row of each app, then the number of rows.
    """

    apps: pd.Index
    app_of_row: Ints
    starts: pd.DatetimeIndex
    users: Floats
    bounds: Ints
    weeks: pd.DatetimeIndex  # every cohort_start of the frame, sorted
    week_of_row: Ints  # each row's position in ``weeks``
    keys: Ints  # the offset of each column, ascending, 0 first
    period: type[Period] = Week

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

    def block(self, lo: int, hi: int) -> Cells:
        """The rows of apps ``lo`` to ``hi - 1`` as cells of their own (views, no copy)."""
        r0, r1 = int(self.bounds[lo]), int(self.bounds[hi])
        return Cells(self.apps[lo:hi], self.app_of_row[r0:r1] - lo, self.starts[r0:r1],
                     self.users[r0:r1], self.bounds[lo:hi + 1] - r0, self.weeks,
                     self.week_of_row[r0:r1], self.keys, self.period)

    def blocks(self, rows: int | None = None) -> list[tuple[int, int]]:
        """The apps in consecutive ranges ``(lo, hi)`` of at most ``rows`` rows
        (:data:`BLOCK_ROWS`), or of one app when it has more: per-app arithmetic done a block at
        a time keeps its temporaries in the processor's cache and small, whatever the number
        of apps."""
        rows = BLOCK_ROWS if rows is None else rows
        out, lo = [], 0
        for hi in range(1, len(self.apps) + 1):
            if hi == len(self.apps) or self.bounds[hi + 1] - self.bounds[lo] > rows:
                out.append((lo, hi))
                lo = hi
        return out

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


def offsets(keys: npt.ArrayLike) -> pd.Index:
    """The offset index of a table: the columns' offsets (``Cells.keys``)."""
    return pd.Index(np.asarray(keys, dtype=np.int64), name="offset")


def columns_of(period: type[Period], present: npt.NDArray[np.int64]) -> Ints:
    """The period's published keys, and any other offset ``present`` holds (a hand-made
    frame): a table keeps D0..D30 however few of them a frame has, and invents none between."""
    return np.union1d(np.asarray(period.KEYS, dtype=np.int64), present).astype(np.intp)


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


def layout(frame: pd.DataFrame, *, metric: str, period: type[Period] = Week) -> Cells:
    """The ``metric`` rows of ``frame`` (any number of apps, cohorts of ``period``) as a
    :class:`Cells` array."""
    check_choice("metric", metric, METRICS)
    if frame.empty:
        return _empty(period)
    _check_columns(frame)
    mask = (frame["metric"] == metric).to_numpy(dtype=bool)
    if not mask.any():
        return _empty(period)
    # column by column: a copy of the metric's rows as one frame cost a third of the pass's
    # memory on 500 apps × 720 days
    app_codes, apps = _app_codes(frame["app_id"], mask)
    start_codes, starts = pd.factorize(frame["cohort_start"].to_numpy()[mask], sort=True)
    if "cohort_end" in frame.columns:
        _check_period(frame["cohort_end"].to_numpy()[mask], start_codes,
                      pd.DatetimeIndex(starts), period)
    # masked first, converted after: a conversion of the whole column is a copy of every
    # metric's rows (57 MiB each on 500 apps × 720 days)
    offset = _masked(frame["offset"], mask).astype(np.int64)
    if offset.min() < 0:
        raise ValueError(f"offset must be 0 or more (0 is the cohort's own {period.kind})")
    keys = columns_of(period, np.unique(offset))
    row_keys, row_of = np.unique(app_codes.astype(np.int64) * len(starts) + start_codes,
                                 return_inverse=True)
    width = len(keys)
    flat = row_of.astype(np.int64) * width + np.searchsorted(keys, offset)
    _check_unique(flat)
    users = np.full(len(row_keys) * width, np.nan)
    users[flat] = _masked(frame["users"], mask)
    app_of_row = (row_keys // len(starts)).astype(np.intp)
    week_of_row = (row_keys % len(starts)).astype(np.intp)
    bounds = np.searchsorted(app_of_row, np.arange(len(apps) + 1)).astype(np.intp)
    weeks = pd.DatetimeIndex(starts)
    return Cells(pd.Index(apps, dtype="str"), app_of_row, weeks[week_of_row],
                 users.reshape(len(row_keys), width), bounds, weeks, week_of_row, keys, period)


def _masked(column: pd.Series, mask: npt.NDArray[np.bool_]) -> npt.NDArray[np.float64]:
    """The masked rows of a numeric column as numpy values (a nullable column's NA as NaN)."""
    if isinstance(column.dtype, np.dtype):
        return np.asarray(column.to_numpy()[mask])
    return np.asarray(column.to_numpy(dtype=np.float64, na_value=np.nan)[mask])


def _app_codes(app_id: pd.Series, mask: npt.NDArray[np.bool_]) -> tuple[Ints, pd.Index]:
    """Each masked row's position among the sorted app ids present, and those ids.

    The tidy frame's ``app_id`` is a categorical with sorted categories (:mod:`wxdata.core.tidy`):
    its codes are renumbered over the apps present, without hashing a string per row; any other
    column (a hand-made frame) is factorised."""
    categorical = isinstance(app_id.dtype, pd.CategoricalDtype)
    if categorical and app_id.cat.categories.is_monotonic_increasing:
        codes = app_id.cat.codes.to_numpy()[mask]
        if not len(codes) or codes.min() >= 0:
            categories = app_id.cat.categories
            present = np.flatnonzero(np.bincount(codes, minlength=len(categories)))
            number = np.zeros(len(categories), dtype=np.intp)
            number[present] = np.arange(len(present), dtype=np.intp)
            return number[codes], pd.Index(categories[present], dtype="str")
    values = app_id.to_numpy()[mask] if app_id.dtype == object else app_id[mask]
    codes, apps = pd.factorize(values, sort=True)
    return codes.astype(np.intp), pd.Index(apps, dtype="str")


def _check_period(ends: npt.NDArray[np.datetime64], codes: Ints, starts: pd.DatetimeIndex,
                  period: type[Period]) -> None:
    """ValueError when the cohorts' lengths (cohort_end - cohort_start, one row per cohort) say
    they are not of ``period``: the frame and the keyword disagree."""
    first = np.empty(len(starts), dtype=np.intp)
    first[codes[::-1]] = np.arange(len(codes), dtype=np.intp)[::-1]  # each cohort's first row
    length = (pd.DatetimeIndex(ends[first]) - starts).days.to_numpy()
    expected = {"day": (0, 0), "week": (6, 6), "month": (27, 30)}
    low, high = expected[period.kind]
    wrong = (length < low) | (length > high)
    if not wrong.any():
        return
    days = int(length[np.argmax(wrong)])
    found = next((k for k, (a, b) in expected.items() if a <= days <= b), None)
    what = f"{found}s" if found else "of no period"
    hint = f"pass period={PERIOD_NAMES[found]}" if found else "check cohort_end"
    raise ValueError(f"the frame's cohorts are {what} (cohort_end - cohort_start = {days} days), "
                     f"not {period.kind}s; {hint}")


PERIOD_NAMES = {"day": Day.__name__, "week": Week.__name__, "month": Month.__name__}


def _check_unique(flat: npt.NDArray[np.int64]) -> None:
    repeats = int((np.bincount(flat) > 1).sum())
    if repeats:
        raise ValueError(f"{repeats} (app_id, cohort_start, metric, offset) cells appear more "
                         "than once; drop the duplicate rows (was the same data loaded twice?)")


def _empty(period: type[Period]) -> Cells:
    none = pd.DatetimeIndex([], dtype="datetime64[ns]")
    keys = np.asarray(period.KEYS, dtype=np.intp)
    return Cells(pd.Index([], dtype="str"), np.zeros(0, dtype=np.intp), none,
                 np.zeros((0, len(keys))), np.zeros(1, dtype=np.intp), none,
                 np.zeros(0, dtype=np.intp), keys, period)


def app_cells(frame: pd.DataFrame, *, metric: str, app_id: str | None,
              period: type[Period] = Week) -> Cells:
    """:func:`layout` of one app's rows (see :func:`one_app`)."""
    check_choice("metric", metric, METRICS)
    return layout(one_app(frame, app_id), metric=metric, period=period)


#: Days are compared with the same weekday a week before (较上周同日): day over day is mostly the
#: weekday (a Saturday's cohort differs from a Friday's every week), which says nothing new.
SAME_WEEKDAY_LAG = 7


def comparison(period: type[Period]) -> str:
    """What a cohort is compared with: ``"same_weekday_last_week"`` for days, else
    ``"previous"`` (the previous cohort of the frame); the dashboard words it."""
    return "same_weekday_last_week" if period is Day else "previous"


def pairs(cells: Cells) -> tuple[Ints, Ints]:
    """(now, before): each row that has a cohort to compare with, and that cohort's row — the
    previous row of the same app, or for days the same app's cohort 7 days before (a row
    without one is left out)."""
    if cells.period is not Day:
        now = np.flatnonzero(cells.app_of_row[1:] == cells.app_of_row[:-1]) + 1
        return now.astype(np.intp), (now - 1).astype(np.intp)
    day = cells.starts.to_numpy(dtype="datetime64[D]").astype(np.int64)
    if not len(day):
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    span = int(day.max() - day.min()) + SAME_WEEKDAY_LAG + 1
    key = cells.app_of_row.astype(np.int64) * span + (day - day.min() + SAME_WEEKDAY_LAG)
    at = np.searchsorted(key, key - SAME_WEEKDAY_LAG)  # rows are sorted by app, then day
    found = (at < len(key)) & (key[np.minimum(at, len(key) - 1)] == key - SAME_WEEKDAY_LAG)
    now = np.flatnonzero(found)
    return now.astype(np.intp), at[found].astype(np.intp)

"""What every store keeps and promises: validated payloads keyed (app_id, period kind, start),
when a stored cohort is good enough to serve without asking WeChat, and the one interface
(:class:`Store`) that the fetch layer, the live source and the CLI use whichever store the URL
names.

A stored cohort (:class:`CachedPeriod`) remembers when it was fetched (UTC) and whether it was
already final then (:meth:`Period.is_final`, the one rule). :meth:`CachedPeriod.is_fresh`:

- fetched after the cohort became final: forever;
- fetched while provisional, and the cohort is final now: no, fetch it once more for the last key;
- a refresh asks again for every provisional copy fetched before ``refreshed_after``;
- otherwise: while younger than the refresh interval (6 h by default).

Only validated payloads are ever written: failures, tokens and secrets never are, and every row
is validated again when it is read (:func:`stored_period`): one that fails is treated as missing.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Self

from wxdata.core.errors import WxDataError
from wxdata.core.payload import Retention, parse_payload
from wxdata.core.periods import PERIOD_KINDS, Period, PeriodKind, period_class
from wxdata.core.secrets import logger

log = logger("wxdata.store")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class CachedPeriod:
    """One stored cohort. ``final``: fetched after the cohort had become final."""

    app_id: str
    payload: Retention
    fetched_at: datetime
    final: bool

    @classmethod
    def of(cls, app_id: str, payload: Retention, fetched_at: datetime) -> CachedPeriod:
        """The entry for ``payload`` fetched at ``fetched_at``, final or not by then."""
        return cls(app_id, payload, fetched_at.astimezone(UTC),
                   payload.period.is_final(fetched_at))

    @property
    def period(self) -> Period:
        return self.payload.period

    def is_fresh(self, now: datetime, refresh_interval: timedelta, *,
                 refreshed_after: datetime | None = None) -> bool:
        """Good enough to serve without asking WeChat (see the module docstring)."""
        if self.final:
            return True
        if refreshed_after is not None:
            return self.fetched_at > refreshed_after
        if self.period.is_final(now):
            return False  # final since it was fetched: the last key is worth one more call
        return now - self.fetched_at < refresh_interval


@dataclass(frozen=True)
class CacheInfo:
    path: str
    size: int
    weeks_per_app: dict[str, int] = field(default_factory=dict)
    final: int = 0
    provisional: int = 0
    oldest_fetch: datetime | None = None
    newest_fetch: datetime | None = None
    #: rows per period kind ("day", "week", "month"); a kind with none is absent
    per_kind: dict[str, int] = field(default_factory=dict)

    @property
    def weeks(self) -> int:
        """Every stored cohort, whatever its period (the name is the weekly release's)."""
        return self.final + self.provisional


class Store(ABC):
    """A store of cohorts (days, weeks, months). Every method raises only
    :class:`~wxdata.core.errors.CacheError` (the store cannot be used: busy, unwritable,
    unreachable, damaged, or not ours), whatever the database underneath; a single stored row
    that no longer validates is absent, never an error.

    ``where`` and ``repr`` are fit to show (a file path, or a database URL without its password);
    ``scope`` tells two stores apart that hold different data (the fetch layer's single flight).
    """

    @property
    @abstractmethod
    def where(self) -> str: ...

    @property
    def scope(self) -> str:
        return self.where

    def get(self, app_id: str, period: Period) -> CachedPeriod | None:
        return self.get_many(app_id, [period]).get(period)

    @abstractmethod
    def get_many(self, app_id: str, periods: Sequence[Period]) -> dict[Period, CachedPeriod]:
        """The stored entries among ``periods``, of any kinds (absent ones are absent from the
        answer)."""

    @abstractmethod
    def provisional(self, app_id: str, kind: PeriodKind = "week") -> list[Period]:
        """Cohorts of ``kind`` of ``app_id`` stored before they were final, oldest first."""

    @abstractmethod
    def put(self, app_id: str, payload: Retention, fetched_at: datetime, *,
            keep_newer: bool = False) -> CachedPeriod:
        """Store ``payload`` as fetched at ``fetched_at``; ``keep_newer``: unless the store
        already holds the cohort from a later fetch (an import must not roll data back)."""

    def put_many(self, app_id: str, payloads: Iterable[Retention],
                 fetched_at: datetime, *, keep_newer: bool = False) -> int:
        count = 0
        for payload in payloads:
            self.put(app_id, payload, fetched_at, keep_newer=keep_newer)
            count += 1
        return count

    @abstractmethod
    def exclusive(self, app_id: str, period: Period) -> AbstractContextManager[None]:
        """Held around a call to WeChat for ``(app_id, period)``: while one holder (of any
        process sharing the store) has it, others wait. After taking it, look in the store again:
        the previous holder has probably just stored the cohort."""

    @abstractmethod
    def info(self) -> CacheInfo:
        """What the store holds; an absent store is an empty one (and is not created)."""

    @abstractmethod
    def clear(self) -> int:
        """Forget every cohort; how many were stored, or -1: the store was a damaged one of ours
        and has been deleted. Anything that is not ours is left alone (``not_ours``)."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def stored_period(where: str, app_id: object, kind: object, start: object, payload: object,
                  fetched_at: object, final: object) -> CachedPeriod | None:
    """A stored row, validated again; None (missing: fetched again and replaced) if it fails.
    The row's ``kind`` says which period class it is rebuilt as, and its payload must be that
    cohort's answer (a day's row holding a week's answer is invalid).

    The columns come as text (SQLite) or typed (a date, an aware datetime, a bool: PostgreSQL);
    both read the same through ``str``.
    """
    try:
        if kind not in PERIOD_KINDS:
            raise ValueError("an unknown period kind")
        period = period_class(str(kind))(date.fromisoformat(str(start)))
        parsed = parse_payload(json.loads(str(payload)), expect=period)
        when = datetime.fromisoformat(str(fetched_at))
        if when.tzinfo is None or final not in (0, 1):
            raise ValueError("fetched_at without a zone, or a bad final flag")
    except (WxDataError, ValueError, TypeError, RecursionError) as exc:
        reason = exc.code if isinstance(exc, WxDataError) else type(exc).__name__
        log.warning("%s: ignoring the invalid stored %s %s of %s (%s); it will be fetched "
                    "again", where, str(kind)[:8], str(start)[:10], str(app_id)[:40], reason)
        return None
    return CachedPeriod(str(app_id), parsed, when.astimezone(UTC), bool(final))

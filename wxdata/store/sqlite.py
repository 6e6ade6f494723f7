"""The SQLite store (the embedded default): one file of validated payloads (days, weeks, months).

One file (``sqlite:///~/.cache/wxretain/cache.sqlite3``), WAL mode and a busy timeout, so the
dashboard, ``wxdata sync`` from cron and a colleague's ``wxdata export`` can share it. A row holds
the payload in WeChat's own answer form (:meth:`Retention.to_api`), when it was fetched
(UTC) and whether the cohort was already final then, keyed (app_id, period, start): a day, a
week and a month that start on the same date are three rows. Only validated payloads are
written: failures, tokens and secrets never are.

A cache of the weekly release (schema version 1, keyed (app_id, week_start)) is migrated when it
is opened, in the same ``BEGIN IMMEDIATE`` transaction that checks the schema: of several
processes opening it at once one migrates and the others, once they get the lock, find version
2; a crash halfway leaves version 1, untouched (SQLite's DDL is transactional).

When a stored cohort is good enough to serve is :mod:`wxdata.store.base`'s rule.

The file carries the cache's own marker (``PRAGMA application_id``, see :mod:`.marker`): a path
that points at anything else (another program's database, a config file) is refused, never
written to and never deleted by ``wxdata cache clear``. A damaged cache of our own is a
:class:`~wxdata.core.errors.CacheError` naming the file and ``wxdata cache clear``; a single row
that no longer validates is treated as missing (it is fetched again and replaced), never served
and never a crash.

>>> store = SQLiteStore("sqlite:///:memory:")
>>> store.info().weeks
0
"""

from __future__ import annotations

import functools
import json
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import date, datetime
from pathlib import Path
from typing import ParamSpec, TypeVar

from tenacity import RetryCallState, retry, retry_if_exception, wait_exponential_jitter

from wxdata.core.errors import CacheError, ConfigError, WxDataError
from wxdata.core.payload import Retention
from wxdata.core.periods import Period, PeriodKind, period_class
from wxdata.store.base import CachedPeriod, CacheInfo, Store, stored_period
from wxdata.store.marker import (
    APPLICATION_ID,
    COLUMNS,
    LEGACY_COLUMNS,
    LEGACY_VERSION,
    SCHEMA_VERSION,
    identify,
)

#: How long a writer waits for another process's write before giving up (milliseconds).
BUSY_TIMEOUT_MS = 10_000
#: How long an operation that still met a busy file is tried again (seconds). SQLite answers
#: "database is locked" at once, without its busy handler, in a few cases (a journal-mode switch
#: or WAL recovery racing a process that opens the same new file); every store operation is
#: idempotent (reads, an upsert, a delete), so it is simply done again.
BUSY_RETRY_S = 20.0
_P = ParamSpec("_P")
_T = TypeVar("_T")


def _is_busy(exc: BaseException) -> bool:
    return isinstance(exc, CacheError) and exc.code == "busy"


def _out_of_patience(state: RetryCallState) -> bool:
    return (state.seconds_since_start or 0.0) >= BUSY_RETRY_S  # read at call time (tests)


def _patient(method: Callable[_P, _T]) -> Callable[_P, _T]:
    """Do a store operation again while another process holds the file (see BUSY_RETRY_S)."""
    patient = retry(retry=retry_if_exception(_is_busy), stop=_out_of_patience,
                    wait=wait_exponential_jitter(multiplier=0.05, max=1.0), reraise=True)(method)
    return functools.wraps(method)(patient)
MEMORY = ":memory:"
_PREFIX = "sqlite:///"
_SCHEMA = """
CREATE TABLE weeks (
    app_id     TEXT NOT NULL,
    period     TEXT NOT NULL CHECK (period IN ('day', 'week', 'month')),
    start      TEXT NOT NULL,   -- the cohort's first day, YYYY-MM-DD (UTC+8 calendar)
    payload    TEXT NOT NULL,   -- Retention.to_api() as JSON
    fetched_at TEXT NOT NULL,   -- UTC, ISO 8601
    final      INTEGER NOT NULL,
    PRIMARY KEY (app_id, period, start)
)
"""
#: Version 1 -> 2: SQLite cannot change a primary key, so the table is rebuilt; every row of
#: version 1 was a week.
_MIGRATE_FROM_1 = (
    "ALTER TABLE weeks RENAME TO weeks_v1",
    _SCHEMA,
    "INSERT INTO weeks (app_id, period, start, payload, fetched_at, final) "
    "SELECT app_id, 'week', week_start, payload, fetched_at, final FROM weeks_v1",
    "DROP TABLE weeks_v1",
)


def cache_path(url: str) -> Path | None:
    """The file of a ``sqlite:///path`` URL (``~`` expanded); None for ``sqlite:///:memory:``."""
    if not url.startswith(_PREFIX):
        raise ConfigError("bad_value", name="cache_url", value=url,
                          hint="sqlite:///path/to/cache.sqlite3")
    rest = url[len(_PREFIX):]
    if rest == MEMORY:
        return None
    if not rest:
        raise ConfigError("bad_value", name="cache_url", value=url,
                          hint="sqlite:///path/to/cache.sqlite3")
    return Path(rest).expanduser()


class SQLiteStore(Store):
    """The embedded store. Safe to share between threads (one connection behind a lock) and
    processes (SQLite's own locking, WAL). The file is opened on first use."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.path = cache_path(url)
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None

    def __repr__(self) -> str:
        return f"SQLiteStore({self.url!r})"

    @property
    def where(self) -> str:
        return str(self.path) if self.path is not None else MEMORY

    @property
    def scope(self) -> str:
        # every in-memory store is a store of its own
        return self.where if self.path is not None else f"{MEMORY}{id(self)}"

    # -- reading and writing -------------------------------------------------------------------

    @_patient
    def get_many(self, app_id: str, periods: Sequence[Period]) -> dict[Period, CachedPeriod]:
        entries: list[CachedPeriod | None] = []
        for kind in dict.fromkeys(p.kind for p in periods):  # one query per kind asked for
            starts = sorted({p.start.isoformat() for p in periods if p.kind == kind})
            marks = ",".join("?" * len(starts))
            sql = (f"SELECT app_id, period, start, payload, fetched_at, final FROM weeks "
                   f"WHERE app_id = ? AND period = ? AND start IN ({marks})")
            with self._connection() as conn:
                rows = conn.execute(sql, (app_id, kind, *starts)).fetchall()
            entries.extend(stored_period(self.where, *row) for row in rows)
        return {entry.period: entry for entry in entries if entry is not None}

    @_patient
    def provisional(self, app_id: str, kind: PeriodKind = "week") -> list[Period]:
        with self._connection() as conn:
            rows = conn.execute("SELECT start FROM weeks WHERE app_id = ? AND period = ? "
                                "AND final = 0 ORDER BY start", (app_id, kind)).fetchall()
        return [period for row in rows if (period := _period(kind, row[0])) is not None]

    @_patient
    def put(self, app_id: str, payload: Retention, fetched_at: datetime, *,
            keep_newer: bool = False) -> CachedPeriod:
        entry = CachedPeriod.of(app_id, payload, fetched_at)
        values = (app_id, entry.period.kind, entry.period.start.isoformat(),
                  json.dumps(payload.to_api()),
                  # one fixed width, so that SQL compares the texts as times (keep_newer)
               entry.fetched_at.isoformat(timespec="microseconds"), int(entry.final))
        condition = "WHERE excluded.fetched_at >= weeks.fetched_at" if keep_newer else ""
        sql = ("INSERT INTO weeks (app_id, period, start, payload, fetched_at, final) "
               "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (app_id, period, start) DO UPDATE SET "
               "payload = excluded.payload, fetched_at = excluded.fetched_at, "
               f"final = excluded.final {condition}")
        with self._connection() as conn:
            conn.execute(sql, values)
        return entry

    def exclusive(self, app_id: str, period: Period) -> AbstractContextManager[None]:
        # Nothing across processes: an SQLite file is shared by a few processes of one machine
        # (the dashboard, cron's sync), where the in-process single flight already covers every
        # viewer; a rare duplicate call between them costs one call, not a replica's worth.
        return nullcontext()

    # -- housekeeping --------------------------------------------------------------------------

    @_patient
    def info(self) -> CacheInfo:
        """What the cache holds; a missing file is an empty cache (and is not created)."""
        if self.path is not None and not self.path.exists():
            return CacheInfo(self.where, 0)
        with self._connection() as conn:
            per_app = dict(conn.execute(
                "SELECT app_id, COUNT(*) FROM weeks GROUP BY app_id ORDER BY app_id").fetchall())
            per_kind = dict(conn.execute(
                "SELECT period, COUNT(*) FROM weeks GROUP BY period").fetchall())
            final, provisional, oldest, newest = conn.execute(
                "SELECT COALESCE(SUM(final), 0), COALESCE(SUM(1 - final), 0), "
                "MIN(fetched_at), MAX(fetched_at) FROM weeks").fetchone()
        return CacheInfo(self.where, self._size(), {str(k): int(v) for k, v in per_app.items()},
                         int(final), int(provisional), _when(oldest), _when(newest),
                         {str(k): int(v) for k, v in per_kind.items()})

    @_patient
    def clear(self) -> int:
        """Forget every cohort; returns how many were stored (-1: the file was a damaged cache of
        ours and has been deleted, which is what ``wxdata cache clear`` promises). A file that
        is not a wxretain cache is left alone: a ``not_ours`` CacheError."""
        if self.path is not None and identify(self.path) == "foreign":
            raise self._error("not_ours")
        try:
            with self._connection() as conn:
                return int(conn.execute("DELETE FROM weeks").rowcount)
        except CacheError as exc:
            if exc.code in ("busy", "unwritable"):
                raise  # a lock or a full disk is not damage: deleting would lose data
            self._delete_files()
            return -1

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    # -- the sqlite3 boundary ------------------------------------------------------------------

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        """The connection, under the lock; every sqlite3 error leaves as a CacheError."""
        with self._lock:
            try:
                if self._conn is None:
                    self._conn = self._open()
                yield self._conn
            except sqlite3.Error as exc:
                failure = self._error(_kind(exc), detail=_describe(exc))
            else:
                return
        raise failure  # outside the except block: no sqlite3 exception chained

    def _open(self) -> sqlite3.Connection:
        if self.path is not None and identify(self.path) == "foreign":
            raise self._error("not_ours")
        if self.path is not None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise self._error("unwritable", detail=exc.strerror or type(exc).__name__) \
                    from None
        conn = sqlite3.connect(self.where, timeout=BUSY_TIMEOUT_MS / 1000,
                               isolation_level=None, check_same_thread=False)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            # switched once, by whoever makes the file: the switch needs the file to itself
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            if self.path is not None and str(mode).lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            # WAL's own advice for NORMAL: a commit no longer waits for the disk (FULL synced
            # every cohort written: ~3 ms of a cold fetch's critical path per call), the file
            # stays consistent through any crash, and a power cut can lose only the last
            # commits: cohorts fetched again, never a damaged cache.
            conn.execute("PRAGMA synchronous = NORMAL")
            self._ensure_schema(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def _ensure_schema(self, conn: sqlite3.Connection) -> None:
        # IMMEDIATE: two processes opening a new file at once must not both create it.
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            if version == 0 and not tables:
                conn.execute(_SCHEMA)
            else:
                self._check_or_migrate(conn, version, tables)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            # a cache made before the marker existed gets it now
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def _check_or_migrate(self, conn: sqlite3.Connection, version: int,
                          tables: set[str]) -> None:
        """Inside _ensure_schema's transaction: our current table as it is, version 1's
        migrated, anything else (a newer version, a changed table) refused."""
        columns = {r[1] for r in conn.execute("PRAGMA table_info(weeks)")}
        if version == LEGACY_VERSION and "weeks" in tables and columns == LEGACY_COLUMNS:
            for statement in _MIGRATE_FROM_1:
                conn.execute(statement)
        elif version != SCHEMA_VERSION or "weeks" not in tables or columns != COLUMNS:
            raise self._error("schema", found=version, expected=SCHEMA_VERSION)

    def _error(self, code: str, **params: object) -> CacheError:
        return CacheError(code, path=self.where, **params)

    def _size(self) -> int:
        if self.path is None:
            return 0
        files = (self.path, Path(f"{self.path}-wal"))
        return sum(p.stat().st_size for p in files if p.exists())

    def _delete_files(self) -> None:
        self.close()
        if self.path is None:
            return
        for suffix in ("", "-wal", "-shm", "-journal"):
            target = Path(f"{self.path}{suffix}")
            try:
                target.unlink(missing_ok=True)
            except OSError as exc:
                raise self._error("unwritable", detail=exc.strerror or type(exc).__name__) \
                    from None


def _when(text: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def _period(kind: PeriodKind, text: object) -> Period | None:
    try:
        return period_class(kind)(date.fromisoformat(str(text)))
    except (WxDataError, ValueError):
        return None


#: SQLite's primary result codes (``sqlite_errorname`` up to its first "_" after SQLITE_) that
#: are not damage: another process holds the lock (wait), or the file cannot be written.
_BUSY = {"SQLITE_BUSY", "SQLITE_LOCKED"}
_UNWRITABLE = {"SQLITE_READONLY", "SQLITE_IOERR", "SQLITE_CANTOPEN", "SQLITE_FULL", "SQLITE_PERM",
               "SQLITE_AUTH"}


def _kind(exc: sqlite3.Error) -> str:
    """busy (another process holds the lock: wait), unwritable (permissions, disk), or corrupt.

    Only a corrupt file should send the user to ``wxdata cache clear``: a lock or a full disk
    would be lost data for nothing. Read from SQLite's own error name (``SQLITE_IOERR_WRITE``
    belongs to ``SQLITE_IOERR``), never from the message text.
    """
    name = getattr(exc, "sqlite_errorname", None) or ""
    primary = "_".join(name.split("_")[:2])
    if primary in _BUSY:
        return "busy"
    if primary in _UNWRITABLE:
        return "unwritable"
    return "corrupt"


def _describe(exc: sqlite3.Error) -> str:
    # sqlite3 messages name no path or secret ("file is not a database", "database is locked").
    return str(exc)[:120] or type(exc).__name__


__all__ = ["BUSY_TIMEOUT_MS", "SQLiteStore", "cache_path"]

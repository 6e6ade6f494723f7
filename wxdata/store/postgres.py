"""The PostgreSQL store: one database shared by every replica of the dashboard and by the CLI.

``WXDATA_CACHE_URL=postgresql://user:password@host:5432/db`` (libpq's URL: ``?sslmode=``,
``?options=-csearch_path%3Dwxretain`` and the rest work; ``PGPASSWORD`` or ``~/.pgpass`` keep the
password out of the URL). The same rows as the SQLite store, typed: the payload as ``jsonb`` in
WeChat's own answer form, ``fetched_at`` as ``timestamptz``, ``final`` as a boolean; the same
freshness rule (:mod:`wxdata.store.base`), the same re-validation on read.

The tables are created, and migrated, by the first process that connects (:mod:`.pgschema`);
a ``weeks`` table that is not ours is refused and never dropped.

:meth:`PostgresStore.exclusive` is a session advisory lock per (app, week), taken on a connection
of its own: N replicas asking for the same cold span wait for each other week by week, and the
fetch layer looks in the store again once it holds the lock, so each week costs one WeChat call
in total. A holder that dies releases its lock with its connection.

Every psycopg error leaves as a :class:`~wxdata.core.errors.CacheError` (busy, unwritable,
unreachable, ...) whose message names the database without its password: libpq echoes a
malformed URL, password included, so its texts are redacted with the URL's own secrets.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import TypeVar

import psycopg

from wxdata.core.errors import CacheError
from wxdata.core.payload import Retention
from wxdata.core.periods import Period, PeriodKind, period_class
from wxdata.core.secrets import (
    hide_url_secrets,
    logger,
    redact,
    remember_url_secrets,
    url_secrets,
)
from wxdata.store import pgschema
from wxdata.store.base import CachedPeriod, CacheInfo, Store, stored_period
from wxdata.store.marker import APPLICATION_ID, LEGACY_VERSION, SCHEMA_VERSION

log = logger("wxdata.store.postgres")
T = TypeVar("T")

SCHEMES = ("postgresql://", "postgres://")
#: Seconds to wait for the server to answer a connection (unless the URL says connect_timeout).
CONNECT_TIMEOUT = 10
#: How long a statement may wait for a row another process is writing (milliseconds).
LOCK_TIMEOUT_MS = 10_000
#: How long a statement may run at all (milliseconds): a hung server is an error, not a hang.
STATEMENT_TIMEOUT_MS = 30_000
#: How long to wait for another process's call of the same week (seconds): longer than one
#: client's call with all its retries; past it the week is ``busy`` (served stale if stored).
EXCLUSIVE_WAIT_SECONDS = 120.0
#: Connections that hold week locks, at most, per store (the dashboard's threads share them).
MAX_LOCKERS = 8
_LOCK_CLASS = APPLICATION_ID  # "wxrt": the first number of every week lock (pg_locks.classid)


def lock_key(app_id: str, period: Period) -> tuple[int, int]:
    """The two-number advisory lock of (app, cohort): ``wxrt`` and a 32-bit hash of the app,
    the period's kind and its start (a week's key is what it was before days and months).

    Two cohorts that hash alike only wait for each other, which is harmless.
    """
    kind = "" if period.kind == "week" else f"\x00{period.kind}"
    digest = hashlib.blake2b(f"{app_id}\x00{period.start.isoformat()}{kind}".encode(),
                             digest_size=4)
    return _LOCK_CLASS, int.from_bytes(digest.digest(), "big", signed=True)


class PostgresStore(Store):
    """The shared store. Safe to share between threads (one connection for reads and writes
    behind a lock, one per held week lock) and processes (PostgreSQL's own locking). The database
    is connected to on first use."""

    def __init__(self, url: str) -> None:
        if not url.startswith(SCHEMES):
            raise ValueError("not a postgresql:// URL")
        self.url = url
        self._secrets = url_secrets(url)
        remember_url_secrets(url)
        self._where = hide_url_secrets(url)
        self._lock = threading.RLock()
        self._conn: psycopg.Connection | None = None
        self._checked = False  # the open connection's tables are known to be usable
        self._lockers: list[psycopg.Connection] = []  # idle, each ready for pg_advisory_lock
        self._locker_slots = threading.BoundedSemaphore(MAX_LOCKERS)

    def __repr__(self) -> str:
        return f"PostgresStore({self._where!r})"

    @property
    def where(self) -> str:
        return self._where

    # -- reading and writing -------------------------------------------------------------------

    def get_many(self, app_id: str, periods: Sequence[Period]) -> dict[Period, CachedPeriod]:
        if not periods:
            return {}
        # one query for every kind asked for: the (kind, start) pairs as two parallel arrays
        pairs = sorted({(p.kind, p.start) for p in periods})
        rows = self._session(lambda conn: conn.execute(
            "SELECT w.app_id, w.period, w.start, w.payload::text, w.fetched_at, w.final "
            "FROM weeks w JOIN unnest(%s::text[], %s::date[]) AS asked(period, start) "
            "ON w.period = asked.period AND w.start = asked.start WHERE w.app_id = %s",
            ([k for k, _ in pairs], [d for _, d in pairs], app_id)).fetchall())
        entries = (stored_period(self.where, *row) for row in rows)
        return {entry.period: entry for entry in entries if entry is not None}

    def provisional(self, app_id: str, kind: PeriodKind = "week") -> list[Period]:
        rows = self._session(lambda conn: conn.execute(
            "SELECT start FROM weeks WHERE app_id = %s AND period = %s AND NOT final "
            "ORDER BY start", (app_id, kind)).fetchall())
        periods = []
        for (start,) in rows:
            try:
                periods.append(period_class(kind)(start))
            except ValueError:  # DateError: not the period's first day, or out of range
                continue
        return periods

    def put(self, app_id: str, payload: Retention, fetched_at: datetime, *,
            keep_newer: bool = False) -> CachedPeriod:
        entry = CachedPeriod.of(app_id, payload, fetched_at)
        keep = " WHERE excluded.fetched_at >= weeks.fetched_at" if keep_newer else ""
        values = (app_id, entry.period.kind, entry.period.start, _json(payload),
                  entry.fetched_at, entry.final)
        self._session(lambda conn: conn.execute(
            "INSERT INTO weeks (app_id, period, start, payload, fetched_at, final) "
            "VALUES (%s, %s, %s, %s::jsonb, %s, %s) ON CONFLICT (app_id, period, start) "
            "DO UPDATE "
            "SET payload = excluded.payload, fetched_at = excluded.fetched_at, "
            "final = excluded.final" + keep, values))
        return entry

    @contextmanager
    def exclusive(self, app_id: str, period: Period) -> Iterator[None]:
        key = lock_key(app_id, period)
        with self._locker_slots:
            conn = self._take_locker(key)
            try:
                yield
            finally:
                self._release_locker(conn, key)

    # -- housekeeping --------------------------------------------------------------------------

    def info(self) -> CacheInfo:
        """What the database holds; a database without our tables is an empty store (and the
        tables are not made: ``cache info`` needs no more than read access)."""
        return self._session(self._info, tables=False)

    def _info(self, conn: psycopg.Connection) -> CacheInfo:
        try:
            identity = self._inspect(conn)
        except CacheError as exc:
            if exc.code != "schema" or exc.params.get("found") != LEGACY_VERSION:
                raise
            # the weekly release's tables: migrated now, as any other use would (the SQLite
            # store does the same when it opens the file)
            self._translated(pgschema.ensure, conn)
            identity = "ours"
        if identity == "empty":
            return CacheInfo(self.where, 0)
        per_app: dict[str, int] = dict(conn.execute(
            "SELECT app_id, count(*) FROM weeks GROUP BY app_id ORDER BY app_id").fetchall())
        per_kind: dict[str, int] = dict(conn.execute(
            "SELECT period, count(*) FROM weeks GROUP BY period").fetchall())
        row = conn.execute(
            "SELECT count(*) FILTER (WHERE final), count(*) FILTER (WHERE NOT final), "
            "min(fetched_at), max(fetched_at), pg_total_relation_size('weeks'::regclass) "
            "FROM weeks").fetchone()
        final, provisional, oldest, newest, size = row or (0, 0, None, None, 0)
        return CacheInfo(self.where, int(size), {str(k): int(v) for k, v in per_app.items()},
                         int(final), int(provisional), oldest, newest,
                         {str(k): int(v) for k, v in per_kind.items()})

    def clear(self) -> int:
        """Forget every cohort; -1 when our tables were in a version this program cannot use and
        have been dropped (they are made again on the next use). A ``weeks`` table that is not
        ours is left alone: a ``not_ours`` CacheError."""
        return self._session(self._clear, tables=False)

    def _clear(self, conn: psycopg.Connection) -> int:
        try:
            identity = self._inspect(conn)
        except CacheError as exc:
            if exc.code != "schema":
                raise
            pgschema.drop(conn)
            self._checked = False
            return -1
        if identity == "empty":
            return 0
        return int(conn.execute("DELETE FROM weeks").rowcount)

    def close(self) -> None:
        with self._lock:
            conns, self._lockers = [self._conn, *self._lockers], []
            self._conn = None
        for conn in conns:
            if conn is not None:
                conn.close()

    # -- the psycopg boundary ------------------------------------------------------------------

    def _session(self, work: Callable[[psycopg.Connection], T], *, tables: bool = True) -> T:
        """``work(connection)`` under the lock, our tables made or migrated first (``tables``).

        A psycopg error leaves as a CacheError raised after the ``except`` block, so that it
        carries no psycopg exception (whose text may hold the password) as its context; a broken
        connection is dropped, and the tables are looked at again on the next use (``cache
        clear`` in another process may have dropped them meanwhile).
        """
        with self._lock:
            try:
                conn = self._raw_connection()
                if tables and not self._checked:
                    self._translated(pgschema.ensure, conn)
                    self._checked = True
                return work(conn)
            except psycopg.Error as exc:
                failure = self._failure(exc)
        raise failure

    def _inspect(self, conn: psycopg.Connection) -> pgschema.Identity:
        """ours or empty (nothing is made); a CacheError for tables we cannot use."""
        return self._translated(pgschema.check, conn)

    def _translated(self, step: Callable[[psycopg.Connection], T],
                    conn: psycopg.Connection) -> T:
        try:
            return step(conn)
        except pgschema.NotOurs:
            failure = self._error("not_ours")
        except pgschema.SchemaMismatch as exc:
            failure = self._error("schema", found=exc.found, expected=SCHEMA_VERSION)
        raise failure

    def _failure(self, exc: psycopg.Error) -> CacheError:
        with self._lock:
            self._checked = False
            if self._conn is not None and (self._conn.broken or self._conn.closed):
                self._conn.close()
                self._conn = None
        return self._error(_kind(exc), detail=self._describe(exc))

    def _raw_connection(self) -> psycopg.Connection:
        if self._conn is None or self._conn.closed:
            self._conn = self._connect(lock_timeout_ms=LOCK_TIMEOUT_MS)
            self._checked = False
        return self._conn

    def _connect(self, *, lock_timeout_ms: int | float) -> psycopg.Connection:
        """A new autocommit session (psycopg errors are the caller's)."""
        timeout = None if "connect_timeout=" in self.url else CONNECT_TIMEOUT  # the URL's wins
        conn = psycopg.connect(self.url, autocommit=True, connect_timeout=timeout)
        try:
            conn.execute("SELECT set_config('lock_timeout', %s, false), "
                         "set_config('statement_timeout', %s, false), "
                         "set_config('TimeZone', 'UTC', false)",
                         (f"{int(lock_timeout_ms)}ms",
                          f"{int(max(STATEMENT_TIMEOUT_MS, lock_timeout_ms + 1000))}ms"))
        except BaseException:
            conn.close()
            raise
        return conn

    def _take_locker(self, key: tuple[int, int]) -> psycopg.Connection:
        """A session of its own holding the week lock ``key`` (waiting for it if need be)."""
        with self._lock:
            conn = self._lockers.pop() if self._lockers else None
        try:
            if conn is None or conn.closed or conn.broken:
                conn = self._connect(lock_timeout_ms=EXCLUSIVE_WAIT_SECONDS * 1000)
            conn.execute("SELECT pg_advisory_lock(%s, %s)", key)
            return conn
        except psycopg.Error as exc:
            if conn is not None:
                conn.close()
            failure = self._failure(exc)
        raise failure

    def _release_locker(self, conn: psycopg.Connection, key: tuple[int, int]) -> None:
        try:
            conn.execute("SELECT pg_advisory_unlock(%s, %s)", key)
        except psycopg.Error as exc:
            # closing the session releases the lock all the same
            log.warning("%s: could not release a week lock (%s); closing its connection",
                        self.where, self._describe(exc))
            conn.close()
            return
        with self._lock:
            if len(self._lockers) < MAX_LOCKERS:
                self._lockers.append(conn)
                return
        conn.close()

    def _error(self, code: str, **params: object) -> CacheError:
        return CacheError(code, backend="postgresql", path=self.where, **params)

    def _describe(self, exc: psycopg.Error) -> str:
        """The server's or libpq's own words, first line, without the URL's secrets."""
        diag = getattr(exc, "diag", None)
        text = (diag.message_primary if diag is not None else None) or str(exc)
        first = " ".join(text.strip().splitlines()[:1]) or type(exc).__name__
        return redact(first.replace(self.url, self.where), *self._secrets)[:200]


def _json(payload: Retention) -> str:
    return json.dumps(payload.to_api())


#: SQLSTATE classes and codes that are not damage: wait and try again (busy), the database
#: refuses to be written (unwritable), or it cannot be reached at all (unreachable).
_BUSY = {"55P03", "57014", "40001", "40P01", "53300"}
_UNWRITABLE = {"42501", "25006", "53100", "53200", "3F000"}
_UNREACHABLE_CLASSES = {"08", "28", "3D", "57"}


def _kind(exc: psycopg.Error) -> str:
    """busy, unwritable, unreachable, or corrupt: read from the SQLSTATE, never the message.

    An error without one (refused connection, unknown host, malformed URL, a connection lost
    mid-statement) is libpq's own: the server could not be reached.
    """
    state = exc.sqlstate
    if state is None or isinstance(exc, psycopg.InterfaceError):
        return "unreachable"
    if state in _BUSY:
        return "busy"
    if state in _UNWRITABLE or state.startswith("54"):
        return "unwritable"
    if state[:2] in _UNREACHABLE_CLASSES:
        return "unreachable"
    return "corrupt"


__all__ = ["EXCLUSIVE_WAIT_SECONDS", "PostgresStore", "lock_key"]

"""What the alerts remember, in the store the cache lives in: which alerts went out, and how each
app's recent ``wxdata sync`` runs ended.

An alert is sent once per (digest, rule, app, period): :func:`claim` inserts its row before the
message leaves (``INSERT ... ON CONFLICT DO NOTHING``: of two processes, on two hosts sharing a
PostgreSQL store or two cron jobs on one SQLite file, exactly one gets the row), :func:`confirm`
marks it sent, :func:`release` deletes it when the message could not be sent (the next run tries
again). A claim left by a process that died between the two (state ``sending``) is retaken after
:data:`STALE_CLAIM`: the message may then arrive twice, which is better than never.

The tables have their own numbered migrations (:data:`MIGRATIONS`, version in
``wxretain_alerts_schema``), apart from the cache's own schema version: an older release keeps
reading the cohorts of a store that has them, and ``wxdata cache clear`` leaves them alone (it
forgets cohorts, not what was already said). They are created by the first alert run.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from wxdata.core.errors import CacheError
from wxdata.core.secrets import hide_url_secrets, redact
from wxdata.store.factory import open_store
from wxdata.store.sqlite import BUSY_TIMEOUT_MS, SQLiteStore, cache_path

T = TypeVar("T")
#: A claim older than this whose message was never confirmed is taken again.
STALE_CLAIM = timedelta(hours=1)
#: How many runs per app are kept (the data rule reads the last three).
KEEP_RUNS = 20

#: The statements that bring version ``n - 1`` to version ``n``; ``{ts}`` is the time type.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """
        CREATE TABLE IF NOT EXISTS wxretain_alerts_sent (
            digest     text NOT NULL,
            rule       text NOT NULL,
            app_id     text NOT NULL,
            period     text NOT NULL,  -- the cohort (and offset) or the day the alert is about
            state      text NOT NULL CHECK (state IN ('sending', 'sent')),
            claimed_at {ts} NOT NULL,
            PRIMARY KEY (digest, rule, app_id, period)
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS wxretain_sync_runs (
            app_id   text NOT NULL,
            ran_at   {ts} NOT NULL,
            outcome  text NOT NULL,  -- ok | refused | quota | credential
            errcode  integer,
            PRIMARY KEY (app_id, ran_at)
        )
        """,
    ),
}
ALERTS_VERSION = max(MIGRATIONS)
_VERSION_TABLE = "CREATE TABLE IF NOT EXISTS wxretain_alerts_schema (version integer NOT NULL)"
#: Creating the tables is done by one process at a time ("wxra", apart from the cache's locks).
_SCHEMA_LOCK = 0x77787261


@dataclass(frozen=True)
class Run:
    app_id: str
    ran_at: datetime
    outcome: str
    errcode: int | None


class AlertState:
    """The alert tables of the store ``cache_url`` names (SQLite or PostgreSQL). Every method
    raises only :class:`~wxdata.core.errors.CacheError`."""

    def __init__(self, cache_url: str) -> None:
        self.url = cache_url
        self.postgres = cache_url.lower().startswith(("postgresql://", "postgres://"))
        self.where = hide_url_secrets(cache_url)
        self._ready = False
        # the cache's own checks first: a URL that names another program's file is refused
        store = open_store(cache_url)
        try:
            if isinstance(store, SQLiteStore):
                store.provisional("-")  # opens (or creates) and checks the cache file
            else:
                store.info()
        finally:
            store.close()

    # -- the alerts ------------------------------------------------------------------------

    def claim(self, digest: str, rule: str, app_id: str, period: str,
              now: datetime | None = None) -> bool:
        """True when this process may send the alert (and has recorded that it is sending)."""
        now = now or datetime.now(UTC)
        stale = now - STALE_CLAIM
        key = (digest, rule, app_id, period)

        def work(run: Callable[[str, tuple[Any, ...]], int]) -> bool:
            run("DELETE FROM wxretain_alerts_sent WHERE digest = {p} AND rule = {p} AND "
                "app_id = {p} AND period = {p} AND state = 'sending' AND claimed_at < {p}",
                (*key, self._time(stale)))
            return run("INSERT INTO wxretain_alerts_sent VALUES ({p}, {p}, {p}, {p}, "
                       "'sending', {p}) ON CONFLICT DO NOTHING", (*key, self._time(now))) == 1

        return bool(self._do(work))

    def confirm(self, digest: str, rule: str, app_id: str, period: str) -> None:
        self._do(lambda run: run(
            "UPDATE wxretain_alerts_sent SET state = 'sent' WHERE digest = {p} AND rule = {p} "
            "AND app_id = {p} AND period = {p}", (digest, rule, app_id, period)))

    def release(self, digest: str, rule: str, app_id: str, period: str) -> None:
        """Forget a claim whose message was not sent: the next run tries again."""
        self._do(lambda run: run(
            "DELETE FROM wxretain_alerts_sent WHERE digest = {p} AND rule = {p} AND "
            "app_id = {p} AND period = {p} AND state = 'sending'",
            (digest, rule, app_id, period)))

    def sent(self) -> list[tuple[str, str, str, str, str]]:
        """Every recorded alert: (digest, rule, app_id, period, state)."""
        rows = self._do(lambda run: run("SELECT digest, rule, app_id, period, state FROM "
                                        "wxretain_alerts_sent ORDER BY 1, 2, 3, 4", ()),
                        rows=True)
        return [tuple(str(v) for v in row) for row in rows]  # type: ignore[misc]

    # -- the sync runs ---------------------------------------------------------------------

    def record_run(self, app_id: str, outcome: str, errcode: int | None,
                   now: datetime | None = None) -> None:
        when = self._time(now or datetime.now(UTC))

        def work(run: Callable[[str, tuple[Any, ...]], int]) -> None:
            run("INSERT INTO wxretain_sync_runs VALUES ({p}, {p}, {p}, {p}) "
                "ON CONFLICT DO NOTHING", (app_id, when, outcome, errcode))
            run("DELETE FROM wxretain_sync_runs WHERE app_id = {p} AND ran_at NOT IN "
                "(SELECT ran_at FROM wxretain_sync_runs WHERE app_id = {p} "
                "ORDER BY ran_at DESC LIMIT {p})", (app_id, app_id, KEEP_RUNS))

        self._do(work)

    def runs(self, app_id: str, n: int = 3) -> list[Run]:
        """The last ``n`` sync runs of ``app_id``, newest first."""
        rows = self._do(lambda run: run(
            "SELECT app_id, ran_at, outcome, errcode FROM wxretain_sync_runs WHERE app_id = {p} "
            "ORDER BY ran_at DESC LIMIT {p}", (app_id, n)), rows=True)
        return [Run(str(a), _when(t), str(o), None if e is None else int(e))
                for a, t, o, e in rows]

    # -- the two databases -----------------------------------------------------------------

    def _time(self, when: datetime) -> Any:
        return when if self.postgres else when.astimezone(UTC).isoformat(timespec="microseconds")

    def _do(self, work: Callable[[Callable[[str, tuple[Any, ...]], int]], T], *,
            rows: bool = False) -> Any:
        found: list[Any] = []
        with self._connection() as execute:
            def run(statement: str, params: tuple[Any, ...]) -> int:
                cursor = execute(statement.replace("{p}", "%s" if self.postgres else "?"),
                                 params)
                if rows:
                    found.extend(tuple(r) for r in cursor.fetchall())
                return int(cursor.rowcount)

            result = work(run)
        return found if rows else result

    @contextmanager
    def _connection(self) -> Iterator[Callable[[str, tuple[Any, ...]], Any]]:
        if self.postgres:
            with self._postgres() as execute:
                yield execute
        else:
            with self._sqlite() as execute:
                yield execute

    @contextmanager
    def _sqlite(self) -> Iterator[Callable[[str, tuple[Any, ...]], Any]]:
        path = cache_path(self.url)
        try:
            with closing(sqlite3.connect(str(path) if path else ":memory:",
                                         timeout=BUSY_TIMEOUT_MS / 1000,
                                         isolation_level=None)) as conn:
                conn.execute("BEGIN IMMEDIATE")  # one writer at a time: claims are atomic
                if not self._ready:
                    self._migrate(lambda s, p=(): conn.execute(s, p), "text")
                yield lambda s, p: conn.execute(s, p)
                conn.execute("COMMIT")
                self._ready = True
        except sqlite3.Error as exc:
            raise CacheError("alerts", path=self.where, detail=str(exc)[:120]) from None

    @contextmanager
    def _postgres(self) -> Iterator[Callable[[str, tuple[Any, ...]], Any]]:
        import psycopg  # only for a PostgreSQL store

        try:
            with psycopg.connect(self.url, connect_timeout=10) as conn:
                if not self._ready:
                    with conn.transaction():
                        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
                        self._migrate(lambda s, p=(): conn.execute(s, p), "timestamptz")
                with conn.transaction():
                    yield lambda s, p: conn.execute(s, p)
                self._ready = True
        except psycopg.Error as exc:
            raise CacheError("alerts", path=self.where,
                             detail=redact(str(exc).splitlines()[0] if str(exc) else
                                           type(exc).__name__)[:120]) from None

    @staticmethod
    def _migrate(execute: Callable[..., Any], ts: str) -> None:
        execute(_VERSION_TABLE)
        row = execute("SELECT max(version) FROM wxretain_alerts_schema").fetchone()
        found = int(row[0]) if row and row[0] is not None else 0
        if found > ALERTS_VERSION:
            raise CacheError("alerts_schema", found=found, expected=ALERTS_VERSION)
        for target in range(found + 1, ALERTS_VERSION + 1):
            for statement in MIGRATIONS[target]:
                execute(statement.replace("{ts}", ts))
        if found < ALERTS_VERSION:
            execute("DELETE FROM wxretain_alerts_schema")
            execute(f"INSERT INTO wxretain_alerts_schema VALUES ({ALERTS_VERSION})")


def _when(value: Any) -> datetime:
    when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return when.astimezone(UTC)


__all__ = ["ALERTS_VERSION", "MIGRATIONS", "STALE_CLAIM", "AlertState", "Run"]

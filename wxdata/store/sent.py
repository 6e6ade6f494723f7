"""What the alerts remember, in the store the cache lives in: which alerts went out, and how each
app's recent ``wxdata sync`` runs ended.

An alert is sent once per (digest, rule, app, period): :func:`claim` inserts its row before the
message leaves (``INSERT ... ON CONFLICT DO NOTHING``: of two processes, on two hosts sharing a
PostgreSQL store or two cron jobs on one SQLite file, exactly one gets the row), :func:`confirm`
marks it sent, :func:`release` deletes it when the message could not be sent (the next run tries
again). A claim left by a process that died between the two (state ``sending``) is retaken after
:data:`STALE_CLAIM`: the message may then arrive twice, which is better than never.

The tables have their own numbered migrations (:data:`MIGRATIONS`, version in
``wxretain_alerts_schema``, :mod:`.tables`), apart from the cache's own schema version: an older
release keeps reading the cohorts of a store that has them, and ``wxdata cache clear`` leaves
them alone (it forgets cohorts, not what was already said). They are created by the first alert
run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from wxdata.core.errors import CacheError
from wxdata.store.tables import SideTables, when_of

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
#: Creating the tables is done by one process at a time ("wxra", apart from the cache's locks).
_SCHEMA_LOCK = 0x77787261


@dataclass(frozen=True)
class Run:
    app_id: str
    ran_at: datetime
    outcome: str
    errcode: int | None


class AlertState(SideTables):
    """The alert tables of the store ``cache_url`` names (SQLite or PostgreSQL). Every method
    raises only :class:`~wxdata.core.errors.CacheError`."""

    MIGRATIONS = MIGRATIONS
    VERSION_TABLE = "wxretain_alerts_schema"
    SCHEMA_LOCK = _SCHEMA_LOCK

    def failure(self, detail: str) -> CacheError:
        return CacheError("alerts", path=self.where, detail=detail)

    @classmethod
    def too_new(cls, found: int) -> CacheError:
        return CacheError("alerts_schema", found=found, expected=ALERTS_VERSION)

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
        return [Run(str(a), when_of(t), str(o), None if e is None else int(e))
                for a, t, o, e in rows]


__all__ = ["ALERTS_VERSION", "MIGRATIONS", "STALE_CLAIM", "AlertState", "Run"]

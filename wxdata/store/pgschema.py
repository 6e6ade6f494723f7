"""The PostgreSQL store's tables, how they are recognised as ours, and how they are migrated.

A database is shared ground: other programs may have tables there, one of them may even be
called ``weeks``. Ours carries a marker that travels with the table itself, its comment
(:data:`MARKER`, the same ``wxrt`` application id as the SQLite file's header): a ``weeks`` table
without it is someone else's, never read, written or dropped. The format version lives in
``wxretain_schema`` and goes up one migration at a time (:data:`MIGRATIONS`); a version newer than
this program's is refused, never guessed at. Version 2 (days and months) keys ``weeks`` by
(app_id, period, start): migration 2 adds the kind (every row of version 1 is a week), renames
``week_start`` and changes the primary key, in the transaction that holds :data:`SCHEMA_LOCK`,
so that replicas starting together migrate once and a failure leaves version 1 as it was.

Both tables live in the connection's current schema (the first of its ``search_path`` that
exists): ``postgresql://.../db?options=-csearch_path%3Dwxretain`` keeps them in a schema of
their own.
"""

from __future__ import annotations

from typing import Literal

import psycopg
from psycopg import sql
from psycopg.abc import Query

from wxdata.store.marker import APPLICATION_ID, COLUMNS, SCHEMA_VERSION

#: The comment that says a ``weeks`` table is a wxretain cache.
MARKER = f"wxretain cache (application_id {APPLICATION_ID:#x}); wxdata cache clear empties it"
#: Creating or migrating is done by one process at a time (replicas starting together): a
#: transaction-level advisory lock on this key (the one-number form: apart from the week locks).
SCHEMA_LOCK = APPLICATION_ID

_VERSION_TABLE = """
CREATE TABLE IF NOT EXISTS wxretain_schema (
    application_id integer     NOT NULL,
    version        integer     NOT NULL,
    migrated_at    timestamptz NOT NULL DEFAULT now()
)
"""

#: The statements that bring version ``n - 1`` to version ``n``.
MIGRATIONS: dict[int, tuple[Query, ...]] = {
    1: (
        """
        CREATE TABLE weeks (
            app_id     text        NOT NULL,
            week_start date        NOT NULL,  -- the Monday (UTC+8 calendar)
            payload    jsonb       NOT NULL,  -- Retention.to_api()
            fetched_at timestamptz NOT NULL,
            final      boolean     NOT NULL,
            PRIMARY KEY (app_id, week_start)
        )
        """,
        sql.SQL("COMMENT ON TABLE weeks IS {}").format(sql.Literal(MARKER)),
    ),
    2: (
        # the default fills the weekly release's rows; dropped after, so that every later
        # write has to say its kind
        "ALTER TABLE weeks ADD COLUMN period text NOT NULL DEFAULT 'week' "
        "CHECK (period IN ('day', 'week', 'month'))",
        "ALTER TABLE weeks ALTER COLUMN period DROP DEFAULT",
        "ALTER TABLE weeks RENAME COLUMN week_start TO start",
        "ALTER TABLE weeks DROP CONSTRAINT weeks_pkey",
        "ALTER TABLE weeks ADD PRIMARY KEY (app_id, period, start)",
    ),
}

Identity = Literal["ours", "empty", "foreign"]


class SchemaMismatch(Exception):
    """Our tables, in a version (or shape) this program cannot use: ``found`` is the version."""

    def __init__(self, found: int) -> None:
        super().__init__(found)
        self.found = found


class NotOurs(Exception):
    """A ``weeks`` table that is not a wxretain cache."""


def _relation(conn: psycopg.Connection, name: str) -> tuple[int, str | None] | None:
    """(oid, comment) of table ``name`` in the current schema, if there is one."""
    row = conn.execute(
        "SELECT c.oid::bigint, obj_description(c.oid, 'pg_class') FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relname = %s", (name,)).fetchone()
    return (int(row[0]), row[1]) if row else None


def identify(conn: psycopg.Connection) -> Identity:
    """``ours`` (our marked ``weeks``), ``empty`` (no ``weeks`` at all) or ``foreign``."""
    weeks = _relation(conn, "weeks")
    if weeks is None:
        return "empty"
    return "ours" if weeks[1] == MARKER else "foreign"


def version(conn: psycopg.Connection) -> int:
    """The format version of our tables (0: none recorded)."""
    if _relation(conn, "wxretain_schema") is None:
        return 0
    row = conn.execute("SELECT max(version) FROM wxretain_schema WHERE application_id = %s",
                       (APPLICATION_ID,)).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def check(conn: psycopg.Connection) -> Identity:
    """What the database holds, refusing what we cannot use: NotOurs, SchemaMismatch."""
    identity = identify(conn)
    if identity == "foreign":
        raise NotOurs()
    if identity == "ours":
        found = version(conn)
        weeks = _relation(conn, "weeks")
        columns = {row[0] for row in conn.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = %s::oid AND attnum > 0 "
            "AND NOT attisdropped", (weeks[0] if weeks else 0,))}
        if found != SCHEMA_VERSION or columns != COLUMNS:
            raise SchemaMismatch(found)
    return identity


def ensure(conn: psycopg.Connection) -> None:
    """Create or migrate our tables (one process at a time); NotOurs, SchemaMismatch."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
        identity = identify(conn)
        if identity == "foreign":
            raise NotOurs()
        found = version(conn) if identity == "ours" else 0
        if found > SCHEMA_VERSION or (identity == "ours" and found == 0):
            raise SchemaMismatch(found)
        if found < SCHEMA_VERSION:
            _migrate(conn, found)
    check(conn)


def _migrate(conn: psycopg.Connection, found: int) -> None:
    conn.execute(_VERSION_TABLE)
    for target in range(found + 1, SCHEMA_VERSION + 1):
        for statement in MIGRATIONS[target]:
            conn.execute(statement)
    conn.execute("DELETE FROM wxretain_schema WHERE application_id = %s", (APPLICATION_ID,))
    conn.execute("INSERT INTO wxretain_schema (application_id, version) VALUES (%s, %s)",
                 (APPLICATION_ID, SCHEMA_VERSION))


def drop(conn: psycopg.Connection) -> None:
    """Drop our tables: only a ``weeks`` that carries our marker (NotOurs otherwise)."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
        identity = identify(conn)
        if identity == "foreign":
            raise NotOurs()
        if identity == "ours":
            conn.execute("DROP TABLE weeks")
        conn.execute("DROP TABLE IF EXISTS wxretain_schema")

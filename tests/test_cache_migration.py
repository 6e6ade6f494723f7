"""A cache written by the weekly release (schema version 1) keeps serving its weeks after the
upgrade, with no WeChat call: a real version-1 SQLite file and a real version-1 PostgreSQL schema,
written here exactly as that release wrote them (its statements are copied below, not imported:
the code that wrote them is gone), then opened by today's store."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from tests.test_cache import payload, raw
from wxdata.config import AppConfig
from wxdata.core.payload import Retention
from wxdata.core.periods import Day, Month, Week
from wxdata.sources.fetch import fetch_span
from wxdata.store import SCHEMA_VERSION, SQLiteStore, Store, open_store
from wxdata.store.marker import APPLICATION_ID, COLUMNS, identify
from wxdata.store.pgschema import MARKER
from wxdata.testing.fake import FakeWeChat
from wxdata.wechat.client import WeChatClient

#: Four weeks long final by now (2026-12), fetched by the old release after they were final,
#: and one it fetched while still provisional.
OLD_WEEKS = [Week.parse("2026-W36").shift(n) for n in range(4)]
FETCHED_FINAL = datetime(2026, 11, 1, 3, tzinfo=UTC)
PROVISIONAL = Week.parse("2026-W44")
FETCHED_PROVISIONAL = datetime(2026, 11, 4, 3, tzinfo=UTC)

#: Version 1's table, from ``git show a85d199:wxdata/store/sqlite.py``.
V1_SQLITE_SCHEMA = """
CREATE TABLE IF NOT EXISTS weeks (
    app_id     TEXT NOT NULL,
    week_start TEXT NOT NULL,   -- the Monday, YYYY-MM-DD (UTC+8 calendar)
    payload    TEXT NOT NULL,   -- WeeklyRetention.to_api() as JSON
    fetched_at TEXT NOT NULL,   -- UTC, ISO 8601
    final      INTEGER NOT NULL,
    PRIMARY KEY (app_id, week_start)
)
"""
#: Version 1's PostgreSQL migration and version table, from ``git show
#: a85d199:wxdata/store/pgschema.py``.
V1_PG_STATEMENTS: tuple[sql.Composable | str, ...] = (
    """
    CREATE TABLE IF NOT EXISTS wxretain_schema (
        application_id integer     NOT NULL,
        version        integer     NOT NULL,
        migrated_at    timestamptz NOT NULL DEFAULT now()
    )
    """,
    """
    CREATE TABLE weeks (
        app_id     text        NOT NULL,
        week_start date        NOT NULL,  -- the Monday (UTC+8 calendar)
        payload    jsonb       NOT NULL,  -- WeeklyRetention.to_api()
        fetched_at timestamptz NOT NULL,
        final      boolean     NOT NULL,
        PRIMARY KEY (app_id, week_start)
    )
    """,
    sql.SQL("COMMENT ON TABLE weeks IS {}").format(sql.Literal(MARKER)),
    f"INSERT INTO wxretain_schema (application_id, version) VALUES ({APPLICATION_ID}, 1)",
)


def old_rows(app_id: str) -> list[tuple[str, str, str, str, int]]:
    """The rows version 1 wrote for ``app_id``: (app_id, week_start, payload, fetched_at, final)."""
    rows = [(week, FETCHED_FINAL, 1) for week in OLD_WEEKS]
    rows.append((PROVISIONAL, FETCHED_PROVISIONAL, 0))
    return [(app_id, week.start.isoformat(), json.dumps(payload(week).to_api()),
             when.isoformat(timespec="microseconds"), final) for week, when, final in rows]


def write_v1_sqlite(path: Path, *, marked: bool = True) -> None:
    """A cache file exactly as the weekly release made it (WAL, version 1, its marker unless
    ``marked`` is False: the releases before the marker)."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(V1_SQLITE_SCHEMA)
        conn.execute("PRAGMA user_version = 1")
        if marked:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.executemany("INSERT INTO weeks (app_id, week_start, payload, fetched_at, final) "
                         "VALUES (?, ?, ?, ?, ?)", old_rows("wx1"))
        conn.execute("COMMIT")


def write_v1_postgres(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        for statement in V1_PG_STATEMENTS:
            conn.execute(statement)
        with conn.cursor() as cursor:
            cursor.executemany("INSERT INTO weeks (app_id, week_start, payload, fetched_at, "
                               "final) VALUES (%s, %s, %s::jsonb, %s, %s::int::boolean)",
                               old_rows("wx1"))


def assert_old_weeks_served(store: Store) -> None:
    got = store.get_many("wx1", [*OLD_WEEKS, PROVISIONAL])
    assert set(got) == {*OLD_WEEKS, PROVISIONAL}
    for week in OLD_WEEKS:
        assert got[week].payload == payload(week) and got[week].final
        assert got[week].fetched_at == FETCHED_FINAL
    assert not got[PROVISIONAL].final
    assert store.provisional("wx1", "week") == [PROVISIONAL]
    assert store.provisional("wx1", "week") == [PROVISIONAL]  # what the CLI's sync asks
    assert store.provisional("wx1", "day") == []


def assert_no_call_for_final_weeks(store: Store) -> None:
    app = AppConfig("wx1", "wx1", "fake-secret-for-local-tests-only")
    with FakeWeChat(apps={"wx1": app.secret}) as fake, \
            WeChatClient(app, api_base=fake.url) as client:
        result = fetch_span(client, store, "wx1", OLD_WEEKS)
    assert [r.status for r in result.reports] == ["cached"] * 4
    assert client.calls == 0 and fake.calls["weekly"] == 0
    assert sorted(result.frame["cohort_start"].dt.date.unique()) == [w.start for w in OLD_WEEKS]


def assert_days_and_months_beside(store: Store) -> None:
    """After the migration a day and a month starting on an old week's Monday are rows of their
    own: the week is still there, unchanged."""
    monday = OLD_WEEKS[0].start
    day, month = Day(monday), Month(monday.replace(day=1))
    day_payload = Retention(day, {0: 10, 1: 4}, {0: 30, 1: 12})
    store.put("wx1", day_payload, FETCHED_FINAL)
    store.put("wx1", Retention(month, {0: 99}, {0: 300}), FETCHED_FINAL)
    got = store.get_many("wx1", [day, OLD_WEEKS[0], month])
    assert got[day].payload == day_payload and got[OLD_WEEKS[0]].payload == payload(OLD_WEEKS[0])
    assert got[month].payload.new == {0: 99}


@pytest.mark.parametrize("marked", [True, False], ids=["marked", "before_the_marker"])
def test_a_version_1_file_is_migrated_in_place_and_serves_its_weeks(tmp_path: Path,
                                                                    marked: bool) -> None:
    path = tmp_path / "cache.sqlite3"
    write_v1_sqlite(path, marked=marked)
    assert identify(path) == "ours"  # the marker, or else version 1's exact table, says it is ours
    url = f"sqlite:///{path}"
    with SQLiteStore(url) as first:  # ``wxdata cache info`` first: counted, not refused
        assert first.info().per_kind == {"week": 5}
    with SQLiteStore(url) as store:
        assert_old_weeks_served(store)
        assert_no_call_for_final_weeks(store)
        assert_days_and_months_beside(store)
    assert raw(url, "PRAGMA user_version")[0][0] == SCHEMA_VERSION == 2
    assert raw(url, "PRAGMA application_id")[0][0] == APPLICATION_ID
    assert {r[1] for r in raw(url, "PRAGMA table_info(weeks)")} == COLUMNS
    assert raw(url, "SELECT name FROM sqlite_master WHERE type = 'table'") == [("weeks",)]
    with SQLiteStore(url) as again:  # opened once more: nothing left to migrate, same rows
        assert_old_weeks_served(again)
        assert again.info().per_kind == {"day": 1, "week": 5, "month": 1}


def test_a_version_1_postgres_schema_is_migrated_and_serves_its_weeks(postgres_url: str) -> None:
    write_v1_postgres(postgres_url)
    with open_store(postgres_url) as first:  # ``wxdata cache info`` first: counted, not refused
        info = first.info()
    assert (info.weeks_per_app, info.per_kind, info.final) == ({"wx1": 5}, {"week": 5}, 4)
    with open_store(postgres_url) as store:
        assert_old_weeks_served(store)
        assert_no_call_for_final_weeks(store)
        assert_days_and_months_beside(store)
    assert raw(postgres_url, "SELECT version FROM wxretain_schema") == [(SCHEMA_VERSION,)]
    primary = raw(postgres_url, "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON "
                  "a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
                  "WHERE i.indrelid = 'weeks'::regclass AND i.indisprimary ORDER BY a.attname")
    assert [r[0] for r in primary] == ["app_id", "period", "start"]
    assert raw(postgres_url, "SELECT obj_description('weeks'::regclass, 'pg_class')") == \
        [(MARKER,)]


def _open_together(url: str, opener: Callable[[str], Store], n: int = 4) -> list[BaseException]:
    """``n`` stores of ``url`` opened at the same moment, each on its own connection; what they
    raised."""
    start, errors = threading.Barrier(n), []

    def one() -> None:
        try:
            start.wait()
            with opener(url) as store:
                assert_old_weeks_served(store)
        except BaseException as exc:  # collected: the test asserts there is none
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_stores_opening_a_version_1_file_at_once_migrate_it_once(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    write_v1_sqlite(path)
    assert _open_together(f"sqlite:///{path}", SQLiteStore) == []
    assert raw(f"sqlite:///{path}", "SELECT COUNT(*) FROM weeks") == [(5,)]


def test_replicas_opening_a_version_1_schema_at_once_migrate_it_once(postgres_url: str) -> None:
    write_v1_postgres(postgres_url)
    assert _open_together(postgres_url, open_store) == []
    assert raw(postgres_url, "SELECT count(*) FROM weeks") == [(5,)]
    assert raw(postgres_url, "SELECT count(*) FROM wxretain_schema") == [(1,)]

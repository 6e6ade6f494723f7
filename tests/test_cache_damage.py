"""Damaged and foreign stores, on SQLite and PostgreSQL: a damaged store of ours says
``wxdata cache clear`` (which really does fix it), a store that is not ours is never used, written
or deleted, and a single invalid row is missing, never served. SQLite's own error classes too."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.fixtures_postgres import BACKENDS
from tests.test_cache import FINAL_AT, WEEK, filled, is_sqlite, payload, raw, sqlite_file
from wxdata.core.errors import CacheError
from wxdata.core.periods import Day
from wxdata.store import SCHEMA_VERSION, CachedPeriod, SQLiteStore, open_store
from wxdata.store.marker import identify
from wxdata.store.sqlite import _kind as sqlite_kind


def _garbage(url: str) -> None:
    sqlite_file(url).write_bytes(b"this is not a database \x00\xff" * 500)


def _other_schema(url: str) -> None:
    raw(url, "CREATE TABLE weeks (x TEXT)", "PRAGMA user_version = 1")


def _someone_elses_database(url: str) -> None:
    raw(url, "CREATE TABLE orders (id INTEGER)")


def _toml(url: str) -> None:
    sqlite_file(url).write_text('[wxdata]\napi_base = "https://api.weixin.qq.com"\n')


def _someone_elses_weeks(url: str) -> None:
    raw(url, "CREATE TABLE weeks (id integer PRIMARY KEY, title text)",
        "INSERT INTO weeks VALUES (1, 'kick-off')")


def _our_columns_but_not_our_table(url: str) -> None:
    """Even the exact columns do not make a table ours: only the marker does."""
    raw(url, "CREATE TABLE weeks (app_id text, week_start date, payload jsonb, "
        "fetched_at timestamptz, final boolean, PRIMARY KEY (app_id, week_start))",
        "INSERT INTO weeks VALUES ('theirs', '2026-09-07', '{}', now(), true)")


def _future_version(url: str) -> None:
    filled(url)
    raw(url, f"PRAGMA user_version = {SCHEMA_VERSION + 1}" if is_sqlite(url) else
        f"UPDATE wxretain_schema SET version = {SCHEMA_VERSION + 1}")


def _corrupt_pages(url: str) -> None:
    """A cache of ours whose pages after the header were overwritten (a disk fault)."""
    path = sqlite_file(filled(url))  # closing the store checkpoints the WAL into the file
    data = bytearray(path.read_bytes())
    data[100:] = b"\xff" * (len(data) - 100)
    path.write_bytes(bytes(data))


def _altered_table(url: str) -> None:
    raw(filled(url), "ALTER TABLE weeks ADD COLUMN note text")


def _version_lost(url: str) -> None:
    raw(filled(url), "DROP TABLE wxretain_schema")


def cases(*pairs: tuple[str, Callable[[str], None]]) -> list[Any]:
    """(backend, damage) parameters for a test taking ``store_url`` (indirect) and ``damage``."""
    return [pytest.param(backend, damage, id=f"{backend}-{damage.__name__.strip('_')}")
            for backend, damage in pairs]


def both(*damages: Callable[[str], None]) -> list[tuple[str, Callable[[str], None]]]:
    return [(backend, damage) for damage in damages for backend in BACKENDS]


@pytest.mark.parametrize(("store_url", "damage"), cases(
    *both(_future_version), ("sqlite", _corrupt_pages), ("postgresql", _altered_table),
    ("postgresql", _version_lost)), indirect=["store_url"])
def test_a_damaged_cache_of_ours_is_a_cache_error_that_says_clear(
        store_url: str, damage: Callable[[str], None]) -> None:
    damage(store_url)
    store = open_store(store_url)
    with pytest.raises(CacheError) as caught:
        store.get_many("wx1", [WEEK, WEEK.shift(1)])
    message = str(caught.value)
    assert store.where in message and "wxdata cache clear" in message
    assert "wxdata cache clear" in caught.value.message("zh")
    # translated at the boundary
    assert not isinstance(caught.value.__context__, sqlite3.Error | psycopg.Error)
    # ... and `wxdata cache clear` really does make the cache usable again
    assert store.clear() == -1
    store.put("wx1", payload(), FINAL_AT)
    assert store.get("wx1", WEEK) is not None
    store.close()


def snapshot(url: str) -> object:
    """Everything a foreign store holds, to compare before and after."""
    if is_sqlite(url):
        path = sqlite_file(url)
        return path.read_bytes(), Path(f"{path}-wal").exists()
    tables = raw(url, "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace "
                 "AND relkind = 'r' ORDER BY relname")
    return tables, raw(url, "SELECT * FROM weeks ORDER BY 1")


@pytest.mark.parametrize(("store_url", "foreign"), cases(
    ("sqlite", _garbage), ("sqlite", _other_schema), ("sqlite", _someone_elses_database),
    ("sqlite", _toml), ("postgresql", _someone_elses_weeks),
    ("postgresql", _our_columns_but_not_our_table)), indirect=["store_url"])
def test_a_store_that_is_not_ours_is_never_used_written_or_deleted(
        store_url: str, foreign: Callable[[str], None]) -> None:
    foreign(store_url)
    before = snapshot(store_url)
    store = open_store(store_url)
    for action in (lambda: store.get("wx1", WEEK), lambda: store.put("wx1", payload(), FINAL_AT),
                   store.info, store.clear):
        with pytest.raises(CacheError) as caught:
            action()
        assert caught.value.code == "not_ours" and store.where in str(caught.value)
    store.close()
    assert snapshot(store_url) == before


_NEGATIVE = json.dumps({"ref_date": WEEK.ref_date, "visit_uv_new": [{"key": 0, "value": -5}],
                        "visit_uv": []})
#: What an older wxretain stored before counts were bounded: 10^30 users in a final week.
_OVERSIZED = json.dumps({"ref_date": WEEK.ref_date,
                         "visit_uv_new": [{"key": 0, "value": 10**30}], "visit_uv": []})
ROW_DAMAGE = {
    "invalid_payload": f"UPDATE weeks SET payload = '{_NEGATIVE}'",
    "oversized_value": f"UPDATE weeks SET payload = '{_OVERSIZED}'",
    "wrong_week_in_row": "UPDATE weeks SET start = '2026-09-14'",
    # a week's answer under a day's key: the row's kind and its payload's ref_date disagree
    "wrong_kind_in_row": "UPDATE weeks SET period = 'day'",
    "payload_not_an_answer": "UPDATE weeks SET payload = '[1, 2, 3]'",
}
SQLITE_ROW_DAMAGE = {  # what PostgreSQL's column types already refuse
    "not_json": "UPDATE weeks SET payload = '{not json'",
    "naive_time": "UPDATE weeks SET fetched_at = '2026-10-12T00:00:00'",
    "bad_final_flag": "UPDATE weeks SET final = 7",
}


@pytest.mark.parametrize(("store_url", "damage"), [
    *[pytest.param(b, sql, id=f"{b}-{name}") for name, sql in ROW_DAMAGE.items()
      for b in BACKENDS],
    *[pytest.param("sqlite", sql, id=f"sqlite-{name}") for name, sql in SQLITE_ROW_DAMAGE.items()],
], indirect=["store_url"])
def test_an_invalid_row_is_missing_not_served_and_is_replaced_by_the_next_put(
        store_url: str, damage: str, caplog: pytest.LogCaptureFixture) -> None:
    raw(filled(store_url), damage)
    with open_store(store_url) as store:
        # the day of the same start: where the wrong_kind row now claims to be
        assert store.get_many("wx1", [WEEK, WEEK.shift(1), Day(WEEK.start)]) == {}
        assert "fetched again" in caplog.text
        store.put("wx1", payload(), FINAL_AT)
        assert store.get("wx1", WEEK) == CachedPeriod("wx1", payload(), FINAL_AT, True)


def test_a_locked_file_is_not_called_corrupt(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cache.sqlite3"
    filled(f"sqlite:///{path}")
    monkeypatch.setattr("wxdata.store.sqlite.BUSY_TIMEOUT_MS", 50)
    monkeypatch.setattr("wxdata.store.sqlite.BUSY_RETRY_S", 0.3)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(CacheError) as caught:
            SQLiteStore(f"sqlite:///{path}").put("wx1", payload(), FINAL_AT)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert caught.value.code == "busy"
    assert "cache clear" not in str(caught.value)


def test_a_file_caught_mid_write_is_read_again_before_it_is_called_foreign(
        tmp_path: Path) -> None:
    """SQLite's magic and then nothing SQLite can read, as while another process writes the file:
    read again a moment later it is a cache of ours. Calling it foreign at once once made one of
    four writers refuse a new cache of its own on a loaded machine. A file that stays unreadable
    is still foreign."""
    made = tmp_path / "made.sqlite3"
    with open_store(f"sqlite:///{made}") as store:
        store.put("wx1", payload(), FINAL_AT)
    path, broken = tmp_path / "cache.sqlite3", b"SQLite format 3\x00" + b"\xff" * 4080
    path.write_bytes(broken)
    swap = threading.Timer(0.3, os.replace, (made, path))
    swap.start()
    try:
        assert identify(path) == "ours"
    finally:
        swap.join()
    path.write_bytes(broken)
    assert identify(path) == "foreign"
    assert path.read_bytes() == broken


def test_a_write_waits_out_a_lock_longer_than_sqlites_own_patience(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite's busy handler gives up after BUSY_TIMEOUT_MS (and some lock races skip it): the
    store tries the idempotent write again until the other process lets go."""
    path = tmp_path / "cache.sqlite3"
    filled(f"sqlite:///{path}")
    monkeypatch.setattr("wxdata.store.sqlite.BUSY_TIMEOUT_MS", 20)
    # the store's own patience, far beyond the 0.5 s the lock is held, however late a loaded
    # machine runs the timer
    monkeypatch.setattr("wxdata.store.sqlite.BUSY_RETRY_S", 240.0)
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    release = threading.Timer(0.5, lambda: holder.execute("ROLLBACK"))
    release.start()
    try:
        store = SQLiteStore(f"sqlite:///{path}")
        store.put("wx-late", payload(), FINAL_AT)
        assert store.get("wx-late", WEEK) is not None
        store.close()
    finally:
        release.join()
        holder.close()


def _sqlite_error(path: Path, uri: str, statement: str) -> sqlite3.Error:
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:  # a file that cannot even be opened
        return exc
    try:
        conn.execute(statement)
    except sqlite3.Error as exc:
        return exc
    finally:
        conn.close()
    raise AssertionError("the statement should have failed")


def test_errors_are_told_apart_by_sqlites_error_name_not_its_message(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    filled(f"sqlite:///{path}")
    readonly = _sqlite_error(path, f"file:{path}?mode=ro", "DELETE FROM weeks")
    missing = _sqlite_error(path, f"file:{tmp_path}/nope/x.db?mode=ro", "SELECT 1")
    _garbage(f"sqlite:///{tmp_path / 'garbage.db'}")
    garbage = _sqlite_error(path, f"file:{tmp_path}/garbage.db", "SELECT * FROM weeks")
    assert readonly.sqlite_errorname.startswith("SQLITE_READONLY")
    assert [sqlite_kind(e) for e in (readonly, missing, garbage)] == \
        ["unwritable", "unwritable", "corrupt"]

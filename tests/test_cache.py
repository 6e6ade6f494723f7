"""The stores: round trips, maturity-aware freshness, damaged and foreign stores, several
processes. Every test that is not about SQLite's file runs against SQLite and PostgreSQL alike
(the ``store_url`` fixture); PostgreSQL's own matters are in test_cache_postgres.py."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wxdata.core.errors import CacheError, ConfigError
from wxdata.core.payload import WeeklyRetention, parse_payload
from wxdata.core.weeks import CST, Week
from wxdata.store import SCHEMA_VERSION, CachedWeek, SQLiteStore, Store, cache_path, open_store
from wxdata.store.marker import APPLICATION_ID, is_cache_file
from wxdata.store.sqlite import _kind as sqlite_kind

REPO = Path(__file__).resolve().parent.parent
WEEK = Week(date(2026, 9, 7))
#: A moment while WEEK is provisional (ended, key 4 not out yet) and one just after it is final.
PROVISIONAL_AT = datetime(2026, 9, 20, 12, tzinfo=CST)
FINAL_AT = datetime(2026, 10, 12, 0, 0, 1, tzinfo=CST)
SIX_HOURS = timedelta(hours=6)


def payload(week: Week = WEEK, keys: int = 3, base: int = 1000) -> WeeklyRetention:
    new = [{"key": k, "value": base // (k + 1)} for k in range(keys)]
    active = [{"key": k, "value": 3 * base // (k + 1)} for k in range(keys)]
    return parse_payload({"ref_date": week.ref_date, "visit_uv_new": new, "visit_uv": active})


BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty store: an SQLite file in folders that do not exist yet, or a fresh
    PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'deep' / 'dir' / 'cache.sqlite3'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def cache(store_url: str) -> Iterator[Store]:
    with open_store(store_url) as store:
        yield store


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite:")


def _sqlite_file(url: str) -> Path:
    path = cache_path(url)
    assert path is not None
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def raw(url: str, *statements: str) -> list[tuple[Any, ...]]:
    """Run SQL in the store's database behind wxdata's back; the last statement's rows."""
    rows: list[tuple[Any, ...]] = []
    if is_sqlite(url):
        with closing(sqlite3.connect(_sqlite_file(url))) as conn, conn:
            for statement in statements:
                rows = conn.execute(statement).fetchall()
        return rows
    with psycopg.connect(url, autocommit=True) as pg:
        for statement in statements:
            cursor = pg.execute(statement.encode())
            rows = cursor.fetchall() if cursor.description else []
    return rows


def has_tables(url: str) -> bool:
    if is_sqlite(url):
        path = cache_path(url)
        return path is not None and path.exists()
    return bool(raw(url, "SELECT to_regclass('weeks') IS NOT NULL")[0][0])


def filled(url: str) -> str:
    """``url``'s store holding one final week of wx1."""
    with open_store(url) as store:
        store.put("wx1", payload(), FINAL_AT)
    return url


def test_round_trip_keeps_the_payload_and_when_it_was_fetched(cache: Store) -> None:
    stored = payload()
    cache.put("wx1", stored, PROVISIONAL_AT)
    entry = cache.get("wx1", WEEK)
    assert entry is not None
    assert entry.payload == stored
    assert entry.fetched_at == PROVISIONAL_AT
    assert entry.fetched_at.tzinfo is not None
    assert cache.get("wx2", WEEK) is None  # keyed by app too
    assert cache.get("wx1", WEEK.shift(1)) is None


def test_the_file_is_created_with_its_folders_wal_and_a_schema_version(tmp_path: Path) -> None:
    with SQLiteStore(f"sqlite:///{tmp_path / 'deep' / 'dir' / 'cache.sqlite3'}") as cache:
        cache.put("wx1", payload(), PROVISIONAL_AT)
    assert cache.path is not None and cache.path.exists()
    with sqlite3.connect(cache.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        stored = conn.execute("SELECT payload FROM weeks").fetchone()[0]
    assert json.loads(stored) == payload().to_api()


def test_a_url_with_a_tilde_is_expanded_and_other_urls_are_refused(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache_path("sqlite:///~/c.sqlite3") == tmp_path / "c.sqlite3"
    assert cache_path("sqlite:///:memory:") is None
    for bad in ("postgres://x/y", "sqlite:///", "/plain/path"):
        with pytest.raises(ConfigError):
            cache_path(bad)


def test_the_url_names_the_store() -> None:
    assert type(open_store("sqlite:///:memory:")).__name__ == "SQLiteStore"
    assert type(open_store("postgresql://u:pw@db.example/wx")).__name__ == "PostgresStore"
    assert type(open_store("postgres://db.example/wx")).__name__ == "PostgresStore"
    for bad in ("mysql://u:hunter2-password@db/wx", "/plain/path", "sqlite:///"):
        with pytest.raises(ConfigError) as caught:
            open_store(bad)
        assert "hunter2-password" not in str(caught.value) and "cache_url" in str(caught.value)


def test_memory_cache_works_for_tests() -> None:
    with open_store("sqlite:///:memory:") as store:
        store.put("wx1", payload(), PROVISIONAL_AT)
        assert store.get("wx1", WEEK) is not None
        assert store.info().weeks == 1


@pytest.mark.parametrize(
    ("fetched_at", "now", "fresh"),
    [
        (PROVISIONAL_AT, PROVISIONAL_AT + timedelta(hours=5), True),   # young provisional
        (PROVISIONAL_AT, PROVISIONAL_AT + timedelta(hours=7), False),  # old provisional
        # fetched provisional a minute before it became final: fetched once more
        (FINAL_AT - timedelta(minutes=1), FINAL_AT + timedelta(minutes=1), False),
        (FINAL_AT, FINAL_AT + timedelta(days=400), True),               # fetched final: forever
    ],
)
def test_freshness_follows_maturity(cache: Store, fetched_at: datetime, now: datetime,
                                    fresh: bool) -> None:
    entry = cache.put("wx1", payload(), fetched_at)
    assert entry.final == WEEK.is_final(fetched_at)
    assert cache.get("wx1", WEEK) == entry
    assert entry.is_fresh(now, SIX_HOURS) is fresh


def test_the_refresh_interval_is_the_callers(cache: Store) -> None:
    entry = cache.put("wx1", payload(), PROVISIONAL_AT)
    later = PROVISIONAL_AT + timedelta(hours=2)
    assert entry.is_fresh(later, timedelta(hours=3))
    assert not entry.is_fresh(later, timedelta(hours=1))
    assert not entry.is_fresh(later, timedelta(0))


def test_a_provisional_copy_fetched_again_once_final_is_never_stale_again(cache: Store) -> None:
    cache.put("wx1", payload(keys=4), PROVISIONAL_AT)
    cache.put("wx1", payload(keys=5), FINAL_AT)
    entry = cache.get("wx1", WEEK)
    assert entry is not None and entry.final and entry.payload.offsets == 5
    assert entry.is_fresh(FINAL_AT + timedelta(days=3650), timedelta(0))


def test_keep_newer_does_not_roll_a_week_back(cache: Store) -> None:
    cache.put("wx1", payload(base=2000), FINAL_AT)
    cache.put("wx1", payload(base=1000), PROVISIONAL_AT, keep_newer=True)
    kept = cache.get("wx1", WEEK)
    assert kept is not None and kept.payload == payload(base=2000)
    cache.put("wx1", payload(base=3000), FINAL_AT + timedelta(days=1), keep_newer=True)
    newer = cache.get("wx1", WEEK)
    assert newer is not None and newer.payload == payload(base=3000)


def test_info_counts_weeks_per_app_and_maturity(cache: Store, store_url: str) -> None:
    assert cache.info().weeks == 0 and cache.info().size == 0
    assert not has_tables(store_url)  # info does not create the file (or the tables)
    cache.put("wx1", payload(WEEK), FINAL_AT)
    cache.put("wx1", payload(WEEK.shift(1)), PROVISIONAL_AT + timedelta(days=7))
    cache.put("wx2", payload(WEEK), PROVISIONAL_AT)
    info = cache.info()
    assert info.weeks_per_app == {"wx1": 2, "wx2": 1}
    assert (info.final, info.provisional) == (1, 2)
    assert info.oldest_fetch == PROVISIONAL_AT and info.newest_fetch == FINAL_AT
    assert info.size > 0 and info.path == cache.where


def test_clear_forgets_everything(cache: Store) -> None:
    cache.put("wx1", payload(WEEK), FINAL_AT)
    cache.put("wx1", payload(WEEK.shift(1)), FINAL_AT)
    assert cache.clear() == 2
    assert cache.get("wx1", WEEK) is None and cache.info().weeks == 0


# -- damaged and foreign stores ------------------------------------------------------------------


def _garbage(url: str) -> None:
    _sqlite_file(url).write_bytes(b"this is not a database \x00\xff" * 500)


def _other_schema(url: str) -> None:
    raw(url, "CREATE TABLE weeks (x TEXT)", "PRAGMA user_version = 1")


def _someone_elses_database(url: str) -> None:
    raw(url, "CREATE TABLE orders (id INTEGER)")


def _toml(url: str) -> None:
    _sqlite_file(url).write_text('[wxdata]\napi_base = "https://api.weixin.qq.com"\n')


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
    path = _sqlite_file(filled(url))  # closing the store checkpoints the WAL into the file
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
        path = _sqlite_file(url)
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
    "wrong_week_in_row": "UPDATE weeks SET week_start = '2026-09-14'",
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
        assert store.get_many("wx1", [WEEK, WEEK.shift(1)]) == {}
        assert "fetched again" in caplog.text
        store.put("wx1", payload(), FINAL_AT)
        assert store.get("wx1", WEEK) == CachedWeek("wx1", payload(), FINAL_AT, True)


def test_a_cache_made_before_the_marker_is_recognised_and_marked(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    raw(filled(f"sqlite:///{path}"), "PRAGMA application_id = 0")
    assert is_cache_file(path)  # the exact schema says it is ours
    store = SQLiteStore(f"sqlite:///{path}")
    assert store.get("wx1", WEEK) is not None
    store.close()
    assert raw(f"sqlite:///{path}", "PRAGMA application_id")[0][0] == APPLICATION_ID


def test_a_locked_file_is_not_called_corrupt(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cache.sqlite3"
    filled(f"sqlite:///{path}")
    monkeypatch.setattr("wxdata.store.sqlite.BUSY_TIMEOUT_MS", 50)
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


# -- several processes ---------------------------------------------------------------------------

_WRITER = textwrap.dedent("""
    import sys
    from datetime import datetime, timedelta, timezone
    from wxdata.store import open_store
    from wxdata.core.payload import parse_payload
    from wxdata.core.weeks import Week
    url, app, first, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    cache = open_store(url)
    week = Week.parse(first)
    at = datetime(2026, 11, 1, tzinfo=timezone.utc)
    for i in range(count):
        w = week.shift(i)
        cache.put(app, parse_payload({"ref_date": w.ref_date,
                                      "visit_uv_new": [{"key": 0, "value": i}],
                                      "visit_uv": [{"key": 0, "value": 2 * i}]}), at)
    entry = open_store(url).get(app, week)
    print(entry.payload.new[0] if entry else "none")
""")


def _writer(url: str, app: str, first: Week, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", _WRITER, url, app, first.iso, str(count)],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_week_written_by_one_process_is_read_by_another(store_url: str) -> None:
    url = store_url
    child = _writer(url, "wx-child", WEEK, 3)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    assert out.strip() == "0"  # the child reads its own write back through a new connection
    mine = open_store(url)
    got = mine.get_many("wx-child", [WEEK, WEEK.shift(1), WEEK.shift(2)])
    assert sorted(e.payload.new[0] for e in got.values()) == [0, 1, 2]
    # ... and the other way round: this process writes, a new process reads
    mine.put("wx-parent", payload(), FINAL_AT)
    reader = subprocess.run(
        [sys.executable, "-c", "import sys; from wxdata.store import open_store; "
         "from wxdata.core.weeks import Week; e = open_store(sys.argv[1]).get('wx-parent', "
         "Week.parse(sys.argv[2])); print(e.payload.new[0], e.final)", url, WEEK.iso],
        cwd=REPO, capture_output=True, text=True, timeout=60)
    assert reader.stdout.split() == [str(payload().new[0]), "True"], reader.stderr
    mine.close()


def test_concurrent_writer_processes_lose_nothing(store_url: str) -> None:
    """Four processes on a new store at once: one of them makes the tables, none fails."""
    url = store_url
    writers = [_writer(url, f"wx{n}", WEEK, 25) for n in range(4)]
    for writer in writers:
        _, err = writer.communicate(timeout=60)
        assert writer.returncode == 0, err
    with open_store(url) as store:
        info = store.info()
    assert info.weeks_per_app == {f"wx{n}": 25 for n in range(4)}


# -- properties ----------------------------------------------------------------------------------

counts = st.lists(st.integers(min_value=0, max_value=10**9), min_size=0, max_size=5)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # one store, any week
@given(new=counts, active=counts, weeks_back=st.integers(min_value=0, max_value=600))
def test_any_valid_payload_survives_the_round_trip(cache: Store, new: list[int],
                                                   active: list[int], weeks_back: int) -> None:
    week = Week(date(2026, 11, 2)).shift(-weeks_back)
    stored = parse_payload({
        "ref_date": week.ref_date,
        "visit_uv_new": [{"key": k, "value": v} for k, v in enumerate(new)],
        "visit_uv": [{"key": k, "value": v} for k, v in enumerate(active)],
    })
    at = datetime(2026, 11, 28, tzinfo=UTC)
    put = cache.put("wx1", stored, at)
    assert cache.get("wx1", week) == put == CachedWeek("wx1", stored, at, week.is_final(at))

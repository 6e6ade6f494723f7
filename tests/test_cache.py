"""The SQLite cache: round trips, maturity-aware freshness, corrupt files, several processes."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wxdata.core.errors import CacheError, ConfigError
from wxdata.core.payload import WeeklyRetention, parse_payload
from wxdata.core.weeks import CST, Week
from wxdata.store import SCHEMA_VERSION, Cache, CachedWeek, cache_path
from wxdata.store.marker import APPLICATION_ID, is_cache_file
from wxdata.store.sqlite import _kind as sqlite_kind

REPO = Path(__file__).resolve().parent.parent
WEEK = Week(date(2026, 9, 7))
#: A moment while WEEK is provisional (ended, key 4 not out yet) and one just after it is final.
PROVISIONAL_AT = datetime(2026, 9, 20, 12, tzinfo=CST)
FINAL_AT = datetime(2026, 10, 13, 0, 0, 1, tzinfo=CST)  # Monday + 36 days
SIX_HOURS = timedelta(hours=6)


def payload(week: Week = WEEK, keys: int = 3, base: int = 1000) -> WeeklyRetention:
    new = [{"key": k, "value": base // (k + 1)} for k in range(keys)]
    active = [{"key": k, "value": 3 * base // (k + 1)} for k in range(keys)]
    return parse_payload({"ref_date": week.ref_date, "visit_uv_new": new, "visit_uv": active})


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    with Cache(f"sqlite:///{tmp_path / 'deep' / 'dir' / 'cache.sqlite3'}") as store:
        yield store


def test_round_trip_keeps_the_payload_and_when_it_was_fetched(cache: Cache) -> None:
    stored = payload()
    cache.put("wx1", stored, PROVISIONAL_AT)
    entry = cache.get("wx1", WEEK)
    assert entry is not None
    assert entry.payload == stored
    assert entry.fetched_at == PROVISIONAL_AT
    assert entry.fetched_at.tzinfo is not None
    assert cache.get("wx2", WEEK) is None  # keyed by app too
    assert cache.get("wx1", WEEK.shift(1)) is None


def test_the_file_is_created_with_its_folders_wal_and_a_schema_version(cache: Cache) -> None:
    cache.put("wx1", payload(), PROVISIONAL_AT)
    assert cache.path is not None and cache.path.exists()
    with sqlite3.connect(cache.path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        stored = raw.execute("SELECT payload FROM weeks").fetchone()[0]
    assert json.loads(stored) == payload().to_api()


def test_a_url_with_a_tilde_is_expanded_and_other_urls_are_refused(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache_path("sqlite:///~/c.sqlite3") == tmp_path / "c.sqlite3"
    assert cache_path("sqlite:///:memory:") is None
    for bad in ("postgres://x/y", "sqlite:///", "/plain/path"):
        with pytest.raises(ConfigError):
            cache_path(bad)


def test_memory_cache_works_for_tests() -> None:
    with Cache("sqlite:///:memory:") as store:
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
def test_freshness_follows_maturity(cache: Cache, fetched_at: datetime, now: datetime,
                                    fresh: bool) -> None:
    entry = cache.put("wx1", payload(), fetched_at)
    assert entry.final == WEEK.is_final(fetched_at)
    assert cache.get("wx1", WEEK) == entry
    assert entry.is_fresh(now, SIX_HOURS) is fresh


def test_the_refresh_interval_is_the_callers(cache: Cache) -> None:
    entry = cache.put("wx1", payload(), PROVISIONAL_AT)
    later = PROVISIONAL_AT + timedelta(hours=2)
    assert entry.is_fresh(later, timedelta(hours=3))
    assert not entry.is_fresh(later, timedelta(hours=1))
    assert not entry.is_fresh(later, timedelta(0))


def test_a_provisional_copy_fetched_again_once_final_is_never_stale_again(cache: Cache) -> None:
    cache.put("wx1", payload(keys=4), PROVISIONAL_AT)
    cache.put("wx1", payload(keys=5), FINAL_AT)
    entry = cache.get("wx1", WEEK)
    assert entry is not None and entry.final and entry.payload.offsets == 5
    assert entry.is_fresh(FINAL_AT + timedelta(days=3650), timedelta(0))


def test_keep_newer_does_not_roll_a_week_back(cache: Cache) -> None:
    cache.put("wx1", payload(base=2000), FINAL_AT)
    cache.put("wx1", payload(base=1000), PROVISIONAL_AT, keep_newer=True)
    kept = cache.get("wx1", WEEK)
    assert kept is not None and kept.payload == payload(base=2000)
    cache.put("wx1", payload(base=3000), FINAL_AT + timedelta(days=1), keep_newer=True)
    newer = cache.get("wx1", WEEK)
    assert newer is not None and newer.payload == payload(base=3000)


def test_info_counts_weeks_per_app_and_maturity(cache: Cache) -> None:
    assert cache.info().weeks == 0 and cache.info().size == 0
    assert cache.path is not None and not cache.path.exists()  # info does not create the file
    cache.put("wx1", payload(WEEK), FINAL_AT)
    cache.put("wx1", payload(WEEK.shift(1)), PROVISIONAL_AT + timedelta(days=7))
    cache.put("wx2", payload(WEEK), PROVISIONAL_AT)
    info = cache.info()
    assert info.weeks_per_app == {"wx1": 2, "wx2": 1}
    assert (info.final, info.provisional) == (1, 2)
    assert info.oldest_fetch == PROVISIONAL_AT and info.newest_fetch == FINAL_AT
    assert info.size > 0 and info.path == str(cache.path)


def test_clear_forgets_everything(cache: Cache) -> None:
    cache.put("wx1", payload(WEEK), FINAL_AT)
    cache.put("wx1", payload(WEEK.shift(1)), FINAL_AT)
    assert cache.clear() == 2
    assert cache.get("wx1", WEEK) is None and cache.info().weeks == 0


# -- corrupt files -------------------------------------------------------------------------------


def _raw(path: Path, *statements: str) -> None:
    with sqlite3.connect(path) as raw:
        for statement in statements:
            raw.execute(statement)


def _garbage(path: Path) -> None:
    path.write_bytes(b"this is not a database \x00\xff" * 500)


def _other_schema(path: Path) -> None:
    _raw(path, "CREATE TABLE weeks (x TEXT)", "PRAGMA user_version = 1")


def _future_version(path: Path) -> None:
    Cache(f"sqlite:///{path}").put("wx1", payload(), FINAL_AT)
    _raw(path, f"PRAGMA user_version = {SCHEMA_VERSION + 1}")


def _someone_elses_database(path: Path) -> None:
    _raw(path, "CREATE TABLE orders (id INTEGER)")


def _invalid_payload(path: Path) -> None:
    Cache(f"sqlite:///{path}").put("wx1", payload(), FINAL_AT)
    bad = json.dumps({"ref_date": WEEK.ref_date, "visit_uv_new": [{"key": 0, "value": -5}],
                      "visit_uv": []})
    _raw(path, f"UPDATE weeks SET payload = '{bad}'")


def _oversized_value(path: Path) -> None:
    """What an older wxretain stored before counts were bounded: 10^30 users in a final week."""
    Cache(f"sqlite:///{path}").put("wx1", payload(), FINAL_AT)
    bad = json.dumps({"ref_date": WEEK.ref_date, "visit_uv_new": [{"key": 0, "value": 10**30}],
                      "visit_uv": []})
    _raw(path, f"UPDATE weeks SET payload = '{bad}'")


def _not_json(path: Path) -> None:
    Cache(f"sqlite:///{path}").put("wx1", payload(), FINAL_AT)
    _raw(path, "UPDATE weeks SET payload = '{not json'")


def _wrong_week_in_row(path: Path) -> None:
    Cache(f"sqlite:///{path}").put("wx1", payload(), FINAL_AT)
    _raw(path, "UPDATE weeks SET week_start = '2026-09-14'")


def _naive_time(path: Path) -> None:
    Cache(f"sqlite:///{path}").put("wx1", payload(), FINAL_AT)
    _raw(path, "UPDATE weeks SET fetched_at = '2026-10-12T00:00:00'")


def _corrupt_pages(path: Path) -> None:
    """A cache of ours whose pages after the header were overwritten (a disk fault)."""
    with Cache(f"sqlite:///{path}") as store:
        store.put("wx1", payload(), FINAL_AT)  # closing checkpoints the WAL into the file
    data = bytearray(path.read_bytes())
    data[100:] = b"\xff" * (len(data) - 100)
    path.write_bytes(bytes(data))


def _toml(path: Path) -> None:
    path.write_text('[wxdata]\napi_base = "https://api.weixin.qq.com"\n')


@pytest.mark.parametrize("damage", [_future_version, _corrupt_pages])
def test_a_damaged_cache_of_ours_is_a_cache_error_that_says_clear(
        tmp_path: Path, damage: Callable[[Path], None]) -> None:
    path = tmp_path / "cache.sqlite3"
    damage(path)
    store = Cache(f"sqlite:///{path}")
    with pytest.raises(CacheError) as caught:
        store.get_many("wx1", [WEEK, WEEK.shift(1)])
    message = str(caught.value)
    assert str(path) in message and "wxdata cache clear" in message
    assert "wxdata cache clear" in caught.value.message("zh")
    assert not isinstance(caught.value.__context__, sqlite3.Error)  # translated at the boundary
    # ... and `wxdata cache clear` really does make the cache usable again
    assert store.clear() == -1
    store.put("wx1", payload(), FINAL_AT)
    assert store.get("wx1", WEEK) is not None


@pytest.mark.parametrize("foreign", [_garbage, _other_schema, _someone_elses_database, _toml])
def test_a_file_that_is_not_our_cache_is_never_used_written_or_deleted(
        tmp_path: Path, foreign: Callable[[Path], None]) -> None:
    path = tmp_path / "cache.sqlite3"
    foreign(path)
    before = path.read_bytes()
    store = Cache(f"sqlite:///{path}")
    for action in (lambda: store.get("wx1", WEEK), lambda: store.put("wx1", payload(), FINAL_AT),
                   store.clear):
        with pytest.raises(CacheError) as caught:
            action()
        assert caught.value.code == "not_ours" and str(path) in str(caught.value)
    assert path.read_bytes() == before and not Path(f"{path}-wal").exists()


@pytest.mark.parametrize("damage", [_invalid_payload, _oversized_value, _not_json,
                                    _wrong_week_in_row, _naive_time])
def test_an_invalid_row_is_missing_not_served_and_is_replaced_by_the_next_put(
        tmp_path: Path, damage: Callable[[Path], None], caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "cache.sqlite3"
    damage(path)
    store = Cache(f"sqlite:///{path}")
    assert store.get_many("wx1", [WEEK, WEEK.shift(1)]) == {}
    assert "fetched again" in caplog.text
    store.put("wx1", payload(), FINAL_AT)
    assert store.get("wx1", WEEK) == CachedWeek("wx1", payload(), FINAL_AT, True)


def test_a_cache_made_before_the_marker_is_recognised_and_marked(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    Cache(f"sqlite:///{path}").put("wx1", payload(), FINAL_AT)
    _raw(path, "PRAGMA application_id = 0")
    assert is_cache_file(path)  # the exact schema says it is ours
    store = Cache(f"sqlite:///{path}")
    assert store.get("wx1", WEEK) is not None
    store.close()
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_a_locked_file_is_not_called_corrupt(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cache.sqlite3"
    Cache(f"sqlite:///{path}").put("wx1", payload(), FINAL_AT)
    monkeypatch.setattr("wxdata.store.sqlite.BUSY_TIMEOUT_MS", 50)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(CacheError) as caught:
            Cache(f"sqlite:///{path}").put("wx1", payload(), FINAL_AT)
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
    Cache(f"sqlite:///{path}").put("wx1", payload(), FINAL_AT)
    readonly = _sqlite_error(path, f"file:{path}?mode=ro", "DELETE FROM weeks")
    missing = _sqlite_error(path, f"file:{tmp_path}/nope/x.db?mode=ro", "SELECT 1")
    _garbage(tmp_path / "garbage.db")
    garbage = _sqlite_error(path, f"file:{tmp_path}/garbage.db", "SELECT * FROM weeks")
    assert readonly.sqlite_errorname.startswith("SQLITE_READONLY")
    assert [sqlite_kind(e) for e in (readonly, missing, garbage)] == \
        ["unwritable", "unwritable", "corrupt"]


# -- several processes ---------------------------------------------------------------------------

_WRITER = textwrap.dedent("""
    import sys
    from datetime import datetime, timedelta, timezone
    from wxdata.store import Cache
    from wxdata.core.payload import parse_payload
    from wxdata.core.weeks import Week
    url, app, first, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    cache = Cache(url)
    week = Week.parse(first)
    at = datetime(2026, 11, 1, tzinfo=timezone.utc)
    for i in range(count):
        w = week.shift(i)
        cache.put(app, parse_payload({"ref_date": w.ref_date,
                                      "visit_uv_new": [{"key": 0, "value": i}],
                                      "visit_uv": [{"key": 0, "value": 2 * i}]}), at)
    entry = Cache(url).get(app, week)
    print(entry.payload.new[0] if entry else "none")
""")


def _writer(url: str, app: str, first: Week, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", _WRITER, url, app, first.iso, str(count)],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_week_written_by_one_process_is_read_by_another(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    child = _writer(url, "wx-child", WEEK, 3)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    assert out.strip() == "0"  # the child reads its own write back through a new connection
    mine = Cache(url)
    got = mine.get_many("wx-child", [WEEK, WEEK.shift(1), WEEK.shift(2)])
    assert sorted(e.payload.new[0] for e in got.values()) == [0, 1, 2]
    # ... and the other way round: this process writes, a new process reads
    mine.put("wx-parent", payload(), FINAL_AT)
    reader = subprocess.run(
        [sys.executable, "-c", "import sys; from wxdata.store import Cache; "
         "from wxdata.core.weeks import Week; e = Cache(sys.argv[1]).get('wx-parent', "
         "Week.parse(sys.argv[2])); print(e.payload.new[0], e.final)", url, WEEK.iso],
        cwd=REPO, capture_output=True, text=True, timeout=60)
    assert reader.stdout.split() == [str(payload().new[0]), "True"], reader.stderr


def test_concurrent_writer_processes_lose_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    writers = [_writer(url, f"wx{n}", WEEK, 25) for n in range(4)]
    for writer in writers:
        _, err = writer.communicate(timeout=60)
        assert writer.returncode == 0, err
    info = Cache(url).info()
    assert info.weeks_per_app == {f"wx{n}": 25 for n in range(4)}


# -- properties ----------------------------------------------------------------------------------

counts = st.lists(st.integers(min_value=0, max_value=10**9), min_size=0, max_size=5)


@settings(max_examples=40, deadline=None)
@given(new=counts, active=counts, weeks_back=st.integers(min_value=0, max_value=600))
def test_any_valid_payload_survives_the_round_trip(new: list[int], active: list[int],
                                                   weeks_back: int) -> None:
    week = Week(date(2026, 11, 2)).shift(-weeks_back)
    stored = parse_payload({
        "ref_date": week.ref_date,
        "visit_uv_new": [{"key": k, "value": v} for k, v in enumerate(new)],
        "visit_uv": [{"key": k, "value": v} for k, v in enumerate(active)],
    })
    with Cache("sqlite:///:memory:") as store:
        at = datetime(2026, 11, 28, tzinfo=UTC)
        put = store.put("wx1", stored, at)
        assert store.get("wx1", week) == put == CachedWeek("wx1", stored, at, week.is_final(at))

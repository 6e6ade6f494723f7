"""The stores: round trips, maturity-aware freshness, several processes. Every test that is not
about SQLite's file runs against SQLite and PostgreSQL alike (the ``store_url`` fixture); damaged
and foreign stores are in test_cache_damage.py, PostgreSQL's own matters in
test_cache_postgres.py."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wxdata.core.errors import ConfigError
from wxdata.core.payload import Retention, parse_payload
from wxdata.core.periods import CST, Day, Month, Period, Week
from wxdata.store import SCHEMA_VERSION, CachedPeriod, SQLiteStore, Store, cache_path, open_store

REPO = Path(__file__).resolve().parent.parent
WEEK = Week(date(2026, 9, 7))
#: A moment while WEEK is provisional (ended, key 4 not out yet) and one just after it is final.
PROVISIONAL_AT = datetime(2026, 9, 20, 12, tzinfo=CST)
FINAL_AT = datetime(2026, 10, 13, 0, 0, 1, tzinfo=CST)  # Monday + 36 days
SIX_HOURS = timedelta(hours=6)


def payload(week: Week = WEEK, keys: int = 3, base: int = 1000) -> Retention:
    new = [{"key": k, "value": base // (k + 1)} for k in range(keys)]
    active = [{"key": k, "value": 3 * base // (k + 1)} for k in range(keys)]
    return parse_payload({"ref_date": week.ref_date, "visit_uv_new": new, "visit_uv": active})


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite:")


def sqlite_file(url: str) -> Path:
    path = cache_path(url)
    assert path is not None
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def raw(url: str, *statements: str) -> list[tuple[Any, ...]]:
    """Run SQL in the store's database behind wxdata's back; the last statement's rows."""
    rows: list[tuple[Any, ...]] = []
    if is_sqlite(url):
        with closing(sqlite3.connect(sqlite_file(url))) as conn, conn:
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


# -- days and months ------------------------------------------------------------------------------

#: A Monday that is also the 1st: its day, its week and its month all start on it.
FIRST = date(2026, 6, 1)
DAY, WEEK_OF_FIRST, MONTH = Day(FIRST), Week(FIRST), Month(FIRST)


def cohort(period: Period, base: int) -> Retention:
    """Every documented key of ``period``, ``base`` users at key 0, fewer after."""
    return Retention(period, {k: base // (k + 1) for k in period.KEYS},
                     {k: 3 * base // (k + 1) for k in period.KEYS})


def test_a_day_a_week_and_a_month_of_one_start_date_are_three_rows(cache: Store) -> None:
    at = datetime(2026, 9, 1, tzinfo=UTC)  # all three final by then
    for period, base in ((DAY, 10), (WEEK_OF_FIRST, 70), (MONTH, 300)):
        cache.put("wx1", cohort(period, base), at)
    got = cache.get_many("wx1", [MONTH, DAY, WEEK_OF_FIRST])
    assert {p: e.payload.new[0] for p, e in got.items()} == {DAY: 10, WEEK_OF_FIRST: 70,
                                                             MONTH: 300}
    assert [type(p) for p in sorted(got, key=lambda p: p.kind)] == [Day, Month, Week]
    assert got[DAY].payload.offsets == 10 and got[MONTH].payload.offsets == 2
    assert cache.info().per_kind == {"day": 1, "week": 1, "month": 1}
    assert cache.info().weeks == 3 and cache.clear() == 3


@pytest.mark.parametrize("period", [DAY, MONTH], ids=["day", "month"])
def test_days_and_months_round_trip_with_their_own_finality(cache: Store, period: Period) -> None:
    # a moment after the period ended and before it is final, and its final moment
    provisional_at = period.ends_at() + timedelta(hours=12)
    final_at = period.final_at()
    early = Retention(period, {0: 50}, {0: 90})
    entry = cache.put("wx1", early, provisional_at)
    assert not entry.final and cache.get("wx1", period) == entry
    assert cache.provisional("wx1", period.kind) == [period]
    assert cache.provisional("wx1", "week") == []
    assert not entry.is_fresh(final_at, timedelta(days=365))  # final now: asked once more
    cache.put("wx1", cohort(period, 50), final_at)
    kept = cache.get("wx1", period)
    assert kept is not None and kept.final and kept.payload == cohort(period, 50)
    assert cache.provisional("wx1", period.kind) == []


# -- several processes ---------------------------------------------------------------------------

_WRITER = textwrap.dedent("""
    import sys
    from datetime import datetime, timedelta, timezone
    from wxdata.store import open_store
    from wxdata.core.payload import parse_payload
    from wxdata.core.periods import Week
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
    out, err = child.communicate(timeout=240)
    assert child.returncode == 0, err
    assert out.strip() == "0"  # the child reads its own write back through a new connection
    mine = open_store(url)
    got = mine.get_many("wx-child", [WEEK, WEEK.shift(1), WEEK.shift(2)])
    assert sorted(e.payload.new[0] for e in got.values()) == [0, 1, 2]
    # ... and the other way round: this process writes, a new process reads
    mine.put("wx-parent", payload(), FINAL_AT)
    reader = subprocess.run(
        [sys.executable, "-c", "import sys; from wxdata.store import open_store; "
         "from wxdata.core.periods import Week; e = open_store(sys.argv[1]).get('wx-parent', "
         "Week.parse(sys.argv[2])); print(e.payload.new[0], e.final)", url, WEEK.iso],
        cwd=REPO, capture_output=True, text=True, timeout=240)
    assert reader.stdout.split() == [str(payload().new[0]), "True"], reader.stderr
    mine.close()


def test_concurrent_writer_processes_lose_nothing(store_url: str) -> None:
    """Four processes on a new store at once: one of them makes the tables, none fails."""
    url = store_url
    writers = [_writer(url, f"wx{n}", WEEK, 25) for n in range(4)]
    for writer in writers:
        _, err = writer.communicate(timeout=240)
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
    assert cache.get("wx1", week) == put == CachedPeriod("wx1", stored, at, week.is_final(at))

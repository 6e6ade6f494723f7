"""The PostgreSQL store's own matters, against a real server: its errors (never a psycopg
exception, never the password), its tables and marker, reconnection, and the week locks that
make replicas wait for each other. What it shares with SQLite is in test_cache.py."""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest

from tests.fixtures_postgres import PASSWORD, ROLE, PostgresServer, _free_port
from tests.test_cache import FINAL_AT, WEEK  # one week, final by the store's own rule
from wxdata.cli import main
from wxdata.config import Settings, load_settings
from wxdata.core.errors import CacheError, ConfigError
from wxdata.core.payload import Retention
from wxdata.core.periods import Week
from wxdata.sources.live import LiveSource
from wxdata.store import SCHEMA_VERSION, Store, open_store
from wxdata.store.marker import APPLICATION_ID
from wxdata.store.pgschema import MARKER
from wxdata.store.postgres import PostgresStore, lock_key

REPO = Path(__file__).resolve().parent.parent


def payload(week: Week = WEEK, base: int = 1000) -> Retention:
    return Retention(week, {0: base, 1: base // 2}, {0: 3 * base})


@pytest.fixture
def store(postgres_url: str) -> Iterator[Store]:
    with open_store(postgres_url) as opened:
        yield opened


def assert_clean(error: CacheError, *secrets: str) -> None:
    """A readable CacheError that carries no secret and no psycopg exception."""
    for text in (str(error), error.message("zh"), error.message("en"), repr(error.params)):
        for secret in (PASSWORD, *secrets):
            assert secret not in text
    assert error.__cause__ is None and not isinstance(error.__context__, psycopg.Error)
    assert "postgresql://" in str(error) and "***" in str(error)


# -- errors ----------------------------------------------------------------------------------------


def test_a_server_that_is_not_there_is_unreachable(postgres: PostgresServer) -> None:
    url = f"postgresql://{ROLE}:{PASSWORD}@127.0.0.1:{_free_port()}/wx?connect_timeout=5"
    with pytest.raises(CacheError) as caught, open_store(url) as store:
        store.get("wx1", WEEK)
    assert caught.value.code == "unreachable"
    assert "Cannot reach the PostgreSQL cache" in str(caught.value)
    assert "Connection refused" in str(caught.value)  # libpq's own reason
    assert_clean(caught.value)


@pytest.mark.parametrize(("change", "reason"), [
    ({"password": "a-wrong-password-of-some-length"}, "password authentication failed"),
    ({"database": "no_such_database"}, "does not exist"),
])
def test_a_wrong_password_or_database_is_unreachable_and_says_why(
        postgres: PostgresServer, postgres_database: str, change: dict[str, str],
        reason: str) -> None:
    url = postgres.url(change.get("database", postgres_database),
                       password=change.get("password", PASSWORD))
    with pytest.raises(CacheError) as caught, open_store(url) as store:
        store.put("wx1", payload(), FINAL_AT)
    assert caught.value.code == "unreachable" and reason in str(caught.value)
    assert_clean(caught.value, change.get("password", PASSWORD))


@pytest.mark.parametrize("query", [
    "?bogus=1",          # libpq: invalid URI query parameter
    "?sslmode=bogus",    # libpq: invalid sslmode value
    "?port=99999",       # libpq: invalid port number
])
def test_a_malformed_url_is_an_error_without_the_password(postgres: PostgresServer,
                                                           query: str) -> None:
    with pytest.raises(CacheError) as caught, open_store(postgres.url("wx", query=query)) as store:
        store.info()
    assert caught.value.code == "unreachable"
    assert_clean(caught.value)


def test_libpq_echoing_the_url_does_not_leak_the_password(postgres: PostgresServer) -> None:
    """libpq quotes a bad percent-escape with the password around it; the message is redacted
    by the URL's own secrets."""
    url = f"postgresql://{ROLE}:{PASSWORD}%zz@127.0.0.1:{postgres.port}/wx"
    with pytest.raises(CacheError) as caught, open_store(url) as store:
        store.info()
    assert "invalid percent-encoded token" in str(caught.value)
    assert_clean(caught.value)


def test_a_raw_at_sign_in_the_password_is_refused_before_any_connection() -> None:
    with pytest.raises(ConfigError) as caught:
        open_store("postgresql://wx:pass@word-0123456789@db.example/wx")
    assert "word-0123456789" not in str(caught.value) and "%40" in str(caught.value)


def test_a_table_held_by_another_session_is_busy_then_fine(
        store: Store, postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store.put("wx1", payload(), FINAL_AT)
    monkeypatch.setattr("wxdata.store.postgres.LOCK_TIMEOUT_MS", 100)
    with open_store(postgres_url) as other, psycopg.connect(postgres_url) as holder:
        holder.execute("LOCK TABLE weeks IN ACCESS EXCLUSIVE MODE")  # in a transaction
        with pytest.raises(CacheError) as caught:
            other.put("wx1", payload(base=5), FINAL_AT)
        holder.rollback()
        assert caught.value.code == "busy" and "busy" in str(caught.value)
        assert "cache clear" not in str(caught.value)  # nothing to delete: wait
        assert_clean(caught.value)
        other.put("wx1", payload(base=5), FINAL_AT)  # the same store, once the lock is gone
        assert store.get("wx1", WEEK) is not None


def test_a_read_only_database_is_unwritable_but_readable(store: Store, postgres_url: str) -> None:
    store.put("wx1", payload(), FINAL_AT)
    read_only = f"{postgres_url}?options=-cdefault_transaction_read_only%3Don"
    with open_store(read_only) as reader:
        assert reader.get("wx1", WEEK) is not None and reader.info().weeks == 1
        with pytest.raises(CacheError) as caught:
            reader.put("wx1", payload(), FINAL_AT)
    assert caught.value.code == "unwritable" and "refuses to be written" in str(caught.value)
    assert_clean(caught.value)


def test_a_role_without_write_rights_is_unwritable(
        store: Store, postgres: PostgresServer, postgres_database: str) -> None:
    store.put("wx1", payload(), FINAL_AT)
    secret = "reader-password-0123456789"
    with postgres.admin(postgres_database) as admin:
        admin.execute(f"CREATE ROLE wxreader LOGIN PASSWORD '{secret}'")
        admin.execute("GRANT SELECT ON weeks, wxretain_schema TO wxreader")
    try:
        url = f"postgresql://wxreader:{secret}@127.0.0.1:{postgres.port}/{postgres_database}"
        with open_store(url) as reader:
            assert reader.get("wx1", WEEK) is not None
            with pytest.raises(CacheError) as caught:
                reader.clear()
        assert caught.value.code == "unwritable" and "permission denied" in str(caught.value)
        assert_clean(caught.value, secret)
    finally:
        with postgres.admin(postgres_database) as admin:
            admin.execute("DROP OWNED BY wxreader")
            admin.execute("DROP ROLE wxreader")


def test_a_lost_connection_costs_one_error_then_the_store_reconnects(
        store: Store, postgres: PostgresServer, postgres_database: str) -> None:
    store.put("wx1", payload(), FINAL_AT)
    with postgres.admin() as admin:  # what a server restart or a failover does to a session
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = %s AND usename = %s", (postgres_database, ROLE))
    with pytest.raises(CacheError) as caught:
        store.get("wx1", WEEK)
    assert caught.value.code == "unreachable"
    assert_clean(caught.value)
    assert store.get("wx1", WEEK) is not None


# -- the password never shows ----------------------------------------------------------------------


def test_the_password_is_in_no_message_log_or_cache_info_output(
        postgres: PostgresServer, postgres_url: str, caplog: pytest.LogCaptureFixture,
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("WXDATA_CACHE_URL", postgres_url)
    with open_store(postgres_url) as store:
        store.put("wx1", payload(), FINAL_AT)
        seen = [repr(store), store.where, store.info().path]
        with psycopg.connect(postgres_url, autocommit=True) as raw:  # a row gone bad: a warning
            raw.execute("UPDATE weeks SET payload = '[]'")
        assert store.get("wx1", WEEK) is None
    assert main(["cache", "info"]) == 0
    assert main(["cache", "clear"]) == 0
    assert main(["-v", "cache", "info"]) == 0
    out, err = capsys.readouterr()
    assert f"127.0.0.1:{postgres.port}" in out and "wx1: 1 weeks" in out and "Cleared 1" in out
    settings = load_settings()
    seen += [out, err, caplog.text, repr(settings), repr(LiveSource(settings))]
    assert "fetched again" in caplog.text  # the log was captured, and names the store
    for text in seen:
        assert PASSWORD not in text, text


def test_a_percent_encoded_password_is_hidden_in_both_spellings(
        postgres: PostgresServer, postgres_database: str) -> None:
    secret = "p@ss/w%rd:with-0123456789"
    with postgres.admin() as admin:
        admin.execute(f"CREATE ROLE wxquoted LOGIN PASSWORD '{secret}'")
    try:
        url = (f"postgresql://wxquoted:{quote(secret, safe='')}@127.0.0.1:{postgres.port}/"
               f"{postgres_database}")
        with open_store(url) as store:
            assert store.info().weeks == 0  # it logs in: libpq decoded the password
            shown = [repr(store), store.where]
        with pytest.raises(CacheError) as caught, open_store(f"{url}?bogus=1") as store:
            store.info()
        shown += [str(caught.value), caught.value.message("zh")]
        for text in shown:
            assert secret not in text and quote(secret, safe="") not in text
    finally:
        with postgres.admin() as admin:
            admin.execute("DROP ROLE wxquoted")


# -- the tables ------------------------------------------------------------------------------------


def test_the_tables_are_made_on_first_use_with_a_version_and_the_marker(
        store: Store, postgres_url: str) -> None:
    store.put("wx1", payload(), FINAL_AT)
    with psycopg.connect(postgres_url) as raw:
        assert raw.execute("SELECT application_id, version FROM wxretain_schema").fetchall() == \
            [(APPLICATION_ID, SCHEMA_VERSION)]
        assert raw.execute("SELECT obj_description('weeks'::regclass, 'pg_class')").fetchone() \
            == (MARKER,)
        row = raw.execute("SELECT payload, final FROM weeks").fetchone()
    assert row == (payload().to_api(), True)  # jsonb: queryable by whoever runs the database


def test_other_programs_tables_are_left_alone(store: Store, postgres_url: str) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as raw:
        raw.execute("CREATE TABLE orders (id integer)")
        raw.execute("INSERT INTO orders VALUES (1), (2)")
    store.put("wx1", payload(), FINAL_AT)
    assert store.clear() == 1
    with psycopg.connect(postgres_url) as raw:
        assert raw.execute("SELECT count(*) FROM orders").fetchone() == (2,)


def test_a_schema_of_its_own_keeps_clear_of_another_weeks_table(store: Store,
                                                                   postgres_url: str) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as raw:
        raw.execute("CREATE TABLE public.weeks (id integer)")  # someone else's, in public
        raw.execute("CREATE SCHEMA wxretain")
    with pytest.raises(CacheError) as caught:
        store.put("wx1", payload(), FINAL_AT)
    assert caught.value.code == "not_ours" and "search_path" in str(caught.value)
    with open_store(f"{postgres_url}?options=-csearch_path%3Dwxretain") as own:
        own.put("wx1", payload(), FINAL_AT)
        assert own.get("wx1", WEEK) is not None and own.clear() == 1
    with psycopg.connect(postgres_url) as raw:
        assert raw.execute("SELECT to_regclass('wxretain.weeks') IS NOT NULL").fetchone() == \
            (True,)


# -- week locks ------------------------------------------------------------------------------------


def test_a_week_lock_keeps_a_second_holder_out_until_it_is_let_go(
        postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("wxdata.store.postgres.EXCLUSIVE_WAIT_SECONDS", 0.2)
    with open_store(postgres_url) as first, open_store(postgres_url) as second:
        with first.exclusive("wx1", WEEK):
            with pytest.raises(CacheError) as caught, second.exclusive("wx1", WEEK):
                pass  # pragma: no cover - the lock is held
            assert caught.value.code == "busy"
            assert_clean(caught.value)
            with second.exclusive("wx1", WEEK.shift(1)), second.exclusive("wx2", WEEK):
                pass  # other weeks and other apps are free
            with psycopg.connect(postgres_url) as raw:  # visible to whoever runs the database
                assert raw.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                                   "AND classid::bigint = %s AND granted",
                                   (APPLICATION_ID,)).fetchone() == (1,)
        with second.exclusive("wx1", WEEK):
            pass


def test_waiters_go_in_one_at_a_time(postgres_url: str) -> None:
    inside, most = 0, 0
    count_lock = threading.Lock()
    barrier = threading.Barrier(4)

    def holder() -> None:
        nonlocal inside, most
        with open_store(postgres_url) as own:  # one store each: as if four processes
            barrier.wait()
            with own.exclusive("wx1", WEEK):
                with count_lock:
                    inside += 1
                    most = max(most, inside)
                threading.Event().wait(0.05)
                with count_lock:
                    inside -= 1

    threads = [threading.Thread(target=holder) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most == 1


_HOLDER = textwrap.dedent("""
    import sys, time
    from wxdata.core.periods import Week
    from wxdata.store import open_store
    with open_store(sys.argv[1]).exclusive("wx1", Week.parse(sys.argv[2])):
        print("holding", flush=True)
        time.sleep(600)
""")


def test_a_holder_that_dies_lets_the_week_go(postgres_url: str) -> None:
    child = subprocess.Popen([sys.executable, "-c", _HOLDER, postgres_url, WEEK.iso], cwd=REPO,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "holding"
        child.kill()  # no unlock, no goodbye: the server sees the connection drop
        child.wait(timeout=60)
        with open_store(postgres_url) as store, store.exclusive("wx1", WEEK):
            pass
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=60)
        child.communicate()


def test_lock_keys_are_stable_and_namespaced() -> None:
    assert lock_key("wx1", WEEK) == lock_key("wx1", WEEK)
    assert lock_key("wx1", WEEK) != lock_key("wx1", WEEK.shift(1))
    assert lock_key("wx1", WEEK) != lock_key("wx2", WEEK)
    assert {lock_key(app, WEEK)[0] for app in ("a", "b")} == {APPLICATION_ID}


def test_settings_and_store_reprs_hold_no_password() -> None:
    url = "postgresql://wx:settings-password-0123@db.example:5432/wx"
    assert "settings-password-0123" not in repr(Settings(cache_url=url))
    assert repr(PostgresStore(url)) == "PostgresStore('postgresql://wx:***@db.example:5432/wx')"

"""Fixtures around a real PostgreSQL server (Debian's ``postgresql``), one per test session.

- ``postgres``: a :class:`PostgresServer` started on 127.0.0.1 (a free port) in a temp folder,
  as the ``postgres`` user when the tests run as root (PostgreSQL refuses root), stopped and
  removed at the end of the session. TCP logins need a password (scram-sha-256); the socket in
  the temp folder lets the fixture itself in as the superuser.
- ``postgres_url``: a fresh empty database for one test, owned by a role that logs in with a
  password: ``postgresql://wxtest:PASSWORD@127.0.0.1:PORT/wx_N`` (dropped after the test).
- ``store_url``: an empty store of each kind in turn (parametrized): an SQLite file in folders
  that do not exist yet, then a fresh PostgreSQL database. Tests that take it run on both.

Without the server binaries the tests fail (they are not skipped) with the command to run:
``apt-get install -y postgresql`` (``make test`` installs it when run as root, .ci/system-packages).
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

INSTALL = "apt-get install -y postgresql"
BACKENDS = ("sqlite", "postgresql")
ROLE = "wxtest"
#: Distinctive, so that a scan of any output finds it if it leaked.
PASSWORD = f"pg-S3cr3t-{secrets.token_hex(6)}"


def _bindir() -> Path:
    """The newest Debian PostgreSQL, else whatever initdb is on PATH; else fail with the fix."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    initdb = found[-1] if found else shutil.which("initdb")
    if not initdb or not Path(initdb).with_name("pg_ctl").exists():
        pytest.fail(f"the store tests need a PostgreSQL server; run: {INSTALL}", pytrace=False)
    return Path(initdb).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresServer:
    """One server: ``url(database)``, ``admin()`` (a superuser connection over the socket),
    ``new_database()``."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="wxretain-pg-"))
        self.data = self.root / "data"
        self.port = 0
        self.pid: int | None = None
        self._as_postgres = os.geteuid() == 0
        self._names = itertools.count(1)
        if self._as_postgres:
            user = pwd.getpwnam("postgres")
            os.chown(self.root, user.pw_uid, user.pw_gid)

    def _run(self, *argv: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        prefix = ["runuser", "-u", "postgres", "--"] if self._as_postgres else []
        return subprocess.run([*prefix, *argv], capture_output=True, text=True, timeout=timeout,
                              cwd=self.root)

    def start(self) -> None:
        pwfile = self.root / "pw"  # initdb wants the superuser's password in a file
        pwfile.write_text(secrets.token_hex(16))
        if self._as_postgres:
            shutil.chown(pwfile, "postgres", "postgres")
        done = self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres",
                         "--auth-local=trust", "--auth-host=scram-sha-256", f"--pwfile={pwfile}",
                         "--no-locale", "--encoding=UTF8", "--no-sync", "--no-instructions")
        pwfile.unlink()
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed:\n{done.stdout}\n{done.stderr}")
        for _ in range(3):  # a free port may be taken between the probe and the start
            self.port = _free_port()
            options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                       "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
            done = self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l",
                             str(self.root / "server.log"), "-w", "-t", "60", "-o", options,
                             "start")
            if done.returncode == 0:
                self.pid = int((self.data / "postmaster.pid").read_text().split()[0])
                break
        else:
            log = (self.root / "server.log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"pg_ctl start failed:\n{done.stderr}\n{log}")
        with self.admin() as conn:
            conn.execute(f"CREATE ROLE {ROLE} LOGIN PASSWORD '{PASSWORD}'")

    def stop(self) -> None:
        try:
            if self.pid is not None:
                done = self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast",
                                 "-w", "-t", "60", "stop")
                if done.returncode != 0:
                    _kill(self.pid)
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def admin(self, database: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(host=str(self.root), port=self.port, user="postgres",
                               dbname=database, autocommit=True)

    def url(self, database: str, *, password: str = PASSWORD, query: str = "") -> str:
        return f"postgresql://{ROLE}:{password}@127.0.0.1:{self.port}/{database}{query}"

    def new_database(self) -> str:
        name = f"wx_{next(self._names)}"
        with self.admin() as conn:
            conn.execute(f"CREATE DATABASE {name} OWNER {ROLE}")
        return name

    def drop_database(self, name: str) -> None:
        with self.admin() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGQUIT)  # the postmaster's immediate shutdown


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    server = PostgresServer(_bindir())
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_database(postgres: PostgresServer) -> Iterator[str]:
    name = postgres.new_database()
    yield name
    postgres.drop_database(name)


@pytest.fixture
def postgres_url(postgres: PostgresServer, postgres_database: str) -> str:
    return postgres.url(postgres_database)


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'deep' / 'dir' / 'cache.sqlite3'}"
    return str(request.getfixturevalue("postgres_url"))

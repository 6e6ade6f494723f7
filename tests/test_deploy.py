"""The deployment files say true things: what the Dockerfile copies and runs exists, its port is
the one nginx and the systemd units use, no secret is copied into an image, nginx accepts
``deploy/nginx.conf``, every file docs/deploy.md points to is there, and the database grants it
documents are enough.

(Docker itself cannot build here; tests/e2e/test_replicas.py runs the nginx file for real.)
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from tests.e2e import replicas
from tests.fixtures_postgres import PASSWORD, ROLE, PostgresServer
from wxdata.core.periods import last_n_weeks
from wxdata.sources.demo import DEMO_APPS, demo_payload
from wxdata.store import open_store, utc_now

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
SITE = (ROOT / "deploy" / "nginx.conf").read_text()
REPLICA_UNIT = (ROOT / "deploy" / "wxretain@.service").read_text()


def instructions(name: str) -> list[str]:
    """The arguments of every ``name`` instruction (continuation lines joined)."""
    joined = DOCKERFILE.replace("\\\n", " ")
    return [line.split(None, 1)[1] for line in joined.splitlines()
            if line.split(None, 1)[:1] == [name]]


def exec_form(arguments: str) -> list[str]:
    return [str(part) for part in json.loads(arguments)]


def test_what_the_dockerfile_copies_exists_and_no_secret_goes_in() -> None:
    sources = [source for arguments in instructions("COPY")
               for source in shlex.split(arguments)[:-1]]
    assert sources and all((ROOT / source).exists() for source in sources), sources
    assert not any("secrets" in source for source in sources)
    assert ".streamlit/secrets.toml" in (ROOT / ".dockerignore").read_text().split()


def test_the_container_runs_the_app_on_the_port_nginx_and_the_units_use() -> None:
    (command,) = [exec_form(arguments) for arguments in instructions("CMD")]
    assert command[:3] == ["streamlit", "run", "app.py"] and (ROOT / "app.py").is_file()
    assert command[command.index("--server.address") + 1] == "0.0.0.0"
    port = command[command.index("--server.port") + 1]
    assert instructions("EXPOSE") == [port]
    assert instructions("USER") and instructions("USER") != ["root"]
    (health,) = instructions("HEALTHCHECK")
    assert f"http://127.0.0.1:{port}/_stcore/health" in health
    assert instructions("FROM") == ["python:3.11-slim"]
    upstream = re.findall(r"^\s*server 127\.0\.0\.1:(\d+)", SITE, re.MULTILINE)
    assert upstream[0] == port == "8501"
    assert "--server.port %i" in REPLICA_UNIT  # wxretain@8501, wxretain@8502, ...


def test_nginx_accepts_the_site_file(tmp_path: Path) -> None:
    try:
        binary = replicas.nginx_binary()
    except FileNotFoundError as exc:
        pytest.fail(str(exc), pytrace=False)  # failed, not skipped: the e2e test needs it too
    folder = tmp_path
    site = folder / "wxretain.conf"
    site.write_text(replicas.render_site(SITE, ports=[8501, 8502], listen=8080,
                                         access_log=folder / "access.log"))
    conf = folder / "nginx.conf"
    conf.write_text(replicas.main_conf(folder, site))
    done = subprocess.run([str(binary), "-t", "-e", str(folder / "error.log"), "-p",
                           str(folder), "-c", str(conf), "-g", f"pid {folder / 'nginx.pid'};"],
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    assert "syntax is ok" in done.stderr


def test_rendering_refuses_a_template_that_changed_shape() -> None:
    with pytest.raises(ValueError, match="upstream lines"):
        replicas.render_site(SITE.replace("server 127.0.0.1:", "server localhost:"),
                             ports=[1], listen=2, access_log=Path("a"))
    with pytest.raises(ValueError, match="listen 80"):
        replicas.render_site(SITE.replace("listen 80;", "listen 8080;"), ports=[1], listen=2,
                             access_log=Path("a"))


def test_every_file_the_deploy_doc_points_to_exists() -> None:
    doc = (ROOT / "docs/deploy.md").read_text()
    named = set(re.findall(r"\]\(\.\./([^)#]+)\)", doc)) | set(
        re.findall(r"`((?:deploy|tests|wxdata)/[\w@./-]+\.\w+)`", doc))
    assert {"deploy/nginx.conf", "Dockerfile", "deploy/wxretain@.service"} <= named
    assert [name for name in sorted(named) if not (ROOT / name).exists()] == []


def test_after_the_first_start_the_documented_grants_are_enough(postgres: PostgresServer,
                                                                 postgres_database: str) -> None:
    """docs/deploy.md: CREATE for the first start (tables made in the search_path's schema),
    then SELECT/INSERT/UPDATE/DELETE on weeks and SELECT on wxretain_schema for everything."""
    app, weeks = DEMO_APPS[0], last_n_weeks(2)
    with postgres.admin(postgres_database) as conn:
        conn.execute(f"CREATE SCHEMA wxretain AUTHORIZATION {ROLE}")
        conn.execute(f"CREATE ROLE wxdml LOGIN PASSWORD '{PASSWORD}'")
    url = postgres.url(postgres_database, query="?options=-csearch_path%3Dwxretain")
    with open_store(url) as owner:
        owner.put(app.appid, demo_payload(app, weeks[0], weeks[-1]), utc_now())
    try:
        with postgres.admin(postgres_database) as conn:
            conn.execute("GRANT USAGE ON SCHEMA wxretain TO wxdml")
            conn.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON wxretain.weeks TO wxdml")
            conn.execute("GRANT SELECT ON wxretain.wxretain_schema TO wxdml")
        with open_store(url.replace(f"{ROLE}:", "wxdml:", 1)) as store:
            store.put(app.appid, demo_payload(app, weeks[1], weeks[-1]), utc_now())
            with store.exclusive(app.appid, weeks[0]):
                assert set(store.get_many(app.appid, weeks)) == set(weeks)
            assert store.info().weeks == 2 and store.clear() == 2
    finally:
        with postgres.admin(postgres_database) as conn:
            conn.execute("DROP OWNED BY wxdml")
            conn.execute("DROP ROLE wxdml")

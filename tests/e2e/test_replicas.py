"""Two replicas behind nginx on one PostgreSQL: twenty colleagues open a cold 52-week heatmap.

The deployment of docs/deploy.md on loopback: a real PostgreSQL (tests/fixtures_postgres.py), the
fake WeChat server (cold, counting every call), two ``streamlit run`` replicas configured for live
data through the environment, and Debian's nginx running ``deploy/nginx.conf`` itself. The nightly
``wxdata sync`` runs at the same moment, as a third writer. However the sessions and the sync
meet, WeChat is asked exactly once per week; both replicas serve sessions, and each browser
stays on one replica (its websocket and its page requests).
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e import replicas
from tests.e2e.test_browser import ARTIFACTS
from tests.fixtures_postgres import PostgresServer
from wxdata.core.periods import last_n_weeks
from wxdata.testing.fake import FakeWeChat

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1200)]
SESSIONS = 20
WEEKS = 52
STREAM = "/_stcore/stream"


@pytest.fixture
def cold_fake() -> Iterator[FakeWeChat]:
    """WeChat with a little latency, so that the replicas' loads overlap in time."""
    with FakeWeChat(latency=0.05) as fake:
        yield fake


@pytest.fixture
def deployment(postgres: PostgresServer, postgres_url: str, cold_fake: FakeWeChat,
               tmp_path: Path) -> Iterator[tuple[replicas.Nginx, dict[str, str]]]:
    env = replicas.live_env(cold_fake.url, postgres_url, tmp_path)
    started = replicas.start_replicas(2, env, ARTIFACTS / "replicas")
    nginx = replicas.Nginx([port for port, _ in started])
    try:
        nginx.start()
        yield nginx, env
    finally:
        nginx.stop()
        replicas.stop_replicas(started)
        nginx.keep_logs(ARTIFACTS / "replicas")
        nginx.remove()


def test_twenty_cold_sessions_on_two_replicas_ask_wechat_once_per_week(
        deployment: tuple[replicas.Nginx, dict[str, str]], cold_fake: FakeWeChat) -> None:
    nginx, env = deployment
    weeks = {week.iso for week in last_n_weeks(WEEKS)}
    sync = subprocess.Popen([sys.executable, "-m", "wxdata.cli", "sync", "--weeks", str(WEEKS)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        outcomes = replicas.cold_sessions(f"{nginx.url}/heatmap?weeks={WEEKS}", SESSIONS)
    finally:
        synced = sync.communicate(timeout=600)[0].decode(errors="replace")
    nginx.stop()  # the log is complete once nginx is gone

    failures = [o.error for o in outcomes if o.error]
    assert not failures, failures
    assert [o.rows for o in outcomes] == [WEEKS] * SESSIONS
    assert sync.returncode == 0, synced

    asked = Counter(entry["week"] for entry in cold_fake.log if entry["endpoint"] == "weekly")
    assert asked == dict.fromkeys(weeks, 1)
    assert all(entry.get("errcode", 0) == 0 for entry in cold_fake.log)

    hits = nginx.hits()
    upstreams: dict[str, set[str]] = defaultdict(set)
    for hit in hits:
        upstreams[hit.route].add(hit.upstream)
    sessions = {hit.route: hit.upstream for hit in hits if hit.path.startswith(STREAM)}
    assert len(sessions) == SESSIONS, hits
    strays = [hit for hit in hits if hit.route in sessions and len(upstreams[hit.route]) > 1]
    assert not strays, (strays, nginx.errors())
    assert set(sessions.values()) == {f"127.0.0.1:{port}" for port in nginx.ports}

    for number in (1, 2):
        log = (ARTIFACTS / "replicas" / f"replica-{number}.log").read_text(errors="replace")
        assert "Traceback" not in log, log[-3000:]

"""Replicas behind nginx on one PostgreSQL: cold heatmaps with 1, 2 and 4 replicas.

The deployment of docs/deploy.md on loopback (tests/e2e/replicas.py): a PostgreSQL started here
(tests/fixtures_postgres.py), then for each replica count a fresh empty database, a cold fake
WeChat server (100 ms per call, counting every call), N ``streamlit run`` replicas on live data
and Debian's nginx running ``deploy/nginx.conf``. ``--sessions`` browser sessions open the same
``--weeks``-week heatmap at the same moment, each in its own browser context (so nginx places each
by its own cookie). Printed per count: WeChat calls per week (most for any week, and the
average), sessions per replica and websocket connections (read from nginx's access log: more
websockets than sessions means tabs reconnected), errors, and the time from
navigation to a drawn heatmap (p50, p95, and both as ratios to one replica in the same run).

Run: ``python benchmarks/bench_replicas.py [--sessions 20] [--weeks 52] [--replicas 1,2,4]``
(``make bench``). Prints a Markdown table; asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e import replicas  # noqa: E402  (needs ROOT on the path)
from tests.fixtures_postgres import PostgresServer, _bindir  # noqa: E402
from wxdata.core.periods import last_n_weeks  # noqa: E402
from wxdata.testing.fake import FakeWeChat  # noqa: E402

LATENCY = 0.1  # seconds per WeChat call, as in bench_fetch.py


@dataclass
class Run:
    replicas: int
    times: list[float]
    errors: list[str]
    calls: Counter[str]
    spread: list[int]
    websockets: int

    def p(self, q: int) -> float:
        if not self.times:
            return float("nan")
        if q == 50 or len(self.times) == 1:
            return statistics.median(self.times)
        return statistics.quantiles(self.times, n=100)[q - 1]


def _one(server: PostgresServer, count: int, sessions: int, weeks: int) -> Run:
    database = server.new_database()
    home = Path(tempfile.mkdtemp(prefix="wxretain-bench-"))
    try:
        with FakeWeChat(latency=LATENCY) as fake:
            env = replicas.live_env(fake.url, server.url(database), home)
            started = replicas.start_replicas(count, env, home / "logs")
            nginx = replicas.Nginx([port for port, _ in started])
            try:
                nginx.start()
                outcomes = replicas.cold_sessions(f"{nginx.url}/heatmap?weeks={weeks}", sessions)
            finally:
                nginx.stop()
                replicas.stop_replicas(started)
            streams = [hit for hit in nginx.hits() if hit.path.startswith("/_stcore/stream")]
            # a browser is a route (its cookie); a tab whose websocket dropped opens another
            sessions = Counter(upstream for _, upstream in {(h.route, h.upstream)
                                                             for h in streams})
            nginx.remove()
            calls = Counter(e["week"] for e in fake.log if e["endpoint"] == "weekly")
    finally:
        server.drop_database(database)
        shutil.rmtree(home, ignore_errors=True)
    return Run(count, [o.seconds for o in outcomes if not o.error and o.rows == weeks],
               [o.error or f"{o.rows} rows" for o in outcomes if o.error or o.rows != weeks],
               calls, sorted((sessions.get(f"127.0.0.1:{port}", 0) for port in nginx.ports),
                             reverse=True), len(streams))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--replicas", default="1,2,4", help="replica counts, comma-separated")
    args = parser.parse_args()
    server = PostgresServer(_bindir())
    runs = []
    try:
        server.start()
        for count in (int(n) for n in args.replicas.split(",")):
            runs.append(_one(server, count, args.sessions, args.weeks))
    finally:
        server.stop()
    base = runs[0]
    print(f"{args.sessions} cold browser sessions at once, one {args.weeks}-week heatmap, "
          f"fake WeChat {LATENCY * 1000:.0f} ms per call; ratios to {base.replicas} replica(s)")
    print("| replicas | WeChat calls per week (max / mean) | sessions per replica | websockets | "
          "errors | p50 s | p95 s | p50 ratio | p95 ratio |")
    print("|---:|---:|---|---:|---:|---:|---:|---:|---:|")
    expected = len(last_n_weeks(args.weeks))
    for run in runs:
        most = max(run.calls.values(), default=0)
        mean = sum(run.calls.values()) / expected
        spread = " / ".join(map(str, run.spread))
        print(f"| {run.replicas} | {most} / {mean:.2f} | {spread} | {run.websockets} | "
              f"{len(run.errors)} | "
              f"{run.p(50):.1f} | {run.p(95):.1f} | {run.p(50) / base.p(50):.2f} | "
              f"{run.p(95) / base.p(95):.2f} |")
    for run in runs:
        for error in run.errors[:5]:
            print(f"- {run.replicas} replicas: {error}")


if __name__ == "__main__":
    main()

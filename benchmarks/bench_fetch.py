"""How fast and how frugal the data layer is against a WeChat that takes 100 ms per call.

Everything runs against the fake WeChat (``wxdata/fake.py``) on 127.0.0.1 with 100 ms of latency
on every request (token and retention alike), for the 52 newest ended weeks:

1. baseline: a plain sequential ``requests`` loop (one stable token, then each week in turn), as
   a script without wxretain would do it;
2. cold export through the CLI: ``wxdata.cli.main(["export", ...])`` in this process (so the time
   is the fetch, not Python's start-up), and the same as a child process
   (``python -m wxdata.cli export``, start-up and imports included), each with an empty cache;
3. warm export: the same command again in a child process: its time and its API calls;
4. ten concurrent cold requests: ten threads call ``load`` on one shared ``LiveSource`` for the
   same span at once (as ten dashboard sessions do with the dashboard's process-wide source):
   the API calls they cost together;
5. days (``--period day``): the 90 newest ended days, against a sequential ``requests`` loop over
   the same days (baseline of its own): a cold ``wxdata export --period day`` in-process and as
   a child process, each with an empty cache, and the same child command again (warm): its
   time and its calls; and the cold in-process export with 8 workers (``WXDATA_CONCURRENCY=8``)
   to show what the default's 4 cost: 90 calls take 23 rounds of 4 after the token, so
   (1 + 23) / 91 = 0.26 is the best ratio 4 workers can reach.

Times are medians of ``REPEAT`` runs, shown as a ratio to the baseline of the same run. Default
settings (concurrency 4). Run: ``python benchmarks/bench_fetch.py`` (``make bench``; weeks and
days), ``--period week`` or ``--period day`` for one of them; prints Markdown tables, with the
load average before and after, and asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from wxdata.cli import main  # noqa: E402  (needs ROOT on the path)
from wxdata.config import AppConfig, Settings  # noqa: E402
from wxdata.core.periods import Day, Period, last_n_weeks  # noqa: E402
from wxdata.core.report import LoadResult  # noqa: E402
from wxdata.sources.live import LiveSource  # noqa: E402
from wxdata.testing.fake import FAKE_APPID, FAKE_SECRET, FakeWeChat  # noqa: E402

LATENCY = 0.1
WEEKS = last_n_weeks(52)
SPAN = ["--from", WEEKS[0].start.isoformat(), "--to", WEEKS[-1].end.isoformat()]
REPEAT = 3
SESSIONS = 10
DAYS = Day.last_n(90)
DAY_SPAN = ["--period", "day", "--from", DAYS[0].start.isoformat(), "--to",
            DAYS[-1].end.isoformat()]


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def baseline(fake: FakeWeChat, periods: list[Period] | None = None) -> None:
    """What a script without wxretain does: one token, then every period in turn (the 52
    weeks unless told)."""
    with requests.Session() as session:
        token = session.post(f"{fake.url}/cgi-bin/stable_token", timeout=10, json={
            "grant_type": "client_credential", "appid": FAKE_APPID, "secret": FAKE_SECRET,
        }).json()["access_token"]
        for period in periods or WEEKS:
            begin, end = period.api_dates
            answer = session.post(fake.url + period.API_PATH, params={"access_token": token},
                                  json={"begin_date": begin, "end_date": end}, timeout=10)
            answer.raise_for_status()
            if answer.json().get("errcode"):
                raise SystemExit(f"the baseline was refused: {answer.json()['errcode']}")


@contextlib.contextmanager
def environment(fake: FakeWeChat, cache: Path, **more: str) -> Iterator[dict[str, str]]:
    """The CLI's settings for the fake (and ``more`` variables), in this process's environment
    and for children."""
    values = {"WXDATA_API_BASE": fake.url, "WXDATA_APPID": FAKE_APPID,
              "WXDATA_SECRET": FAKE_SECRET, "WXDATA_CACHE_URL": f"sqlite:///{cache}",
              "WXDATA_SECRETS_FILE": str(cache.parent / "none.toml"), **more}
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield dict(os.environ)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def export_in_process(output: Path, span: list[str] = SPAN) -> None:
    with contextlib.redirect_stderr(io.StringIO()):
        code = main(["export", *span, "-o", str(output)])
    if code != 0:
        raise SystemExit(f"export failed with exit status {code}")


def export_child(output: Path, env: dict[str, str], span: list[str] = SPAN) -> None:
    done = subprocess.run([sys.executable, "-m", "wxdata.cli", "export", *span,
                           "-o", str(output)], cwd=ROOT, env=env, capture_output=True)
    if done.returncode != 0:
        raise SystemExit(done.stderr.decode(errors="replace"))


def concurrent_sessions(fake: FakeWeChat, cache: Path) -> tuple[float, list[LoadResult]]:
    settings = Settings(apps=(AppConfig("bench", FAKE_APPID, FAKE_SECRET),), api_base=fake.url,
                        cache_url=f"sqlite:///{cache}", source="live")
    barrier = threading.Barrier(SESSIONS)
    results: list[LoadResult] = []
    shared = LiveSource(settings)

    def session() -> None:
        barrier.wait()
        results.append(shared.load([FAKE_APPID], WEEKS))

    threads = [threading.Thread(target=session) for _ in range(SESSIONS)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    shared.close()
    return elapsed, results


def measure_days(work: Path) -> list[tuple[str, float, int, str]]:
    """Rows for the 90 days (daily API calls), the CLI's ``export --period day``."""
    with FakeWeChat(latency=LATENCY) as fake:
        def calls_of(action: Callable[[], object]) -> tuple[float, int]:
            before = fake.calls["daily"]
            seconds = timed(action)
            return seconds, fake.calls["daily"] - before

        base = [calls_of(partial(baseline, fake, DAYS)) for _ in range(REPEAT)]
        cold, child, warm, eight = [], [], [], []
        for n in range(REPEAT):
            first, second = work / f"d{n}a" / "cache.sqlite3", work / f"d{n}b" / "cache.sqlite3"
            first.parent.mkdir()
            second.parent.mkdir()
            with environment(fake, first):
                cold.append(calls_of(partial(export_in_process, first.with_suffix(".csv"),
                                             DAY_SPAN)))
            with environment(fake, second) as env:
                output = second.with_suffix(".csv")
                child.append(calls_of(partial(export_child, output, env, DAY_SPAN)))
                warm.append(calls_of(partial(export_child, output, env, DAY_SPAN)))
            # what twice the workers would give (WXDATA_CONCURRENCY, the operator's setting)
            third = work / f"d{n}c" / "cache.sqlite3"
            third.parent.mkdir()
            with environment(fake, third, WXDATA_CONCURRENCY="8"):
                eight.append(calls_of(partial(export_in_process, third.with_suffix(".csv"),
                                              DAY_SPAN)))
    days = len(DAYS)
    return [
        (f"sequential `requests` loop over {days} days (baseline)", *_median(base), "—"),
        (f"cold {days}-day export, `main()` in-process", *_median(cold), "ratio ≤ 0.3"),
        (f"cold {days}-day export, `python -m wxdata.cli` child", *_median(child), "—"),
        (f"warm {days}-day export, `python -m wxdata.cli` child", *_median(warm), "0 calls"),
        (f"cold {days}-day export, in-process, `WXDATA_CONCURRENCY=8`", *_median(eight), "—"),
    ]


def measure(work: Path) -> list[tuple[str, float, int, str]]:
    """Rows of (what, seconds, weekly API calls, target)."""
    with FakeWeChat(latency=LATENCY) as fake:
        def calls_of(action: Callable[[], object]) -> tuple[float, int]:
            before = fake.calls["weekly"]
            seconds = timed(action)
            return seconds, fake.calls["weekly"] - before

        base = [calls_of(partial(baseline, fake)) for _ in range(REPEAT)]
        cold, child, warm = [], [], []
        for n in range(REPEAT):
            # A new cache file for each cold run (never a deleted one: its WAL would linger).
            first, second = work / f"{n}a" / "cache.sqlite3", work / f"{n}b" / "cache.sqlite3"
            first.parent.mkdir()
            second.parent.mkdir()
            with environment(fake, first):
                cold.append(calls_of(partial(export_in_process, first.with_suffix(".csv"))))
            with environment(fake, second) as env:
                output = second.with_suffix(".csv")
                child.append(calls_of(partial(export_child, output, env)))
                warm.append(calls_of(partial(export_child, output, env)))
        before = fake.calls["weekly"]
        seconds, results = concurrent_sessions(fake, work / "sessions" / "cache.sqlite3")
        if not all(r.ok for r in results):
            raise SystemExit("a concurrent session failed")
        sessions = (seconds, fake.calls["weekly"] - before)
    return [
        ("sequential `requests` loop (baseline)", *_median(base), "—"),
        ("cold export, `main()` in-process", *_median(cold), "ratio ≤ 0.3"),
        ("cold export, `python -m wxdata.cli` child", *_median(child), "—"),
        ("warm export, `python -m wxdata.cli` child", *_median(warm), "0 calls"),
        (f"{SESSIONS} concurrent cold loads of one span", *sessions, f"{len(WEEKS)} calls"),
    ]


def _median(samples: list[tuple[float, int]]) -> tuple[float, int]:
    return statistics.median(s for s, _ in samples), max(c for _, c in samples)


def table(rows: list[tuple[str, float, int, str]], calls: str) -> None:
    """A Markdown table; ratios against the first row (its baseline)."""
    base = rows[0][1]
    print(f"| run | seconds | ratio to baseline | {calls} API calls | target |")
    print("|---|---:|---:|---:|---|")
    for what, seconds, count, target in rows:
        print(f"| {what} | {seconds:.2f} | {seconds / base:.2f} | {count} | {target} |")


def load_average() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def main_bench() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--period", choices=["week", "day"],
                        help="only the weekly or only the daily rows (default: both)")
    args = parser.parse_args()
    print(f"Load average before: {load_average()} ({os.cpu_count()} cores)\n")
    with tempfile.TemporaryDirectory(prefix="wxretain-bench-") as tmp:
        if args.period != "day":
            weekly = measure(Path(tmp))
            print(f"{len(WEEKS)} weeks, {LATENCY * 1000:.0f} ms per call, concurrency 4 "
                  f"(default), median of {REPEAT}\n")
            table(weekly, "weekly")
            print()
        if args.period != "week":
            daily = measure_days(Path(tmp))
            print(f"{len(DAYS)} days, {LATENCY * 1000:.0f} ms per call, concurrency 4 "
                  f"(default), median of {REPEAT}\n")
            table(daily, "daily")
            print()
    print(f"Load average after: {load_average()}")


if __name__ == "__main__":
    main_bench()

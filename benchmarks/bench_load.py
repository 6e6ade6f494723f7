"""What one dashboard process holds: waves of sessions speaking Streamlit's websocket protocol.

No browser: each session is a :class:`st_client.Session` (``benchmarks/st_client.py``), which
connects to ``/_stcore/stream`` and sends the ``rerun_script`` messages a browser tab sends, so
the two cores go to the server, not to Chromium (``bench_load_browser.py`` keeps the browser's
view). Two servers are started here, in turn, on loopback:

- ``streamlit run app.py`` on demo data (``WXDATA_SOURCE=demo``), and
- ``streamlit run benchmarks/naive_app.py``: a naive dashboard of the same shape (router, the
  same sidebar widgets, one Plotly figure a page, Streamlit's defaults), the floor Streamlit
  itself sets on this machine in the same run. The ratio between the two is the figure; the
  seconds depend on what else the shared machine is doing.

Each wave first opens its sessions at once, each a new tab on its own link (52 weeks; new or
active users, one app or the other or both, Chinese or English) and on its own page; then, for
``--seconds``, each clicks through overview, heatmap, curves, week over week and data, again
and again, with a think time between clicks (``--waves 20x5``: 5 s, jittered 0.5-1.5x). Every
run must draw its page: a Plotly chart, no exception element, not the router's "this page
failed"; anything else is an error, not a time. Before the waves each server is warmed (every
page of every link once, untimed).

Printed per wave, for both servers: reruns per second (clicks finished inside the wave's
``--seconds``, divided by them), the seconds from a click's ``rerun_script`` to its run chain's
``script_finished`` (p50, p95, and per page; the clicks still running when the wave ends are
waited for and counted, so a slow tail is not cut off), the new tabs' first run (p50, all
opened at once: a crowd arriving), errors, the server's CPU over the clicks (% of one core;
2 cores = 200 %) and its resident memory before and after the wave, and this load generator's
own CPU.

``--gc on|off|both|config`` serves both with Streamlit's full garbage collection after every
script run (``runner.postScriptGC``, Streamlit's default) on or off, or both in turn (the same
run gives the before and after), or as ``.streamlit/config.toml`` says (default).
``--profile S`` samples the dashboard with py-spy (``py-spy record --gil``: the thread holding
the interpreter) for S seconds of a 20-session wave and prints where the time goes, the
collection after each run first. ``--soak S`` keeps ``--soak-sessions`` sessions going on the
dashboard for S seconds and prints its memory and throughput every ``--soak-every`` seconds.

``--option server.fileWatcherType=none`` passes another Streamlit option to both servers.

Run: ``python benchmarks/bench_load.py [--seconds 30] [--waves 1,10,20,50,20x5,50x5] [--gc both]
[--profile 30] [--soak 600]`` (``make bench``). The default, 12 waves of 30 s (two servers,
six waves each), takes 10-20 minutes on a busy machine; ``--gc both`` twice that.
Prints Markdown tables; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from st_client import Session  # noqa: E402

from tests.e2e.test_browser import free_port, stop, wait_healthy  # noqa: E402
from wxdata.sources.demo import DEMO_APPS  # noqa: E402

#: URL paths in the navigation's order; "" is the overview, served at "/".
PAGES = ("", "heatmap", "curves", "week_over_week", "data")
NAMES = {"": "overview", "heatmap": "heatmap", "curves": "curves",
         "week_over_week": "week over week", "data": "data"}
FIRST, SECOND = DEMO_APPS[0].appid, DEMO_APPS[1].appid
QUERIES = ("weeks=52", "weeks=52&metric=active", f"weeks=52&app={SECOND}", "weeks=52&lang=en",
           f"weeks=52&metric=active&app={FIRST},{SECOND}&lang=en")
TICK = os.sysconf("SC_CLK_TCK")
#: The line of Streamlit's script runner that collects after each run (runner.postScriptGC).
GC_FRAME = "_on_script_finished (streamlit/runtime/scriptrunner/script_runner.py"


@dataclass
class Server:
    kind: str  # "wxretain" or "naive"
    gc: bool
    proc: subprocess.Popen[bytes]
    url: str

    @property
    def pid(self) -> int:
        return self.proc.pid

    def cpu_seconds(self) -> float:
        with open(f"/proc/{self.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime

    def rss_mib(self) -> float:
        with open(f"/proc/{self.pid}/status") as status:
            line = next(row for row in status if row.startswith("VmRSS:"))
        return int(line.split()[1]) / 1024


@dataclass
class Wave:
    sessions: int
    think: float
    seconds: float
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    opens: list[float] = field(default_factory=list)  # first runs of new tabs
    finished: list[tuple[float, float]] = field(default_factory=list)  # (when, seconds)
    in_window: int = 0
    errors: list[str] = field(default_factory=list)
    cpu: float = 0.0  # server CPU seconds over the wave, drain included
    wall: float = 0.0
    client_cpu: float = 0.0
    rss_before: float = 0.0
    rss_after: float = 0.0

    @property
    def all_times(self) -> list[float]:
        return [t for times in self.times.values() for t in times]

    @property
    def rate(self) -> float:
        return self.in_window / self.seconds


def start(kind: str, gc: bool, log: Path, options: tuple[str, ...] = ()) -> Server:
    """``streamlit run`` as a direct child (its own PID), on loopback."""
    script, cwd = (ROOT / "app.py", ROOT) if kind == "wxretain" else (HERE / "naive_app.py", HERE)
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
               "--server.headless", "true", "--server.address", "127.0.0.1",
               "--browser.gatherUsageStats", "false", "--runner.postScriptGC", str(gc).lower(),
               *(f"--{option}" for option in options)]
    env = {**os.environ, "WXDATA_SOURCE": "demo"}
    proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=log.open("wb"),
                            stderr=subprocess.STDOUT)
    server = Server(kind, gc, proc, f"http://127.0.0.1:{port}")
    try:
        wait_healthy(server.url, proc, timeout=90)
    except BaseException:
        stop(proc)
        raise
    return server


def percentile(values: list[float], q: int) -> float:
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]


async def _open(url: str, number: int, wave: Wave) -> Session:
    """A new tab on the session's own link, starting on its own page (a failed one is left
    unopened: the clicks open it again)."""
    session = Session(url)
    page = PAGES[number % len(PAGES)]
    try:
        run = await session.open(page, QUERIES[number % len(QUERIES)])
    except (TimeoutError, websockets.ConnectionClosed, OSError) as exc:
        wave.errors.append(f"new tab on {NAMES[page]}: {type(exc).__name__}")
        await session.close()
        return Session(url)
    if problem := run.problem():
        wave.errors.append(problem)
    else:
        wave.opens.append(run.seconds)
    return session


async def _clicks(session: Session, number: int, until: float, think: float,
                  wave: Wave) -> None:
    """Page after page until ``until``, ``think`` s (jittered) apart."""
    rng = random.Random(number)
    pages = itertools.cycle(PAGES)
    for _ in range(number % len(PAGES) + 1):  # the page after the one the tab opened on
        next(pages)
    try:
        while time.perf_counter() < until:
            if not session.pages:  # its tab failed: a new one, as after a reload
                session = await _open(session.base, number, wave)
                continue
            page = next(pages)
            try:
                run = await session.goto(page)
            except (TimeoutError, websockets.ConnectionClosed, OSError) as exc:
                wave.errors.append(f"{NAMES[page]}: {type(exc).__name__}")
                await session.close()
                session = Session(session.base)
                continue
            if problem := run.problem():
                wave.errors.append(problem)
            else:
                wave.times[NAMES[page]].append(run.seconds)
                wave.finished.append((time.perf_counter(), run.seconds))
                wave.in_window += time.perf_counter() <= until
            if think:
                await asyncio.sleep(min(think * rng.uniform(0.5, 1.5),
                                        max(0.0, until - time.perf_counter())))
    finally:
        await session.close()


async def _wave(server: Server, sessions: int, think: float, seconds: float,
                during: Callable[[Wave], Awaitable[object]] | None = None) -> Wave:
    """``sessions`` new tabs at once, then ``seconds`` of clicks (timed, with the server's CPU);
    ``during`` runs alongside the clicks (a profiler)."""
    wave = Wave(sessions, think, seconds, rss_before=server.rss_mib())
    tabs = await asyncio.gather(*(_open(server.url, i, wave) for i in range(sessions)))
    cpu, client, start_at = server.cpu_seconds(), time.process_time(), time.perf_counter()
    until = start_at + seconds
    clicks = asyncio.gather(*(_clicks(tab, i, until, think, wave) for i, tab in enumerate(tabs)))
    if during is not None:
        await during(wave)
    await clicks
    wave.wall = time.perf_counter() - start_at
    wave.cpu = server.cpu_seconds() - cpu
    wave.client_cpu = time.process_time() - client
    wave.rss_after = server.rss_mib()
    return wave


async def _warm(server: Server) -> list[str]:
    """Every page of every link once, untimed: caches, Plotly's per-trace code, first figures."""
    problems = []
    for query in QUERIES:
        session = Session(server.url)
        try:
            for index, page in enumerate(PAGES):
                run = await (session.open(page, query) if index == 0 else session.goto(page))
                if problem := run.problem():
                    problems.append(problem)
        finally:
            await session.close()
    return problems


def parse_waves(text: str) -> list[tuple[int, float]]:
    """``1,10,20x5``: sessions, and a think time in seconds after ``x`` (default 0)."""
    waves = []
    for part in text.split(","):
        sessions, _, think = part.strip().partition("x")
        waves.append((int(sessions), float(think or 0)))
    return waves


def configured_gc() -> bool:
    with (ROOT / ".streamlit" / "config.toml").open("rb") as config:
        return bool(tomllib.load(config).get("runner", {}).get("postScriptGC", True))


def gc_modes(choice: str) -> list[bool]:
    return {"on": [True], "off": [False], "both": [True, False],
            "config": [configured_gc()]}[choice]


def gc_label(gc: bool) -> str:
    return "postScriptGC on (Streamlit's default)" if gc else "postScriptGC off"


# -- py-spy ------------------------------------------------------------------------------------


def profile(server: Server, seconds: float, out: Path) -> dict[str, int]:
    """``py-spy record --gil`` on the server for ``seconds``: collapsed stacks -> sample count."""
    command = ["py-spy", "record", "--pid", str(server.pid), "--duration", str(int(seconds)),
               "--rate", "100", "--gil", "--nonblocking", "--format", "raw", "--output",
               str(out)]
    spy = subprocess.Popen([str(Path(sys.executable).parent / command[0]), *command[1:]],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        spy.wait(timeout=seconds + 60)
    except subprocess.TimeoutExpired:
        stop(spy)
    stacks: dict[str, int] = {}
    if out.exists():
        for line in out.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            if stack and count.isdigit():
                stacks[stack] = stacks.get(stack, 0) + int(count)
    return stacks


def _frame_name(frame: str) -> str:
    """``f (pkg/mod.py:12)`` -> ``f (pkg/mod.py)``: a function, whatever line was running."""
    name, _, where = frame.partition(" (")
    return f"{name} ({where.rsplit(':', 1)[0]})" if where else name


def summarise_profile(stacks: dict[str, int], top: int = 15) -> list[str]:
    total = sum(stacks.values())
    if not total:
        return ["py-spy recorded no samples (is ptrace allowed here?)"]
    script = {s: n for s, n in stacks.items() if "_run_script_thread" in s}
    in_script = sum(script.values())
    gc_samples = sum(n for s, n in stacks.items() if GC_FRAME in s.split(";")[-1])
    inclusive: Counter[str] = Counter()
    leaf: Counter[str] = Counter()
    for stack, count in stacks.items():
        frames = [_frame_name(f) for f in stack.split(";") if f]
        for name in set(frames):
            inclusive[name] += count
        if frames:
            leaf[frames[-1]] += count
    lines = [f"{total} samples of the thread holding the GIL; script threads "
             f"{100 * in_script / total:.0f} %; the collection after each run "
             f"(runner.postScriptGC): {100 * gc_samples / total:.1f} % of all, "
             f"{100 * gc_samples / max(in_script, 1):.1f} % of the script threads'", "",
             "| function (inclusive) | % of GIL samples |", "|---|---:|"]
    generic = ("Thread.", "_bootstrap", "_WorkItem.run", "_worker", "run_forever", "_run_once",
               "Runner.run", "asyncio_run", "Context.run", "<module> (streamlit/__main__")
    shown = [(name, n) for name, n in inclusive.most_common()
             if not any(g in name for g in generic)][:top]
    lines += [f"| `{name}` | {100 * n / total:.1f} |" for name, n in shown]
    lines += ["", "| function (self) | % of GIL samples |", "|---|---:|"]
    lines += [f"| `{name}` | {100 * n / total:.1f} |" for name, n in leaf.most_common(top)]
    return lines


# -- output ------------------------------------------------------------------------------------


def _pair(app: float, naive: float, digits: int = 2) -> str:
    ratio = app / naive if naive else float("nan")
    return f"{app:.{digits}f} / {naive:.{digits}f} ({ratio:.1f}×)"


def print_tables(gc: bool, app: list[Wave], naive: list[Wave], seconds: float) -> None:
    print(f"\n#### {gc_label(gc)}: {seconds:.0f} s a wave; wxretain / naive (ratio)\n")
    print("| sessions | think s | reruns/s | p50 s | p95 s | new tab p50 s | errors | "
          "server CPU % | RSS MiB before → after | naive RSS MiB | load generator CPU % |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for a, n in zip(app, naive, strict=True):
        print(f"| {a.sessions} | {a.think:g} | {_pair(a.rate, n.rate, 1)} | "
              f"{_pair(percentile(a.all_times, 50), percentile(n.all_times, 50))} | "
              f"{_pair(percentile(a.all_times, 95), percentile(n.all_times, 95))} | "
              f"{_pair(percentile(a.opens, 50), percentile(n.opens, 50))} | "
              f"{len(a.errors)} / {len(n.errors)} | "
              f"{100 * a.cpu / a.wall:.0f} / {100 * n.cpu / n.wall:.0f} | "
              f"{a.rss_before:.0f} → {a.rss_after:.0f} | {n.rss_before:.0f} → {n.rss_after:.0f} | "
              f"{100 * a.client_cpu / a.wall:.0f} / {100 * n.client_cpu / n.wall:.0f} |")
    print(f"\nPer page, p50 / p95 s ({gc_label(gc)})\n")
    pages = list(NAMES.values())
    print("| sessions | think s | server | " + " | ".join(pages) + " |")
    print("|---:|---:|---|" + "---:|" * len(pages))
    for a, n in zip(app, naive, strict=True):
        for name, wave in (("wxretain", a), ("naive", n)):
            cells = [f"{statistics.median(wave.times[p]):.2f} / {percentile(wave.times[p], 95):.2f}"
                     if wave.times[p] else "–" for p in pages]
            print(f"| {wave.sessions} | {wave.think:g} | {name} | " + " | ".join(cells) + " |")
    for name, waves in (("wxretain", app), ("naive", naive)):
        for wave in waves:
            for error in sorted(set(wave.errors))[:5]:
                print(f"- {name}, {wave.sessions} sessions, think {wave.think:g} s: {error}")


# -- modes -------------------------------------------------------------------------------------


async def _waves(server: Server, waves: list[tuple[int, float]], seconds: float) -> list[Wave]:
    if problems := await _warm(server):
        raise SystemExit(f"{server.kind} does not draw its pages: {problems[:3]}")
    return [await _wave(server, sessions, think, seconds) for sessions, think in waves]


async def _soak(server: Server, seconds: float, sessions: int, every: float) -> list[str]:
    await _warm(server)
    lines = ["| s | reruns | reruns/s | p95 s | errors | server CPU % | RSS MiB |",
             "|---:|---:|---:|---:|---:|---:|---:|"]
    rss = [server.rss_mib()]
    lines.append(f"| 0 | 0 | – | – | 0 | – | {rss[0]:.0f} |")

    async def sample(wave: Wave) -> None:
        began = last = time.perf_counter()
        cpu = server.cpu_seconds()
        while last - began < seconds - 1:
            await asyncio.sleep(min(every, began + seconds - last))
            now, used = time.perf_counter(), server.cpu_seconds()
            new = [t for at, t in wave.finished if last < at <= now]
            rss.append(server.rss_mib())
            lines.append(f"| {now - began:.0f} | {len(wave.finished)} | "
                         f"{len(new) / (now - last):.1f} | {percentile(new, 95):.2f} | "
                         f"{len(wave.errors)} | {100 * (used - cpu) / (now - last):.0f} | "
                         f"{rss[-1]:.0f} |")
            last, cpu = now, used

    done = await _wave(server, sessions, 0.0, seconds, during=sample)
    later = rss[len(rss) // 2:]
    lines.append(f"\nRSS {min(rss):.0f}–{max(rss):.0f} MiB (second half {min(later):.0f}–"
                 f"{max(later):.0f}); {done.rate:.1f} reruns/s, p95 "
                 f"{percentile(done.all_times, 95):.2f} s over the whole soak")
    lines += [f"- {error}" for error in sorted(set(done.errors))[:5]]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="length of each wave")
    parser.add_argument("--waves", default="1,10,20,50,20x5,50x5",
                        help="sessions per wave, comma-separated; NxT: a think time of T s")
    parser.add_argument("--gc", choices=("on", "off", "both", "config"), default="config")
    parser.add_argument("--profile", type=float, default=0.0, metavar="S",
                        help="py-spy the dashboard for S s of a 20-session wave (no timed waves)")
    parser.add_argument("--soak", type=float, default=0.0, metavar="S",
                        help="S s of --soak-sessions sessions on the dashboard (no timed waves)")
    parser.add_argument("--soak-sessions", type=int, default=20)
    parser.add_argument("--soak-every", type=float, default=30.0)
    parser.add_argument("--option", action="append", default=[], metavar="NAME=VALUE",
                        help="another Streamlit option for both servers, e.g. "
                             "server.fileWatcherType=none (repeatable)")
    args = parser.parse_args()
    options = tuple(args.option)
    waves = parse_waves(args.waves)
    logs = Path(tempfile.mkdtemp(prefix="bench_load-"))
    print(f"Streamlit's protocol, no browser; demo data, 52 weeks; server logs in {logs}"
          + "".join(f"; --{option}" for option in options))
    for gc in gc_modes(args.gc):
        tag = "gc-on" if gc else "gc-off"
        if args.profile or args.soak:
            server = start("wxretain", gc, logs / f"wxretain-{tag}.log", options)
            try:
                if args.profile:
                    asyncio.run(_warm(server))
                    lines = asyncio.run(_profiled(server, args.profile, logs / f"{tag}.raw"))
                    print(f"\n#### py-spy, {gc_label(gc)}: 20 sessions, no think time, "
                          f"{args.profile:.0f} s\n")
                else:
                    lines = asyncio.run(_soak(server, args.soak, args.soak_sessions,
                                              args.soak_every))
                    print(f"\n#### Soak, {gc_label(gc)}: {args.soak_sessions} sessions, no "
                          f"think time, {args.soak:.0f} s\n")
            finally:
                stop(server.proc)
            print("\n".join(lines))
            continue
        results = {}
        for kind in ("wxretain", "naive"):
            server = start(kind, gc, logs / f"{kind}-{tag}.log", options)
            try:
                results[kind] = asyncio.run(_waves(server, waves, args.seconds))
            finally:
                stop(server.proc)
        print_tables(gc, results["wxretain"], results["naive"], args.seconds)


async def _profiled(server: Server, seconds: float, out: Path) -> list[str]:
    """py-spy over ``seconds`` of a 20-session wave, once its tabs are open (steady state)."""
    stacks: dict[str, int] = {}

    async def spy(wave: Wave) -> None:
        stacks.update(await asyncio.to_thread(profile, server, seconds, out))

    done = await _wave(server, 20, 0.0, seconds, during=spy)
    return [*summarise_profile(stacks), "",
            f"(during the profile: {done.rate:.1f} reruns/s, p95 "
            f"{percentile(done.all_times, 95):.2f} s, {len(done.errors)} errors; py-spy's "
            f"sampling slows the server, so compare these only with each other)"]


if __name__ == "__main__":
    main()

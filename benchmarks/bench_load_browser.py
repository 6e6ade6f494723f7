"""The dashboard under a crowd of real browsers: waves of Chromium tabs cycling through the pages.

Its role since ``bench_load.py`` speaks Streamlit's protocol without a browser: what a person
waits for, from navigation to a *drawn* chart (the browser's own work included), and a check that
pages still draw under load. It cannot say what the server holds: on 2 cores the Chromium tabs
take nearly all the CPU (170-385 % against the server's 12-17 % at 30 sessions), so beyond a
few sessions it measures the load generator. For capacity, use ``bench_load.py``.

One ``streamlit run app.py`` server on demo data (started here, stopped at the end). For each wave
(1 session as the baseline, then 10, then 30 by default) every session opens page after page
for ``--seconds`` (overview, heatmap, curves, week over week, data; with different spans,
metrics and apps), waiting each time for the page's Plotly chart to be drawn. Printed per wave:
page loads, errors (a timeout, an exception element, the router's "this page failed"; target
0), the time from navigation to a drawn chart (p50, p95, and p50 as a ratio to the one-session
baseline measured in the same run), and the server's resident memory before and after (target:
flat, i.e. what one wave leaves behind is not kept).

Run: ``python benchmarks/bench_load_browser.py [--seconds 60] [--waves 1,10,30]`` (``make bench``).
Prints a Markdown table; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from playwright.async_api import Browser, Page, async_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.test_browser import (  # noqa: E402  (needs ROOT on the path)
    CHART,
    CHROMIUM,
    CHROMIUM_ARGS,
    free_port,
    start_streamlit,
    stop,
    wait_healthy,
)
from wxdata.sources.demo import DEMO_APPS  # noqa: E402

PATHS = ("", "heatmap", "curves", "week_over_week", "data")
QUERIES = ("", "?weeks=26", "?weeks=52&metric=active", f"?app={DEMO_APPS[1].appid}",
           "?weeks=8&lang=en")
ERRORS = ("[data-testid=stException]", "text=这个页面出错了", "text=This page failed")


@dataclass
class Wave:
    sessions: int
    times: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    rss_before: float = 0.0
    rss_after: float = 0.0


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        line = next(row for row in status if row.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


async def _visit(page: Page, url: str, wave: Wave) -> None:
    start = time.perf_counter()
    try:
        await page.goto(url)
        await page.wait_for_selector(CHART, timeout=120_000)
    except Exception as exc:  # counted, and the session goes on
        wave.errors.append(f"{url}: {type(exc).__name__}")
        return
    wave.times.append(time.perf_counter() - start)
    for selector in ERRORS:
        if await page.locator(selector).count():
            wave.errors.append(f"{url}: {selector}")


async def _session(browser: Browser, base: str, number: int, until: float, wave: Wave) -> None:
    page = await (await browser.new_context(viewport={"width": 1280, "height": 900})).new_page()
    views = itertools.cycle(itertools.product(PATHS, QUERIES))
    for _ in range(number):  # sessions start at different places of the cycle
        next(views)
    while time.perf_counter() < until:
        path, query = next(views)
        await _visit(page, f"{base}/{path}{query}", wave)
    await page.context.close()


async def _run(base: str, pid: int, waves: list[int], seconds: float) -> list[Wave]:
    done = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                   args=CHROMIUM_ARGS)
        warm = Wave(1)
        await _session(browser, base, 0, time.perf_counter() + 5, warm)  # imports, demo data
        for size in waves:
            wave = Wave(size, rss_before=rss_mib(pid))
            until = time.perf_counter() + seconds
            await asyncio.gather(*(_session(browser, base, i, until, wave) for i in range(size)))
            wave.rss_after = rss_mib(pid)
            done.append(wave)
        await browser.close()
    return done


def _p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--waves", default="1,10,30", help="sessions per wave, comma-separated")
    args = parser.parse_args()
    waves = [int(n) for n in args.waves.split(",")]
    port = free_port()
    proc = start_streamlit(port)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", proc)
        results = asyncio.run(_run(f"http://127.0.0.1:{port}", proc.pid, waves, args.seconds))
    finally:
        stop(proc)
    base = statistics.median(results[0].times) if results and results[0].times else float("nan")
    print(f"Concurrent browser sessions cycling the pages for {args.seconds:.0f} s per wave "
          f"(demo data); ratio = p50 / p50 of the first wave")
    print("| sessions | page loads | errors | p50 s | p95 s | p50 ratio | RSS before MiB | "
          "RSS after MiB |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for wave in results:
        p50 = statistics.median(wave.times) if wave.times else float("nan")
        p95 = _p(wave.times, 95) if wave.times else float("nan")
        print(f"| {wave.sessions} | {len(wave.times)} | {len(wave.errors)} | {p50:.2f} | "
              f"{p95:.2f} | {p50 / base:.1f} | {wave.rss_before:.0f} | {wave.rss_after:.0f} |")
    for wave in results:
        for error in wave.errors[:5]:
            print(f"- {wave.sessions} sessions: {error}")


if __name__ == "__main__":
    main()

"""How fast the dashboard draws on 104 weeks of demo data.

1. AppTest: the render time of every page, cold (caches cleared) and warm (the same view again,
   as when a colleague opens it or a toggle reruns the script), as a ratio to an empty Streamlit
   page timed in the same run, so that a slow machine does not read as a slow app.
2. Browser: real Chromium against ``streamlit run app.py``: the time from ``page.goto`` to a
   drawn heatmap (its SVG in the DOM) on a warm cache, against the same for an empty page.
3. First visit: the Overview (the page a bare link opens) on a freshly started server, the moment
   it answers its health check and again 15 s later, against the next visits to the same server
   (warm). ``--baseline DIR`` measures another checkout the same way in the same run (e.g. one
   without the start-up warm-up: ``git archive <commit> | tar -x -C DIR``).

Run: ``python benchmarks/bench_app.py [--first-visit-only] [--baseline DIR]`` (``make bench``).
Prints Markdown tables; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import streamlit as st
from playwright.sync_api import sync_playwright
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

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
from wxdata.core.periods import last_n_weeks  # noqa: E402

WEEKS = last_n_weeks(104)
QUERY = {"from": WEEKS[0].iso, "to": WEEKS[-1].iso}
PAGES = ("overview", "heatmap", "curves", "week_over_week", "data")
REPEAT = 5
EMPTY_APP = "import streamlit as st\nst.title('empty')\n"


def keep_navigation_mode() -> None:
    """AppTest re-detects pages/ after the first run (streamlit#9446): keep st.navigation."""
    original = PagesManager.__init__

    def init(self: PagesManager, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)  # type: ignore[arg-type]
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init  # type: ignore[method-assign]


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def page_app(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in QUERY.items():
        at.query_params[key] = value
    at.switch_page(f"pages/{page}.py")
    return at


def checked(at: AppTest) -> AppTest:
    at.run()
    if at.exception:
        raise SystemExit(f"the page raised: {at.exception[0].message}")
    return at


def apptest_rows() -> list[tuple[str, float, float]]:
    empty = statistics.median(timed(AppTest.from_string(EMPTY_APP).run) for _ in range(REPEAT))
    rows = [("empty page (baseline)", empty, empty)]
    for page in PAGES:
        colds, warms = [], []
        for _ in range(REPEAT):
            st.cache_data.clear()
            colds.append(timed(lambda p=page: checked(page_app(p))))  # type: ignore[misc]
            warms.append(timed(lambda p=page: checked(page_app(p))))  # type: ignore[misc]
        rows.append((page, statistics.median(colds), statistics.median(warms)))
    return rows


def browser_times() -> tuple[float, float]:
    """(empty page, heatmap): median seconds from navigation to drawn, warm cache."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    query = "&".join(f"{k}={v}" for k, v in QUERY.items())
    with tempfile.TemporaryDirectory() as tmp:
        empty_dir = Path(tmp)
        (empty_dir / "app.py").write_text(EMPTY_APP + "import plotly.graph_objects as go\n"
                                          "st.plotly_chart(go.Figure(go.Heatmap(z=[[1]])))\n")
        proc = start_streamlit(port)
        empty_port = free_port()
        empty_proc = start_streamlit(empty_port, cwd=empty_dir)
        try:
            wait_healthy(url, proc)
            wait_healthy(f"http://127.0.0.1:{empty_port}", empty_proc)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                     args=CHROMIUM_ARGS)
                tab = browser.new_page(viewport={"width": 1440, "height": 1000})

                def load(target: str) -> None:
                    tab.goto(target)
                    tab.wait_for_selector(CHART, timeout=120_000)

                load(f"{url}/heatmap?{query}")  # warm the cache
                heat = statistics.median(timed(lambda: load(f"{url}/heatmap?{query}"))
                                         for _ in range(REPEAT))
                load(f"http://127.0.0.1:{empty_port}/")
                empty = statistics.median(timed(lambda: load(f"http://127.0.0.1:{empty_port}/"))
                                          for _ in range(REPEAT))
                browser.close()
        finally:
            stop(proc)
            stop(empty_proc)
    return empty, heat


#: How long after the health check the second fresh server's first viewer arrives.
SETTLE_S = 15.0


def first_visit(app_dir: Path, settle: float) -> tuple[float, float]:
    """(first visit, median of the next ones): the Overview of a server started for this alone,
    visited ``settle`` seconds after it is healthy."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    proc = start_streamlit(port, cwd=app_dir)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", proc, timeout=120)
        time.sleep(settle)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                 args=CHROMIUM_ARGS)

            def load() -> None:
                # A fresh browser context each time: no visit finds Streamlit's scripts in the
                # browser's cache, as for a colleague opening the link on their own machine.
                context = browser.new_context(viewport={"width": 1440, "height": 1000})
                tab = context.new_page()
                tab.goto(url)
                tab.wait_for_selector(CHART, timeout=120_000)
                context.close()

            # The browser's own first page (a renderer process, its first paint) is not the
            # server's first visit: pay it on a blank page before the clock starts.
            blank = browser.new_context()
            blank.new_page().set_content("<p>warm</p>")
            blank.close()
            first = timed(load)
            warm = statistics.median(timed(load) for _ in range(REPEAT))
            browser.close()
    finally:
        stop(proc)
    return first, warm


def first_visit_table(baseline: Path | None) -> None:
    trees = [("this tree", ROOT)] + ([(f"baseline ({baseline.name})", baseline)] if baseline
                                      else [])
    print(f"First visit to the Overview on a fresh server (own server per row; warm = median of"
          f" the next {REPEAT} visits; each visit a new browser context); ratio = first / warm")
    print("| tree | first viewer arrives | first s | warm s | first × warm |")
    print("|---|---|---:|---:|---:|")
    for name, where in trees:
        for settle in (0.0, SETTLE_S):
            first, warm = first_visit(where, settle)
            when = "at the health check" if settle == 0 else f"{settle:.0f} s later"
            print(f"| {name} | {when} | {first:.2f} | {warm:.2f} | {first / warm:.1f} |",
                  flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first-visit-only", action="store_true")
    parser.add_argument("--baseline", type=Path, help="another checkout to measure beside")
    args = parser.parse_args()
    first_visit_table(args.baseline)
    if args.first_visit_only:
        return
    print()
    keep_navigation_mode()
    rows = apptest_rows()
    empty = rows[0][1]
    print(f"AppTest render on {len(WEEKS)} weeks of demo data ({WEEKS[0].iso}..{WEEKS[-1].iso}),"
          f" median of {REPEAT}; ratio = time / empty page")
    print("| page | cold s | cold × empty | warm s | warm × empty |")
    print("|---|---:|---:|---:|---:|")
    for name, cold, warm in rows:
        print(f"| {name} | {cold:.3f} | {cold / empty:.1f} | {warm:.3f} | {warm / empty:.1f} |")
    browser_empty, heatmap = browser_times()
    print()
    print(f"Browser (Chromium), navigation to a drawn chart on a warm cache, median of {REPEAT}")
    print("| view | s | × empty page with one chart |")
    print("|---|---:|---:|")
    print(f"| empty page with one Plotly chart | {browser_empty:.2f} | 1.0 |")
    print(f"| heatmap, 104 weeks | {heatmap:.2f} | {heatmap / browser_empty:.1f} |")


if __name__ == "__main__":
    main()

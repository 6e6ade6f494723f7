"""The load benchmark's client draws real pages: ``benchmarks/st_client.py`` against
``streamlit run``, for the dashboard and for the naive page it is compared with.

A benchmark that times an error page, or a dashboard that fell back to its defaults because the
client did not send its widgets back, measures nothing; this holds the client to what a browser
gets. No times are asserted.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.st_client import Run, Session
from tests.e2e.isolated import clean_env
from tests.e2e.test_browser import ARTIFACTS, ROOT, free_port, start_streamlit, stop, wait_healthy

pytestmark = pytest.mark.e2e
PAGES = ("heatmap", "curves", "", "week_over_week", "data", "heatmap")


async def _click_through(url: str, query: str) -> list[tuple[Run, str]]:
    session = Session(url)
    try:
        runs = [(await session.open(PAGES[0], query), session.query)]
        for page in PAGES[1:]:
            runs.append((await session.goto(page), session.query))
    finally:
        await session.close()
    return runs


def test_the_client_draws_every_page_and_the_sidebar_keeps_the_link(tmp_path: Path) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    proc = start_streamlit(port, log=ARTIFACTS / "protocol-client.log",
                           env=clean_env(tmp_path, WXDATA_SOURCE="demo"))
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        runs = asyncio.run(_click_through(url, "weeks=52&metric=active&lang=en"))
    finally:
        stop(proc)
    assert [run.problem() for run, _ in runs] == [""] * len(PAGES)
    assert all(run.charts == 1 and not run.exceptions for run, _ in runs)
    # The router writes the sidebar's choices into the URL on every run: after each click (which
    # sends no query string, as the frontend does) they are still the link's, English included.
    for _, query in runs:
        assert {"weeks=52", "metric=active", "lang=en"} <= set(query.split("&")), query


def test_the_client_draws_the_naive_page(tmp_path: Path) -> None:
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", "naive_app.py", "--server.port",
               str(port), "--server.headless", "true", "--server.address", "127.0.0.1",
               "--browser.gatherUsageStats", "false"]
    proc = subprocess.Popen(command, cwd=Path(ROOT) / "benchmarks", env=clean_env(tmp_path),
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        runs = asyncio.run(_click_through(url, ""))
    finally:
        stop(proc)
    assert [run.problem() for run, _ in runs] == [""] * len(PAGES)

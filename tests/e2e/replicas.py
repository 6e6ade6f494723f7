"""Several ``streamlit run`` replicas behind Debian's nginx on loopback: the deployment of
``docs/deploy.md``, for ``tests/e2e/test_replicas.py`` and ``benchmarks/bench_replicas.py``.

- :func:`render_site` turns ``deploy/nginx.conf`` (the file operators install) into the one under
  test by replacing only its upstream ports, listen address and access log path, each of which
  must be found: the tests run what the documentation ships.
- :class:`Nginx` runs it as a direct child (``daemon off``) in a temp folder of its own.
- :func:`live_env` and :func:`start_replicas`: replicas configured for live data through
  ``WXDATA_*`` variables, as ``deploy/wxretain@.service`` configures them.
- :func:`cold_sessions` opens browser sessions at once, each in a context of its own (its own
  cookies, so nginx places each by itself), and times each until its heatmap is drawn.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from playwright.async_api import Browser, async_playwright

from tests.e2e.isolated import clean_env
from tests.e2e.test_browser import (
    CHART,
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    free_port,
    start_streamlit,
    stop,
    wait_healthy,
)
from wxdata.testing.fake import FAKE_APPID, FAKE_SECRET

SITE = ROOT / "deploy" / "nginx.conf"
NGINX = Path("/usr/sbin/nginx")
INSTALL = "apt-get install -y nginx"
#: The upstream lines of the template: one per replica, the options kept.
_SERVER_LINE = re.compile(r"^(?P<indent>[ \t]*)server 127\.0\.0\.1:\d+(?P<options>[^;\n]*);\n",
                          re.MULTILINE)
_LISTEN = "listen 80;"
_ACCESS_LOG = "access_log /var/log/nginx/wxretain.access.log "
_LOG_LINE = re.compile(r'"(?P<method>\S+) (?P<path>\S+)[^"]*" (?P<status>\d+) \d+ '
                       r"upstream=(?P<upstream>.+?) route=(?P<route>\S+)")
#: Rows of the (last) heatmap with a colour scale on the page, once Plotly has drawn it.
HEATMAP_ROWS = """() => {
    const plot = document.querySelector('[data-testid=stPlotlyChart] .js-plotly-plot');
    if (!plot || !plot.data || !plot.querySelector('.main-svg')) return 0;
    const maps = plot.data.filter(d => d.type === 'heatmap' && d.showscale !== false);
    return maps.length ? maps[maps.length - 1].y.length : 0;
}"""
ERRORS = ("[data-testid=stException]", "text=这个页面出错了", "text=This page failed")


def _replace_once(text: str, old: str, new: str) -> str:
    if text.count(old) != 1:
        raise ValueError(f"deploy/nginx.conf must hold {old!r} exactly once")
    return text.replace(old, new)


def render_site(text: str, *, ports: list[int], listen: int, access_log: Path) -> str:
    """The site file with its replicas on ``ports``, listening on 127.0.0.1:``listen``."""
    found = list(_SERVER_LINE.finditer(text))
    if not found or not ports:
        raise ValueError("deploy/nginx.conf has no `server 127.0.0.1:PORT;` upstream lines")
    first = found[0]
    servers = "".join(f"{first['indent']}server 127.0.0.1:{port}{first['options']};\n"
                      for port in ports)
    start, end = first.start(), found[-1].end()
    if text[start:end] != "".join(m.group(0) for m in found):
        raise ValueError("the upstream lines of deploy/nginx.conf must stand together")
    text = text[:start] + servers + text[end:]
    text = _replace_once(text, _LISTEN, f"listen 127.0.0.1:{listen};")
    return _replace_once(text, _ACCESS_LOG, f"access_log {access_log} ")


def nginx_binary() -> Path:
    if not NGINX.exists():
        raise FileNotFoundError(f"{NGINX} is missing; run: {INSTALL} (.ci/system-packages)")
    return NGINX


def main_conf(folder: Path, site: Path) -> str:
    """nginx.conf around the site: everything nginx writes stays in ``folder``."""
    temp = "".join(f"    {kind}_temp_path {folder / kind};\n"
                   for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers write temp files in folder
    return (f"{user}worker_processes 1;\nerror_log {folder / 'error.log'} notice;\n"
            f"events {{\n    worker_connections 1024;\n}}\nhttp {{\n{temp}"
            f"    include {site};\n}}\n")


@dataclass(frozen=True)
class Hit:
    """One line of the access log."""

    method: str
    path: str
    status: int
    upstream: str
    route: str


class Nginx:
    """``deploy/nginx.conf`` in front of ``ports``; ``url`` once started."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self.folder = Path(tempfile.mkdtemp(prefix="wxretain-nginx-"))
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None
        self.workers: list[int] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def access_log(self) -> Path:
        return self.folder / "access.log"

    def start(self) -> Nginx:
        binary = nginx_binary()
        self.port = free_port()
        site = self.folder / "wxretain.conf"
        site.write_text(render_site(SITE.read_text(), ports=self.ports, listen=self.port,
                                    access_log=self.access_log))
        conf = self.folder / "nginx.conf"
        conf.write_text(main_conf(self.folder, site))
        output = (self.folder / "nginx.out").open("wb")
        self.proc = subprocess.Popen(
            [str(binary), "-e", str(self.folder / "error.log"), "-p", str(self.folder),
             "-c", str(conf), "-g", f"daemon off; pid {self.folder / 'nginx.pid'};"],
            stdout=output, stderr=subprocess.STDOUT)
        try:
            wait_healthy(self.url, self.proc, timeout=60)
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}\n{self.errors()}") from None
        self.workers = _children(self.proc.pid)
        return self

    def errors(self) -> str:
        """nginx's complaints (not its notices, nor the note that a large static file was
        buffered to disk)."""
        lines = [line for name in ("error.log", "nginx.out") if (self.folder / name).exists()
                 for line in (self.folder / name).read_text(errors="replace").splitlines()
                 if "[notice]" not in line and "buffered to a temporary file" not in line]
        return "\n".join(lines[-40:])

    def keep_logs(self, folder: Path) -> None:
        """The access and error logs copied to ``folder`` (nginx-access.log, nginx-error.log)."""
        folder.mkdir(parents=True, exist_ok=True)
        for name in ("access.log", "error.log"):
            if (self.folder / name).exists():
                shutil.copyfile(self.folder / name, folder / f"nginx-{name}")

    def hits(self) -> list[Hit]:
        lines = self.access_log.read_text().splitlines() if self.access_log.exists() else []
        return [Hit(m["method"], m["path"], int(m["status"]), m["upstream"], m["route"])
                for m in map(_LOG_LINE.search, lines) if m]

    def stop(self) -> None:
        """A graceful stop (open requests end and are logged), then the workers are gone."""
        if self.proc is not None:
            self.proc.send_signal(signal.SIGQUIT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                stop(self.proc)
            for pid in self.workers:  # a killed master leaves its workers behind
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            self.proc = None

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(child) for child in task.read_text().split()]
    return found


def live_env(api_base: str, cache_url: str, home: Path) -> dict[str, str]:
    """A replica's environment: one mini program on ``api_base``, the store at ``cache_url``,
    nothing read from the developer's own configuration."""
    return clean_env(
        home, WXDATA_SOURCE="live", WXDATA_API_BASE=api_base, WXDATA_APPID=FAKE_APPID,
        WXDATA_SECRET=FAKE_SECRET, WXDATA_APP_NAME="假小程序", WXDATA_CACHE_URL=cache_url,
        # long enough that a loaded machine never turns an answer into a retry (a counted call)
        WXDATA_TIMEOUT="60")


def start_replicas(count: int, env: dict[str, str], logs: Path,
                   ) -> list[tuple[int, subprocess.Popen[bytes]]]:
    """``count`` replicas on free ports, each healthy; their logs ``logs/replica-N.log``."""
    logs.mkdir(parents=True, exist_ok=True)
    started: list[tuple[int, subprocess.Popen[bytes]]] = []
    try:
        for number in range(count):
            port = free_port()
            log = logs / f"replica-{number + 1}.log"
            started.append((port, start_streamlit(port, env=env, log=log)))
        for port, proc in started:
            wait_healthy(f"http://127.0.0.1:{port}", proc, timeout=180)
    except BaseException:
        stop_replicas(started)
        raise
    return started


def stop_replicas(replicas: list[tuple[int, subprocess.Popen[bytes]]]) -> None:
    for _, proc in replicas:
        stop(proc)


@dataclass(frozen=True)
class Outcome:
    """One session: seconds from navigation to a drawn heatmap, its rows, or what went wrong."""

    seconds: float
    rows: int
    error: str = ""


async def _session(browser: Browser, url: str) -> Outcome:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    start = time.perf_counter()
    try:
        page = await context.new_page()
        await page.goto(url, timeout=300_000)
        await page.wait_for_selector(CHART, timeout=300_000)
        await page.wait_for_function(HEATMAP_ROWS, timeout=300_000, polling=200)
        seconds = time.perf_counter() - start
        rows = int(await page.evaluate(HEATMAP_ROWS))
        for selector in ERRORS:
            if await page.locator(selector).count():
                return Outcome(seconds, rows, f"{selector}: "
                               f"{await page.locator(selector).first.inner_text()}"[:300])
        return Outcome(seconds, rows)
    except Exception as exc:  # reported with the others, not raised: the wave goes on
        return Outcome(time.perf_counter() - start, 0, f"{type(exc).__name__}: {exc}"[:300])
    finally:
        await context.close()  # the websocket closes: nginx logs it


async def _wave(url: str, sessions: int) -> list[Outcome]:
    if not CHROMIUM.exists():
        raise FileNotFoundError(f"{CHROMIUM} is missing; run: apt-get install -y chromium")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                   args=CHROMIUM_ARGS)
        try:
            return list(await asyncio.gather(*(_session(browser, url)
                                               for _ in range(sessions))))
        finally:
            await browser.close()


def cold_sessions(url: str, sessions: int) -> list[Outcome]:
    """``sessions`` browser sessions opening ``url`` at the same moment."""
    return asyncio.run(_wave(url, sessions))

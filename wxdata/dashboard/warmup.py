"""The first viewer after a server start should not wait longer than the next one.

Without this the first visit pays for importing pandas, Plotly, SciPy and the analytics, for
building the demo frame and for the cohort tables and the decay fit (seconds on a small server).
:func:`start` runs all of that once per process on a background thread, at server start
(``server.lifespan``): it never blocks a page, runs at most once, and a failure only costs the
head start (it is logged, never raised). Until it ends (at most :data:`READY_AFTER_S`) the
health check says 503 (``server.WarmHealth``), so whoever waits for it sends the first viewer
to a warm process. What it computes goes into the same caches the pages
read (``load``, ``loaders``), under the keys the default views ask for: the first app's 12 weeks
first
(where every link without ``period=`` lands), then its 60 days and 12 months (the sidebar's
日 / 周 / 月 switch), all within the one :data:`READY_AFTER_S`: a slow machine that runs out
of it has the most-used view warm. Data is warmed
for the built-in demo only: warming a live source would ask WeChat before anybody looked.
"""

from __future__ import annotations

import importlib
import logging
import threading
import time

from wxdata.core.payload import METRICS
from wxdata.core.periods import PeriodKind
from wxdata.dashboard.urlstate import Span

LOG = logging.getLogger("wxretain.warmup")
#: Heavy modules the pages import on their first run (the cost of a cold interpreter).
MODULES = ("pandas", "numpy", "scipy.optimize", "scipy.stats", "plotly.graph_objects",
           "plotly.subplots", "openpyxl", "wxdata.analytics.cohort", "wxdata.analytics.decay",
           "wxdata.present.charts", "wxdata.present.narrative", "wxdata.present.tables",
           "wxdata.present.export", "wxdata.dashboard.sidebar", "wxdata.dashboard.widgets",
           "wxdata.dashboard.actions")

_LOCK = threading.Lock()
_started: threading.Thread | None = None
_done = threading.Event()
_began_at: float | None = None
#: The longest the health check waits for the warm-up (seconds): a slow or stuck warm-up only
#: costs its head start, never the server.
READY_AFTER_S = 30.0
#: The periods whose default view is warmed, in this order: weeks are the default.
WARM_PERIODS: tuple[PeriodKind, ...] = ("week", "day", "month")
#: The projection each period's default view draws first: the weekly Overview's W12 tile, the
#: daily curves' day 60 (months have no projection).
WARM_HORIZONS: dict[PeriodKind, int] = {"week": 12, "day": 60}


def ready() -> bool:
    """Whether the process may take viewers: the warm-up has ended (or never started, or has run
    longer than :data:`READY_AFTER_S`)."""
    began = _began_at
    return began is None or _done.is_set() or time.monotonic() - began > READY_AFTER_S


def start() -> threading.Thread | None:
    """Start the warm-up thread unless this process already has; the thread, or None."""
    global _started, _began_at
    with _LOCK:
        if _started is not None:
            return None
        _began_at = time.monotonic()
        _started = threading.Thread(target=_run_then_ready, name="wxretain-warmup", daemon=True)
        _started.start()
        return _started


def _run_then_ready() -> None:
    try:
        run()
    finally:
        _done.set()


def run() -> None:
    """Import, load the default demo views (weeks, days, months) and derive their tables; never
    raises."""
    began = time.monotonic()
    try:
        for name in MODULES:
            importlib.import_module(name)
        _figures()
        for index, kind in enumerate(WARM_PERIODS):  # weeks whatever the time, then the rest
            if index and time.monotonic() - began > READY_AFTER_S:
                LOG.info("warm-up out of time before the %s view", kind)
                break
            _default_view(kind)
    except Exception:  # a head start lost is no reason to stop a server
        LOG.exception("warm-up failed; the first viewer computes what it needs instead")
    else:
        LOG.info("warm-up done")


def _figures() -> None:
    """Plotly loads the code of each trace type on its first figure, and Streamlit sends figures
    as JSON: one small figure of each kind the pages draw, serialised, does both once."""
    import plotly.graph_objects as go

    go.Figure([go.Bar(y=[1]), go.Scatter(y=[1]), go.Heatmap(z=[[1.0]])]).to_json()


def _default_view(kind: PeriodKind = "week") -> None:
    # Imported here: the server imports this module before Streamlit's runtime exists, and a
    # cached function defined then logs "No runtime found" (it works, but alarms operators).
    from wxdata.dashboard import load, loaded, loaders
    from wxdata.dashboard import source as sources

    source, fingerprint, problem = sources.configured_source()
    apps = source.apps()
    if problem is not None or source.name != "demo" or not apps:
        return
    key = loaded.make_key(source, fingerprint, [apps[0].appid], Span(kind=kind).periods())
    data = load.load_result(key, source)
    app_id = apps[0].appid
    for metric in METRICS:
        for values in ("rate", "users"):
            loaders.matrix(data, metric, values, app_id)
        loaders.average(data, metric, app_id)
        loaders.kpis(data, metric, app_id)
        loaders.week_over_week(data, metric, app_id)
        for offset in loaders.tracked_offsets(key.kind):
            loaders.anomalies(data, metric, app_id, offset)
    if kind in WARM_HORIZONS:  # the slow part: the decay fit (a bootstrap)
        loaders.projection(data, "new", app_id, WARM_HORIZONS[kind])

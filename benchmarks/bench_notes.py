"""What notes cost a chart and a page (issue 16), as ratios to a baseline of the same run.

1. Drawing: :func:`wxdata.present.charts.context.with_notes` on the Overview's 26-week trend,
   with 1, 5 and 20 notes, on a copy of the figure and on the page's own (``copy=False``: what
   the dashboard does, since ``st.cache_data`` already hands it a copy), against drawing the
   trend itself (``charts.trend``, what the page's cache saves).
2. Reading: ``AdminState.notes()`` of 10, 100 and 1,000 stored notes (SQLite, a new connection
   each time, as a process whose note cache expired), against reading 26 cohorts of the cache
   (``store.get_many``), which every cold load does.

Run: ``python benchmarks/bench_notes.py``. Prints Markdown tables; asserts nothing.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import plotly.graph_objects as go  # noqa: E402

from wxdata.analytics.cohort import cohort_matrix  # noqa: E402
from wxdata.core.notes import Note  # noqa: E402
from wxdata.core.periods import Week  # noqa: E402
from wxdata.present import charts  # noqa: E402
from wxdata.present.charts.context import with_notes  # noqa: E402
from wxdata.sources.demo import DEMO_APPS, DemoSource, demo_payload  # noqa: E402
from wxdata.store import open_store  # noqa: E402
from wxdata.store.admin import AdminState  # noqa: E402

REPEAT = 15


def timed(work: Callable[[], object]) -> float:
    """The median of ``REPEAT`` runs, in milliseconds."""
    runs = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        work()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)


def drawing() -> None:
    source = DemoSource()
    app = DEMO_APPS[0].appid
    weeks = list(Week.last_n(26))
    frame = source.load([app], weeks).frame
    users = cohort_matrix(frame, metric="new", values="users", app_id=app)
    rates = cohort_matrix(frame, metric="new", values="rate", app_id=app)

    def trend() -> object:
        return charts.trend(users[0], rates[1], lang="zh", size_name="新用户", rate_name="W1",
                            period="week", title="trend")

    fig = trend()
    base = timed(trend)
    print("| drawn | ms (median) | ratio to the trend itself |\n|---|---|---|")
    print(f"| the trend (baseline) | {base:.1f} | 1.00 |")
    for n in (1, 5, 20):
        notes = [Note.new(app, weeks[i % 26].start + timedelta(days=i % 7), None,
                          f"note {i} <b>x</b>", author="bench") for i in range(n)]
        cost = timed(lambda notes=notes: with_notes(fig, notes, "zh"))
        own = timed(lambda notes=notes: with_notes(go.Figure(fig), notes, "zh", copy=False)) - \
            timed(lambda: go.Figure(fig))
        print(f"| {n} notes, on a copy | {cost:.1f} | {cost / base:.2f} |")
        print(f"| {n} notes, on the page's own copy (copy=False) | {own:.1f} | "
              f"{own / base:.2f} |")


def reading() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'c.sqlite3'}"
        app = DEMO_APPS[0].appid
        weeks = list(Week.last_n(26))
        now = datetime.now(UTC)
        with open_store(url) as store:
            newest = Week.last_ended()
            store.put_many(app, [demo_payload(DEMO_APPS[0], w, newest) for w in weeks], now)

        def cohorts() -> object:
            with open_store(url) as store:
                return store.get_many(app, weeks)

        base = timed(cohorts)
        print("\n| read | ms (median) | ratio to 26 cohorts |\n|---|---|---|")
        print(f"| 26 cohorts (baseline) | {base:.1f} | 1.00 |")
        state = AdminState(url)
        stored = 0
        for n in (10, 100, 1000):
            for i in range(stored, n):
                state.add_note(Note.new(app, weeks[i % 26].start, None, f"note {i}",
                                        author="bench"))
            stored = n
            cost = timed(lambda: AdminState(url).notes([app]))
            print(f"| {n} notes | {cost:.1f} | {cost / base:.2f} |")


if __name__ == "__main__":
    drawing()
    reading()

"""What the Overview's analytics cost from the tidy frame against the cached cohort matrix
(issue 18, item 4), and the W12 forecast's fit on its 12-cohort window against the whole span
(issue 19, item 2), on the demo's fruit shop, in the same run.

1. Before: ``kpis``, ``anomalies`` at each tracked offset and ``decay.fit`` each build the
   cohort matrix from the app's frame. After: they get the matrix ``loaders.matrix`` has cached
   already, as ``users=`` (its building is not timed: the page does not pay it again). The fit
   is timed without its bootstrap (``resamples=0``), whose seconds would hide the matrix; the
   figures are the same (checked here).
2. The forecast: ``decay.fit`` on every cohort of the span (before) against
   ``decay.forecast_for`` (the newest 12 weeks), per span; the forecast's value at W12 printed
   for both, so that the span's effect is seen beside the cost.

Run: ``python benchmarks/bench_overview.py`` (about a minute on 2 cores). Prints Markdown tables
of medians and ratios against the "before" of the same run; asserts nothing but equal results.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

import pandas as pd

from wxdata.analytics import decay
from wxdata.analytics.anomalies import anomalies
from wxdata.analytics.cohort import cohort_matrix
from wxdata.analytics.defaults import tracked_offsets
from wxdata.analytics.kpis import kpis
from wxdata.core.periods import Day, Period, Week
from wxdata.sources.demo import DEMO_APPS, DemoSource

APP = DEMO_APPS[0].appid
RUNS = 5


def _median(work: Callable[[], Any], runs: int = RUNS) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(runs):
        start = time.perf_counter()
        out = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def _frame(period: type[Period], n: int) -> pd.DataFrame:
    return DemoSource().load([APP], list(period.last_n(n))).frame


def _before(frame: pd.DataFrame, period: type[Period]) -> tuple[Any, ...]:
    return (kpis(frame, app_id=APP, period=period),
            [anomalies(frame, app_id=APP, offset=k, period=period, flagged_only=False)
             for k in tracked_offsets(period)])


def _after(users: pd.DataFrame, period: type[Period]) -> tuple[Any, ...]:
    """With the matrix the loaders cached already: nothing is built again."""
    return (kpis(users=users, period=period),
            [anomalies(users=users, offset=k, period=period, flagged_only=False)
             for k in tracked_offsets(period)])


def matrix_table() -> None:
    print("| period | span | KPIs + flags from the frame | from the cached matrix | ratio | "
          "fit from the frame | from the matrix | ratio |")
    print("|---|---|---|---|---|---|---|---|")
    for period, n in ((Week, 12), (Week, 52), (Week, 104), (Day, 60), (Day, 180)):
        frame = _frame(period, n)
        users = cohort_matrix(frame, values="users", app_id=APP, period=period)
        before, old = _median(lambda f=frame, p=period: _before(f, p), runs=15)
        after, new = _median(lambda u=users, p=period: _after(u, p), runs=15)
        assert old[0] == new[0]
        assert all(a.equals(b) for a, b in zip(old[1], new[1], strict=True))
        fit_frame, a = _median(lambda f=frame, p=period: decay.fit(f, app_id=APP, period=p,
                                                                  resamples=0), runs=5)
        fit_users, b = _median(lambda u=users, p=period: decay.fit(users=u, period=p,
                                                                  resamples=0), runs=5)
        assert a.theta == b.theta
        print(f"| {period.kind} | {n} | {before * 1000:.1f} ms | {after * 1000:.1f} ms | "
              f"{after / before:.2f} | {fit_frame * 1000:.1f} ms | {fit_users * 1000:.1f} ms | "
              f"{fit_users / fit_frame:.2f} |")


def forecast_table() -> None:
    print("\n| span (weeks) | fit on the span | W12 | forecast_for (12 cohorts) | W12 | ratio |")
    print("|---|---|---|---|---|---|")
    for n in (12, 26, 52, 104):
        frame = _frame(Week, n)
        whole, fitted = _median(lambda f=frame: decay.fit(f, app_id=APP), runs=3)
        window, forecast = _median(lambda f=frame: decay.forecast_for(f, app_id=APP), runs=3)
        w12, f12 = (x.project(weeks=12)["rate"].iloc[12] for x in (fitted, forecast))
        print(f"| {n} | {whole * 1000:.0f} ms | {w12:.2%} | {window * 1000:.0f} ms | "
              f"{f12:.2%} | {window / whole:.2f} |")


if __name__ == "__main__":
    matrix_table()
    forecast_table()

"""How fast the cohort analytics are on 500 apps × 520 weeks, against plain Python in the same run,
and on 500 apps × 720 days.

1. Speed: cohort matrices (rates and users), weighted average curves of the current era with
   cluster-robust intervals, and week over week with p-values allowing for the week-to-week
   spread and the BH correction, for every app and both metrics, done by
   ``cohort.all_tables`` (one vectorised pass over the whole frame; each step also timed alone,
   the frame laid out for it) and by a plain-Python dict-and-loop version of the same
   computations. The plain version starts from the rows as a list of tuples
   (converting the frame to tuples is not timed); the vectorised one from the tidy frame. Both
   produce the same numbers (checked here, the averages over every cohort: the plain version
   does not look for the era's level shift, so it does a little less work). Best of several
   runs for each.
2. The per-app public functions (``cohort_matrix(frame, app_id=...)`` and friends) in a loop, as
   the dashboard calls them, timed on a sample of apps (each app's rows split off beforehand, as
   the dashboard's ``app_frame`` does) and scaled to all apps; and ``decay.fit`` + ``project``.
3. Memory: the peak RSS of a separate process that builds the 500-app frame and runs the
   vectorised pass, and the tracemalloc peak of the pass itself.
4. Scaling: the same timings for 50, 100, 200 and 500 apps.
5. Days (``--period day``, only that): 720 daily cohorts per app on the ten daily keys (D0..D7,
   D14, D30) with a weekday pattern, ``cohort.all_tables(period=Day)`` for 50 and 500 apps
   (time per app should stay flat: linear in apps) and the peak RSS of a fresh process that
   builds the 500-app frame and runs the pass (target: under 1 GiB, frame included).

Run: ``python benchmarks/bench_cohort.py`` (about two minutes on 2 cores), ``--quick``, or
``--period day`` (about a minute). Prints Markdown tables; asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import itertools
import math
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import special, stats

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from wxdata.analytics import cohort, decay  # noqa: E402  (needs ROOT on the path)
from wxdata.analytics.average import average_table  # noqa: E402
from wxdata.analytics.cells import Cells, layout  # noqa: E402
from wxdata.analytics.defaults import (  # noqa: E402
    ALPHA,
    AVERAGE_COHORTS,
    CONFIDENCE,
    SPREAD_KEEP,
    SPREAD_MIN_PAIRS,
)
from wxdata.analytics.spread import EFFICIENCY  # noqa: E402
from wxdata.core.payload import METRICS  # noqa: E402
from wxdata.core.periods import PERIODS, Day, Period, PeriodKind, Week  # noqa: E402
from wxdata.core.tidy import METRIC_DTYPE, TIDY_COLUMNS  # noqa: E402

WEEKS = 520
DAYS = 720
Row = tuple[str, pd.Timestamp, str, int, int]
ALL_THREE = "all three at once (cohort.all_tables)"


# -- the synthetic frame ----------------------------------------------------------------------

def synthetic(apps: int, weeks: int = WEEKS, seed: int = 0,
              period: type[Period] = Week) -> pd.DataFrame:
    """A tidy frame: per app an offset-1 level and power-law exponent, noisy cohort sizes, a few
    empty cohorts (base 0), the newest cohorts censored as WeChat publishes them, on the
    period's keys (``weeks`` counts cohorts of ``period``); days retain a fifth less at weekends.

    Built column by column from one (cohort, offset) pattern, in the tidy frame's own dtypes
    (categorical ``app_id`` and ``metric``, int16 ``offset``: :mod:`wxdata.core.tidy`), so that
    the frame costs about its own size to build and the memory figures measure the analytics.
    """
    rng = np.random.default_rng(seed)
    w_pat, k_pat = (v.ravel() for v in np.meshgrid(np.arange(weeks), np.array(period.KEYS),
                                                   indexing="ij"))
    published = k_pat <= weeks - 1 - w_pat
    w_pat, k_pat = w_pat[published], k_pat[published]
    series = apps * 2  # one (app, metric) pair after another
    a = np.repeat(np.arange(series) // 2, len(w_pat)).astype(np.int32)
    m = np.repeat(np.arange(series) % 2, len(w_pat)).astype(np.int8)
    w, k = np.tile(w_pat, series), np.tile(k_pat, series)
    size = rng.lognormal(np.log(20_000), 1.0, size=(series, weeks)).astype(np.int64)
    size[rng.random(size.shape) < 0.002] = 0
    size[1::2] *= 3  # active users outnumber new ones
    pair = np.repeat(np.arange(series), len(w_pat))
    base = size[pair, w]
    level = rng.uniform(0.15, 0.5, size=series)[pair] * rng.normal(1, 0.05, size=len(pair))
    if period is Day:  # Saturdays and Sundays (2016-11-07 is a Monday) retain a fifth less
        level = level * np.where(w % 7 >= 5, 0.8, 1.0)
    rate = np.clip(level * np.maximum(k, 1) ** -rng.uniform(0.3, 0.9, size=series)[pair], 0, 1)
    del pair, level
    users = np.where(k == 0, base, rng.binomial(base, np.where(k == 0, 1.0, rate)))
    step, length = (1, 0) if period is Day else (7, 6)
    starts = pd.date_range("2016-11-07", periods=weeks, freq=f"{step}D", unit="ns")
    ids = pd.CategoricalDtype(pd.Index([f"wxbench{i:09d}" for i in range(apps)], dtype="str"))
    metric = METRIC_DTYPE.categories.get_indexer(pd.Index(METRICS, dtype="str")).astype(np.int8)[m]
    return pd.DataFrame({
        "app_id": pd.Categorical.from_codes(a, dtype=ids), "cohort_start": starts[w],
        "cohort_end": starts[w] + pd.Timedelta(days=length),
        "metric": pd.Categorical.from_codes(metric, dtype=METRIC_DTYPE),
        "offset": k.astype(np.int16), "users": users,
        "rate": users / np.where(base > 0, base, np.nan)})[TIDY_COLUMNS]


# -- the vectorised path ----------------------------------------------------------------------

def vectorised(frame: pd.DataFrame, period: type[Period] = Week,
               ) -> dict[str, dict[str, pd.DataFrame]]:
    """Every table of every app and metric, the frame laid out once per metric."""
    return {metric: cohort.all_tables(frame, metric=metric, period=period)
            for metric in METRICS}


def alone(table: Callable[[Cells], object]) -> Callable[[pd.DataFrame], object]:
    """One step of ``all_tables`` for every app and both metrics, the frame laid out for it.

    The steps are private to ``cohort`` (``all_tables`` is the public way to get every table);
    the benchmark looks inside it to show what each costs.
    """
    return lambda frame: [table(layout(frame, metric=metric)) for metric in METRICS]


VECTORISED_STEPS: dict[str, Callable[[pd.DataFrame], object]] = {
    "matrices (rate + users)": alone(lambda c: [cohort._matrix(c, v, by_app=True)
                                                for v in ("rate", "users")]),
    "average curves (era) + cluster-robust t": alone(
        lambda c: average_table(c, "weighted", CONFIDENCE, by_app=True, window=AVERAGE_COHORTS,
                                shifts=True)),
    "week over week (spread test) + BH": alone(
        lambda c: cohort._week_over_week(c, ALPHA, by_app=True)),
}


# -- the plain-Python baseline ----------------------------------------------------------------

PlainCells = dict[tuple[str, str], dict[pd.Timestamp, dict[int, int]]]


def py_cells(rows: list[Row]) -> PlainCells:
    cells: PlainCells = {}
    for app, start, metric, k, users in rows:
        cells.setdefault((app, metric), {}).setdefault(start, {})[k] = users
    return cells


def py_width(cohorts: dict[pd.Timestamp, dict[int, int]]) -> int:
    return max(5, max(k for row in cohorts.values() for k in row) + 1)


def py_matrices(cells: PlainCells,
                ) -> dict[tuple[str, str], tuple[list[list[float]], list[list[float]]]]:
    out = {}
    for key, cohorts in cells.items():
        width, rates, users = py_width(cohorts), [], []
        for start in sorted(cohorts):
            row = cohorts[start]
            base = row.get(0, 0)
            users.append([float(row.get(k, math.nan)) for k in range(width)])
            rates.append([row[k] / base if k in row and base > 0 else math.nan
                          for k in range(width)])
        out[key] = (rates, users)
    return out


def py_ratio_interval(xs: list[float], ns: list[float]) -> tuple[float, float, float]:
    """Σx/Σn with its cluster-robust t interval (NaN bounds from fewer than two cohorts)."""
    total_x, total_n, m = sum(xs), sum(ns), len(xs)
    rate = total_x / total_n
    if m < 2:
        return rate, math.nan, math.nan
    residual = sum((x - rate * n) ** 2 for x, n in zip(xs, ns, strict=True))
    se = math.sqrt(m / (m - 1) * residual) / total_n
    half = float(special.stdtrit(m - 1, 0.5 + CONFIDENCE / 2)) * se
    return rate, min(max(rate - half, 0.0), 1.0), min(max(rate + half, 0.0), 1.0)


def py_average(cells: PlainCells) -> dict[tuple[str, str], list[tuple[float, float, float, int]]]:
    out = {}
    for key, cohorts in cells.items():
        curve: list[tuple[float, float, float, int]] = []
        for k in range(py_width(cohorts)):
            xs, ns = [], []
            for row in cohorts.values():
                base = row.get(0, 0)
                if base > 0 and k in row:
                    xs.append(row[k])
                    ns.append(base)
            if not xs:
                curve.append((math.nan, math.nan, math.nan, 0))
            elif k == 0:
                curve.append((1.0, 1.0, 1.0, len(xs)))
            else:
                curve.append((*py_ratio_interval(xs, ns), len(xs)))
        out[key] = curve
    return out


def py_pair(x1: float, n1: float, x2: float, n2: float) -> tuple[float, float] | None:
    """(change, pooled binomial variance) of a pair of cohorts, or None when untestable."""
    if not (n1 > 0 and n2 > 0 and 0 <= x1 <= n1 and 0 <= x2 <= n2):
        return None
    pooled = (x1 + x2) / (n1 + n2)
    return x1 / n1 - x2 / n2, pooled * (1 - pooled) * (1 / n1 + 1 / n2)


def py_spread_p(pairs: list[tuple[float, float] | None]) -> list[float]:
    """p of every pair of one offset, allowing for the spread their changes show."""
    tested = [pair for pair in pairs if pair is not None]
    m = len(tested)
    if m < SPREAD_MIN_PAIRS:
        return [math.nan] * len(pairs)
    kept = max(math.floor(SPREAD_KEEP * m), 1)
    share = kept / m
    scale = 1.0 if share >= 1 else stats.chi2.cdf(stats.chi2.ppf(share, 1), 3) / share
    squares = sorted(d * d for d, _ in tested)
    variance = sum(squares[:kept]) / kept / scale
    between = max(0.0, (variance - sum(v for _, v in tested) / m) / 2)
    out = []
    for pair in pairs:
        if pair is None:
            out.append(math.nan)
            continue
        d, v = pair
        total = v + 2 * between
        t = 0.0 if d == 0 else d / math.sqrt(total)
        df = EFFICIENCY * m * (total / variance) ** 2 if variance > 0 else math.inf
        out.append(min(max(2 * float(special.stdtr(df, -abs(t))), 0.0), 1.0))
    return out


def py_bh(p_values: list[float], alpha: float = 0.05) -> list[bool]:
    tested = sorted((p, i) for i, p in enumerate(p_values) if not math.isnan(p))
    adjusted, running = [1.0] * len(tested), 1.0
    for rank in range(len(tested), 0, -1):
        running = min(running, tested[rank - 1][0] * len(tested) / rank)
        adjusted[rank - 1] = running
    out = [False] * len(p_values)
    for (_, i), q in zip(tested, adjusted, strict=True):
        out[i] = q <= alpha
    return out


def py_wow(cells: PlainCells) -> dict[tuple[str, str], list[dict[str, Any]]]:
    out = {}
    for key, cohorts in cells.items():
        width, starts, rows = py_width(cohorts), sorted(cohorts), []
        pairs: dict[int, list[tuple[float, float] | None]] = {k: [] for k in range(1, width)}
        for before, now in itertools.pairwise(starts):
            old, new = cohorts[before], cohorts[now]
            b0, n0 = old.get(0, math.nan), new.get(0, math.nan)
            row: dict[str, Any] = {"size": n0, "size_change": n0 / b0 - 1 if b0 > 0 else math.nan}
            for k in range(1, width):
                r_new = new[k] / n0 if k in new and n0 > 0 else math.nan
                r_old = old[k] / b0 if k in old and b0 > 0 else math.nan
                row[f"rate_{k}"], row[f"delta_{k}"] = r_new, r_new - r_old
                pairs[k].append(py_pair(new.get(k, math.nan), n0, old.get(k, math.nan), b0))
            rows.append(row)
        for k in range(1, width):
            for row, p in zip(rows, py_spread_p(pairs[k]), strict=True):
                row[f"p_{k}"] = p
        flat = [row[f"p_{k}"] for row in rows for k in range(1, width)]
        significant = iter(py_bh(flat))
        for row in rows:
            for k in range(1, width):
                row[f"significant_{k}"] = next(significant)
        out[key] = rows
    return out


def records(frame: pd.DataFrame) -> list[Row]:
    return list(zip(frame["app_id"].tolist(), frame["cohort_start"].tolist(),
                    frame["metric"].tolist(), frame["offset"].tolist(),
                    frame["users"].tolist(), strict=True))


PLAIN_STEPS: dict[str, Callable[[list[Row]], object]] = dict(zip(VECTORISED_STEPS, (
    lambda r: py_matrices(py_cells(r)),
    lambda r: py_average(py_cells(r)),
    lambda r: py_wow(py_cells(r)),
), strict=True))


# -- measuring --------------------------------------------------------------------------------

def best_of(repeats: int, work: Callable[[], object],
            clock: Callable[[], float] = time.perf_counter) -> float:
    times = []
    for _ in range(repeats):
        start = clock()
        work()
        times.append(clock() - start)
    return min(times)


def agree(frame: pd.DataFrame, rows: list[Row]) -> float:
    """Largest difference between the two implementations over every number they produce
    (the averages over every cohort, as the plain version computes them)."""
    fast = {metric: cohort.all_tables(frame, metric=metric, window=None) for metric in METRICS}
    cells = py_cells(rows)
    plain_avg, plain_wow, plain_mat = py_average(cells), py_wow(cells), py_matrices(cells)
    worst = 0.0
    for metric in METRICS:
        tables = fast[metric]
        avg, wow, rates = tables["average"], tables["week_over_week"], tables["rates"]
        for app in avg.index.get_level_values("app_id").unique():
            mine = avg.loc[app][["rate", "low", "high", "cohorts"]].to_numpy()
            worst = max(worst, _gap(mine, np.array(plain_avg[(app, metric)], dtype=float)))
            worst = max(worst, _gap(rates.loc[app].to_numpy(),
                                    np.array(plain_mat[(app, metric)][0], dtype=float)))
            theirs = pd.DataFrame(plain_wow[(app, metric)])
            worst = max(worst, _gap(wow.loc[app][theirs.columns].to_numpy(dtype=float),
                                    theirs.to_numpy(dtype=float)))
    return worst


def _gap(a: np.ndarray, b: np.ndarray) -> float:
    if a.shape != b.shape or not np.array_equal(np.isnan(a), np.isnan(b)):
        return math.inf
    return float(np.nanmax(np.abs(a - b), initial=0.0))


def speed(frame: pd.DataFrame, repeats: int) -> list[tuple[str, float, float]]:
    """(step, vectorised s, plain s) for each step, then the three at once: the vectorised
    ones through ``cohort.all_tables`` (one layout per metric), the plain ones summed."""
    rows = records(frame)
    out = []
    for step, fast in VECTORISED_STEPS.items():
        mine = best_of(repeats, lambda fast=fast: fast(frame))
        plain = best_of(max(1, repeats - 1), lambda step=step: PLAIN_STEPS[step](rows))
        out.append((step, mine, plain))
    together = best_of(repeats, lambda: vectorised(frame))
    return [*out, (ALL_THREE, together, sum(s[2] for s in out))]


def per_app(frame: pd.DataFrame, sample: int) -> tuple[float, float]:
    """Median seconds per app: the public per-app cohort functions (both metrics), and
    ``decay.fit`` + ``project(52)`` (the median, since one stalled app on a busy machine would
    otherwise set the figure)."""
    apps = sorted(frame["app_id"].unique())[:sample]
    parts = {app: part for app, part in frame.groupby("app_id") if app in apps}

    def functions(app: str) -> None:
        for metric in METRICS:
            for values in ("rate", "users"):
                cohort.cohort_matrix(parts[app], metric=metric, values=values, app_id=app)
            cohort.average_curve(parts[app], metric=metric, app_id=app)
            cohort.week_over_week(parts[app], metric=metric, app_id=app)

    def fits(app: str) -> None:
        decay.fit(parts[app], app_id=app).project(weeks=52)

    return (statistics.median(best_of(1, lambda app=app: functions(app)) for app in apps),
            statistics.median(best_of(1, lambda app=app: fits(app)) for app in apps))


def child_memory(apps: int, kind: PeriodKind = "week",
                 ) -> tuple[float, float, float, float, float]:
    """(RSS after imports, RSS with the frame built, peak RSS during the pass, peak RSS of the
    whole process, tracemalloc's peak of a second pass), MiB, measured in a fresh process
    (``ru_maxrss`` would carry over this process's peak across fork)."""
    done = subprocess.run([sys.executable, __file__, "--child", str(apps), "--period", kind],
                          check=True, capture_output=True, text=True)
    imports, loaded, peak, whole, traced = (float(v) for v in done.stdout.split())
    return imports, loaded, peak, whole, traced


def _status(field: str) -> float:
    """A /proc/self/status figure (VmRSS, VmHWM) in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return math.nan


def _child(apps: int, period: type[Period]) -> None:
    imports = _status("VmRSS")
    frame = synthetic(apps, DAYS if period is Day else WEEKS, period=period)
    gc.collect()
    loaded = _status("VmRSS")
    with contextlib.suppress(OSError):  # reset the high-water mark to measure the pass alone
        Path("/proc/self/clear_refs").write_text("5")  # (Linux >= 4.0)
    vectorised(frame, period)
    pass_peak = _status("VmHWM")
    tracemalloc.start()
    vectorised(frame, period)
    traced = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    # ru_maxrss (KiB on Linux): the whole process's peak, frame building included, which
    # clear_refs does not reset
    whole = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(imports, loaded, pass_peak, whole, traced)


def traced_peak(frame: pd.DataFrame) -> float:
    tracemalloc.start()
    vectorised(frame)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


# -- report -----------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller frames, fewer repeats")
    parser.add_argument("--period", choices=["week", "day"], default="week",
                        help="day: the 500 apps × 720 days run only")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, PERIODS[args.period])
        return
    if args.period == "day":
        days(repeats=1 if args.quick else 2)
        return
    sizes, repeats, sample = ((10, 20, 50), 2, 5) if args.quick else ((50, 100, 200, 500), 3, 20)
    frames = {apps: synthetic(apps) for apps in sizes}
    big = frames[sizes[-1]]
    print(f"## Cohort analytics, {sizes[-1]} apps × {WEEKS} weeks × 2 metrics "
          f"({len(big):,} tidy rows)\n")
    gap = agree(frames[sizes[0]], records(frames[sizes[0]]))
    print(f"Both implementations agree on {sizes[0]} apps: largest difference {gap:.1e}.\n")
    _speed_table(speed(big, repeats))
    functions, fits = per_app(big, sample)
    apps = sizes[-1]
    print(f"\nPer-app public functions in a loop (median of {sample} apps): "
          f"{functions * 1000:.1f} ms per app, so about {functions * apps:.1f} s for {apps} "
          f"apps; decay.fit + project(52) (auto, 200 resamples): {fits * 1000:.0f} ms per app "
          f"and metric.\n")
    imports, loaded, peak, _, _ = child_memory(apps)
    print(f"Memory of a fresh process: {imports:.0f} MiB after imports, {loaded:.0f} MiB with "
          f"the {apps}-app frame built, **{peak:.0f} MiB peak RSS during the pass** (frame and "
          f"libraries included); tracemalloc's peak for the pass's own allocations: "
          f"{traced_peak(big):.0f} MiB.\n")
    _scaling_table({apps: speed(frame, repeats) for apps, frame in frames.items()}, frames)


def _speed_table(steps: list[tuple[str, float, float]]) -> None:
    print("| step (every app, both metrics) | vectorised (s) | plain Python (s) | speed-up |")
    print("|---|---:|---:|---:|")
    for step, mine, plain in steps[:-1]:
        print(f"| {step} | {mine:.3f} | {plain:.3f} | {plain / mine:.1f}× |")
    step, mine, plain = steps[-1]
    print(f"| **{step}** | **{mine:.3f}** | **{plain:.3f}** | **{plain / mine:.1f}×** |")


def _scaling_table(runs: dict[int, list[tuple[str, float, float]]],
                   frames: dict[int, pd.DataFrame]) -> None:
    first = min(runs)
    base = runs[first][-1][1]
    print(f"All three at once ({ALL_THREE.split('(')[1][:-1]} against the plain loops):\n")
    print("| apps | tidy rows | vectorised (s) | ms per app | time vs "
          f"{first} apps (apps ×) | plain Python (s) | speed-up |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for apps, steps in runs.items():
        _, mine, plain = steps[-1]
        print(f"| {apps} | {len(frames[apps]):,} | {mine:.3f} | {mine / apps * 1000:.2f} | "
              f"{mine / base:.1f}× ({apps / first:.0f}×) | {plain:.2f} | {plain / mine:.1f}× |")


def days(repeats: int) -> None:
    """The daily run: all_tables(period=Day) at 50 and 500 apps, and a fresh process's memory."""
    print(f"## Daily cohorts: {DAYS} days × 10 keys (D0..D7, D14, D30) × 2 metrics\n")
    print("| apps | tidy rows | all_tables, both metrics (s) | CPU (s) | CPU ms per app | "
          "CPU vs 50 apps (apps ×) |")
    print("|---:|---:|---:|---:|---:|---:|")
    first = 0.0
    for apps in (50, 500):
        frame = synthetic(apps, DAYS, period=Day)
        took = best_of(repeats, lambda frame=frame: vectorised(frame, Day))
        # CPU time too: on a shared machine the wall clock mostly measures the neighbours
        cpu = best_of(repeats, lambda frame=frame: vectorised(frame, Day), clock=time.process_time)
        first = first or cpu
        print(f"| {apps} | {len(frame):,} | {took:.2f} | {cpu:.2f} | {cpu / apps * 1000:.1f} | "
              f"{cpu / first:.1f}× ({apps // 50}×) |")
        del frame
        gc.collect()
    imports, loaded, peak, whole, traced = child_memory(500, "day")
    print(f"\nMemory of a fresh process, 500 apps × {DAYS} days: {imports:.0f} MiB after "
          f"imports, {loaded:.0f} MiB with the frame built, {peak:.0f} MiB peak RSS during the "
          f"pass (frame and libraries included; {whole:.0f} MiB ru_maxrss over the whole "
          f"process); **the pass's own allocations peak at {traced:.0f} MiB** (tracemalloc, "
          "both metrics' tables kept); target under 1024 MiB.")


if __name__ == "__main__":
    main()

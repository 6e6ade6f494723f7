"""Is a lasting change seen as one? Power and false alarms of the level-shift sentences
(:mod:`wxdata.analytics.shifts`) on simulated cohorts, seeded.

Weeks: the simulated apps of ``bench_calibration`` (52 weekly cohorts of 2·10^4 or 10^5 users,
0/1/2/5 % week-to-week variation, binomial users, censored as WeChat publishes). A lasting 10 %
rise of every offset is planted ``after`` cohorts before the newest; it counts as found when
W1's reported shift starts within 3 cohorts of the true one. A null run (nothing planted)
counts as a false alarm when any tracked offset (W1, W2, W4) reports a shift. Targets: ≥ 80 %
found at 2 % variation, ≤ 5 % false alarms.

Days: ``bench_calibration_days``'s daily cohorts (10^3..10^5 users, a weekday pattern: weekend
rates 0.8×, sizes 1.3×), 120 days, D1 with the step 21 days before the newest; false alarms
over D1, D7 and D30.

Run: ``python benchmarks/bench_shifts.py [--full]`` (also from ``bench_calibration.py``).
Prints Markdown tables; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_calibration import VARIATIONS, World, pct, table  # noqa: E402
from bench_calibration_days import DayWorld  # noqa: E402

from wxdata.analytics import shifts  # noqa: E402
from wxdata.core.periods import Day, Week  # noqa: E402

STEP = 1.10  # a lasting 10 % rise
NEAR = 3  # found: the reported start within this many cohorts of the true one


def _found(shift: shifts.Shift | None, true_start: object, step: int) -> bool:
    if shift is None:
        return False
    days = abs((shift.since - true_start).days)  # type: ignore[operator]
    return days <= NEAR * step and shift.change > 0


def week_rows(reps: int) -> list[list[str]]:
    rows = []
    for size in (20_000, 100_000):
        for v in VARIATIONS:
            world = World(size, v)
            rng = np.random.default_rng([size, int(v * 1000), 7])
            null = found4 = found8 = 0
            for _ in range(reps):
                frame = world.frame(rng, world.rates(rng))
                null += bool(shifts.level_shifts(frame, period=Week))
                for after in (4, 8):
                    rates = world.rates(rng)
                    rates[world.cohorts - after:] *= STEP
                    frame = world.frame(rng, rates)
                    start = frame["cohort_start"].drop_duplicates().sort_values().iloc[-after]
                    hit = _found(shifts.level_shift(frame, 1, period=Week), start, 7)
                    found4 += hit and after == 4
                    found8 += hit and after == 8
            rows.append([f"{size:,}", pct(v, 0), pct(null / reps), pct(found4 / reps),
                         pct(found8 / reps)])
    return rows


def day_rows(reps: int) -> list[list[str]]:
    rows = []
    for size in (1_000, 10_000, 100_000):
        for v in VARIATIONS:
            world = DayWorld(size, v)
            rng = np.random.default_rng([size, int(v * 1000), 8])
            null = found = 0
            for _ in range(reps):
                frame = world.frame(rng, world.rates(rng))
                null += bool(shifts.level_shifts(frame, period=Day))
                rates = world.rates(rng)
                rates[world.days - 21:] *= STEP
                frame = world.frame(rng, rates)
                start = frame["cohort_start"].drop_duplicates().sort_values().iloc[-21]
                found += _found(shifts.level_shift(frame, 1, period=Day), start, 1)
            rows.append([f"{size:,}", pct(v, 0), pct(null / reps), pct(found / reps)])
    return rows


def report(*, quick: bool) -> None:
    reps = 40 if quick else 200
    print("### Level shifts, weeks: 52 cohorts, a lasting 10 % rise (found within 3 cohorts)\n")
    table(["users", "variation", "null runs reporting a shift (W1, W2, W4)",
           "found, 4 cohorts after it", "found, 8 cohorts after it"], week_rows(reps))
    print("### Level shifts, days: 120 days with a weekday pattern, D1 rises 10 % 21 days "
          "before the newest\n")
    table(["users", "variation", "null runs reporting a shift (D1, D7, D30)",
           "found within 3 days"], day_rows(max(10, reps // 2)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="200 repetitions (slow)")
    args = parser.parse_args()
    started = time.perf_counter()
    report(quick=not args.full)
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()

"""Are the dashboard's tests and intervals honest on WeChat-like data? Simulations, seeded.

Every simulated app has weekly cohorts of ``size`` users (2·10^4 or 10^5, varying ±10 %) whose
rate at offset k is r(k)·(1 + v·ε), with ε a standard normal, half of it shared by the cohort's
offsets and half its own, and v the relative week-to-week variation (0, 1, 2, 5 %); the users
coming back are then binomial. The newest cohorts are censored as WeChat publishes them (W1..W4
only). r(k) is the demo's fruit shop, 0.28·k^-0.55, unless said otherwise.

For each test: the share of cells flagged in data where nothing changed (target ≤ 5 %), the
share of flags that are real where a 10 % step was planted (target ≥ 80 % up to 2 %
variation), and the power on that step; for each interval: how often it covers the truth
(target 90–97 %). The tests of before this change are measured alongside, on the same data.

Daily-like data (``--period day``, :mod:`bench_calibration_days`): day cohorts of 10^3, 10^4
and 10^5 users with a weekday pattern, on the ten daily keys. Then the level-shift sentences'
power and false alarms, on the same worlds (:mod:`bench_shifts`).

Run: ``python benchmarks/bench_calibration.py`` (quick: a few minutes; ``--full``: about half an
hour on 2 cores), ``--period day`` or ``--period week`` for one of them. Prints Markdown tables;
asserts nothing.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats as sps

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.rejected import two_proportion_p, wilson_interval  # noqa: E402
from wxdata.analytics import anomalies, cohort, decay, kpis  # noqa: E402
from wxdata.analytics.decay import sbg  # noqa: E402
from wxdata.analytics.spread import spread_p  # noqa: E402
from wxdata.analytics.stats import bh_significant, z_score  # noqa: E402
from wxdata.core.tidy import TIDY_COLUMNS  # noqa: E402

SIZES = (20_000, 100_000)
VARIATIONS = (0.0, 0.01, 0.02, 0.05)
OFFSETS = 4
Curve = Callable[[np.ndarray], np.ndarray]


def fruit(k: np.ndarray) -> np.ndarray:
    return np.asarray(0.28 * k ** -0.55)


def puzzle(k: np.ndarray) -> np.ndarray:
    return np.asarray(0.19 * k ** -0.75)


def sbg_curve(k: np.ndarray) -> np.ndarray:
    return sbg.survival(0.9, 1.6, np.asarray(k, dtype=np.float64))


def two_segments(k: np.ndarray) -> np.ndarray:
    """A loyal segment fading slowly and a casual one fast: W1 28 %, no floor."""
    return np.asarray(0.16 * 0.95 ** (k - 1.0) + 0.12 * 0.5 ** (k - 1.0))


@dataclass(frozen=True)
class World:
    """One simulated app: ``cohorts`` weekly cohorts following ``curve``."""

    size: int
    variation: float
    cohorts: int = 52
    curve: Curve = fruit

    def rates(self, rng: np.random.Generator) -> np.ndarray:
        k = np.arange(1, OFFSETS + 1, dtype=np.float64)
        shared = rng.standard_normal((self.cohorts, 1))
        own = rng.standard_normal((self.cohorts, OFFSETS))
        noise = self.variation * (math.sqrt(0.5) * shared + math.sqrt(0.5) * own)
        return np.asarray(self.curve(k)[None, :] * (1.0 + noise))

    def frame(self, rng: np.random.Generator, rates: np.ndarray) -> pd.DataFrame:
        """The tidy frame of ``rates`` (cohorts × W1..W4), users binomial, censored."""
        sizes = np.round(self.size * rng.lognormal(0.0, 0.1, self.cohorts)).astype(np.int64)
        users = rng.binomial(sizes[:, None], np.clip(rates, 0.0, 1.0)).astype(np.float64)
        cohort, k = np.meshgrid(np.arange(self.cohorts), np.arange(OFFSETS + 1), indexing="ij")
        counts = np.hstack([sizes[:, None].astype(np.float64), users])
        published = k <= self.cohorts - 1 - cohort
        starts = pd.Timestamp("2025-01-06") + pd.to_timedelta(7 * cohort[published], unit="D")
        values = counts[published]
        return pd.DataFrame({
            "app_id": "wxsim", "cohort_start": starts,
            "cohort_end": starts + pd.Timedelta(days=6), "metric": "new",
            "offset": k[published].astype(np.int64), "users": values.astype(np.int64),
            "rate": values / sizes[cohort[published]]})[TIDY_COLUMNS]


def scenarios() -> list[tuple[int, float]]:
    return [(size, v) for size in SIZES for v in VARIATIONS]


def pct(value: float, digits: int = 1) -> str:
    return "—" if math.isnan(value) else f"{value * 100:.{digits}f} %"


# -- week over week ---------------------------------------------------------------------------

STEP_AT = 40  # the planted 10 % step: cohorts 40.. are 10 % higher at every offset


def old_wow_flags(frame: pd.DataFrame) -> np.ndarray:
    """The test before this change: pooled two-proportion z, BH over the table."""
    users = cohort.cohort_matrix(frame, values="users").to_numpy()
    p = two_proportion_p(users[1:, 1:], users[1:, :1], users[:-1, 1:], users[:-1, :1])
    return bh_significant(p, alpha=0.05)


def mad_wow_flags(frame: pd.DataFrame) -> np.ndarray:
    """The alternative not taken: the spread from the median of the squared differences (a MAD,
    more robust, about 0.3 degrees of freedom per difference instead of 0.47)."""
    users = cohort.cohort_matrix(frame, values="users").to_numpy()
    x1, x2, n1, n2 = users[1:, 1:], users[:-1, 1:], users[1:, :1], users[:-1, :1]
    pooled = (x1 + x2) / (n1 + n2)
    binomial = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    change = x1 / n1 - x2 / n2
    pairs = np.sum(~np.isnan(change), axis=0)
    variance = np.nanmedian(change * change, axis=0) / sps.chi2.ppf(0.5, 1)
    p = spread_p(change, binomial, 2.0, variance, np.nanmean(binomial, axis=0), 0.30 * pairs)
    return bh_significant(p, alpha=0.05)


def new_wow_flags(frame: pd.DataFrame) -> np.ndarray:
    wow = cohort.week_over_week(frame)
    return wow[[f"significant_{k}" for k in range(1, OFFSETS + 1)]].to_numpy(dtype=bool)


def wow_rows(reps: int) -> list[list[str]]:
    rows = []
    for size, v in scenarios():
        rng = np.random.default_rng(1)
        world = World(size, v)
        tests = {"before: pooled z": old_wow_flags, "now: spread test": new_wow_flags,
                 "not taken: spread from the median": mad_wow_flags}
        tallies = {name: np.zeros(4) for name in tests}
        for _ in range(reps):
            null = world.frame(rng, world.rates(rng))
            planted_rates = world.rates(rng)
            planted_rates[STEP_AT:] *= 1.10
            planted = world.frame(rng, planted_rates)
            for name, flags in tests.items():
                nulls, steps = flags(null), flags(planted)
                real = steps[STEP_AT - 1].sum()  # row i compares cohort i + 1 with cohort i
                tallies[name] += (nulls.sum(), nulls.size, real, steps.sum())
        for name, (flagged, cells, real, flags_total) in tallies.items():
            rows.append([f"{size:,}", pct(v, 0), name, pct(flagged / cells, 2),
                         pct(real / flags_total if flags_total else math.nan, 0),
                         pct(real / (reps * OFFSETS), 0)])
    return rows


# -- the KPI: newest W1 against the 4 before it ----------------------------------------------

def old_kpi_p(frame: pd.DataFrame) -> float:
    users = cohort.cohort_matrix(frame, values="users")[[0, 1]].dropna()
    last, before = users.iloc[-1], users.iloc[-5:-1]
    p = two_proportion_p(*(np.array([float(v)]) for v in (last[1], last[0], before[1].sum(),
                                                         before[0].sum())))
    return float(p[0])


def kpi_rows(reps: int) -> list[list[str]]:
    rows = []
    for size, v in scenarios():
        rng = np.random.default_rng(2)
        world = World(size, v, cohorts=30)
        hits = {"before: pooled z": [0, 0], "now: spread test": [0, 0]}
        for _ in range(reps):
            null = world.frame(rng, world.rates(rng))
            planted_rates = world.rates(rng)
            planted_rates[-2:] *= 1.10  # the newest W1 (cohort -2; -1 has no W1 yet)
            planted = world.frame(rng, planted_rates)
            for name, p_of in (("before: pooled z", old_kpi_p),
                               ("now: spread test", lambda f: kpis.kpis(f).w1_p)):
                hits[name][0] += p_of(null) < 0.05
                hits[name][1] += p_of(planted) < 0.05
        for name, (false, true) in hits.items():
            rows.append([f"{size:,}", pct(v, 0), name, pct(false / reps), pct(true / reps, 0)])
    return rows


# -- anomalies ---------------------------------------------------------------------------------

def old_anomaly_flags(frame: pd.DataFrame) -> pd.Series:
    rate = cohort.cohort_matrix(frame)[1].dropna()
    prior = rate.shift(1).rolling(8, min_periods=8)
    z = (rate - prior.mean()) / prior.std()
    return (z.abs() > 3)[prior.mean().notna()]


def new_anomaly_flags(frame: pd.DataFrame) -> pd.Series:
    return anomalies.anomalies(frame, flagged_only=False)["flagged"]


def anomaly_rows(reps: int) -> list[list[str]]:
    rows = []
    judged_at = 30  # the cohort planted with a 10 % change (a holiday 3 weeks before it)
    for size, v in scenarios():
        rng = np.random.default_rng(3)
        world = World(size, v, cohorts=40)
        tallies = {"before: mean ± 3 sd": np.zeros(4), "now: prediction band": np.zeros(4)}
        for _ in range(reps):
            null = world.frame(rng, world.rates(rng))
            spike = world.rates(rng)
            spike[judged_at, 0] *= 0.90
            holiday = spike.copy()
            holiday[judged_at - 3, 0] *= 0.72  # the demo's Spring Festival dip
            frames = (null, world.frame(rng, spike), world.frame(rng, holiday))
            for name, flags in (("before: mean ± 3 sd", old_anomaly_flags),
                                ("now: prediction band", new_anomaly_flags)):
                found = [flags(f) for f in frames]
                at = pd.Timestamp("2025-01-06") + pd.Timedelta(weeks=judged_at)
                tallies[name] += (found[0].sum(), len(found[0]), bool(found[1].get(at, False)),
                                  bool(found[2].get(at, False)))
        for name, (false, judged, spiked, after_holiday) in tallies.items():
            rows.append([f"{size:,}", pct(v, 0), name, pct(false / judged, 2),
                         pct(spiked / reps, 0), pct(after_holiday / reps, 0)])
    return rows


# -- the average curve ---------------------------------------------------------------------------

def old_average(frame: pd.DataFrame, weighting: str, last: int | None = None) -> pd.DataFrame:
    """Every cohort (or the ``last`` ones with each offset); Wilson over Σ users (weighted) or
    mean ± z·sd/√m (simple)."""
    users = cohort.cohort_matrix(frame, values="users")
    base = users[0]
    rows = {}
    for k in range(1, OFFSETS + 1):
        ok = users[k].notna() & (base > 0)
        x, n = users.loc[ok, k].iloc[-(last or 0):], base[ok].iloc[-(last or 0):]
        if weighting == "weighted":
            low, high = wilson_interval(np.array([x.sum()]), np.array([n.sum()]))
            rows[k] = (x.sum() / n.sum(), float(low[0]), float(high[0]))
        else:
            r = x / n
            half = z_score(0.95) * r.std(ddof=1) / math.sqrt(len(r))
            rows[k] = (r.mean(), r.mean() - half, r.mean() + half)
    return pd.DataFrame(rows, index=["rate", "low", "high"]).T


def launched(world: World, rng: np.random.Generator, weeks_ago: int | None) -> pd.DataFrame:
    rates = world.rates(rng)
    if weeks_ago is not None:
        rates[world.cohorts - weeks_ago:] *= 1.2  # the demo's launch: a fifth more retention
    return world.frame(rng, rates)


def average_rows(reps: int) -> list[list[str]]:
    rows = []
    settings = (("stationary, 52 w", 52, None), ("launch 52 w ago, 104 w", 104, 52),
                ("launch 8 w ago, 52 w", 52, 8))
    methods: dict[str, Callable[[pd.DataFrame], pd.DataFrame]] = {
        "weighted, before: Wilson, all cohorts": lambda f: old_average(f, "weighted"),
        "weighted, now: cluster-robust t, era": cohort.average_curve,
        "simple, before: z, all cohorts": lambda f: old_average(f, "simple"),
        "simple, now: t, era": lambda f: cohort.average_curve(f, weighting="simple"),
        "simple, before: z, 3 cohorts only": lambda f: old_average(f, "simple", last=3),
        "simple, now: t, 3 cohorts only": lambda f: cohort.average_curve(
            f, weighting="simple", window=3, shifts=False),
    }
    for size, v in scenarios():
        rng = np.random.default_rng(4)
        covered = {name: [0.0] * len(settings) for name in methods}
        for column, (_, weeks, ago) in enumerate(settings):
            world = World(size, v, cohorts=weeks)
            truth = fruit(np.arange(1, OFFSETS + 1.0)) * (1.2 if ago is not None else 1.0)
            for _ in range(reps):
                frame = launched(world, rng, ago)
                for name, method in methods.items():
                    curve = method(frame).loc[1:OFFSETS]
                    inside = (curve["low"] <= truth) & (truth <= curve["high"])
                    covered[name][column] += float(inside.mean()) / reps
        for name, shares in covered.items():
            rows.append([f"{size:,}", pct(v, 0), name, *(pct(s, 0) for s in shares)])
    return rows


# -- decay projections ---------------------------------------------------------------------------

TRUTHS: dict[str, Curve] = {"power (fruit shop)": fruit, "power (puzzle)": puzzle,
                            "sBG": sbg_curve, "two segments": two_segments}
HORIZONS = (12, 26)


def decay_rows(reps: int, sizes: tuple[int, ...], variations: tuple[float, ...],
               ) -> list[list[str]]:
    rows = []
    truth_at = {name: curve(np.array(HORIZONS, dtype=np.float64)) for name, curve in
                TRUTHS.items()}
    for name, curve in TRUTHS.items():
        for size in sizes:
            for v in variations:
                rng = np.random.default_rng(5)
                world = World(size, v, cohorts=52, curve=curve)
                tally = {"before: lowest held-out error": np.zeros(3),
                         "now: default + envelope": np.zeros(3)}
                widths: list[float] = []
                for _ in range(reps):
                    frame = world.frame(rng, world.rates(rng))
                    now = decay.fit(frame)
                    old_model = min(now.selection, key=now.selection.__getitem__)
                    old = decay.fit(frame, model=old_model)
                    for label, fitted, sbg_picked in (
                            ("before: lowest held-out error", old, old_model == "sbg"),
                            ("now: default + envelope", now, now.model == "sbg")):
                        band = fitted.project(max(HORIZONS)).loc[list(HORIZONS)]
                        inside = (band["low"] <= truth_at[name]) & (truth_at[name] <= band["high"])
                        tally[label] += (*inside.to_numpy(dtype=float), float(sbg_picked))
                        if label.startswith("now"):
                            widths.append(float((band["high"] / band["low"]).iloc[0]))
                for label, (w12, w26, picked) in tally.items():
                    rows.append([name, f"{size:,}", pct(v, 0), label, pct(w12 / reps, 0),
                                 pct(w26 / reps, 0), pct(picked / reps, 0),
                                 f"{np.median(widths):.2f}×" if label.startswith("now") else ""])
    return rows


def demo_puzzle() -> str:
    from wxdata.sources.demo import DEMO_APPS, DemoSource, demo_window

    app = DEMO_APPS[1]
    first, last = demo_window()
    weeks = [first.shift(i) for i in range((last.start - first.start).days // 7 + 1)]
    frame = DemoSource().load([app.appid], weeks).frame
    fitted = decay.fit(frame, app_id=app.appid)
    w52 = fitted.project(52).loc[52]
    truth = app.new_curve[0] * 52 ** -app.new_curve[1]
    return (f"Demo puzzle app, new users, 104 weeks: {fitted.model} chosen ({fitted.reason}); "
            f"W52 projected {pct(w52['rate'])} (band {pct(w52['low'])}..{pct(w52['high'])}, "
            f"drawn as an assumption: {bool(w52['assumed'])}) against a true {pct(truth)}.")


# -- report -------------------------------------------------------------------------------------

def table(header: list[str], rows: list[list[str]]) -> None:
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" if i < 3 else "---:" for i in range(len(header))) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="more repetitions (slow)")
    parser.add_argument("--quick", action="store_true", help="the default: fewer repetitions")
    parser.add_argument("--period", choices=["week", "day", "both"], default="both")
    args = parser.parse_args()
    args.quick = not args.full
    started = time.perf_counter()
    if args.period in ("day", "both"):
        import bench_calibration_days

        bench_calibration_days.report(quick=args.quick)
    if args.period in ("week", "both"):
        weekly(args)
    import bench_shifts  # level shifts, weeks and days (issue 16): their own module, same worlds

    bench_shifts.report(quick=args.quick)
    print(f"\n({time.perf_counter() - started:.0f} s)")


def weekly(args: argparse.Namespace) -> None:
    reps = 40 if args.quick else 200
    print("### Week over week: 52 cohorts × W1..W4, BH at 5 % over the table\n")
    table(["users", "variation", "test", "null cells flagged", "flags that are real",
           "power, 10 % step"], wow_rows(reps))
    print("### KPI: the newest W1 against the 4 cohorts before it (p < 0.05)\n")
    table(["users", "variation", "test", "null weeks flagged", "power, 10 % step"],
          kpi_rows(2 * reps))
    print("### Anomalies: W1 against the 8 cohorts before it, ±3σ level\n")
    table(["users", "variation", "band", "false alarms per cohort", "power, 10 % dip",
           "same, a holiday 3 weeks before"], anomaly_rows(reps))
    print("### Average curve: coverage of the true W1..W4 rates of the current era (95 %)\n")
    table(["users", "variation", "interval", "stationary, 52 w", "launch 52 w ago, 104 w",
           "launch 8 w ago, 52 w"], average_rows(max(20, reps // 4)))
    print("### Projections: coverage of the true W12 and W26 (95 % band)\n")
    decay_reps = 12 if args.quick else 40
    variations = (0.0, 0.02) if args.quick else VARIATIONS
    table(["truth", "users", "variation", "method", "W12 covered", "W26 covered",
           "sBG chosen", "W12 band high/low"], decay_rows(decay_reps, SIZES, variations))
    print(demo_puzzle())


if __name__ == "__main__":
    main()

"""Calibration on daily-like data, the daily half of ``bench_calibration.py`` (``--period day``).

Every simulated app has ``days`` day cohorts (Monday 2025-01-06 on) of ``size`` users (10^3,
10^4, 10^5, ±10 %, a third more at weekends) whose rate at key k (D1..D7, D14, D30) is
r(k)·w(day)·(1 + v·ε): r the fruit shop's 0.28·k^-0.55, w = 0.8 at weekends (the weekday
pattern), ε a standard normal half shared by the cohort's keys, v the day-to-day variation
(0, 2, 5 %); users binomial, the newest days censored as WeChat publishes them.

Measured, with the targets of the weekly tables: the share of unchanged cells the same-weekday
comparison flags (≤ 5 %) and its power on a 10 % step; the KPI test of the newest D1 against the
same weekday of the four weeks before; anomaly false alarms against the same weekday's band;
how often the average curve's interval (28 days, weekday strata) covers the true average of the
cohorts it used (90–97 %); how often the era's level-shift search reports a shift of D1 on
unchanged days (≤ 5 %) and finds a 10 % step, with and without the weekday pattern taken out
first; and how often the D60/D90 band covers the truth.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wxdata.analytics import anomalies, cohort, decay, era, kpis
from wxdata.analytics.defaults import AVERAGE_WINDOW
from wxdata.core.periods import Day
from wxdata.core.tidy import TIDY_COLUMNS

SIZES = (1_000, 10_000, 100_000)
VARIATIONS = (0.0, 0.02, 0.05)
KEYS = np.array(Day.KEYS[1:], dtype=np.float64)
START = pd.Timestamp("2025-01-06")  # a Monday
WEEKEND_RATE, WEEKEND_SIZE = 0.8, 1.3


def fruit(k: np.ndarray) -> np.ndarray:
    return np.asarray(0.28 * k ** -0.55)


@dataclass(frozen=True)
class DayWorld:
    size: int
    variation: float
    days: int = 120

    @property
    def weekend(self) -> np.ndarray:
        return np.arange(self.days) % 7 >= 5

    def mean_rates(self) -> np.ndarray:
        """(days, keys): the rates without the day-to-day variation."""
        return np.asarray(fruit(KEYS)[None, :] * np.where(self.weekend, WEEKEND_RATE, 1.0)[:, None])

    def rates(self, rng: np.random.Generator) -> np.ndarray:
        shared = rng.standard_normal((self.days, 1))
        own = rng.standard_normal((self.days, len(KEYS)))
        noise = self.variation * (math.sqrt(0.5) * shared + math.sqrt(0.5) * own)
        return self.mean_rates() * (1.0 + noise)

    def frame(self, rng: np.random.Generator, rates: np.ndarray) -> pd.DataFrame:
        sizes = self.size * rng.lognormal(0.0, 0.1, self.days)
        sizes = np.round(sizes * np.where(self.weekend, WEEKEND_SIZE, 1.0)).astype(np.int64)
        users = rng.binomial(sizes[:, None], np.clip(rates, 0.0, 1.0)).astype(np.float64)
        counts = np.hstack([sizes[:, None].astype(np.float64), users])
        cohort_of, k = np.meshgrid(np.arange(self.days), np.array(Day.KEYS), indexing="ij")
        published = k <= self.days - 1 - cohort_of
        starts = START + pd.to_timedelta(cohort_of[published], unit="D")
        values = counts[published]
        return pd.DataFrame({
            "app_id": "wxsim", "cohort_start": starts, "cohort_end": starts, "metric": "new",
            "offset": k[published].astype(np.int64), "users": values.astype(np.int64),
            "rate": values / sizes[cohort_of[published]]})[TIDY_COLUMNS]


def scenarios() -> list[tuple[int, float]]:
    return [(size, v) for size in SIZES for v in VARIATIONS]


def pct(value: float, digits: int = 1) -> str:
    return "—" if math.isnan(value) else f"{value * 100:.{digits}f} %"


STEP_AT = 90  # days 90.. are 10 % higher at every key


def pop_rows(reps: int) -> list[list[str]]:
    rows = []
    columns = [f"significant_{k}" for k in Day.KEYS[1:]]
    for size, v in scenarios():
        rng = np.random.default_rng(11)
        world = DayWorld(size, v)
        null_flags = null_cells = real = step_cells = all_flags = 0.0
        for _ in range(reps):
            null = cohort.period_over_period(world.frame(rng, world.rates(rng)), period=Day)
            tested = null[[c.replace("significant", "p") for c in columns]].notna().to_numpy()
            null_flags += null[columns].to_numpy(dtype=bool).sum()
            null_cells += tested.sum()
            planted_rates = world.rates(rng)
            planted_rates[STEP_AT:] *= 1.10
            planted = cohort.period_over_period(world.frame(rng, planted_rates), period=Day)
            flags = planted[columns].to_numpy(dtype=bool)
            now = pd.DatetimeIndex(planted.index)
            crossing = ((now - START).days >= STEP_AT) & ((now - START).days < STEP_AT + 7)
            published = planted[[c.replace("significant", "p") for c in columns]].notna()
            real += flags[crossing].sum()
            step_cells += published.to_numpy()[crossing].sum()
            all_flags += flags.sum()
        rows.append([f"{size:,}", pct(v, 0), pct(null_flags / null_cells, 2),
                     pct(real / all_flags if all_flags else math.nan, 0),
                     pct(real / step_cells, 0)])
    return rows


def kpi_rows(reps: int) -> list[list[str]]:
    rows = []
    for size, v in scenarios():
        rng = np.random.default_rng(12)
        world = DayWorld(size, v)
        false = true = 0
        for _ in range(reps):
            false += kpis.kpis(world.frame(rng, world.rates(rng)), period=Day).w1_p < 0.05
            planted = world.rates(rng)
            planted[-2] *= 1.10  # the newest D1 (the newest day has no D1 yet)
            true += kpis.kpis(world.frame(rng, planted), period=Day).w1_p < 0.05
        rows.append([f"{size:,}", pct(v, 0), pct(false / reps), pct(true / reps, 0)])
    return rows


def anomaly_rows(reps: int) -> list[list[str]]:
    rows = []
    dip_at = 100  # a Thursday with 14 Thursdays before it
    for size, v in scenarios():
        rng = np.random.default_rng(13)
        world = DayWorld(size, v)
        false = judged = found = 0.0
        for _ in range(reps):
            band = anomalies.anomalies(world.frame(rng, world.rates(rng)), period=Day,
                                       flagged_only=False)
            false, judged = false + band["flagged"].sum(), judged + len(band)
            dipped = world.rates(rng)
            dipped[dip_at, 0] *= 0.90
            flags = anomalies.anomalies(world.frame(rng, dipped), period=Day)
            found += START + pd.Timedelta(days=dip_at) in flags.index
        rows.append([f"{size:,}", pct(v, 0), pct(false / judged, 2), pct(found / reps, 0)])
    return rows


def average_rows(reps: int) -> list[list[str]]:
    rows = []
    for size, v in scenarios():
        rng = np.random.default_rng(14)
        world = DayWorld(size, v)
        covered = {"weighted": 0.0, "simple": 0.0}
        for _ in range(reps):
            frame = world.frame(rng, world.rates(rng))
            base = cohort.cohort_matrix(frame, values="users", period=Day)[0].to_numpy()
            for weighting in covered:
                curve = cohort.average_curve(frame, weighting=weighting, period=Day)
                inside = []
                for j, k in enumerate(Day.KEYS[1:]):
                    first = (pd.Timestamp(curve.loc[k, "since"]) - START).days
                    used = slice(first, first + int(curve.loc[k, "cohorts"]))
                    mean = world.mean_rates()[used, j]
                    truth = float(np.sum(base[used] * mean) / np.sum(base[used])) \
                        if weighting == "weighted" else float(np.mean(mean))
                    inside.append(curve.loc[k, "low"] <= truth <= curve.loc[k, "high"])
                covered[weighting] += float(np.mean(inside)) / reps
        rows.append([f"{size:,}", pct(v, 0), pct(covered["weighted"], 0),
                     pct(covered["simple"], 0)])
    return rows


#: A Thursday, 19 days before the newest D1 (day 118): inside the 28 days an era may cover, so
#: the search can place its split there (a step further back leaves the era at 28 days anyway).
SHIFT_AT = 100


def shift_rows(reps: int) -> list[list[str]]:
    """How often the era's level-shift search on D1 (the newest 56 days of 120) reports a shift:
    unchanged days (should be rare: it is tested at 1 %, Bonferroni over the candidates), and
    D1 10 % higher from day :data:`SHIFT_AT` on (should be found, there); with the weekday
    pattern taken out first (now) and without (before: ``season=None``)."""
    rows = []
    weekday = (np.arange(DayWorld(1, 0.0).days) % 7).astype(np.intp)  # day 0 is a Monday
    for size, v in scenarios():
        rng = np.random.default_rng(16)
        world = DayWorld(size, v)
        found = {"null_before": 0, "null_now": 0, "step_before": 0, "step_now": 0,
                 "at_before": 0, "at_now": 0}
        for _ in range(reps):
            for case in ("null", "step"):
                rates = world.rates(rng)
                if case == "step":
                    rates[SHIFT_AT:] *= 1.10
                users = cohort.cohort_matrix(world.frame(rng, rates), values="users",
                                             period=Day)
                w1 = (users[1] / users[0]).to_numpy()
                bounds = np.array([0, len(w1)])
                for when, season in (("before", None), ("now", weekday[:len(w1)])):
                    start, shifted = era.era_starts(w1, bounds, window=AVERAGE_WINDOW["day"],
                                                    season=season)
                    found[f"{case}_{when}"] += int(shifted[0])
                    if case == "step":
                        found[f"at_{when}"] += int(shifted[0] and abs(start[0] - SHIFT_AT) <= 1)
        rows.append([f"{size:,}", pct(v, 0),
                     f"{pct(found['null_before'] / reps)} → {pct(found['null_now'] / reps)}",
                     f"{pct(found['step_before'] / reps, 0)} → {pct(found['step_now'] / reps, 0)}",
                     f"{pct(found['at_before'] / reps, 0)} → {pct(found['at_now'] / reps, 0)}"])
    return rows


def decay_rows(reps: int) -> list[list[str]]:
    rows = []
    # the pooled curve mixes weekdays by size: r(k) · (5 + 2·1.3·0.8) / (5 + 2·1.3)
    mix = (5 + 2 * WEEKEND_SIZE * WEEKEND_RATE) / (5 + 2 * WEEKEND_SIZE)
    truth = fruit(np.array([60.0, 90.0])) * mix
    for size in (10_000, 100_000):
        for v in (0.0, 0.02):
            rng = np.random.default_rng(15)
            world = DayWorld(size, v)
            hits = np.zeros(2)
            for _ in range(reps):
                band = decay.fit(world.frame(rng, world.rates(rng)), period=Day).project()
                band = band.loc[[60, 90]]
                hits += ((band["low"] <= truth) & (truth <= band["high"])).to_numpy()
            rows.append([f"{size:,}", pct(v, 0), pct(hits[0] / reps, 0),
                         pct(hits[1] / reps, 0)])
    return rows


def table(header: list[str], rows: list[list[str]]) -> None:
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" if i < 2 else "---:" for i in range(len(header))) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()


def report(*, quick: bool) -> None:
    reps = 20 if quick else 100
    print("### Days: each day against the same weekday a week before (120 days, BH at 5 %)\n")
    table(["users", "variation", "null cells flagged", "flags that are real",
           "power, 10 % step"], pop_rows(reps))
    print("### Days: the newest D1 against the same weekday of the 4 weeks before (p < 0.05)\n")
    table(["users", "variation", "null days flagged", "power, 10 % step"], kpi_rows(2 * reps))
    print("### Days: D1 against the 8 same weekdays before it, ±3σ level\n")
    table(["users", "variation", "false alarms per day", "power, 10 % dip"],
          anomaly_rows(reps))
    print("### Days: coverage of the true average D1..D30 of the 28 days used (95 %)\n")
    table(["users", "variation", "weighted", "simple"], average_rows(reps))
    print("### Days: the era's level shift of D1 (newest 56 of 120 days), before → now "
          "(weekday pattern taken out first)\n")
    table(["users", "variation", "shift reported, no step",
           f"found, 10 % step at day {SHIFT_AT}", f"found at day {SHIFT_AT} ± 1"],
          shift_rows(2 * reps))
    print("### Days: coverage of the true D60 and D90 (95 % band)\n")
    table(["users", "variation", "D60 covered", "D90 covered"], decay_rows(max(5, reps // 4)))

"""The numbers in words: one sentence per notable change, written from the statistics, e.g.
"新用户次周留存较前 4 周均值下降 3.1 个百分点 (p=0.01),批次 2026-W46 · 11-09..11-15。"

Only a change below :data:`~wxdata.analytics.defaults.ALPHA` is called a rise or a fall; anything
else is said to be within the usual noise, with its size, so nobody reads a story into chance.
The p-values come from ``analytics`` and already allow for the usual week-to-week variation;
where there is too little history to know it, the sentence says so instead of judging.

Each sentence speaks of the period on screen (``period=``): 次日 / 次周 / 次月 and "this day /
week / month"; the weekly sentences are the ones the dashboard always had.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from wxdata.analytics.anomalies import flagged_cohorts, flagged_weeks
from wxdata.analytics.defaults import ALPHA
from wxdata.analytics.shifts import Shift
from wxdata.core import holidays
from wxdata.core.periods import DEFAULT_PERIOD, Period, PeriodKind, period_class
from wxdata.i18n import Lang, t
from wxdata.present.fmt import cohort_label, count, offset_label, p_value, pct


def _as_float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def significant(kpi: Any) -> bool:
    """The W1 change of ``kpi`` is below :data:`ALPHA` (and not zero)."""
    p, delta = _as_float(kpi.w1_p), _as_float(kpi.w1_delta)
    return not math.isnan(p) and p < ALPHA and not math.isnan(delta) and delta != 0


def w1_sentence(kpi: Any, lang: Lang, period: PeriodKind = DEFAULT_PERIOD, *,
                with_p: bool = True) -> str | None:
    """How the newest published W1 (D1, M1) rate compares with the mean of the 4 cohorts
    before it. The weekly sentences keep their keys (``story.w1.*``); days and months have
    theirs (``story.day.w1.*``, ``story.month.w1.*``). ``with_p=False``: the sentence a PM
    reads on the Overview, without its p-value (the W1 tile's help gives it)."""
    delta, p = _as_float(kpi.w1_delta), _as_float(kpi.w1_p)
    if math.isnan(delta):
        return None
    fields: dict[str, Any] = {"who": t(f"metric.{kpi.metric}.short", lang),
                              "week": cohort_label(kpi.w1_week, period, lang),
                              "points": f"{delta * 100:+.1f}"}
    if math.isnan(p):
        way = "untested"
    elif p < ALPHA and delta != 0:
        way = "up" if delta > 0 else "down"
        fields.update(points=f"{abs(delta) * 100:.1f}")
    else:
        way = "flat"
    if not math.isnan(p):
        fields["p"] = p_value(p) if p_value(p).startswith("<") else f"={p_value(p)}"
    if period == "week":
        said = t(f"story.w1.{way}", lang, **fields)
    else:
        said = t(f"story.{period}.w1.{way}", lang, **fields)
    return said if with_p else without_p(said)


#: The p-value as the sentences print it: " (p=0.01)", "(p<0.001)" or ", p=0.20" / ",p=0.20".
_P_CLAUSE = re.compile(r"\s?\(p[=<][^)]*\)|\s?[,,]\s?p[=<][0-9.]+")


def without_p(sentence: str) -> str:
    """``sentence`` without its p-value clause: "下降 3.1 个百分点 (p=0.01),超出…" ->
    "下降 3.1 个百分点,超出…"."""
    return _P_CLAUSE.sub("", sentence)


def size_sentence(kpi: Any, lang: Lang, period: PeriodKind = DEFAULT_PERIOD) -> str | None:
    change = _as_float(kpi.size_change)
    if math.isnan(change):
        return None
    way = "up" if change > 0 else "down" if change < 0 else "flat"
    fields = {"who": t(f"metric.{kpi.metric}.short", lang),
              "week": cohort_label(kpi.latest_week, period, lang),
              "users": count(kpi.latest_size, lang), "change": f"{abs(change) * 100:.1f}%"}
    if period == "week":
        return t(f"story.size.{way}", lang, **fields)
    return t(f"story.{period}.size.{way}", lang, **fields)


def sentences(kpis: Iterable[Any], lang: Lang,
              period: PeriodKind = DEFAULT_PERIOD, *, with_p: bool = True) -> list[str]:
    """Significant W1 changes first, then cohort size, then the rest (``with_p``: see
    :func:`w1_sentence`)."""
    kpis = list(kpis)
    w1 = [(s, _as_float(k.w1_p)) for k in kpis
          if (s := w1_sentence(k, lang, period, with_p=with_p))]
    notable = [s for s, p in w1 if not math.isnan(p) and p < ALPHA]
    other = [s for s, p in w1 if math.isnan(p) or p >= ALPHA]
    sizes = [s for k in kpis[:1] if (s := size_sentence(k, lang, period))]
    return notable + sizes + other


@dataclass(frozen=True)
class Flag:
    week: Period
    offset: int
    rate: float
    expected: float

    def sentence(self, lang: Lang) -> str:
        """The flag in words; a cohort with a public holiday in it says which (国庆周的批次:
        "2026-W40 · 09-28..10-04(国庆)")."""
        way = "low" if self.rate < self.expected else "high"
        kind = self.week.kind
        week = cohort_label(self.week.start, kind, lang)
        if festivals := holidays.of_period(self.week):
            names = "·".join(holidays.holiday_name(k, lang) for k in festivals)
            week += t("story.flag.holiday", lang, names=names)
        return t(f"story.flag.{way}", lang, week=week,
                 offset=offset_label(kind, self.offset, lang), rate=pct(self.rate),
                 expected=pct(self.expected))


def flagged(anomalies: Callable[[int], pd.DataFrame], offsets: Sequence[int],
            period: PeriodKind = DEFAULT_PERIOD) -> list[Flag]:
    """Every cohort whose rate at offset ``k`` left its expected band, newest first."""
    found = []
    cls = period_class(period)
    for k in offsets:
        band = anomalies(k)
        for start in flagged_weeks(band):
            row = band.loc[start]
            found.append(Flag(cls.containing(start), k, _as_float(row["rate"]),
                              _as_float(row["expected"])))
    return sorted(found, key=lambda f: (f.week, -f.offset), reverse=True)


@dataclass(frozen=True)
class FlagEvent:
    """One cohort outside its usual range on one side, at one or more offsets (``flags``):
    one line on the Overview, however many offsets it left its band at."""

    week: Period
    flags: tuple[Flag, ...]

    @property
    def low(self) -> bool:
        return self.flags[0].rate < self.flags[0].expected

    def holidays(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The holidays of the cohort's own period, and those of the periods its flagged
        offsets came back in (the Spring Festival dips cohorts before it, at W2 and W4)."""
        own = holidays.of_period(self.week)
        back = tuple(dict.fromkeys(h for f in self.flags
                                   for h in holidays.of_period(self.week.shift(f.offset))
                                   if h not in own))
        return own, back

    def sentence(self, lang: Lang) -> str:
        """"2026-W07 · 02-09..02-15(春节期间):W1 留存 20.1%(预期约 28.0%)、W2 留存 …,低于正常
        范围"; no p-value, band or σ (the help says how the range is drawn)."""
        kind = self.week.kind
        week = cohort_label(self.week.start, kind, lang)
        own, back = self.holidays()
        if own:
            week += t("story.flag.holiday", lang,
                      names="·".join(holidays.holiday_name(k, lang) for k in own))
        elif back:
            week += t("story.flags.back", lang,
                      names="·".join(holidays.holiday_name(k, lang) for k in back))
        cells = ("、" if lang == "zh" else "; ").join(
            t("story.flags.cell", lang, offset=offset_label(kind, f.offset, lang),
              rate=pct(f.rate), expected=pct(f.expected)) for f in self.flags)
        return t(f"story.flags.{'low' if self.low else 'high'}", lang, week=week, cells=cells)


def flag_events(bands: Mapping[int, pd.DataFrame], shifts: Sequence[Shift],
                period: PeriodKind = DEFAULT_PERIOD) -> list[FlagEvent]:
    """The cohorts outside their usual range (:func:`~wxdata.analytics.anomalies.flagged_cohorts`:
    a level shift's step is the shift, said once elsewhere, not flagged again), one event per
    cohort and side, newest first."""
    cls = period_class(period)
    grouped: dict[tuple[pd.Timestamp, bool], list[Flag]] = {}
    for k, starts in flagged_cohorts(bands, shifts).items():
        for start in starts:
            row = bands[k].loc[start]
            flag = Flag(cls.containing(start), k, _as_float(row["rate"]),
                        _as_float(row["expected"]))
            grouped.setdefault((start, flag.rate < flag.expected), []).append(flag)
    events = [FlagEvent(flags[0].week, tuple(sorted(flags, key=lambda f: f.offset)))
              for flags in grouped.values()]
    return sorted(events, key=lambda e: (e.week, e.low), reverse=True)

"""China's public holidays and make-up working days (调休), from ``chinese-calendar`` (offline).

A cohort that starts in the National Day week retains differently for reasons no release
explains, and a daily chart dips on every festival. The State Council publishes each year's
days off (and the weekend days worked in exchange) in November or December for the year after;
the ``chinese-calendar`` package carries that table, year by year, with no network call. What it
covers is :func:`covered_years` (2004-2026 with chinese-calendar 1.11.0); a day after it has no
known holiday, and :func:`uncovered_years` names such years so that a screen can say so rather
than show a festival as an ordinary day. A newer chinese-calendar release adds the next year.

Each holiday-related day is a :class:`HolidayDay`: its festival (a stable key such as
``national_day``) and whether it is a day off or a make-up working day.

>>> [(d.day.isoformat(), d.key, d.off) for d in between(date(2026, 9, 30), date(2026, 10, 2))]
[('2026-10-01', 'national_day', True), ('2026-10-02', 'national_day', True)]
>>> holiday_name("national_day", "zh"), holiday_name("spring_festival", "en")
('国庆', 'Spring Festival')
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import chinese_calendar

from wxdata.core.periods import Period
from wxdata.i18n import Lang, t

#: chinese-calendar's festival names (its ``Holiday`` enum values) → this project's keys. A
#: festival the table gains later that is not here keeps a key made from its own name.
_KEYS: dict[str, str] = {holiday.value: holiday.name for holiday in chinese_calendar.Holiday}

#: The catalogue entry of each festival's short name (国庆, 春节 …).
NAME_KEYS: dict[str, str] = {
    "new_years_day": "holiday.new_years_day",
    "spring_festival": "holiday.spring_festival",
    "tomb_sweeping_day": "holiday.tomb_sweeping_day",
    "labour_day": "holiday.labour_day",
    "dragon_boat_festival": "holiday.dragon_boat_festival",
    "national_day": "holiday.national_day",
    "mid_autumn_festival": "holiday.mid_autumn_festival",
    "anti_fascist_70th_day": "holiday.anti_fascist_70th_day",
}


@dataclass(frozen=True, order=True)
class HolidayDay:
    """One day of a holiday's schedule: a day off (``off``) or a make-up working day."""

    day: date
    key: str
    off: bool

    def name(self, lang: Lang) -> str:
        """国庆 / "National Day" for a day off; 国庆调休 / "National Day make-up workday"."""
        name = holiday_name(self.key, lang)
        return name if self.off else t("holiday.workday", lang, name=name)


def holiday_name(key: str, lang: Lang) -> str:
    """The short name of the festival ``key`` in ``lang`` (the key itself if unknown)."""
    name_key = NAME_KEYS.get(key)
    return t(name_key, lang) if name_key else key.replace("_", " ")


@cache
def covered_years() -> tuple[int, int]:
    """The first and last year chinese-calendar knows the holidays of."""
    known = [*chinese_calendar.holidays, *chinese_calendar.workdays]
    return min(known).year, max(known).year


def uncovered_years(first: date, last: date) -> list[int]:
    """The years of ``first..last`` whose holidays are not known (empty when all are)."""
    low, high = covered_years()
    return [year for year in range(first.year, last.year + 1) if not low <= year <= high]


@cache
def _table() -> dict[date, HolidayDay]:
    days: dict[date, HolidayDay] = {}
    for table, off in ((chinese_calendar.holidays, True), (chinese_calendar.workdays, False)):
        for day, festival in table.items():
            key = _KEYS.get(festival, str(festival).lower().replace(" ", "_").replace("-", "_"))
            days[day] = HolidayDay(day, key, off)
    return days


def on(day: date) -> HolidayDay | None:
    """The holiday schedule of ``day``: None for an ordinary day (or a year not covered)."""
    return _table().get(day)


def between(first: date, last: date) -> Iterator[HolidayDay]:
    """Every holiday day off and make-up working day of ``first..last`` (inclusive), in order."""
    day = first
    while day <= last:
        found = on(day)
        if found is not None:
            yield found
        day += timedelta(days=1)


def of_period(period: Period) -> tuple[str, ...]:
    """The festivals with a day off inside ``period``, in order: ``("national_day",)`` for
    2026-W40 (国庆周), ``()`` for an ordinary week. A make-up working day alone does not count."""
    keys: list[str] = []
    for found in between(period.start, period.end):
        if found.off and found.key not in keys:
            keys.append(found.key)
    return tuple(keys)


def bands(first: date, last: date) -> list[tuple[date, date, tuple[str, ...]]]:
    """The runs of consecutive days off inside ``first..last``: ``(start, end, festivals)``,
    for shaded bands on a time axis. Two festivals that touch are one run (2025: 国庆 1-5
    October, 中秋 the 6th, 国庆 again 7-8 October: one band, both names)."""
    runs: list[tuple[date, date, tuple[str, ...]]] = []
    for found in between(first, last):
        if not found.off:
            continue
        if runs and runs[-1][1] + timedelta(days=1) == found.day:
            begin, _, keys = runs[-1]
            runs[-1] = (begin, found.day, keys if found.key in keys else (*keys, found.key))
        else:
            runs.append((found.day, found.day, (found.key,)))
    return runs


def uncovered_notice(first: date, last: date, lang: Lang) -> str | None:
    """What to tell a reader of ``first..last`` whose holidays are partly unknown, or None."""
    last_known = covered_years()[1]
    late = [year for year in uncovered_years(first, last) if year > last_known]
    if not late:  # years before 2004 do not count: WeChat has no data that old
        return None
    return t("holiday.uncovered", lang, last=last_known,
             years=("、" if lang == "zh" else ", ").join(map(str, late)))


__all__ = ["NAME_KEYS", "HolidayDay", "bands", "between", "covered_years", "holiday_name",
           "of_period", "on", "uncovered_notice", "uncovered_years"]

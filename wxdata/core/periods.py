"""Cohort periods: natural days, weeks (Monday..Sunday) and months, in China Standard Time.

Everything WeChat's three retention APIs share and everything in which they differ lives here,
once per period: the natural bounds (UTC+8), the dates a request sends and the ``ref_date`` an
answer carries, the keys each API publishes, when each key can first appear, when a cohort is
final, its names (ISO, label, offset names) and its API path. WeChat's days are UTC+8 whatever
the server's zone, so "today", "has this period ended" and "is this cohort final" are computed
here from an aware ``now``.

>>> w = Week.containing(date(2026, 11, 4))
>>> w.label, w.api_dates, w.ref_date
('2026-W45 · 11-02..11-08', ('20261102', '20261108'), '20261102-20261108')
>>> d = Day(date(2026, 11, 3))
>>> d.iso, d.api_dates, d.ref_date, d.offset_name(1), d.offset_name(30)
('2026-11-03', ('20261103', '20261103'), '20261103', 'D1', 'D30')
>>> m = Month.parse("2026-11")
>>> m.iso, m.api_dates, m.ref_date, m.KEYS
('2026-11', ('20261101', '20261130'), '202611', (0, 1))
>>> period_of_ref_date("20261103") == d, period_of_ref_date("202611") == m
(True, True)

Key k of a cohort appears once the period k after it has ended (day D+k, week W+k, month M+k)
and WeChat computes a day's numbers during the next morning (usually by 10:00 UTC+8, sometimes
only by 15:00, answering 61503 "not ready" or an empty answer until then). So a cohort is
**final** one day after its last key can first appear: a copy fetched on that morning could lack
its last key; from the next day 00:00 UTC+8 on, it is complete and never asked for again.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import ClassVar, Literal, TypeVar

from wxdata.core.errors import DateError

#: China has had no daylight saving since 1991: a fixed offset needs no tz database.
CST = timezone(timedelta(hours=8), "UTC+8")
#: WeChat's analysis API has data from 2017 on (its own example is the week of 2017-03-06): no
#: cohort that starts before this day is ever asked for.
EARLIEST_DAY = date(2017, 1, 1)
#: How long after a key can first appear it is surely computed (see the module docstring).
COMPUTED_WITHIN = timedelta(days=1)
#: Periods exist between these days only, so that no arithmetic on one can overflow Python's
#: dates (a link once asked for ``9999-W52`` and crashed the page).
_FIRST_DAY, _LAST_DAY = date(1900, 1, 1), date(2999, 12, 30)

PeriodKind = Literal["day", "week", "month"]
PERIOD_KINDS: tuple[PeriodKind, ...] = ("day", "week", "month")
DEFAULT_PERIOD: PeriodKind = "week"
#: The span a view opens on when nobody chose one (the dashboard's default, what ``sync`` warms).
#: Days open on 60: a cohort's D30 appears 30 days after it, so in the newest 30 days no cohort
#: has one (the Overview's 30日 tile was a dash), and the same-weekday bands need 8 weeks.
DEFAULT_SPANS: dict[PeriodKind, int] = {"day": 60, "week": 12, "month": 12}

_ISO_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_ISO_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)
_REF_WEEK = re.compile(r"^(\d{8})-(\d{8})$")
_REF_DAY = re.compile(r"^(\d{8})$")
_REF_MONTH = re.compile(r"^(\d{4})(\d{2})$")

P = TypeVar("P", bound="Period")


def now_cst() -> datetime:
    """The current moment, in UTC+8."""
    return datetime.now(CST)


def _as_cst(now: datetime | None) -> datetime:
    if now is None:
        return now_cst()
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(CST)


def today_cst(now: datetime | None = None) -> date:
    """Today's date in China, which can differ from the server's date."""
    return _as_cst(now).date()


def parse_date(text: str) -> date:
    """A date from ``YYYY-MM-DD`` or ``YYYYMMDD``; anything else is a :class:`DateError`."""
    match = _ISO_DATE.match(str(text).strip())
    if match:
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise DateError("bad_date", value=str(text))


def _plus(day: date, *, days: int) -> date:
    """``day`` + ``days``; beyond Python's calendar a :class:`DateError`, never an overflow."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        raise DateError("out_of_range", value=f"{day.isoformat()} {days:+d}") from None


def _midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), CST)


@dataclass(frozen=True, order=True)
class Period:
    """One cohort period, identified by its first day. Subclasses: :class:`Day`, :class:`Week`,
    :class:`Month`; two periods of different kinds are never equal."""

    start: date

    #: "day" | "week" | "month": in links, the CLI, the store and file names
    kind: ClassVar[PeriodKind]
    #: the keys (offsets) WeChat's API for this period documents, in order
    KEYS: ClassVar[tuple[int, ...]]
    #: the API's path under the API base, and its cloud-call name (openapi.analysis.NAME)
    API_PATH: ClassVar[str]
    CLOUD_CALL: ClassVar[str]
    #: the letter of offset names: D1, W1, M1
    LETTER: ClassVar[str]

    def __post_init__(self) -> None:
        if not _FIRST_DAY <= self.start <= _LAST_DAY:
            raise DateError("out_of_range", value=self.start.isoformat())
        if self.natural_start(self.start) == self.start:
            return
        if self.kind == "week":
            raise DateError("not_monday", day=self.start.isoformat())
        raise DateError("not_first_of_month", day=self.start.isoformat())

    # -- what each period defines ---------------------------------------------------------------

    @staticmethod
    def natural_start(day: date) -> date:
        """The first day of the period that contains ``day``."""
        raise NotImplementedError

    @property
    def end(self) -> date:
        """The period's last day."""
        raise NotImplementedError

    def shift(self: P, n: int) -> P:
        """The period ``n`` periods later (earlier for a negative ``n``)."""
        raise NotImplementedError

    @property
    def iso(self) -> str:
        """ISO name: ``2026-11-03``, ``2026-W45``, ``2026-11``; stable in URLs and file names."""
        raise NotImplementedError

    @property
    def ref_date(self) -> str:
        """The ``ref_date`` WeChat's answer carries for this period."""
        raise NotImplementedError

    @classmethod
    def from_api_dates(cls: type[P], begin: str, end: str) -> P:
        """The period of a request's ``begin_date``/``end_date``; a non-natural one is an error."""
        first, last = parse_date(begin), parse_date(end)
        period = cls.containing(first)
        if period.start != first or period.end != last:
            raise DateError(f"not_natural_{cls.kind}", begin=first.isoformat(),
                            end=last.isoformat())
        return period

    @classmethod
    def from_ref_date(cls: type[P], ref_date: str) -> P:
        """Parse WeChat's ``ref_date`` of this period's form."""
        period = period_of_ref_date(ref_date)
        if not isinstance(period, cls):
            raise DateError("bad_ref_date", value=ref_date)
        return period

    @classmethod
    def parse(cls: type[P], text: str) -> P:
        """A period from its ISO name or from any date inside it."""
        return cls.containing(parse_date(text))

    # -- shared by every period -----------------------------------------------------------------

    @classmethod
    def containing(cls: type[P], day: date) -> P:
        """The period of ``day`` (a date, or a datetime/``pd.Timestamp`` by its calendar day)."""
        if isinstance(day, datetime):
            day = day.date()
        if not _FIRST_DAY <= day <= _LAST_DAY + timedelta(days=6):
            raise DateError("out_of_range", value=day.isoformat())
        return cls(cls.natural_start(day))

    @property
    def label(self) -> str:
        """How a cohort is named on screen and in messages."""
        return self.iso

    @property
    def api_dates(self) -> tuple[str, str]:
        return self.start.strftime("%Y%m%d"), self.end.strftime("%Y%m%d")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def ends_at(self) -> datetime:
        """The moment the period is over in China (the next day 00:00 UTC+8)."""
        return _midnight(self.end + timedelta(days=1))

    def has_ended(self, now: datetime | None = None) -> bool:
        return _as_cst(now) >= self.ends_at()

    def key_appears_at(self, key: int) -> datetime:
        """The first moment WeChat can have key ``key`` of this cohort: when period+key ends."""
        return self.shift(key).ends_at()

    def published_keys(self, now: datetime | None = None) -> tuple[int, ...]:
        """The keys WeChat can have published for this cohort by ``now``."""
        moment = _as_cst(now)
        return tuple(k for k in self.KEYS if moment >= self.key_appears_at(k))

    def final_at(self) -> datetime:
        """From this moment every documented key is surely computed (module docstring)."""
        return self.key_appears_at(self.KEYS[-1]) + COMPUTED_WITHIN

    def is_final(self, now: datetime | None = None) -> bool:
        return _as_cst(now) >= self.final_at()

    @classmethod
    def offset_name(cls, key: int) -> str:
        """The language-neutral name of an offset: ``D1``, ``W4``, ``M1``."""
        return f"{cls.LETTER}{key}"

    @classmethod
    def earliest(cls: type[P]) -> P:
        """The oldest cohort ever asked for: the first that starts on or after 2017-01-01."""
        first = cls.containing(EARLIEST_DAY)
        return first if first.start >= EARLIEST_DAY else first.shift(1)

    @classmethod
    def last_ended(cls: type[P], now: datetime | None = None) -> P:
        """The newest period that has ended in China: never the current one."""
        return cls.containing(today_cst(now)).shift(-1)

    @classmethod
    def between(cls: type[P], first: P, last: P) -> Iterator[P]:
        period = first
        while period <= last:
            yield period
            period = period.shift(1)

    @classmethod
    def span(cls: type[P], start: date | str, end: date | str,
             now: datetime | None = None) -> list[P]:
        """Every ended period that overlaps ``start..end`` (inclusive), oldest first. A date
        inside a week or month stands for the whole of it; today, this week and this month
        are cut off (they have not ended)."""
        first_day, last_day = _first_and_last_day(start)[0], _first_and_last_day(end)[1]
        if last_day < first_day:
            raise DateError("end_before_start", start=first_day.isoformat(),
                            end=last_day.isoformat())
        if first_day < EARLIEST_DAY or cls.containing(first_day) < cls.earliest():
            raise DateError("too_early", value=first_day.isoformat(),
                            earliest=cls.earliest().start.isoformat())
        newest = min(cls.containing(last_day), cls.last_ended(now))
        periods = list(cls.between(cls.containing(first_day), newest))
        if not periods:
            raise DateError(f"no_ended_{cls.kind}", start=first_day.isoformat(),
                            end=last_day.isoformat(), last=cls.last_ended(now).label)
        return periods

    @classmethod
    def last_n(cls: type[P], n: int, now: datetime | None = None) -> list[P]:
        """The ``n`` newest ended periods, oldest first."""
        if n < 1:
            raise DateError(f"bad_{cls.kind}_count", value=str(n))
        newest = cls.last_ended(now)
        try:
            oldest: P | None = newest.shift(-(n - 1))
        except (DateError, OverflowError):  # before 1900: surely before 2017 too
            oldest = None
        if oldest is None or oldest < cls.earliest():
            raise DateError("too_early", value=f"{n}",
                            earliest=cls.earliest().start.isoformat())
        return list(cls.between(oldest, newest))


def _first_and_last_day(value: date | str) -> tuple[date, date]:
    """The days a span bound stands for: a date is itself, ``YYYY-MM`` the whole month."""
    if isinstance(value, date):
        return value, value
    if _ISO_MONTH.match(value.strip()):
        month = Month.parse(value)
        return month.start, month.end
    day = parse_date(value)
    return day, day


@dataclass(frozen=True, order=True)
class Day(Period):
    """One natural day (00:00..24:00 UTC+8). getDailyRetain: begin = end = the day."""

    kind: ClassVar[PeriodKind] = "day"
    KEYS: ClassVar[tuple[int, ...]] = (0, 1, 2, 3, 4, 5, 6, 7, 14, 30)
    API_PATH: ClassVar[str] = "/datacube/getweanalysisappiddailyretaininfo"
    CLOUD_CALL: ClassVar[str] = "getDailyRetain"
    LETTER: ClassVar[str] = "D"

    @staticmethod
    def natural_start(day: date) -> date:
        return day

    @property
    def end(self) -> date:
        return self.start

    def shift(self, n: int) -> Day:
        return Day(_plus(self.start, days=n))

    @property
    def iso(self) -> str:
        return self.start.isoformat()

    @property
    def ref_date(self) -> str:
        return self.start.strftime("%Y%m%d")

    @property
    def is_weekend(self) -> bool:
        return self.start.weekday() >= 5


@dataclass(frozen=True, order=True)
class Week(Period):
    """One natural week, Monday..Sunday. getWeeklyRetain: begin the Monday, end the Sunday."""

    kind: ClassVar[PeriodKind] = "week"
    KEYS: ClassVar[tuple[int, ...]] = (0, 1, 2, 3, 4)
    API_PATH: ClassVar[str] = "/datacube/getweanalysisappidweeklyretaininfo"
    CLOUD_CALL: ClassVar[str] = "getWeeklyRetain"
    LETTER: ClassVar[str] = "W"

    @staticmethod
    def natural_start(day: date) -> date:
        return day - timedelta(days=day.weekday())

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    def shift(self, n: int) -> Week:
        return Week(_plus(self.start, days=7 * n))

    @property
    def iso(self) -> str:
        year, number, _ = self.start.isocalendar()
        return f"{year}-W{number:02d}"

    @property
    def label(self) -> str:
        return f"{self.iso} · {self.start:%m-%d}..{self.end:%m-%d}"

    @property
    def ref_date(self) -> str:
        return "-".join(self.api_dates)

    @classmethod
    def parse(cls, text: str) -> Week:
        """A week from ``2026-W45`` or from any date inside it."""
        iso = _ISO_WEEK.match(text.strip())
        if iso:
            try:
                return cls(date.fromisocalendar(int(iso.group(1)), int(iso.group(2)), 1))
            except ValueError:
                raise DateError("bad_week", value=text) from None
        return cls.containing(parse_date(text))


@dataclass(frozen=True, order=True)
class Month(Period):
    """One calendar month. getMonthlyRetain: begin the 1st, end the month's last day."""

    kind: ClassVar[PeriodKind] = "month"
    KEYS: ClassVar[tuple[int, ...]] = (0, 1)
    API_PATH: ClassVar[str] = "/datacube/getweanalysisappidmonthlyretaininfo"
    CLOUD_CALL: ClassVar[str] = "getMonthlyRetain"
    LETTER: ClassVar[str] = "M"

    @staticmethod
    def natural_start(day: date) -> date:
        return day.replace(day=1)

    @property
    def end(self) -> date:
        return self.start.replace(day=calendar.monthrange(self.start.year, self.start.month)[1])

    def shift(self, n: int) -> Month:
        index = self.start.year * 12 + self.start.month - 1 + n
        if not _FIRST_DAY.year <= index // 12 <= _LAST_DAY.year:
            raise DateError("out_of_range", value=f"{index // 12}-{index % 12 + 1:02d}")
        return Month(date(index // 12, index % 12 + 1, 1))

    @property
    def iso(self) -> str:
        return f"{self.start:%Y-%m}"

    @property
    def ref_date(self) -> str:
        return f"{self.start:%Y%m}"

    @classmethod
    def parse(cls, text: str) -> Month:
        """A month from ``2026-11`` or from any date inside it."""
        month = _ISO_MONTH.match(text.strip())
        if month:
            try:
                return cls(date(int(month.group(1)), int(month.group(2)), 1))
            except ValueError:
                raise DateError("bad_month", value=text) from None
        return cls.containing(parse_date(text))


#: The period class of each kind.
PERIODS: dict[PeriodKind, type[Period]] = {"day": Day, "week": Week, "month": Month}


def period_class(kind: str) -> type[Period]:
    """The class of ``kind`` ("day", "week", "month"); anything else is a :class:`DateError`."""
    try:
        return PERIODS[kind]  # type: ignore[index]
    except KeyError:
        raise DateError("bad_period", value=str(kind)[:20]) from None


def period_of_ref_date(ref_date: str) -> Period:
    """The cohort an answer's ``ref_date`` names; its form says which API it came from:
    ``20261102-20261108`` a week, ``20261103`` a day, ``202611`` a month."""
    text = ref_date.strip()
    try:
        if match := _REF_WEEK.match(text):
            return Week.from_api_dates(match.group(1), match.group(2))
        if _REF_DAY.match(text):
            return Day(parse_date(text))
        if match := _REF_MONTH.match(text):
            return Month(date(int(match.group(1)), int(match.group(2)), 1))
    except (DateError, ValueError):
        pass
    raise DateError("bad_ref_date", value=ref_date[:40])


def check_length(periods: Sequence[Period], most: int) -> None:
    """A span of more than ``most`` periods is a DateError: each one costs an API call of the
    mini program's shared daily quota, so a long one has to be asked for on purpose."""
    if len(periods) > most:
        raise DateError(f"too_many_{periods[0].kind}s", n=len(periods), most=most,
                        first=periods[0].label, last=periods[-1].label)


# -- the week's shorthands, used all over the weekly code ----------------------------------------

#: Offsets 0..4 are documented for weeks.
DOCUMENTED_OFFSETS = len(Week.KEYS)
#: The Monday of the earliest week ever asked for.
EARLIEST = Week.earliest().start


def last_ended_week(now: datetime | None = None) -> Week:
    """The newest week that has ended in China: never the current one."""
    return Week.last_ended(now)


def iter_weeks(first: Week, last: Week) -> Iterator[Week]:
    return Week.between(first, last)


def span(start: date | str, end: date | str, now: datetime | None = None) -> list[Week]:
    """Every ended natural week that overlaps ``start..end`` (inclusive), oldest first.

    >>> [w.iso for w in span("2026-11-04", "2026-11-10",
    ...                      now=datetime(2026, 11, 28, tzinfo=CST))]
    ['2026-W45', '2026-W46']
    """
    return Week.span(start, end, now)


def last_n_weeks(n: int, now: datetime | None = None) -> list[Week]:
    """The ``n`` newest ended weeks, oldest first."""
    return Week.last_n(n, now)

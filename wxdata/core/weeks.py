"""Natural weeks (Monday..Sunday) in China Standard Time.

WeChat's days are UTC+8 whatever the server's zone, so "today", "has this week ended" and
"is this week final" are all computed here, in one place, from an aware ``now``.

>>> w = Week.containing(date(2026, 11, 4))
>>> w.label
'2026-W45 · 11-02..11-08'
>>> w.api_dates
('20261102', '20261108')
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from wxdata.core.errors import DateError

#: China has had no daylight saving since 1991: a fixed offset needs no tz database.
CST = timezone(timedelta(hours=8), "UTC+8")
#: Offsets 0..4 are documented; week W's key k is published once week W+k has ended.
DOCUMENTED_OFFSETS = 5
#: A week is final one day after its last documented key can first have been published: key 4
#: of week W comes once week W+4 has ended (Monday + 35 days, 00:00 UTC+8), but WeChat computes
#: a day's numbers during the next morning (usually by 10:00, sometimes only by 15:00, answering
#: 61503 "not ready" or an empty week until then). A copy fetched that Monday morning would
#: have been cached as final without its last key; from Tuesday 00:00 it is complete.
FINAL_AFTER = timedelta(days=7 * DOCUMENTED_OFFSETS + 1)
#: WeChat's analysis API has data from 2017 on (its own example is the week of 2017-03-06): no
#: week before this Monday is ever asked for.
EARLIEST = date(2017, 1, 2)
#: Weeks exist between these Mondays only, so that no arithmetic on a week can overflow
#: Python's dates (a link once asked for ``9999-W52`` and crashed the page).
_FIRST_MONDAY, _LAST_MONDAY = date(1900, 1, 1), date(2999, 12, 30)

_ISO_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})$")
_REF_DATE = re.compile(r"^(\d{8})-(\d{8})$")


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


@dataclass(frozen=True, order=True)
class Week:
    """One natural week, identified by its Monday."""

    start: date

    def __post_init__(self) -> None:
        if self.start.weekday() != 0:
            raise DateError("not_monday", day=self.start.isoformat())
        if not _FIRST_MONDAY <= self.start <= _LAST_MONDAY:
            raise DateError("out_of_range", value=self.start.isoformat())

    @classmethod
    def containing(cls, day: date) -> Week:
        """The week of ``day`` (a date, or a datetime/``pd.Timestamp`` by its calendar day)."""
        if isinstance(day, datetime):
            day = day.date()
        if not _FIRST_MONDAY <= day <= _LAST_MONDAY + timedelta(days=6):
            raise DateError("out_of_range", value=day.isoformat())
        return cls(day - timedelta(days=day.weekday()))

    @classmethod
    def from_api_dates(cls, begin: str, end: str) -> Week:
        """The week of a request's ``begin_date``/``end_date``; a non-natural week is an error."""
        first, last = parse_date(begin), parse_date(end)
        if first.weekday() != 0 or last - first != timedelta(days=6):
            raise DateError("not_natural_week", begin=first.isoformat(), end=last.isoformat())
        return cls(first)

    @classmethod
    def from_ref_date(cls, ref_date: str) -> Week:
        """Parse WeChat's ``ref_date`` ("20170306-20170312")."""
        match = _REF_DATE.match(ref_date.strip())
        if not match:
            raise DateError("bad_ref_date", value=ref_date)
        return cls.from_api_dates(match.group(1), match.group(2))

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def api_dates(self) -> tuple[str, str]:
        return self.start.strftime("%Y%m%d"), self.end.strftime("%Y%m%d")

    @property
    def ref_date(self) -> str:
        return "-".join(self.api_dates)

    @property
    def iso(self) -> str:
        """ISO week name, e.g. ``2026-W45``; stable in URLs and file names."""
        year, number, _ = self.start.isocalendar()
        return f"{year}-W{number:02d}"

    @property
    def label(self) -> str:
        return f"{self.iso} · {self.start:%m-%d}..{self.end:%m-%d}"

    def shift(self, weeks: int) -> Week:
        return Week(self.start + timedelta(weeks=weeks))

    def ends_at(self) -> datetime:
        """The moment the week is over in China (next Monday 00:00 UTC+8)."""
        return datetime.combine(self.start + timedelta(days=7), datetime.min.time(), CST)

    def has_ended(self, now: datetime | None = None) -> bool:
        return _as_cst(now) >= self.ends_at()

    def is_final(self, now: datetime | None = None) -> bool:
        """True once every documented offset has been computed: from Monday + 36 days, 00:00
        UTC+8 (one day after the last key can first appear; see :data:`FINAL_AFTER`)."""
        final_at = datetime.combine(self.start + FINAL_AFTER, datetime.min.time(), CST)
        return _as_cst(now) >= final_at

    def published_offsets(self, now: datetime | None = None) -> int:
        """How many keys (0..4) WeChat can have published for this week by ``now``."""
        return sum(1 for k in range(DOCUMENTED_OFFSETS) if self.shift(k).has_ended(now))

    @classmethod
    def parse(cls, text: str) -> Week:
        """A week from ``2026-W45`` or from any date inside it."""
        text = text.strip()
        iso = re.match(r"^(\d{4})-?W(\d{1,2})$", text, re.IGNORECASE)
        if iso:
            try:
                return cls(date.fromisocalendar(int(iso.group(1)), int(iso.group(2)), 1))
            except ValueError:
                raise DateError("bad_week", value=text) from None
        return cls.containing(parse_date(text))


def parse_date(text: str) -> date:
    """A date from ``YYYY-MM-DD`` or ``YYYYMMDD``; anything else is a :class:`DateError`."""
    match = _ISO_DATE.match(str(text).strip())
    if match:
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise DateError("bad_date", value=str(text))


def last_ended_week(now: datetime | None = None) -> Week:
    """The newest week that has ended in China: never the current one."""
    return Week.containing(today_cst(now)).shift(-1)


def iter_weeks(first: Week, last: Week) -> Iterator[Week]:
    week = first
    while week <= last:
        yield week
        week = week.shift(1)


def span(start: date | str, end: date | str, now: datetime | None = None) -> list[Week]:
    """Every ended natural week that overlaps ``start..end`` (inclusive), oldest first.

    >>> [w.iso for w in span("2026-11-04", "2026-11-10",
    ...                      now=datetime(2026, 11, 28, tzinfo=CST))]
    ['2026-W45', '2026-W46']
    """
    first_day = parse_date(start) if isinstance(start, str) else start
    last_day = parse_date(end) if isinstance(end, str) else end
    if last_day < first_day:
        raise DateError("end_before_start", start=first_day.isoformat(), end=last_day.isoformat())
    if first_day < EARLIEST:
        raise DateError("too_early", value=first_day.isoformat(), earliest=EARLIEST.isoformat())
    newest = min(Week.containing(last_day), last_ended_week(now))
    weeks = list(iter_weeks(Week.containing(first_day), newest))
    if not weeks:
        raise DateError(
            "no_ended_week",
            start=first_day.isoformat(),
            end=last_day.isoformat(),
            last=last_ended_week(now).label,
        )
    return weeks


def last_n_weeks(n: int, now: datetime | None = None) -> list[Week]:
    """The ``n`` newest ended weeks, oldest first."""
    if n < 1:
        raise DateError("bad_week_count", value=str(n))
    newest = last_ended_week(now)
    available = (newest.start - EARLIEST).days // 7 + 1
    if n > available:
        raise DateError("too_early", value=f"{n}", earliest=EARLIEST.isoformat())
    return list(iter_weeks(newest.shift(-(n - 1)), newest))


def check_length(weeks: Sequence[Week], most: int) -> None:
    """A span of more than ``most`` weeks is a DateError: each week costs an API call of the
    mini program's shared daily quota, so a long one has to be asked for on purpose."""
    if len(weeks) > most:
        raise DateError("too_many_weeks", n=len(weeks), most=most,
                        first=weeks[0].label, last=weeks[-1].label)

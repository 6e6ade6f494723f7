"""The view as URL query parameters, parsed and written without Streamlit.

A copied link reproduces a view: ``?app=wx1,wx2&weeks=26&metric=active&lang=en``, days or
months (``?period=day&days=90``, ``?period=month``) or a custom range in the period's own ISO
names (``?from=2026-W30&to=2026-W45``, ``?period=day&from=2026-09-01&to=2026-11-30``). Parsing
never raises: a parameter that cannot be used as it is falls back or is corrected, and yields a
:class:`Notice` naming it, the value given and the value used, which the sidebar shows once. A
link is typed or pasted by anyone: its values are shown as text, never as Markdown
(``dashboard.text``).

>>> sel, notices = parse_selection({"weeks": "26", "metric": "bogus"}, apps=["wx1", "wx2"])
>>> sel.app_ids, sel.period, sel.span.count, sel.metric, [(n.param, n.used) for n in notices]
(('wx1',), 'week', 26, 'new', [('metric', 'new')])
>>> sel, _ = parse_selection({"period": "day"}, apps=["wx1"])
>>> sel.period, sel.span.count, sel.to_params("wx1")
('day', 60, {'period': 'day'})
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from wxdata.config import DEFAULT_MAX_DAYS, DEFAULT_MAX_MONTHS, DEFAULT_MAX_WEEKS, load_settings
from wxdata.core.errors import DateError, WxDataError
from wxdata.core.payload import METRICS, Metric
from wxdata.core.periods import (
    DEFAULT_PERIOD,
    DEFAULT_SPANS,
    PERIOD_KINDS,
    Period,
    PeriodKind,
    period_class,
)
from wxdata.dashboard import keys
from wxdata.i18n import DEFAULT_LANG, LANGS, Lang, t

#: The spans the sidebar offers, per period (issue 14: a month to half a year of days, a quarter
#: to two years of weeks, half a year to three years of months).
PRESETS: dict[PeriodKind, tuple[int, ...]] = {
    "day": (30, 60, 90, 180), "week": (12, 26, 52, 104), "month": (6, 12, 24, 36)}
#: Presets the sidebar no longer offers that links shared before still ask for: they keep
#: working (the sidebar shows them while chosen).
LEGACY_PRESETS: dict[PeriodKind, tuple[int, ...]] = {"day": (), "week": (8,), "month": ()}
#: The URL parameter of each period's preset: ``days=90``, ``weeks=26``, ``months=24``.
COUNT_PARAMS: dict[PeriodKind, str] = {"day": keys.DAYS, "week": keys.WEEKS,
                                       "month": keys.MONTHS}
#: A custom range keeps its newest periods up to this many unless the settings say otherwise
#: (``max_days``, ``max_weeks``, ``max_months``; :func:`max_periods`): two years of weeks (what a
#: heatmap can still show row by row, and what the shared quota can afford per view), the
#: longest preset of days and of months.
MAX_PERIODS: dict[PeriodKind, int] = {"day": DEFAULT_MAX_DAYS, "week": DEFAULT_MAX_WEEKS,
                                      "month": DEFAULT_MAX_MONTHS}
MAX_WEEKS = MAX_PERIODS["week"]
#: The most of a value from a link a notice quotes (it names it; it need not quote a novel).
_SHOWN = 40
#: How Streamlit writes a bound toggle in the URL (``bind="query-params"``), in any case.
BOUND_FLAG_VALUES = ("true", "false")

RawParams = Mapping[str, str | list[str]]
T = TypeVar("T", bound=str)


@dataclass(frozen=True)
class Notice:
    """A URL parameter that was not understood and what was used instead."""

    param: str
    value: str
    #: what the view uses instead (a value as it would appear in a link)
    used: str = ""

    def message(self, lang: Lang, quote: Callable[[str], str] = str) -> str:
        """The sentence; ``quote`` makes the link's own texts safe where they are shown."""
        return t("sidebar.bad_param", lang, param=quote(_short(self.param)),
                 value=quote(_short(self.value)), used=quote(_short(self.used) or "-"))


def max_periods(kind: PeriodKind) -> int:
    """The most periods of ``kind`` one custom range keeps: the settings' ``max_days``,
    ``max_weeks`` or ``max_months`` (``WXDATA_MAX_DAYS`` …), the same limit the CLI applies;
    settings that cannot be read give the default (the sidebar says what is wrong with them)."""
    try:
        return load_settings().max_periods(kind)
    except WxDataError:
        return MAX_PERIODS[kind]


def _short(text: str) -> str:
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


def offered(kind: PeriodKind, chosen: int | None = None) -> tuple[int, ...]:
    """The presets the sidebar offers for ``kind``: its own up to the settings' cap
    (:func:`max_periods`: 180 days is not offered when ``WXDATA_MAX_DAYS=60``; the default
    always is), and a legacy one while chosen."""
    extra = (chosen,) if chosen in LEGACY_PRESETS[kind] else ()
    cap = max_periods(kind)
    own = {n for n in PRESETS[kind] if n <= cap or n == DEFAULT_SPANS[kind]}
    return tuple(sorted({*own, *extra}))


@dataclass(frozen=True)
class Span:
    """Either the ``preset`` newest ended periods of ``kind`` (None: the kind's default), or the
    periods ``first..last``."""

    preset: int | None = None
    first: Period | None = None
    last: Period | None = None
    kind: PeriodKind = DEFAULT_PERIOD

    @property
    def custom(self) -> bool:
        return self.preset is None and self.first is not None and self.last is not None

    @property
    def count(self) -> int:
        """How many periods a preset span holds (the kind's default when none was given)."""
        return self.preset or DEFAULT_SPANS[self.kind]

    def periods(self, now: datetime | None = None) -> list[Period]:
        """The ended periods of the span, oldest first; DateError when none has ended."""
        cls = period_class(self.kind)
        if not self.custom or self.first is None or self.last is None:
            return cls.last_n(self.count, now)
        return cls.span(self.first.start, self.last.end, now)

    def to_params(self) -> dict[str, str]:
        if not self.custom or self.first is None or self.last is None:
            default = self.count == DEFAULT_SPANS[self.kind]
            return {} if default else {COUNT_PARAMS[self.kind]: str(self.count)}
        return {keys.FROM: self.first.iso, keys.TO: self.last.iso}


@dataclass(frozen=True)
class Selection:
    app_ids: tuple[str, ...]
    span: Span = field(default_factory=Span)
    metric: Metric = "new"
    lang: Lang = DEFAULT_LANG

    @property
    def period(self) -> PeriodKind:
        return self.span.kind

    def to_params(self, default_app: str | None = None) -> dict[str, str]:
        """Query parameters for this view; defaults are left out to keep links short."""
        params: dict[str, str] = {}
        if self.app_ids and self.app_ids != (default_app,):
            params[keys.APP] = ",".join(self.app_ids)
        if self.period != DEFAULT_PERIOD:
            params[keys.PERIOD] = self.period
        params.update(self.span.to_params())
        if self.metric != "new":
            params[keys.METRIC] = self.metric
        if self.lang != DEFAULT_LANG:
            params[keys.LANG] = self.lang
        return params


def last_value(raw: RawParams, key: str) -> str | None:
    """The last value given for ``key`` (a repeated parameter: the newest wins)."""
    value = raw.get(key)
    if isinstance(value, list):
        return value[-1] if value else None
    return value


def parse_choice(raw: RawParams, key: str, options: Sequence[T],
                 default: T) -> tuple[T, Notice | None]:
    """One of ``options`` from ``raw[key]``; the default (and a notice) when it is not one."""
    value = last_value(raw, key)
    if value is None or value == "":
        return default, None
    for option in options:
        if value.strip().lower() == option.lower():
            return option, None
    return default, Notice(key, value, default)


def bound_flag_notice(raw: RawParams, key: str) -> Notice | None:
    """A notice when the link gave a toggle bound to ``?key=`` a value Streamlit drops.

    Streamlit reads a bound toggle from ``true``/``false`` in any case and silently ignores
    anything else (an empty value included); the user should hear about the first kind.

    >>> bound_flag_notice({"log": "TRUE"}, "log") is None, bound_flag_notice({"log": "1"}, "log")
    (True, Notice(param='log', value='1', used='false'))
    """
    value = last_value(raw, key)
    if not value or value.lower() in BOUND_FLAG_VALUES:
        return None
    return Notice(key, value, "false")


def parse_list(raw: RawParams, key: str,
               options: Sequence[str]) -> tuple[tuple[str, ...], Notice | None]:
    """The known ``options`` listed in ``?key=a,b`` (in that order); a notice when some were not.

    >>> parse_list({"cohorts": "2026-W30,2026-W99"}, "cohorts", ["2026-W30", "2026-W31"])
    (('2026-W30',), Notice(param='cohorts', value='2026-W30,2026-W99', used='2026-W30'))
    """
    text = last_value(raw, key) or ""
    wanted = [part for part in text.split(",") if part]
    known = tuple(w for w in wanted if w in options)
    return known, Notice(key, text, ",".join(known)) if len(known) != len(wanted) else None


def parse_apps(raw: RawParams, apps: Sequence[str]) -> tuple[tuple[str, ...], Notice | None]:
    """The known app ids listed in ``app`` (comma-separated, in order, without repeats)."""
    default = tuple(apps[:1])
    value = last_value(raw, keys.APP)
    if not value:
        return default, None
    wanted = [part.strip() for part in value.split(",") if part.strip()]
    known = tuple(dict.fromkeys(a for a in wanted if a in apps))
    if len(known) == len(wanted) and known:
        return known, None
    return known or default, Notice(keys.APP, value, ",".join(known or default))


def parse_period(raw: RawParams) -> tuple[PeriodKind, Notice | None]:
    """The period a link asks for: ``?period=day|week|month``; without one, the period whose
    count it gives (``?days=90`` is days), else weeks."""
    if last_value(raw, keys.PERIOD) in (None, ""):
        given = [kind for kind in PERIOD_KINDS if last_value(raw, COUNT_PARAMS[kind])]
        return (given[0] if len(given) == 1 else DEFAULT_PERIOD), None
    return parse_choice(raw, keys.PERIOD, PERIOD_KINDS, DEFAULT_PERIOD)


def parse_span(raw: RawParams, *, kind: PeriodKind = DEFAULT_PERIOD,
               now: datetime | None = None,
               most: int | None = None) -> tuple[Span, list[Notice]]:
    """The span of ``kind`` a link asks for: a preset, or ``from``/``to`` (either alone is fine),
    kept inside the periods WeChat has (2017 on, ended ones) and at most ``most`` periods long;
    every correction is a notice naming the parameter, the value given and the one used. The
    count of another period (``weeks=26`` on days) is unused, and said so.

    >>> from wxdata.core.periods import CST
    >>> now = datetime(2026, 11, 28, tzinfo=CST)
    >>> span_, notices = parse_span({"from": "2015-W10", "to": "2017-W05"}, now=now)
    >>> span_.first.iso, span_.last.iso, notices
    ('2017-W01', '2017-W05', [Notice(param='from', value='2015-W10', used='2017-W01')])
    >>> span_, notices = parse_span({"from": "2026-10", "weeks": "8"}, kind="month", now=now)
    >>> span_.first.iso, span_.last.iso, [n.param for n in notices]
    ('2026-10', '2026-10', ['weeks'])
    """
    param = COUNT_PARAMS[kind]
    count, first, last = (last_value(raw, k) for k in (param, keys.FROM, keys.TO))
    notices = [Notice(p, v, "") for other, p in COUNT_PARAMS.items()
               if other != kind and (v := last_value(raw, p))]
    if first or last:
        span_, more = _range(first, last, kind, now, most or max_periods(kind))
        if count:  # a range and a preset: the range wins, and the preset is said to be unused
            used = f"{span_.first.iso}..{span_.last.iso}" if span_.first and span_.last else \
                str(span_.count)
            more.append(Notice(param, count, used))
        return span_, more + notices
    default = Span(kind=kind)
    if count is None or count == "":
        return default, notices
    allowed = (*offered(kind), *LEGACY_PRESETS[kind])  # a preset over the cap is not one
    # ASCII digits only: "²".isdigit() is true, and int("²") raised inside the page
    if re.fullmatch(r"[0-9]{1,6}", count.strip()) and int(count) in allowed:
        return Span(int(count), kind=kind), notices
    return default, [Notice(param, count, str(default.count)), *notices]


def _range(first: str | None, last: str | None, kind: PeriodKind, now: datetime | None,
           most: int) -> tuple[Span, list[Notice]]:
    cls = period_class(kind)
    newest, oldest = cls.last_ended(now), cls.earliest()
    default = Span(kind=kind)
    one, two = _period(cls, first), _period(cls, last)
    if one is None and two is None:
        return default, [Notice(p, v, str(default.count)) for p, v in
                         ((keys.FROM, first), (keys.TO, last)) if v]
    if one is not None and two is not None and one > two:
        one, two = two, one  # a range written backwards is still clear
    if one is not None and one > newest:  # nothing in it has ended yet
        return default, [Notice(keys.FROM, first or "", str(default.count))]
    if two is not None and two < oldest:  # all of it before WeChat's data begins
        return default, [Notice(p, v, str(default.count)) for p, v in
                         ((keys.FROM, first), (keys.TO, last)) if v]
    end = min(two or newest, newest)
    start = one or end.shift(-(default.count - 1))
    start = max(start, oldest, end.shift(-(most - 1)))  # WeChat's years; at most `most` periods
    notices = []
    if first and (one is None or one != start):
        notices.append(Notice(keys.FROM, first, start.iso))
    late = two is not None and two > newest.shift(1)  # further than the period going on now
    if last and (two is None or late):
        notices.append(Notice(keys.TO, last, end.iso))
    return Span(None, start, end, kind), notices


def _period(cls: type[Period], text: str | None) -> Period | None:
    """The period of a ``from``/``to`` value; None when there is none or it is not one."""
    try:
        return cls.parse(text) if text else None
    except DateError:
        return None


def parse_selection(raw: RawParams, *, apps: Sequence[str]) -> tuple[Selection, list[Notice]]:
    """The view a link asks for, and a notice per parameter that fell back to its default."""
    app_ids, app_notice = parse_apps(raw, apps)
    kind, kind_notice = parse_period(raw)
    span_, span_notices = parse_span(raw, kind=kind)
    metric, metric_notice = parse_choice(raw, keys.METRIC, METRICS, "new")
    lang, lang_notice = parse_choice(raw, keys.LANG, LANGS, DEFAULT_LANG)
    notices = [n for n in (app_notice, kind_notice, *span_notices, metric_notice, lang_notice)
               if n]
    return Selection(app_ids, span_, metric, lang), notices

"""The view as URL query parameters, parsed and written without Streamlit.

A copied link reproduces a view: ``?app=wx1,wx2&weeks=26&metric=active&lang=en`` or a custom
range ``?from=2026-W30&to=2026-W45``. Parsing never raises: a parameter that cannot be used as
it is falls back or is corrected, and yields a :class:`Notice` naming it, the value given and
the value used, which the sidebar shows once. A link is typed or pasted by anyone: its values
are shown as text, never as Markdown (``dashboard.text``).

>>> sel, notices = parse_selection({"weeks": "26", "metric": "bogus"}, apps=["wx1", "wx2"])
>>> sel.app_ids, sel.span.preset, sel.metric, [(n.param, n.used) for n in notices]
(('wx1',), 26, 'new', [('metric', 'new')])
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from wxdata.config import DEFAULT_MAX_WEEKS
from wxdata.core.errors import DateError
from wxdata.core.payload import METRICS, Metric
from wxdata.core.periods import EARLIEST, Week, last_ended_week, last_n_weeks, span
from wxdata.dashboard import keys
from wxdata.i18n import DEFAULT_LANG, LANGS, Lang, t

PRESETS: tuple[int, ...] = (8, 12, 26, 52)
DEFAULT_PRESET = 12
#: A custom range keeps its newest weeks up to this many (two years: what a heatmap can still
#: show row by row, and what the shared quota can afford per view).
MAX_WEEKS = DEFAULT_MAX_WEEKS
#: The most of a value from a link a notice quotes (it names it; it need not quote a novel).
_SHOWN = 40
#: Parameters the shared sidebar owns; every other parameter belongs to a page.
GLOBAL_PARAMS = keys.GLOBAL_PARAMS
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


def _short(text: str) -> str:
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


@dataclass(frozen=True)
class Span:
    """Either the ``preset`` newest ended weeks, or the weeks ``first..last``."""

    preset: int | None = DEFAULT_PRESET
    first: Week | None = None
    last: Week | None = None

    def weeks(self, now: datetime | None = None) -> list[Week]:
        """The ended weeks of the span, oldest first; DateError when none has ended."""
        if self.preset is not None or self.first is None or self.last is None:
            return last_n_weeks(self.preset or DEFAULT_PRESET, now)
        return span(self.first.start, self.last.end, now)

    def to_params(self) -> dict[str, str]:
        if self.preset is not None or self.first is None or self.last is None:
            return {} if self.preset == DEFAULT_PRESET else {keys.WEEKS: str(self.preset)}
        return {keys.FROM: self.first.iso, keys.TO: self.last.iso}


@dataclass(frozen=True)
class Selection:
    app_ids: tuple[str, ...]
    span: Span = field(default_factory=Span)
    metric: Metric = "new"
    lang: Lang = DEFAULT_LANG

    def to_params(self, default_app: str | None = None) -> dict[str, str]:
        """Query parameters for this view; defaults are left out to keep links short."""
        params: dict[str, str] = {}
        if self.app_ids and self.app_ids != (default_app,):
            params[keys.APP] = ",".join(self.app_ids)
        params.update(self.span.to_params())
        if self.metric != "new":
            params[keys.METRIC] = self.metric
        if self.lang != DEFAULT_LANG:
            params[keys.LANG] = self.lang
        return params


def first_value(raw: RawParams, key: str) -> str | None:
    """The last value given for ``key`` (a repeated parameter: the newest wins)."""
    value = raw.get(key)
    if isinstance(value, list):
        return value[-1] if value else None
    return value


def parse_choice(raw: RawParams, key: str, options: Sequence[T],
                 default: T) -> tuple[T, Notice | None]:
    """One of ``options`` from ``raw[key]``; the default (and a notice) when it is not one."""
    value = first_value(raw, key)
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
    value = first_value(raw, key)
    if not value or value.lower() in BOUND_FLAG_VALUES:
        return None
    return Notice(key, value, "false")


def parse_list(raw: RawParams, key: str,
               options: Sequence[str]) -> tuple[tuple[str, ...], Notice | None]:
    """The known ``options`` listed in ``?key=a,b`` (in that order); a notice when some were not.

    >>> parse_list({"cohorts": "2026-W30,2026-W99"}, "cohorts", ["2026-W30", "2026-W31"])
    (('2026-W30',), Notice(param='cohorts', value='2026-W30,2026-W99', used='2026-W30'))
    """
    text = first_value(raw, key) or ""
    wanted = [part for part in text.split(",") if part]
    known = tuple(w for w in wanted if w in options)
    return known, Notice(key, text, ",".join(known)) if len(known) != len(wanted) else None


def parse_apps(raw: RawParams, apps: Sequence[str]) -> tuple[tuple[str, ...], Notice | None]:
    """The known app ids listed in ``app`` (comma-separated, in order, without repeats)."""
    default = tuple(apps[:1])
    value = first_value(raw, keys.APP)
    if not value:
        return default, None
    wanted = [part.strip() for part in value.split(",") if part.strip()]
    known = tuple(dict.fromkeys(a for a in wanted if a in apps))
    if len(known) == len(wanted) and known:
        return known, None
    return known or default, Notice(keys.APP, value, ",".join(known or default))


def parse_span(raw: RawParams, *, now: datetime | None = None,
               most: int = MAX_WEEKS) -> tuple[Span, list[Notice]]:
    """The span a link asks for: a preset, or ``from``/``to`` (either alone is fine), kept
    inside the weeks WeChat has (2017 on, ended weeks) and at most ``most`` weeks long; every
    correction is a notice naming the parameter, the value given and the one used.

    >>> from wxdata.core.periods import CST
    >>> now = datetime(2026, 11, 28, tzinfo=CST)
    >>> span_, notices = parse_span({"from": "2015-W10", "to": "2017-W05"}, now=now)
    >>> span_.first.iso, span_.last.iso, notices
    ('2017-W01', '2017-W05', [Notice(param='from', value='2015-W10', used='2017-W01')])
    """
    weeks, first, last = (first_value(raw, k) for k in (keys.WEEKS, keys.FROM, keys.TO))
    if first or last:
        span_, notices = _range(first, last, now, most)
        if weeks:  # a range and a preset: the range wins, and the preset is said to be unused
            used = f"{span_.first.iso}..{span_.last.iso}" if span_.first and span_.last else \
                str(DEFAULT_PRESET)
            notices.append(Notice(keys.WEEKS, weeks, used))
        return span_, notices
    if weeks is None or weeks == "":
        return Span(), []
    if weeks.strip().isdigit() and int(weeks) in PRESETS:
        return Span(int(weeks)), []
    return Span(), [Notice(keys.WEEKS, weeks, str(DEFAULT_PRESET))]


def _range(first: str | None, last: str | None, now: datetime | None,
           most: int) -> tuple[Span, list[Notice]]:
    newest, oldest = last_ended_week(now), Week.containing(EARLIEST)
    one, two = _week(first), _week(last)
    if one is None and two is None:
        return Span(), [Notice(p, v, str(DEFAULT_PRESET)) for p, v in
                        ((keys.FROM, first), (keys.TO, last)) if v]
    if one is not None and two is not None and one > two:
        one, two = two, one  # a range written backwards is still clear
    if one is not None and one > newest:  # nothing in it has ended yet
        return Span(), [Notice(keys.FROM, first or "", str(DEFAULT_PRESET))]
    end = min(two or newest, newest)
    start = one or end.shift(-(DEFAULT_PRESET - 1))
    start = max(start, oldest, end.shift(-(most - 1)))  # WeChat's years; at most `most` weeks
    notices = [Notice(keys.FROM, first, start.iso) for _ in [0]
               if first and (one is None or one != start)]
    late = two is not None and two > newest.shift(1)  # further than the week going on now
    notices += [Notice(keys.TO, last, end.iso) for _ in [0] if last and (two is None or late)]
    return Span(None, start, end), notices


def _week(text: str | None) -> Week | None:
    """The week of a ``from``/``to`` value; None when there is none or it is not one."""
    try:
        return Week.parse(text) if text else None
    except DateError:
        return None


def parse_selection(raw: RawParams, *, apps: Sequence[str]) -> tuple[Selection, list[Notice]]:
    """The view a link asks for, and a notice per parameter that fell back to its default."""
    app_ids, app_notice = parse_apps(raw, apps)
    span_, span_notices = parse_span(raw)
    metric, metric_notice = parse_choice(raw, keys.METRIC, METRICS, "new")
    lang, lang_notice = parse_choice(raw, keys.LANG, LANGS, DEFAULT_LANG)
    notices = [n for n in (app_notice, *span_notices, metric_notice, lang_notice) if n]
    return Selection(app_ids, span_, metric, lang), notices

"""The view as URL query parameters, parsed and written without Streamlit.

A copied link reproduces a view: ``?app=wx1,wx2&weeks=26&metric=active&lang=en`` or a custom
range ``?from=2026-W30&to=2026-W45``. Parsing never raises: a parameter that does not make sense
falls back to its default and yields a :class:`Notice` the sidebar shows once.

>>> sel, notices = parse_selection({"weeks": "26", "metric": "bogus"}, apps=["wx1", "wx2"])
>>> sel.app_ids, sel.span.preset, sel.metric, [n.param for n in notices]
(('wx1',), 26, 'new', ['metric'])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from wxdata.core.errors import DateError
from wxdata.core.payload import METRICS, Metric
from wxdata.core.weeks import Week, last_n_weeks, span
from wxdata.dashboard import keys
from wxdata.i18n import DEFAULT_LANG, LANGS, Lang, t

PRESETS: tuple[int, ...] = (8, 12, 26, 52)
DEFAULT_PRESET = 12
#: A custom range keeps its newest weeks up to this many (two years: what WeChat keeps, and
#: what a heatmap can still show row by row).
MAX_WEEKS = 104
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

    def message(self, lang: Lang) -> str:
        return t("sidebar.bad_param", lang, param=self.param, value=self.value[:40])


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
        return span(self.first.start, self.last.end, now)[-MAX_WEEKS:]

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
    return default, Notice(key, value)


def bound_flag_notice(raw: RawParams, key: str) -> Notice | None:
    """A notice when the link gave a toggle bound to ``?key=`` a value Streamlit drops.

    Streamlit reads a bound toggle from ``true``/``false`` in any case and silently ignores
    anything else (an empty value included); the user should hear about the first kind.

    >>> bound_flag_notice({"log": "TRUE"}, "log") is None, bound_flag_notice({"log": "1"}, "log")
    (True, Notice(param='log', value='1'))
    """
    value = first_value(raw, key)
    if not value or value.lower() in BOUND_FLAG_VALUES:
        return None
    return Notice(key, value)


def parse_list(raw: RawParams, key: str,
               options: Sequence[str]) -> tuple[tuple[str, ...], Notice | None]:
    """The known ``options`` listed in ``?key=a,b`` (in that order); a notice when some were not.

    >>> parse_list({"cohorts": "2026-W30,2026-W99"}, "cohorts", ["2026-W30", "2026-W31"])
    (('2026-W30',), Notice(param='cohorts', value='2026-W30,2026-W99'))
    """
    text = first_value(raw, key) or ""
    wanted = [part for part in text.split(",") if part]
    known = tuple(w for w in wanted if w in options)
    return known, Notice(key, text) if len(known) != len(wanted) else None


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
    return known or default, Notice(keys.APP, value)


def parse_span(raw: RawParams) -> tuple[Span, Notice | None]:
    weeks, first, last = (first_value(raw, k) for k in (keys.WEEKS, keys.FROM, keys.TO))
    if first or last:
        try:
            one, two = Week.parse(first or ""), Week.parse(last or "")
        except DateError:
            return Span(), Notice(keys.FROM if not _is_week(first) else keys.TO,
                                  f"{first}..{last}")
        return Span(None, min(one, two), max(one, two)), None
    if weeks is None or weeks == "":
        return Span(), None
    if weeks.strip().isdigit() and int(weeks) in PRESETS:
        return Span(int(weeks)), None
    return Span(), Notice(keys.WEEKS, weeks)


def _is_week(text: str | None) -> bool:
    try:
        Week.parse(text or "")
    except DateError:
        return False
    return True


def parse_selection(raw: RawParams, *, apps: Sequence[str]) -> tuple[Selection, list[Notice]]:
    """The view a link asks for, and a notice per parameter that fell back to its default."""
    app_ids, app_notice = parse_apps(raw, apps)
    span_, span_notice = parse_span(raw)
    metric, metric_notice = parse_choice(raw, keys.METRIC, METRICS, "new")
    lang, lang_notice = parse_choice(raw, keys.LANG, LANGS, DEFAULT_LANG)
    notices = [n for n in (app_notice, span_notice, metric_notice, lang_notice) if n]
    return Selection(app_ids, span_, metric, lang), notices

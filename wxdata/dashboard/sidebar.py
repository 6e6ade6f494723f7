"""The shared sidebar's choices: language, data source, mini programs, period (日 / 周 / 月) and
its span, metric; the view they make. It loads no data (the router's next step does).

It runs on every page (the router calls :func:`read_link` on a session's first run, then
:func:`render`, before the page), so a choice made on one page holds on all of them, and it is
mirrored in the URL by hand (why not by Streamlit's binding: ``urlsync.py``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

import streamlit as st

from wxdata.access import Grant
from wxdata.core.apps import AppInfo
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
from wxdata.core.periods import Month as MonthPeriod
from wxdata.core.periods import Week as WeekPeriod
from wxdata.dashboard import keys, notices, state, urlsync
from wxdata.dashboard.loaded import make_key
from wxdata.dashboard.source import current_source
from wxdata.dashboard.uploads import session_imports
from wxdata.dashboard.urlstate import (
    Selection,
    Span,
    max_periods,
    offered,
    parse_selection,
)
from wxdata.i18n import DEFAULT_LANG, LANGS, Lang, t
from wxdata.present.fmt import app_label
from wxdata.sources import Source

CUSTOM = "custom"
#: The range picker writes dates as the week labels do (ISO order, read the same in both
#: languages); Streamlit's own calendar (month and day names) stays English, it has no locale.
DATE_FORMAT = "YYYY-MM-DD"
#: Each language is named in itself, whatever language is on screen.
LANG_NAMES = {"zh": "中文", "en": "English"}


def _seed(apps: tuple[AppInfo, ...]) -> None:
    """First run of a session: the widgets start from the link it was opened with."""
    selection, found = parse_selection(urlsync.url_snapshot(), apps=[a.appid for a in apps])
    st.session_state[keys.LANG_WIDGET] = selection.lang
    st.session_state[keys.APPS_WIDGET] = list(selection.app_ids)
    st.session_state[keys.METRIC_WIDGET] = selection.metric
    st.session_state[keys.PERIOD_WIDGET] = selection.period
    span = selection.span
    if span.custom and span.first is not None and span.last is not None:
        st.session_state[keys.SPAN_WIDGET] = CUSTOM
        st.session_state[keys.RANGE_WIDGET] = (span.first.start, span.last.end)
    else:
        st.session_state[keys.SPAN_WIDGET] = str(span.count)
    notices.notify(found)
    urlsync.mark_seeded()


def _source_kind(lang: Lang) -> str:
    switch = st.session_state.pop(keys.SWITCH_TO_FILE, None)
    if switch:  # a file was just imported: show it
        st.session_state[keys.SOURCE_WIDGET] = "file"
        st.session_state[keys.APPS_WIDGET] = [switch]
    if not session_imports().files:
        st.session_state[keys.SOURCE_WIDGET] = "configured"
        return "configured"
    configured = current_source("configured")[0].name
    kind = st.sidebar.segmented_control(
        t("sidebar.source", lang), ["configured", "file"], key=keys.SOURCE_WIDGET,
        required=True,
        format_func=lambda k: t(f"status.{configured if k == 'configured' else 'file'}", lang),
    )
    return str(kind or "configured")


def _apps(apps: tuple[AppInfo, ...], lang: Lang) -> tuple[AppInfo, ...]:
    known = {a.appid: a for a in apps}
    before = list(st.session_state.get(keys.APPS_WIDGET, []))
    chosen = [a for a in before if a in known]
    # Apps of another source (after an import) fall back to the first; an empty choice stays.
    fallback = [a.appid for a in apps[:1]]
    st.session_state[keys.APPS_WIDGET] = chosen if chosen or not before else fallback
    picked = st.sidebar.multiselect(
        t("sidebar.apps", lang), list(known), key=keys.APPS_WIDGET,
        format_func=lambda a: app_label(known[a].name, a, lang),
        help=t("sidebar.apps.help", lang),
        placeholder=t("sidebar.apps.placeholder", lang),
        select_all=False,  # Streamlit's "Select all" cannot be translated; two clicks do it
    )
    return tuple(known[a] for a in picked)


def _period(lang: Lang) -> PeriodKind:
    """日 / 周 / 月: which of WeChat's three retention APIs every page draws."""
    picked = st.sidebar.segmented_control(
        t("sidebar.period", lang), list(PERIOD_KINDS), key=keys.PERIOD_WIDGET, required=True,
        format_func=lambda k: t(f"period.{k}", lang), help=t("sidebar.period.help", lang),
    )
    return next((k for k in PERIOD_KINDS if k == picked), DEFAULT_PERIOD)


def _span(kind: PeriodKind, lang: Lang, relabel: bool) -> Span:
    current = st.session_state.get(keys.SPAN_WIDGET)
    chosen = int(current) if isinstance(current, str) and current.isdigit() else None
    options = [*(str(n) for n in offered(kind, chosen)), CUSTOM]
    if current not in options:  # e.g. 26 weeks, then days: the days' default
        st.session_state[keys.SPAN_WIDGET] = str(DEFAULT_SPANS[kind])
    elif relabel:
        # The browser keeps a select box's choice as the label it showed ("最近 26 周") and sends
        # it back on the next run, where only English labels exist: Streamlit would drop it and
        # the span would fall back to 12 weeks. Setting the value again sends the new label.
        st.session_state[keys.SPAN_WIDGET] = st.session_state[keys.SPAN_WIDGET]
    choice = st.sidebar.selectbox(
        t("sidebar.span", lang), options, key=keys.SPAN_WIDGET,
        format_func=lambda o: t("sidebar.span.custom", lang) if o == CUSTOM
        else t(f"sidebar.span.last.{kind}", lang, n=o),
    )
    if choice != CUSTOM:
        return Span(int(choice), kind=kind)
    return _custom_range(period_class(kind), lang)


#: One end of a pasted range: a week (2025-W02), a day (2025-01-06, 2025/1/6, 20250106) or a
#: month (2025-01).
_END = re.compile(r"(\d{4})-?W(\d{1,2})"
                  r"|(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
                  r"|(\d{4})(\d{2})(\d{2})"
                  r"|(\d{4})[-/.年](\d{1,2})(?!\d|[-/.]\d)月?", re.IGNORECASE)


def pasted_range(text: str) -> tuple[date, date] | None:
    """The first and last day of a range pasted as text, both ends whole periods as written
    ("2025-W02 ~ 2025-W52": Monday 2025-01-06 to Sunday 2025-12-28), or None when the text does
    not hold exactly two ends that are real dates.

    >>> pasted_range("2025-W02 ~ 2025-W52")
    (datetime.date(2025, 1, 6), datetime.date(2025, 12, 28))
    >>> pasted_range("2025/1/6 至 2025年3月9日")
    (datetime.date(2025, 1, 6), datetime.date(2025, 3, 9))
    >>> pasted_range("2025-01..2025-02"), pasted_range("2025-13-01 ~ 2025-12-01")
    ((datetime.date(2025, 1, 1), datetime.date(2025, 2, 28)), None)
    """
    ends: list[tuple[date, date]] = []
    for m in _END.finditer(text):
        g = m.groups()
        try:
            if g[0]:
                week = WeekPeriod.parse(f"{g[0]}-W{int(g[1]):02d}")
                ends.append((week.start, week.end))
            elif g[2]:
                day = date(int(g[2]), int(g[3]), int(g[4]))
                ends.append((day, day))
            elif g[5]:
                day = date(int(g[5]), int(g[6]), int(g[7]))
                ends.append((day, day))
            else:
                month = MonthPeriod.containing(date(int(g[8]), int(g[9]), 1))
                ends.append((month.start, month.end))
        except (ValueError, DateError):
            return None
    if len(ends) != 2:
        return None
    first, last = sorted(ends)
    return first[0], last[1]


def _take_paste() -> None:
    """The paste box's callback (before the run, so the picker may still be set)."""
    text = str(st.session_state.get(keys.RANGE_PASTE) or "").strip()
    if not text:
        return
    found = pasted_range(text)
    if found is None:
        st.session_state[keys.RANGE_PASTE_BAD] = text
        return
    st.session_state.pop(keys.RANGE_PASTE_BAD, None)
    st.session_state[keys.RANGE_WIDGET] = found


def _custom_range(cls: type[Period], lang: Lang) -> Span:
    """The date picker of a custom range; its dates snap to whole periods of ``cls``. Its
    boxes are typed one by one, so a range can also be pasted as text (:func:`pasted_range`)."""
    newest, most = cls.last_ended(), max_periods(cls.kind)
    earliest, latest = cls.earliest().start, newest.shift(1).end
    default = (newest.shift(-(DEFAULT_SPANS[cls.kind] - 1)).start, newest.end)
    st.session_state[keys.RANGE_WIDGET] = _clamped(
        st.session_state.get(keys.RANGE_WIDGET, default), earliest, latest)
    picked = st.sidebar.date_input(
        t(f"sidebar.range.{cls.kind}", lang), key=keys.RANGE_WIDGET, min_value=earliest,
        max_value=latest, help=t(f"sidebar.range.help.{cls.kind}", lang, n=most),
        format=DATE_FORMAT,
    )
    st.sidebar.text_input(t("sidebar.range.paste", lang), key=keys.RANGE_PASTE,
                          on_change=_take_paste, help=t("sidebar.range.paste.help", lang),
                          placeholder="2025-01-06 ~ 2025-12-28")
    if bad := st.session_state.get(keys.RANGE_PASTE_BAD):
        st.sidebar.caption(":orange[:material/error:] "
                           + t("sidebar.range.paste.bad", lang, text=str(bad)[:60]))
    dates: list[date] = [d for d in picked if isinstance(d, date)] \
        if isinstance(picked, tuple) else []
    previous = st.session_state.get(keys.LAST_SPAN)
    if len(dates) < 2:
        st.sidebar.caption(t("sidebar.range.incomplete", lang))
        kept = isinstance(previous, Span) and previous.kind == cls.kind
        return previous if kept and isinstance(previous, Span) else Span(kind=cls.kind)
    first, last = cls.containing(dates[0]), cls.containing(dates[1])
    if last.shift(-(most - 1)) > first:  # one view asks for at most `most` periods
        first = last.shift(-(most - 1))
        cut = t(f"sidebar.range.shortened.{cls.kind}", lang, n=most, first=first.label)
        st.sidebar.caption(f":orange[:material/content_cut:] {cut}")
    span = Span(None, first, last, cls.kind)
    st.session_state[keys.LAST_SPAN] = span
    return span


def _clamped(value: object, earliest: date, latest: date) -> tuple[date, ...]:
    """The picker's dates kept inside what it offers (a link may ask for any date)."""
    days = [d for d in value if isinstance(d, date)] if isinstance(value, tuple | list) else []
    return tuple(min(max(d, earliest), latest) for d in days)


def _metric(lang: Lang) -> Metric:
    metric = st.sidebar.segmented_control(
        t("sidebar.metric", lang), list(METRICS), key=keys.METRIC_WIDGET, required=True,
        format_func=lambda m: t(f"sidebar.metric.{m}", lang),
    )
    return "active" if metric == "active" else "new"


def _language() -> tuple[Lang, bool]:
    """The language, and whether it was switched on this run."""
    lang: Lang = "en" if st.sidebar.segmented_control(
        "语言 · Language", list(LANGS), key=keys.LANG_WIDGET, required=True,
        format_func=LANG_NAMES.__getitem__, label_visibility="collapsed",
    ) == "en" else DEFAULT_LANG
    switched = st.session_state.get(keys.LANG_DRAWN, lang) != lang
    st.session_state[keys.LANG_DRAWN] = lang
    return lang, switched


def _periods(span: Span) -> tuple[tuple[Period, ...], WxDataError | None]:
    try:
        return tuple(span.periods()), None
    except DateError as exc:
        return (), exc


def visible_apps(source: Source, grant: Grant) -> tuple[AppInfo, ...]:
    """The source's apps this person may see. Imported files feed only the session that imported
    them (and only admins import), so they are all theirs."""
    apps = source.apps()
    return apps if source.name == "file" else tuple(a for a in apps if grant.may_view(a.appid))


def span_caption(periods: Sequence[Period], lang: Lang) -> None:
    st.sidebar.caption(t(f"sidebar.span.{periods[0].kind}s", lang, first=periods[0].label,
                         last=periods[-1].label, n=len(periods)))


def read_link(grant: Grant) -> None:
    """On a session's first run, start every choice from the link it was opened with (what the
    link asks for that cannot be had becomes a notice); later runs keep the widgets' own."""
    if urlsync.first_run():
        _seed(visible_apps(current_source("configured")[0], grant))


def render(grant: Grant) -> state.View:
    """Draw the sidebar's choices, mirror them in the URL, and return the view the page should
    draw, not loaded yet: only ever of apps ``grant`` shows (a link naming another app gets the
    usual notice)."""
    lang, switched = _language()
    source, fingerprint, problem = current_source(_source_kind(lang))
    apps = visible_apps(source, grant)
    chosen = _apps(apps, lang)
    kind = _period(lang)
    span = _span(kind, lang, relabel=switched)
    metric = _metric(lang)
    selection = Selection(tuple(a.appid for a in chosen), span, metric, lang)
    periods, span_problem = _periods(span)
    if periods:
        span_caption(periods, lang)
    key = make_key(source, fingerprint, selection.app_ids, periods) \
        if periods and chosen else None
    urlsync.write_global_params(selection.to_params(apps[0].appid if apps else None))
    return state.View(selection, source, chosen, periods, key, problem or span_problem, grant)


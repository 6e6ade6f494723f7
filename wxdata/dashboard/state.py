"""The current view (selection, source, periods, the load) and its mirror in the URL.

The address bar is always a link to what is on screen, defaults left out. Two mechanisms keep it
so, and each widget uses the one that can express its parameter:

- **Streamlit's own binding** (``bind="query-params"``): the page toggles ``calendar``, ``both``
  and ``log`` (``?log=true``). Streamlit seeds them from the link, writes them back, leaves the
  default out, and drops them when the user moves to another page. It drops a value it cannot
  read without a word, so :func:`wxdata.dashboard.widgets.flag` compares the link the session was
  opened with (:func:`url_snapshot`) and gives the notice itself.
- **Written by hand** here, for what binding cannot say:

  - a bound widget writes its *label*, and ours are translated: ``?values=人数`` would survive a
    switch to English and stop matching (``values``, ``order``, ``horizon``, ``metric``), an app
    name would stand for an app id (``wow_app``, ``app``), and ``lang`` is ``en``, not "English";
  - one parameter from several widgets, or one widget behind several parameters: the span is
    ``days``/``weeks``/``months`` or ``from``/``to`` as ISO days, weeks or months, snapped to
    whole periods (a preset box and a date picker); apps and cohorts are comma lists checked
    against what exists.

  The first run of a session reads the link (:func:`url_snapshot`) and seeds these widgets
  (:func:`page_choice`, the sidebar's ``_seed``); every run writes them back
  (:func:`write_global_params`, :func:`mirror`), and the router drops another page's parameters
  (:func:`clear_page_params`).
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

import streamlit as st
from streamlit.errors import StreamlitAPIException

from wxdata.access import AccessPolicy, Grant
from wxdata.core.apps import AppInfo
from wxdata.core.errors import WxDataError
from wxdata.core.payload import Metric
from wxdata.core.periods import Period, PeriodKind, period_class
from wxdata.core.report import LoadResult
from wxdata.dashboard import compat, keys
from wxdata.dashboard.loaders import Loaded, LoadKey, load_result
from wxdata.dashboard.urlstate import (
    Notice,
    RawParams,
    Selection,
    parse_choice,
)
from wxdata.i18n import Lang
from wxdata.sources import Source

T = TypeVar("T", bound=str)
#: The key of a view with nothing to load (no app chosen, or no ended period in the span).
NOTHING = LoadKey("", "", (), (), "week")


@dataclass(frozen=True)
class View:
    """Everything a page needs to know about what to draw."""

    selection: Selection
    source: Source
    apps: tuple[AppInfo, ...]
    periods: tuple[Period, ...]
    key: LoadKey | None
    problem: WxDataError | None = None
    #: what the person using the session may do (everything, when sign-in is off); a view made
    #: without one may show nothing
    grant: Grant = field(default_factory=lambda: Grant(None, AccessPolicy()))

    @property
    def lang(self) -> Lang:
        return self.selection.lang

    @property
    def metric(self) -> Metric:
        return self.selection.metric

    @property
    def kind(self) -> PeriodKind:
        """"day", "week" or "month": the period every page of this view draws."""
        return self.selection.period

    @property
    def period_class(self) -> type[Period]:
        return period_class(self.kind)

    @property
    def app_ids(self) -> tuple[str, ...]:
        return tuple(app.appid for app in self.apps)

    @cached_property
    def data(self) -> Loaded:
        """The load this view draws, fetched once per run: the sidebar and the page of one run
        always show the same load, even if a refresh elsewhere clears the cache meanwhile."""
        if self.key is None or not self.allowed:
            return Loaded.now(NOTHING, LoadResult())
        try:
            return load_result(self.key, self.source)
        except WxDataError as exc:  # e.g. an unreadable cache: said in words, not a traceback
            return Loaded.now(self.key, LoadResult(stopped_by=exc))

    @property
    def allowed(self) -> bool:
        """Every app of the load may be seen by this session (the sidebar offers no other; this
        is the check at the cache's door, so a bug there cannot serve another person's apps)."""
        asked = self.key.app_ids if self.key is not None else self.app_ids
        return self.source.name == "file" or all(self.grant.may_view(a) for a in asked)

    def app_name(self, app_id: str) -> str:
        return next((a.name for a in self.apps if a.appid == app_id), app_id)


def set_view(view: View) -> None:
    st.session_state[keys.VIEW] = view


def current_view() -> View:
    view = st.session_state.get(keys.VIEW)
    if not isinstance(view, View):
        compat.rerun_through_router()  # the page ran without the router (streamlit#9446)
    return view


def url_snapshot() -> RawParams:
    """The query parameters the session was opened with (read once, kept for the session)."""
    if keys.URL_AT_START not in st.session_state:
        st.session_state[keys.URL_AT_START] = {k: st.query_params.get_all(k)
                                               for k in st.query_params}
    snapshot: RawParams = st.session_state[keys.URL_AT_START]
    return snapshot


def first_run() -> bool:
    return keys.SEEDED not in st.session_state


def mark_seeded() -> None:
    st.session_state[keys.SEEDED] = True


def notify(notices: Sequence[Notice]) -> None:
    """Keep link problems for the sidebar to show (once per session: they come from the link)."""
    kept: list[Notice] = st.session_state.setdefault(keys.NOTICES, [])
    kept.extend(n for n in notices if n not in kept)


def pending_notices() -> list[Notice]:
    notices: list[Notice] = st.session_state.get(keys.NOTICES, [])
    return list(notices)


def write_global_params(params: dict[str, str]) -> None:
    """Set the sidebar's parameters in the URL, leaving the page's own ones (some of them are
    bound to widgets, and Streamlit refuses to let anyone else write those)."""
    stale = [k for k in keys.GLOBAL_PARAMS if k in st.query_params and k not in params]
    for name in stale:
        del st.query_params[name]
    changed = {k: v for k, v in params.items() if st.query_params.get(k) != v}
    if changed:
        st.query_params.update(changed)


def page_choice(key: str, options: Sequence[T], default: T) -> None:
    """Seed a page widget (``key`` is also its URL parameter) from the link, once per session."""
    if key not in st.session_state:
        value, notice = parse_choice(url_snapshot(), key, options, default)
        st.session_state[key] = value
        if notice is not None:
            notify([notice])


def mirror(key: str, value: str, default: str) -> None:
    """Put a page widget's value in the URL (left out when it is the default)."""
    if value == default:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != value:
        st.query_params[key] = value


def clear_page_params(keep: Sequence[str]) -> None:
    """Drop another page's parameters from the URL when this page does not use them (Streamlit
    drops the ones it binds itself when the user changes page)."""
    stale = [k for k in st.query_params if k not in keys.GLOBAL_PARAMS and k not in keep]
    for key in stale:
        # A parameter bound to a widget this run did not draw is Streamlit's to drop.
        with suppress(StreamlitAPIException):
            del st.query_params[key]

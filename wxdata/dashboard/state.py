"""The view model: what every page of this run draws (selection, source, apps, periods, the
load's key and, once the router loaded it, the load), kept for the page. No I/O: loading is the
router's own step (:mod:`wxdata.dashboard.load`), the URL is :mod:`wxdata.dashboard.urlsync`'s."""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

from wxdata.access import AccessPolicy, Grant
from wxdata.core.apps import AppInfo
from wxdata.core.errors import WxDataError
from wxdata.core.payload import Metric
from wxdata.core.periods import Period, PeriodKind, period_class
from wxdata.dashboard import compat, keys
from wxdata.dashboard.loaded import Loaded, LoadKey
from wxdata.dashboard.urlstate import Selection
from wxdata.i18n import Lang
from wxdata.sources import Source


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
    #: the load this view draws: None until the router's load step
    #: (:func:`wxdata.dashboard.load.view_data`) has put it here, once per run
    data: Loaded | None = None

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

    @property
    def allowed(self) -> bool:
        """Every app of the load may be seen by this session (the sidebar offers no other; this
        is the check at the cache's door, so a bug there cannot serve another person's apps)."""
        asked = self.key.app_ids if self.key is not None else self.app_ids
        return self.source.name == "file" or all(self.grant.may_view(a) for a in asked)

    @property
    def loaded(self) -> Loaded:
        """The view's data; only a page, which the router runs after loading, asks for it."""
        if self.data is None:
            raise RuntimeError("the router loads the view's data before it runs the page")
        return self.data

    def app_name(self, app_id: str) -> str:
        return next((a.name for a in self.apps if a.appid == app_id), app_id)


def set_view(view: View) -> None:
    st.session_state[keys.VIEW] = view


def current_view() -> View:
    view = st.session_state.get(keys.VIEW)
    if not isinstance(view, View):
        compat.rerun_through_router()  # the page ran without the router (streamlit#9446)
    return view

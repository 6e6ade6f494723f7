"""Loading the view's data: the router's one explicit step between the sidebar (choices only)
and the page, and the cache of loads it reads.

One :class:`~wxdata.dashboard.loaded.Loaded` per :class:`~wxdata.dashboard.loaded.LoadKey`
(source, its content fingerprint, apps, periods and their kind), cached across sessions: ten
colleagues opening the same span cause one fetch, and a toggle on a page reruns no fetch. A
refresh calls ``load_result.clear()``; after it, or after the ttl, the next load has a new
stamp (why that keeps derived tables honest: :mod:`wxdata.dashboard.loaded`).
"""

from __future__ import annotations

import dataclasses

import streamlit as st

from wxdata.core.errors import WxDataError
from wxdata.core.periods import period_class
from wxdata.core.report import LoadResult
from wxdata.dashboard.loaded import Loaded, LoadKey
from wxdata.dashboard.state import View
from wxdata.i18n import t
from wxdata.sources import Source

#: How long a load is reused before the source is asked again (for live data: the store, which
#: asks WeChat only for weeks due a refresh). A plain ttl is safe because of the stamps: an
#: expired load comes back with a new stamp and everything derived from it is computed again,
#: never mixed with tables of the load before. Demo and imported data reload too (cheap).
LOAD_TTL_SECONDS = 600


@st.cache_data(show_spinner=False, max_entries=64, ttl=LOAD_TTL_SECONDS)
def load_result(key: LoadKey, _source: Source) -> Loaded:
    """The numbers of ``key``; a refresh calls ``load_result.clear()`` so every session's next
    run loads again (and gets a new stamp)."""
    cls = period_class(key.kind)
    return Loaded.now(key, _source.load(list(key.app_ids), [cls.parse(p) for p in key.periods]))


def fetch(view: View) -> Loaded:
    """The load ``view`` draws. Nothing is asked for when it has no key or shows an app its
    grant does not (the check at the cache's door, so that a bug upstream cannot serve another
    person's apps); a failure to load is kept as the result's ``stopped_by`` for the page to
    explain (:func:`wxdata.dashboard.explain.guard`), never raised."""
    if view.key is None or not view.allowed:
        return Loaded.nothing()
    try:
        return load_result(view.key, view.source)
    except WxDataError as exc:  # e.g. an unreadable cache: said in words, not a traceback
        return Loaded.now(view.key, LoadResult(stopped_by=exc))


def view_data(view: View) -> View:
    """``view`` with its data, loaded once per run under a spinner that says what is loading:
    the sidebar and the page of one run always show the same load, even if a refresh elsewhere
    clears the cache meanwhile."""
    if view.key is None:
        return dataclasses.replace(view, data=fetch(view))
    with st.spinner(t(f"status.loading.{view.kind}", view.lang,
                      n=len(view.periods) * len(view.apps))):
        return dataclasses.replace(view, data=fetch(view))

"""Keeping the address bar a link to what is on screen: the link read once, every choice
written back.

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
from typing import TypeVar

import streamlit as st
from streamlit.errors import StreamlitAPIException

from wxdata.dashboard import keys, notices
from wxdata.dashboard.urlstate import RawParams, parse_choice

T = TypeVar("T", bound=str)


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
            notices.notify([notice])


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

"""Page widgets whose value lives in the URL (``?values=users``, ``?log=true``, ``?cohorts=..``):
seeded from the link, written back, registered so that the router keeps only this page's
parameters (how each one is synced: :mod:`wxdata.dashboard.urlsync`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from wxdata.core.errors import WxDataError
from wxdata.core.periods import Period, PeriodKind, period_class
from wxdata.dashboard import keys, notices, urlsync
from wxdata.dashboard.urlstate import Notice, bound_flag_notice, parse_list

T = TypeVar("T", bound=str)


def _register(key: str) -> None:
    """This page uses the URL parameter ``key`` (the router drops the others)."""
    registered: list[str] = st.session_state.setdefault(keys.PAGE_PARAMS, [])
    registered.append(key)


def page_keys_reset() -> None:
    st.session_state[keys.PAGE_PARAMS] = []


def page_keys() -> list[str]:
    registered: list[str] = st.session_state.get(keys.PAGE_PARAMS, [])
    return registered


def choice(label: str, key: str, options: Sequence[T], default: T,
           format_func: Callable[[T], str], *, where: DeltaGenerator | None = None) -> T:
    """A segmented control whose value is the URL parameter ``key``, synced by hand: its labels
    are translated or names, and a bound widget would write the label."""
    urlsync.page_choice(key, options, default)
    if st.session_state[key] not in options:  # e.g. a week horizon, then days: their default
        st.session_state[key] = default
    _register(key)
    value = (where or st).segmented_control(
        label, list(options), key=key, required=True, format_func=format_func,
        persist_state="session",
    )
    picked: T = next((o for o in options if o == value), default)
    urlsync.mirror(key, picked, default)
    return picked


def flag(label: str, key: str, *, where: DeltaGenerator | None = None,
         help: str | None = None) -> bool:
    """A toggle bound by Streamlit to the URL parameter ``key`` (``?log=true``; off is left out).

    Streamlit drops a value it cannot read without a word; the notice comes from here.
    """
    notice = bound_flag_notice(urlsync.url_snapshot(), key)
    if notice is not None:
        notices.notify([notice])
    _register(key)
    return bool((where or st).toggle(label, key=key, help=help, bind="query-params"))


def page_param(key: str) -> str | None:
    """A URL parameter of this page that no widget holds (it stays in the link while shown)."""
    _register(key)
    value = st.query_params.get(key)
    return value or None


def focus_period(kind: PeriodKind) -> Period | None:
    """The period a link asked to point at (``?focus=2026-W45``, ``?focus=2026-11-03``), e.g.
    from an anomaly list."""
    raw = st.query_params.get(keys.FOCUS)
    if not raw:
        return None
    _register(keys.FOCUS)
    try:
        return period_class(kind).parse(raw)
    except WxDataError:
        notices.notify([Notice(keys.FOCUS, raw, "")])
        del st.query_params[keys.FOCUS]
        return None


def multi_choice(label: str, key: str, options: Sequence[str], format_func: Callable[[str], str],
                 *, placeholder: str = "") -> tuple[str, ...]:
    """A multiselect whose choice is the URL parameter ``key`` as a comma list, synced by hand
    (bound, it would repeat the parameter once per label)."""
    if key not in st.session_state:
        wanted, notice = parse_list(urlsync.url_snapshot(), key, options)
        st.session_state[key] = list(wanted)
        if notice is not None:
            notices.notify([notice])
    st.session_state[key] = [v for v in st.session_state[key] if v in options]
    _register(key)
    picked = st.multiselect(label, list(options), key=key, format_func=format_func,
                            placeholder=placeholder, persist_state="session",
                            select_all=False)  # untranslatable, and none picked already is all
    urlsync.mirror(key, ",".join(picked), "")
    return tuple(picked)

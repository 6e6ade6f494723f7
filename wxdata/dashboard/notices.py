"""The link's notices (a bad parameter, an unknown app, a preset over the cap, a bad date): kept
as the sidebar and the pages find them, and said at the top of the page, above what it draws."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from wxdata.dashboard import keys
from wxdata.dashboard.text import plain
from wxdata.dashboard.urlstate import Notice
from wxdata.i18n import Lang, t


def notify(found: Sequence[Notice]) -> None:
    """Keep link problems for the top of the page (once per session: they come from the link)."""
    kept: list[Notice] = st.session_state.setdefault(keys.NOTICES, [])
    kept.extend(n for n in found if n not in kept)


def pending() -> list[Notice]:
    kept: list[Notice] = st.session_state.get(keys.NOTICES, [])
    return list(kept)


def show(top: DeltaGenerator, lang: Lang) -> None:
    """Say every notice in ``top``, the container the router put above the page (filled after
    the page ran: its own parameters may have been bad too), and toast once per session."""
    found = pending()
    if found and not st.session_state.get(keys.NOTICES_TOASTED):
        st.session_state[keys.NOTICES_TOASTED] = True
        st.toast(t("sidebar.bad_link", lang), icon=":material/link_off:")
    for notice in found:
        top.caption(f":orange[:material/link_off:] {notice.message(lang, quote=plain)}")

"""The sidebar's status panel: where the numbers come from and how fresh they are (of the load
the router made for this run; it loads nothing itself)."""

from __future__ import annotations

from datetime import datetime

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from wxdata.core.errors import ConfigError
from wxdata.core.periods import CST
from wxdata.dashboard import state
from wxdata.i18n import t
from wxdata.present.fmt import period_text
from wxdata.sources import FileSource


def _when(moment: datetime) -> str:
    return moment.astimezone(CST).strftime("%m-%d %H:%M")


def panel(view: state.View) -> None:
    """Where the numbers come from and how fresh they are; always in the sidebar."""
    lang = view.lang
    box = st.sidebar.container(border=True)
    if isinstance(view.problem, ConfigError):
        badge = f":red-badge[{t('status.unconfigured', lang)}]"
    else:
        badge = f":green-badge[{t(f'status.{view.source.name}', lang)}]"
    box.markdown(f"**{t('status.title', lang)}** {badge}")
    if isinstance(view.source, FileSource):
        _file_coverage(view, box)
    if view.key is None:
        box.caption(t("status.nothing", lang))
        return
    result = view.loaded.result
    span = result.fetched_range()
    if span is not None:
        first, last = (_when(m) for m in span)
        when = first if first == last else f"{first} ~ {last}"
        box.caption(t(f"status.at.{view.source.name}", lang, when=when))
    provisional = len({r.period for r in result.provisional})
    if provisional:
        box.caption(t(f"status.provisional.{view.kind}", lang, n=provisional))
    failed = len({r.period for r in result.failed})
    if failed:
        box.caption(f":red[{t(f'status.failed.{view.kind}', lang, n=failed)}]")


def _file_coverage(view: state.View, box: DeltaGenerator) -> None:
    """Which cohorts of the view's period the imported files hold (or that they hold none)."""
    assert isinstance(view.source, FileSource)
    lang, covered = view.lang, view.source.periods(view.kind)
    if covered:
        box.caption(period_text("status.file_covers", view.kind, lang, first=covered[0].label,
                                last=covered[-1].label, n=len(covered)))
    elif view.source.apps():
        box.caption(t("status.file_none", lang, period=t(f"period.noun.{view.kind}", lang)))

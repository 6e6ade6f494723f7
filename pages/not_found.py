"""找不到页面 · Not found: where an unknown address lands (``wxdata.dashboard.server``), with a
way back to every page that keeps the link's language, apps and span."""

from __future__ import annotations

import streamlit as st

from wxdata.dashboard import keys, state, titles, widgets
from wxdata.dashboard.text import plain
from wxdata.i18n import t
from wxdata.present.fmt import period_text


def render() -> None:
    view = state.current_view()
    lang = view.lang
    st.title(t("page.not_found.title", lang))
    asked = widgets.page_param(keys.MISSING)
    st.warning(period_text("page.not_found.body", view.kind, lang, path=plain(asked or "/")),
               icon=":material/explore_off:")
    kept = {k: v for k in keys.GLOBAL_PARAMS if (v := st.query_params.get(k))}
    for name in keys.PAGE_PATHS:
        st.page_link(f"pages/{name}.py", label=titles.page_title(name, view.kind, lang),
                     query_params=kept, icon=":material/arrow_forward:")


render()

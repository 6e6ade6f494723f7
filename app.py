"""wxretain: the router. Page config, who is asking (sign-in), the shared sidebar, then the page
the user picked."""

from __future__ import annotations

import logging

import streamlit as st

from wxdata.dashboard import auth, sidebar, state, widgets
from wxdata.i18n import t

LOG = logging.getLogger("wxretain.app")

PAGES = (
    ("overview", ":material/dashboard:"),
    ("heatmap", ":material/grid_on:"),
    ("curves", ":material/show_chart:"),
    ("week_over_week", ":material/compare_arrows:"),
    ("data", ":material/table_view:"),
)

st.set_page_config(page_title="wxretain", page_icon=":material/monitoring:", layout="wide")
# Nobody signed in, nobody with an app, or settings that cannot be applied safely: that page
# alone, on every path, and no data asked for.
grant = auth.door([name for name, _ in PAGES])
if grant is None:
    st.stop()
view = sidebar.render(grant)
state.set_view(view)
page = st.navigation([
    st.Page(f"pages/{name}.py", title=t(f"page.{name}.title", view.lang), icon=icon,
            url_path=name, default=index == 0)
    for index, (name, icon) in enumerate(PAGES)
])
widgets.page_keys_reset()
try:
    page.run()
except Exception as exc:  # the last resort: a PM reads a sentence, the log keeps the traceback
    LOG.exception("page %s failed", page.url_path)
    st.error(t("app.crashed", view.lang, kind=type(exc).__name__), icon=":material/bug_report:")
state.clear_page_params(keep=widgets.page_keys())
widgets.link_notices(view.lang)  # after the page: its own parameters may have been bad too
widgets.share_box(page.url_path, [name for name, _ in PAGES], view.lang)

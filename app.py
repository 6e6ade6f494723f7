"""wxretain: the router. Page config, who is asking (sign-in), the shared sidebar, then the page
the user picked.

Streamlit runs this file for every page view (as ``__main__``). ``streamlit run app.py`` also
imports it once to find ``app``, the server it serves: Streamlit's own, plus the app's "not
found" redirect for unknown addresses, a warm-up at start and a guard on Streamlit's websocket
(``wxdata.dashboard.server``).
"""

from __future__ import annotations

import logging

import streamlit as st
from starlette.middleware import Middleware

from wxdata.dashboard import keys, server
from wxdata.i18n import t

LOG = logging.getLogger("wxretain.app")

ICONS = (":material/dashboard:", ":material/grid_on:", ":material/show_chart:",
         ":material/compare_arrows:", ":material/table_view:")
PAGES = tuple(zip(keys.PAGE_PATHS, ICONS, strict=True))


def route() -> None:
    # Imported by the script runs only: the server imports this file before Streamlit's runtime
    # exists, and the cached loaders these bring would log "No runtime found" then.
    from wxdata.dashboard import auth, locale_css, sidebar, state, widgets

    st.set_page_config(page_title="wxretain", page_icon=":material/monitoring:", layout="wide")
    # Nobody signed in, nobody with an app, or settings that cannot be applied safely: that page
    # alone, on every path (the "not found" one too), and no data asked for.
    grant = auth.door([*keys.PAGE_PATHS, keys.NOT_FOUND_PAGE])
    if grant is None:
        st.stop()
    view = sidebar.render(grant)
    state.set_view(view)
    locale_css.apply(view.lang)  # Streamlit's own uploader English on Chinese pages
    missing = st.Page(f"pages/{keys.NOT_FOUND_PAGE}.py", url_path=keys.NOT_FOUND_PAGE,
                      title=t("page.not_found.title", view.lang), visibility="hidden")
    page = st.navigation([
        *(st.Page(f"pages/{name}.py", title=widgets.page_title(name, view.kind, view.lang),
                  icon=icon, url_path=name, default=index == 0)
          for index, (name, icon) in enumerate(PAGES)),
        missing,
    ])
    widgets.page_keys_reset()
    try:
        page.run()
    except Exception as exc:  # the last resort: a PM reads a sentence, the log keeps the traceback
        LOG.exception("page %s failed", page.url_path)
        st.error(t("app.crashed", view.lang, kind=type(exc).__name__),
                 icon=":material/bug_report:")
    state.clear_page_params(keep=widgets.page_keys())
    widgets.link_notices(view.lang)  # after the page: its own parameters may have been bad too
    widgets.share_box(page.url_path, [*keys.PAGE_PATHS, keys.NOT_FOUND_PAGE], view.lang,
                      view.kind)


if __name__ == "__main__":
    route()
else:  # imported by `streamlit run app.py`, which serves this ASGI app
    app = st.App(__file__, lifespan=server.lifespan,
                 middleware=[Middleware(server.GuardStream),
                             Middleware(server.UnknownPaths, pages=keys.PAGE_PATHS),
                             Middleware(server.WarmHealth)])

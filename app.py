"""wxretain: the router. Page config and who is asking (sign-in); then, in order: read the link,
draw the sidebar's choices, load the view's data, run the page the user picked.

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
    from wxdata.dashboard import (
        auth,
        load,
        locale_css,
        notices,
        share,
        sidebar,
        state,
        status,
        titles,
        urlsync,
        widgets,
    )

    st.set_page_config(page_title="wxretain", page_icon=":material/monitoring:", layout="wide")
    # Nobody signed in, nobody with an app, or settings that cannot be applied safely: that page
    # alone, on every path (the "not found" one too), and no data asked for.
    grant = auth.door([*keys.PAGE_PATHS, keys.NOT_FOUND_PAGE])
    if grant is None:
        st.stop()
    sidebar.read_link(grant)  # 1. the link the session was opened with (its first run only)
    view = sidebar.render(grant)  # 2. the choices: what to draw, nothing loaded
    view = load.view_data(view)  # 3. the view's data, once per run, under a spinner
    state.set_view(view)
    locale_css.apply(view.lang)  # Streamlit's own uploader English on Chinese pages
    status.panel(view)  # the sidebar's freshness, of the load just made
    auth.identity_box(grant, view.lang)
    missing = st.Page(f"pages/{keys.NOT_FOUND_PAGE}.py", url_path=keys.NOT_FOUND_PAGE,
                      title=t("page.not_found.title", view.lang), visibility="hidden")
    page = st.navigation([
        *(st.Page(f"pages/{name}.py", title=titles.page_title(name, view.kind, view.lang),
                  icon=icon, url_path=name, default=index == 0)
          for index, (name, icon) in enumerate(PAGES)),
        missing,
    ])
    top = st.container()  # the link's notices, above the page; filled once the page has run
    widgets.page_keys_reset()
    try:
        page.run()  # 4. the page
    except Exception as exc:  # the last resort: a PM reads a sentence, the log keeps the traceback
        LOG.exception("page %s failed", page.url_path)
        st.error(t("app.crashed", view.lang, kind=type(exc).__name__),
                 icon=":material/bug_report:")
    urlsync.clear_page_params(keep=widgets.page_keys())
    notices.show(top, view.lang)  # after the page: its own parameters may have been bad too
    share.share_box(page.url_path, [*keys.PAGE_PATHS, keys.NOT_FOUND_PAGE], view.lang,
                    view.kind)

if __name__ == "__main__":
    route()
else:  # imported by `streamlit run app.py`, which serves this ASGI app
    app = st.App(__file__, lifespan=server.lifespan,
                 middleware=[Middleware(server.GuardStream),
                             Middleware(server.UnknownPaths, pages=keys.PAGE_PATHS),
                             Middleware(server.WarmHealth)])

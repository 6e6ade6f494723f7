"""The one Streamlit workaround the dashboard needs, with its reason: a ``pages/`` folder beside an
app that routes with ``st.navigation``.

Streamlit decides once per process (the class flag ``PagesManager.uses_pages_directory``, set in
``PagesManager.__init__``) whether an app is an "old style" multipage app, and it guesses yes when
a ``pages/`` folder sits next to the main script. ``st.navigation`` turns the guess off, but only
when it runs (upstream streamlit#9446, fixed only in part by #14217). Until then Streamlit runs
the page file on its own, without the router:

- **the real server**: the first visit after a start that lands on a deep link (``/heatmap``)
  runs ``pages/heatmap.py`` alone: no sidebar, no view. :func:`rerun_through_router` is the
  guard the pages call when they find no view: drop the guess and run again, through ``app.py``.
- **AppTest** builds a new ``PagesManager`` (and resets the flag) before every run, so the guess
  comes back on every run after the first; ``tests/conftest.py`` calls
  :func:`use_navigation_mode` right after each ``PagesManager.__init__``.

The project keeps ``pages/`` (one file per page is the house style); both places call this module
so the knowledge lives here alone.
"""

from __future__ import annotations

from typing import NoReturn

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def use_navigation_mode() -> None:
    """Tell Streamlit this app routes with ``st.navigation``, whatever ``pages/`` suggests."""
    PagesManager.uses_pages_directory = False


def rerun_through_router() -> NoReturn:
    """A page ran without the router (see the module docstring): run the app again, properly."""
    use_navigation_mode()
    st.rerun()
    raise AssertionError("st.rerun() returned")  # pragma: no cover - st.rerun always raises

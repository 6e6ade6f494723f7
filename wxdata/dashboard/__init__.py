"""The dashboard: the only Streamlit code of the project (the router ``app.py`` and ``pages/`` sit
on top of it).

``keys`` names everything kept in a session (state keys, widget keys, URL parameters);
``urlstate`` parses and writes the view's URL parameters (no Streamlit in it); ``loaders`` are
the cached data the pages draw; ``state`` is the current view and how it stays in the URL;
``sidebar`` and ``widgets`` draw what every page shares; ``actions`` are the Data page's refresh
and imports; ``compat`` is the one Streamlit workaround, with its reason.
"""

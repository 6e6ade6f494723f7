"""The dashboard: the only Streamlit code of the project (the router ``app.py`` and ``pages/`` sit
on top of it). One job per module; its first line says which.

The router's steps, in order: ``sidebar.read_link`` (the link, on a session's first run),
``sidebar.render`` (the choices: a ``state.View``, nothing loaded), ``load.view_data`` (the
view's data, once per run), then the page; ``notices`` says the link's problems at the top.

Names and the URL: ``keys`` (everything kept in a session), ``urlstate`` (parsing a link, no
Streamlit), ``urlsync`` (the link read once, every choice written back), ``notices``, ``share``.
Data: ``source`` (which source a view reads), ``uploads`` (the session's imported files),
``loaded`` (a load and its key), ``load`` (the cache of loads and the router's load step),
``loaders`` (tables derived from a load). Drawing: ``sidebar``, ``status`` (freshness),
``explain`` (why there is nothing or only part to draw), ``widgets`` (page widgets that live in
the URL), ``plot``, ``titles``. Besides: ``actions`` (the Data page's refresh and imports),
``digest_panel``, ``auth`` (sign-in), ``server`` and ``warmup`` (the ASGI side), ``text`` (outside
text made safe), ``compat`` (the one Streamlit workaround, with its reason).
"""

"""The dashboard's Streamlit layer: sidebar, view state and URL, cached data, shared widgets.

``fmt`` and ``params`` import no Streamlit (charts and tests use them directly); ``state``,
``data``, ``sidebar`` and ``widgets`` are the only Streamlit code outside ``app.py`` and ``pages/``.
This file imports nothing so that ``wxdata.present.charts`` can use ``fmt`` without loading Streamlit.
"""

"""Drawing a Plotly figure on a page: full width, with Plotly's own PNG download named after the
view."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st


def plotly(figure: go.Figure, name: str, *, key: str | None = None) -> None:
    """A chart at full width that keeps Plotly's own PNG download (named after the view)."""
    config = {"displaylogo": False,
              "toImageButtonOptions": {"format": "png", "filename": name, "scale": 2}}
    st.plotly_chart(figure, width="stretch", config=config, key=key)

"""The load benchmark's floor: a naive dashboard of wxretain's shape on Streamlit's defaults.

A router (``st.navigation``, five pages at the dashboard's URL paths), the same sidebar widgets
(language, mini programs, weeks, metric) and one Plotly figure a page drawn from a cached frame of
the same size as 52 weeks of demo cohorts (52 cohorts x 13 weeks, two apps, two metrics); no
analytics, no sign-in, no URL state. What ``bench_load.py`` measures against it is what Streamlit
itself costs for a page of this shape on this machine, in the same run: the dashboard's times
divided by these are the dashboard's own share.

Run by ``bench_load.py`` as ``streamlit run benchmarks/naive_app.py`` from ``benchmarks/`` (so
the project's ``.streamlit/config.toml`` does not apply: Streamlit's defaults).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

APPS = ("wx_demo_fruit", "wx_demo_puzzle")
PATHS = ("overview", "heatmap", "curves", "week_over_week", "data")


@st.cache_data
def cohorts(app: str, metric: str, weeks: int) -> pd.DataFrame:
    """Rates of ``weeks`` cohorts over 13 week offsets (a triangle, like real cohorts)."""
    rng = np.random.default_rng(abs(hash((app, metric, weeks))) % 2**32)
    decay = 0.6 * np.arange(1, 14, dtype=float) ** -0.5 * rng.uniform(0.8, 1.2, (weeks, 13))
    decay[np.add.outer(np.arange(weeks), np.arange(13)) >= weeks] = np.nan
    return pd.DataFrame(decay, index=pd.date_range("2025-01-06", periods=weeks, freq="W-MON"),
                        columns=[f"W{n}" for n in range(1, 14)])


def sidebar() -> tuple[list[str], int, str]:
    st.sidebar.segmented_control("Language", ["zh", "en"], key="lang", default="zh")
    apps = st.sidebar.multiselect("Mini programs", APPS, default=APPS[:1], key="apps")
    weeks = st.sidebar.selectbox("Weeks", [8, 12, 26, 52], index=3, key="weeks")
    metric = st.sidebar.segmented_control("Metric", ["new", "active"], key="metric",
                                          default="new")
    return apps or list(APPS[:1]), int(weeks or 52), str(metric or "new")


def page(kind: str) -> None:
    apps, weeks, metric = st.session_state["view"]
    frame = cohorts(apps[0], metric, weeks)
    st.header(kind)
    if kind == "heatmap":
        figure = go.Figure(go.Heatmap(z=frame.to_numpy(), x=list(frame.columns),
                                      y=[d.date().isoformat() for d in frame.index]))
    elif kind == "curves":
        figure = go.Figure([go.Scatter(x=list(frame.columns), y=row, mode="lines")
                            for row in frame.to_numpy()[:12]])
    elif kind == "week_over_week":
        figure = go.Figure(go.Bar(x=list(frame.columns), y=frame.diff().iloc[-2].to_numpy()))
    elif kind == "data":
        tidy = frame.stack().reset_index().tail(200)
        figure = go.Figure(go.Table(header={"values": ["cohort", "week", "rate"]},
                                    cells={"values": [tidy[c].astype(str) for c in tidy]}))
    else:
        figure = go.Figure(go.Scatter(x=[d.date().isoformat() for d in frame.index],
                                      y=frame["W1"].to_numpy(), mode="lines+markers"))
    st.plotly_chart(figure)


def _page(kind: str) -> st.Page:
    return st.Page(lambda: page(kind), title=kind, url_path=kind, default=kind == PATHS[0])


st.session_state["view"] = sidebar()
st.navigation([_page(kind) for kind in PATHS]).run()

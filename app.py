"""Placeholder router until the dashboard lands: shows demo data so `make run` works."""

from __future__ import annotations

import streamlit as st

from wxdata import DemoSource, last_n_weeks

st.set_page_config(page_title="wxretain", layout="wide")
source = DemoSource()
app = source.apps()[0]
st.dataframe(source.load([app.appid], last_n_weeks(8)).frame)

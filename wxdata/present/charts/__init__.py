"""Pure Plotly figure builders: DataFrames in, ``go.Figure`` out; no Streamlit, no I/O.

Rates arrive as fractions (0.283) and are drawn as percentages; user counts are written the way
the reader's language writes them (万 in Chinese). Cells WeChat has not published are blank, never
zero. Every figure keeps Plotly's own PNG download (the page decides the file name).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wxdata._lazy import lazy_exports

if TYPE_CHECKING:
    from wxdata.present.charts.curves import decay_compare, decay_curves, describe
    from wxdata.present.charts.heatmaps import calendar_heatmap, heatmap, scale_top
    from wxdata.present.charts.style import FADED, GREEN, INK, ORANGE, PALETTE, RED, offset_label
    from wxdata.present.charts.trends import STATUS_COLORS, coverage, trend, wow_changes, wow_rates

__all__ = ["FADED", "GREEN", "INK", "ORANGE", "PALETTE", "RED", "STATUS_COLORS",
           "calendar_heatmap", "coverage", "decay_compare", "decay_curves", "describe", "heatmap",
           "offset_label", "scale_top", "trend", "wow_changes", "wow_rates"]

__getattr__ = lazy_exports(__name__, {
    "FADED": "wxdata.present.charts.style",
    "GREEN": "wxdata.present.charts.style",
    "INK": "wxdata.present.charts.style",
    "ORANGE": "wxdata.present.charts.style",
    "PALETTE": "wxdata.present.charts.style",
    "RED": "wxdata.present.charts.style",
    "STATUS_COLORS": "wxdata.present.charts.trends",
    "calendar_heatmap": "wxdata.present.charts.heatmaps",
    "coverage": "wxdata.present.charts.trends",
    "decay_compare": "wxdata.present.charts.curves",
    "decay_curves": "wxdata.present.charts.curves",
    "describe": "wxdata.present.charts.curves",
    "heatmap": "wxdata.present.charts.heatmaps",
    "offset_label": "wxdata.present.charts.style",
    "scale_top": "wxdata.present.charts.heatmaps",
    "trend": "wxdata.present.charts.trends",
    "wow_changes": "wxdata.present.charts.trends",
    "wow_rates": "wxdata.present.charts.trends",
})

"""The digest's picture: per app, the heatmap above the trend (the Overview's and the Heatmap
page's own figures), one PNG drawn by kaleido with Debian's chromium.

kaleido starts a browser for every image unless a server is running (about 4 s each on the
machines this runs on): :class:`Renderer` starts one when the run starts and stops it when the
run ends, and every image of the run goes through it (``benchmarks/bench_digest.py`` measures
both ways). The two figures are drawn separately and stacked with Pillow, so each keeps its own
size and axes.
"""

from __future__ import annotations

import io
import os
import shutil
from types import TracebackType
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from wxdata.analytics.average import average_curve
from wxdata.analytics.cohort import cohort_matrix
from wxdata.core.periods import PeriodKind, period_class
from wxdata.digest.content import METRIC
from wxdata.i18n import Lang, t
from wxdata.present import charts
from wxdata.present.fmt import chart_text

WIDTH = 900
#: The rows of the heatmap in the picture: the newest cohorts (a message is read on a phone).
HEATMAP_ROWS = 12
#: WeCom takes images up to 2 MB; a picture above it is drawn again smaller.
MAX_BYTES = 2 * 1024 * 1024
CHROMIUM = "/usr/bin/chromium"


def figures(frame: pd.DataFrame, app_id: str, app_name: str, kind: PeriodKind,
            lang: Lang) -> list[go.Figure]:
    """The heatmap of the newest cohorts and the trend of the whole span, for one app."""
    cls = period_class(kind)
    own = frame[frame["app_id"] == app_id]
    rates = cohort_matrix(own, metric=METRIC, values="rate", app_id=app_id, period=cls)
    users = cohort_matrix(own, metric=METRIC, values="users", app_id=app_id, period=cls)
    keys = [k for k in cls.KEYS if k in rates.columns]
    rates, users = rates[keys], users[keys]
    average = average_curve(own, metric=METRIC, app_id=app_id, period=cls)
    average = average[average.index.isin(keys)]
    name = chart_text(app_name)
    heat = charts.heatmap(rates.tail(HEATMAP_ROWS), users.tail(HEATMAP_ROWS), lang=lang,
                          average=average, period=kind,
                          title=f"{name} · {t('page.heatmap.title', lang)}")
    first = rates[1] if 1 in rates.columns else rates[0] * float("nan")
    metric = t(f"metric.{METRIC}", lang)
    title = t("page.overview.trend", lang, metric=metric) if kind == "week" else \
        t(f"page.overview.trend.{kind}", lang, metric=metric)
    trend = charts.trend(users[0], first, lang=lang, size_name=t(f"chart.size.{METRIC}", lang),
                         rate_name=t("digest.col.rate", lang, offset=charts.offset_label(
                             1, kind, lang)), period=kind, title=f"{name} · {title}")
    return [heat, trend]


def stack(pngs: list[bytes]) -> bytes:
    """PNGs one above the other, on white, as one PNG."""
    from PIL import Image

    images = [Image.open(io.BytesIO(data)).convert("RGB") for data in pngs]
    width = max(image.width for image in images)
    canvas = Image.new("RGB", (width, sum(image.height for image in images)), "white")
    top = 0
    for image in images:
        canvas.paste(image, (0, top))
        top += image.height
    out = io.BytesIO()
    canvas.save(out, format="PNG", optimize=True)
    return out.getvalue()


class Renderer:
    """Draws the run's PNGs. ``shared=True`` (the default): one kaleido server for the whole run,
    started on entry and stopped on exit; ``False``: a browser per image (the benchmark's
    baseline)."""

    def __init__(self, *, shared: bool = True, scale: float = 1.0) -> None:
        self.shared, self.scale = shared, scale
        self.images = 0
        self._started = False

    def __enter__(self) -> Renderer:
        if not os.environ.get("BROWSER_PATH") and shutil.which("chromium") is None \
                and os.path.exists(CHROMIUM):
            os.environ["BROWSER_PATH"] = CHROMIUM
        if self.shared:
            import kaleido

            kaleido.start_sync_server(mathjax=False, silence_warnings=True)
            self._started = True
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._started:
            import kaleido

            kaleido.stop_sync_server(silence_warnings=True)
            self._started = False

    def _one(self, fig: go.Figure, scale: float) -> bytes:
        import kaleido

        height = fig.layout.height or 420
        opts: dict[str, Any] = {"format": "png", "width": WIDTH, "height": height,
                                "scale": scale}
        self.images += 1
        if self._started:
            return bytes(kaleido.calc_fig_sync(fig, opts=opts))
        return bytes(kaleido.calc_fig_sync(fig, opts=opts, kopts={"mathjax": False}))

    def png(self, figs: list[go.Figure]) -> bytes:
        """The figures as one PNG of at most :data:`MAX_BYTES`."""
        scale = self.scale
        while True:
            data = stack([self._one(fig, scale) for fig in figs])
            if len(data) <= MAX_BYTES or scale < 0.3:
                return data
            scale *= 0.7


__all__ = ["MAX_BYTES", "Renderer", "figures", "stack"]

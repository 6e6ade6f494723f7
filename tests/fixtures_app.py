"""Fixtures for the dashboard tests (AppTest and the real browser).

- ``app``: ``app(page=None, **query)`` -> an :class:`AppTest` of ``app.py`` that has run once on
  the demo data, opened on ``pages/<page>.py`` with the given query parameters.
- ``figure``: the Plotly spec (a dict) of the n-th chart an AppTest drew.
- ``demo_payload_bytes``: ``demo_payload_bytes(weeks)`` -> a saved API answer (JSON bytes, a list)
  for the newest ``weeks`` ended weeks of the first demo app, as a team would upload it.
- ``run_fragment(at, name)``: rerun only the fragment called ``name``, as the browser does after
  a click inside it (``AppTest.run`` always reruns the whole script).
- ``link_notices(at)``: the link's notices the router said at the top of the main area (the
  texts of the captions in its first element), in order.
- ``demo_loads``: a list that gets an entry per load of the demo source, from empty caches on.
- ``FRESH``, ``PUZZLE`` (the demo's two app ids), ``TITLES`` (the pages' Chinese titles),
  ``labels(weeks)`` and ``strip_mark(row)`` (a heatmap row's label without its mark).
"""

from __future__ import annotations

import base64
import functools
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import streamlit as st
from streamlit.runtime.scriptrunner import RerunData
from streamlit.testing.v1 import AppTest, local_script_runner

from wxdata.core.periods import Week, last_ended_week, last_n_weeks
from wxdata.i18n import t
from wxdata.present.tables import strip_marks
from wxdata.sources import DemoSource
from wxdata.sources.demo import DEMO_APPS, demo_payload

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("overview", "heatmap", "curves", "week_over_week", "data")

AppFactory = Callable[..., AppTest]

TITLES = {"overview": "概览", "heatmap": "留存热力图", "curves": "留存曲线",
          "week_over_week": "周环比", "data": "数据"}
FRESH, PUZZLE = (a.appid for a in DEMO_APPS)


def labels(weeks: list[Week]) -> list[str]:
    return [w.label for w in weeks]


def strip_mark(row: str) -> str:
    return strip_marks(row, "zh")


CRASHED = t("app.crashed", "zh", kind="").split("(")[0]


def _raise_on_exception(at: AppTest) -> AppTest:
    """A page that raised (an exception element, or the router's last-resort message) fails
    the test; the router logs the traceback."""
    if at.exception:
        first = at.exception[0]
        raise AssertionError(f"{first.message}\n" + "\n".join(first.stack_trace))
    crashed = [e.value for e in at.error if CRASHED in e.value or "This page failed" in e.value]
    if crashed:
        raise AssertionError(f"the page crashed: {crashed[0]} (traceback in the log)")
    return at


@pytest.fixture
def app() -> AppFactory:
    def make(page: str | None = None, *, check: bool = True, **query: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        for key, value in query.items():
            at.query_params[key] = value
        if page is not None:
            at.switch_page(f"pages/{page}.py")
        at.run()
        return _raise_on_exception(at) if check else at

    return make


def figures(at: AppTest) -> list[dict[str, Any]]:
    """The Plotly figure of every chart on the page, in order."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def heatmap_rows(spec: dict[str, Any]) -> list[str]:
    """The cohort labels (rows) of a heatmap figure: the trace that carries the colour bar."""
    main = [d for d in spec["data"] if d["type"] == "heatmap" and d.get("showscale") is not False]
    return list(main[-1]["y"])


def heatmap_trace(spec: dict[str, Any]) -> dict[str, Any]:
    """The heatmap trace that carries the colour bar (the cells after W0)."""
    main = [d for d in spec["data"] if d["type"] == "heatmap" and d.get("showscale") is not False]
    return main[-1]


def values(data: Any) -> list[Any]:
    """A trace's array as a (nested) list: Plotly 6 writes numbers as base64 typed arrays."""
    if isinstance(data, dict) and "bdata" in data:
        flat = np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"])
        shape = [int(n) for n in str(data.get("shape", len(flat))).split(",")]
        return flat.reshape(shape).tolist()  # type: ignore[no-any-return]
    return list(data)


def run(at: AppTest) -> AppTest:
    return _raise_on_exception(at.run())


def run_fragment(at: AppTest, name: str) -> AppTest:
    """Rerun only the fragment ``name`` with the widget values set on ``at``. AppTest has no way
    to ask for it, so the rerun request it builds gets the fragment's id added, which is what the
    browser's request carries."""
    ids = at._fragment_storage.resolve_target(name)  # private: AppTest keeps it for callbacks
    assert ids, f"no fragment called {name!r} ran"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(local_script_runner, "RerunData",
                      functools.partial(RerunData, fragment_id_queue=list(ids)))
        return run(at)


@pytest.fixture
def demo_payload_bytes() -> Callable[[int], bytes]:
    def make(weeks: int) -> bytes:
        newest = last_ended_week()
        answers = [demo_payload(DEMO_APPS[0], w, newest).to_api() for w in last_n_weeks(weeks)]
        return json.dumps(answers).encode()

    return make


def link_notices(at: AppTest) -> list[str]:
    """The link's notices, read where the router says them: the captions of the main area's first
    element (its container above the page). None when something else comes first."""
    children = list(at.main.children.values())
    if not children or not hasattr(children[0], "caption"):
        return []
    return [c.value for c in children[0].caption if "link_off" in c.value]


def shown(markdown: str) -> str:
    """What a reader sees of Markdown whose outside texts were escaped (``dashboard.text``; its
    zero-width spaces, which keep bare URLs from becoming links, are invisible)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u200b", "")


@pytest.fixture
def demo_loads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per load of the demo source, from empty caches on."""
    loads: list[int] = []
    original = DemoSource.load

    def counting(self: DemoSource, *args: Any, **kwargs: Any) -> Any:
        loads.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(DemoSource, "load", counting)
    st.cache_data.clear()
    return loads

"""What is loaded and when: toggles and page switches load nothing, concurrent viewers and
refreshes share one load, a new load never serves tables of the one before."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import streamlit as st

from tests.fixtures_app import (
    FRESH,
    AppFactory,
    figures,
    run,
)
from tests.waiting import wait_until
from wxdata.analytics import decay
from wxdata.core.periods import last_n_weeks
from wxdata.core.report import LoadResult
from wxdata.dashboard import actions, keys, load, loaders
from wxdata.dashboard.loaded import LoadKey
from wxdata.sources import DemoSource


def test_toggles_and_page_switches_rerun_no_load(app: AppFactory, demo_loads: list[int]) -> None:
    loads = demo_loads
    at = app("heatmap")
    assert len(loads) == 1
    run(at.segmented_control(key="values").set_value("users"))
    run(at.toggle(key="both").set_value(True))
    for page in ("overview", "curves", "week_over_week", "data"):
        run(at.switch_page(f"pages/{page}.py"))
    assert len(loads) == 1
    run(at.sidebar.selectbox(key="w_span").set_value("26"))
    assert len(loads) == 2  # a new span is a new load



def test_ten_viewers_of_the_same_span_cause_one_load() -> None:
    class Slow:
        name = "demo"
        calls = 0

        def load(self, app_ids: Any, weeks: Any, **_: Any) -> LoadResult:
            Slow.calls += 1
            time.sleep(0.3)
            return LoadResult()

    st.cache_data.clear()
    key = LoadKey("demo", "ten-viewers", ("wx1",), ("2026-W45",), "week")
    with ThreadPoolExecutor(10) as pool:
        results = list(pool.map(lambda _: load.load_result(key, Slow()), range(10)))
    assert Slow.calls == 1 and len(results) == 10



def test_a_new_projection_horizon_reuses_the_fit(app: AppFactory,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    fits: list[int] = []
    original = decay.forecast_for  # the loaders' fit: the newest cohorts' (issue 19)

    def counting(*args: Any, **kwargs: Any) -> Any:
        fits.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(decay, "forecast_for", counting)
    st.cache_data.clear()
    at = app("curves")
    run(at.segmented_control(key="horizon").set_value("26"))
    run(at.toggle(key="log").set_value(True))
    assert len(fits) == 1
    assert max(d["x"][-1] for d in figures(at)[0]["data"] if d.get("line", {}).get("dash")) == 26



DEMO_LOAD = DemoSource.load



class Growing:
    """The demo numbers times ``factor``: a source whose numbers change between two loads."""

    name = "demo"

    def __init__(self) -> None:
        self.factor = 1

    def load(self, app_ids: Any, weeks: Any, **_: Any) -> LoadResult:
        result = DEMO_LOAD(DemoSource(), app_ids, weeks)
        frame = result.frame.assign(users=result.frame["users"] * self.factor)
        return LoadResult(frame, result.reports)



def test_tables_made_from_a_load_are_never_served_for_the_next_one() -> None:
    st.cache_data.clear()
    source, weeks = Growing(), tuple(w.iso for w in last_n_weeks(6))
    key = LoadKey("demo", "growing", (FRESH,), weeks, "week")
    first = load.load_result(key, source)
    before = loaders.matrix(first, "new", "users", FRESH)
    assert load.load_result(key, source).stamp == first.stamp  # cached: the same load
    source.factor = 2
    load.load_result.clear()  # what a refresh does
    second = load.load_result(key, source)
    assert second.key == first.key and second.stamp != first.stamp
    after = loaders.matrix(second, "new", "users", FRESH)
    assert (after[0] == before[0] * 2).all()  # a new table, not the cached one of the same key
    assert loaders.matrix(first, "new", "users", FRESH).equals(before)  # each load its own



def test_a_refresh_by_one_viewer_is_seen_by_every_other(
        app: AppFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    growing = Growing()
    monkeypatch.setattr(DemoSource, "load", lambda self, *a, **k: growing.load(*a, **k))
    st.cache_data.clear()
    watcher, refresher = app("overview"), app("data")
    size = watcher.metric[0].value
    stamp = watcher.session_state[keys.VIEW].loaded.stamp
    growing.factor = 2
    run(refresher.button(key=keys.REFRESH).click())
    assert refresher.success
    run(watcher)
    assert watcher.session_state[keys.VIEW].loaded.stamp != stamp
    assert watcher.metric[0].value != size  # twice the users: a new number on the tile



class _SlowSource(DemoSource):
    """The demo, whose refresh goes on only once ``joiners`` other refreshes of the same view
    wait for it (so they overlap by construction: a sleep of 0.5 s did not, on a loaded
    machine a late thread started a second refresh); counts its refreshes."""

    loads = 0
    joiners = 0

    def load(self, app_ids: Any, weeks: Any, *, refresh: bool = False,
             progress: Any = None) -> LoadResult:
        if refresh:
            type(self).loads += 1
            view = (self.name, tuple(app_ids), tuple(w.iso for w in weeks))
            wait_until(lambda: actions._REFRESHES.waiting(view) == self.joiners,
                       f"{self.joiners} refreshes joining the running one")
        return super().load(app_ids, weeks, refresh=refresh, progress=progress)



def test_two_refreshes_of_one_view_at_once_cost_one() -> None:
    """Ten clicks on "refresh" once made 40 calls: one refresh of a view runs at a time and
    whoever clicks meanwhile shares its result."""
    source, weeks = _SlowSource(), last_n_weeks(4)
    source.joiners = 3
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: actions.refresh_once(source, [FRESH], weeks), range(4)))
    assert _SlowSource.loads == 1 and all(r is results[0] for r in results)
    source.joiners = 0
    actions.refresh_once(source, [FRESH], weeks)  # the next one, after it ended, runs again
    assert _SlowSource.loads == 2

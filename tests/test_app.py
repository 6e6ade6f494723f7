"""The dashboard under AppTest on demo data: every page draws, widgets change what is drawn,
links restore a view and bad links fall back, uploads are validated."""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import plotly.graph_objects as go
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.fixtures_app import (
    PAGES,
    AppFactory,
    figures,
    heatmap_rows,
    heatmap_trace,
    run,
    run_fragment,
    shown,
    values,
)
from tests.waiting import wait_until
from wxdata.analytics import decay
from wxdata.core.periods import Day, Month, Week, last_ended_week, last_n_weeks
from wxdata.core.report import LoadResult
from wxdata.dashboard import actions, keys, loaders, server, warmup
from wxdata.i18n import t
from wxdata.present import charts, tables
from wxdata.sources import DemoSource
from wxdata.sources.demo import DEMO_APPS, LAUNCH_WEEKS_AGO

TITLES = {"overview": "概览", "heatmap": "留存热力图", "curves": "留存曲线",
          "week_over_week": "周环比", "data": "数据"}
FRESH, PUZZLE = (a.appid for a in DEMO_APPS)


def labels(weeks: list[Week]) -> list[str]:
    return [w.label for w in weeks]


def strip_mark(row: str) -> str:
    return row.split(t("chart.mark.provisional", "zh"))[0]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_draws_its_chart_on_demo_data(app: AppFactory, page: str) -> None:
    at = app(page)
    assert at.title[0].value == TITLES[page]
    assert figures(at), f"{page} drew no chart"
    assert not at.error


def test_heatmap_has_one_row_per_ended_week_newest_on_top(app: AppFactory) -> None:
    spec = figures(app("heatmap"))[0]
    rows = [strip_mark(r) for r in heatmap_rows(spec)]
    assert rows == labels(last_n_weeks(12))
    main_axis = spec["layout"]["yaxis2"]  # the average row sits on yaxis, the triangle below
    assert main_axis["categoryarray"][-1].startswith(last_ended_week().label)  # top = last


def test_heatmap_marks_provisional_rows_and_leaves_unpublished_cells_blank(
        app: AppFactory) -> None:
    spec = figures(app("heatmap"))[0]
    rows = heatmap_rows(spec)
    assert rows[-1].endswith(t("chart.mark.provisional", "zh"))
    assert not rows[0].endswith(t("chart.mark.provisional", "zh"))
    main = heatmap_trace(spec)  # the bars of cohort sizes come after it
    newest_cells = values(main["z"])[-1]
    assert all(math.isnan(v) for v in newest_cells)  # only W0 is published; W0 is its own trace
    assert main["text"][-1] == [""] * len(newest_cells)


@pytest.mark.parametrize("weeks", ["8", "26"])
def test_span_preset_from_the_link(app: AppFactory, weeks: str) -> None:
    rows = heatmap_rows(figures(app("heatmap", weeks=weeks))[0])
    assert [strip_mark(r) for r in rows] == labels(last_n_weeks(int(weeks)))


def test_custom_range_from_the_link_is_snapped_to_natural_weeks(app: AppFactory) -> None:
    newest = last_ended_week()
    first, last = newest.shift(-20), newest.shift(-10)
    at = app("heatmap", **{"from": (first.start.replace(day=first.start.day)).isoformat(),
                           "to": last.end.isoformat()})
    rows = [strip_mark(r) for r in heatmap_rows(figures(at)[0])]
    assert rows == [first.shift(k).label for k in range(11)]
    assert at.sidebar.selectbox(key="w_span").value == "custom"


def test_toggles_change_the_figure(app: AppFactory) -> None:
    at = app("heatmap")
    rates = heatmap_trace(figures(at)[0])
    run(at.segmented_control(key="values").set_value("users"))
    users = figures(at)[0]
    assert "%" in rates["text"][0][1] and "%" not in users["data"][-1]["text"][0][1]
    assert "万" in users["data"][-2]["text"][0][0] or users["data"][-2]["text"][0][0][0].isdigit()
    assert at.query_params["values"] == "users"
    run(at.segmented_control(key="order").set_value("bottom"))
    bottom = figures(at)[0]
    assert bottom["layout"]["yaxis"]["categoryarray"][-1].startswith(last_n_weeks(12)[0].label)
    run(at.toggle(key="both").set_value(True))
    assert len(figures(at)) == 2


def test_calendar_view_puts_columns_on_calendar_weeks(app: AppFactory) -> None:
    at = app("heatmap", calendar="true")
    spec = figures(at)[0]
    columns = spec["data"][0]["x"]
    assert len(columns) > 5 and all("-W" in c for c in columns)


def test_metric_and_language_switch_change_titles_and_the_url(app: AppFactory) -> None:
    at = app("heatmap")
    assert figures(at)[0]["layout"]["title"]["text"] == t("metric.new", "zh")
    run(at.sidebar.segmented_control(key="w_metric").set_value("active"))
    assert figures(at)[0]["layout"]["title"]["text"] == t("metric.active", "zh")
    run(at.sidebar.segmented_control(key="w_lang").set_value("en"))
    assert at.title[0].value == "Retention heatmap"
    assert figures(at)[0]["layout"]["title"]["text"] == "Active-user retention"
    assert at.query_params["lang"] == "en" and at.query_params["metric"] == "active"


def test_a_link_restores_apps_metric_and_language(app: AppFactory) -> None:
    at = app("curves", app=f"{FRESH},{PUZZLE}", metric="active", lang="en", log="true")
    assert at.title[0].value == "Decay curves"
    assert at.sidebar.multiselect(key="w_app").value == [FRESH, PUZZLE]
    assert at.toggle(key="log").value is True
    spec = figures(at)[0]
    assert spec["layout"]["yaxis"]["type"] == "log"
    names = {d.get("name") for d in spec["data"]}
    assert {a.name for a in DEMO_APPS} <= names  # both apps on one chart


@pytest.mark.parametrize("bad", [{"weeks": "abc"}, {"metric": "bogus"}, {"lang": "fr"},
                                 {"app": "wx-nobody"}, {"from": "2026-13-45", "to": "x"},
                                 {"values": "pie"}])
def test_an_invalid_link_parameter_falls_back_with_a_notice(app: AppFactory,
                                                            bad: dict[str, str]) -> None:
    at = app("heatmap", **bad)
    rows = [strip_mark(r) for r in heatmap_rows(figures(at)[0])]
    assert rows == labels(last_n_weeks(12))
    notices = [shown(c.value) for c in at.sidebar.caption if "link_off" in c.value]
    assert len(notices) == len(bad) and all(f"{k}={v}" in " ".join(notices)
                                             for k, v in bad.items())
    assert at.title[0].value == TITLES["heatmap"]


def test_no_app_selected_explains_what_to_do(app: AppFactory) -> None:
    at = app("heatmap")
    run(at.sidebar.multiselect(key="w_app").set_value([]))
    assert at.info[0].value == t("empty.no_app", "zh")
    assert not figures(at)


def test_a_link_to_weeks_not_ended_yet_shows_the_default_span_and_says_so(
        app: AppFactory) -> None:
    future = last_ended_week().shift(3)
    at = app("heatmap", **{"from": future.iso, "to": future.shift(1).iso})
    rows = [strip_mark(r) for r in heatmap_rows(figures(at)[0])]
    assert rows == labels(last_n_weeks(12))
    notices = [shown(c.value) for c in at.sidebar.caption if "link_off" in c.value]
    assert len(notices) == 1 and f"from={future.iso}" in notices[0] and "12" in notices[0]


def test_several_apps_draw_a_heatmap_each(app: AppFactory) -> None:
    at = app("heatmap", app=f"{FRESH},{PUZZLE}")
    assert len(figures(at)) == 2


@pytest.mark.parametrize("query", [{}, {"both": "true"}, {"calendar": "true"},
                                   {"values": "users"}])
def test_every_heatmap_on_the_page_shares_one_colour_scale(app: AppFactory,
                                                           query: dict[str, str]) -> None:
    """Issue 11.10: the same green meant one rate for one app and another for the next."""
    specs = figures(app("heatmap", app=f"{FRESH},{PUZZLE}", **query))
    assert len(specs) == (4 if query.get("both") else 2)
    scales = {(heatmap_trace(s)["zmin"], heatmap_trace(s)["zmax"]) for s in specs}
    assert len(scales) == 1 and next(iter(scales))[0] == 0


def test_two_apps_on_the_curves_page_are_captioned_as_drawn(app: AppFactory) -> None:
    """Issue 11.4: the caption spoke of grey cohort lines and a green newest one."""
    at = app("curves", app=f"{FRESH},{PUZZLE}", lang="en")
    caption = at.main.caption[0].value
    assert caption.startswith(t("chart.caption.apps", "en"))
    assert "grey" not in caption and "newest" not in caption
    assert figures(at)[0]["layout"]["legend"]["y"] < 0  # under the plot, clear of the title


def test_a_colour_scale_per_app_is_one_toggle_away(app: AppFactory) -> None:
    at = app("heatmap")
    assert not [w for w in at.toggle if w.key == keys.SCALE_PER_APP]  # one app: nothing to pick
    at = app("heatmap", app=f"{FRESH},{PUZZLE}", metric="active")
    run(at.toggle(key=keys.SCALE_PER_APP).set_value(True))
    tops = [heatmap_trace(s)["zmax"] for s in figures(at)]
    assert len(set(tops)) == 2 and min(tops) > 0


def test_the_heatmap_has_a_cohort_size_column(app: AppFactory) -> None:
    spec = figures(app("heatmap"))[0]
    (bars,) = [d for d in spec["data"] if d["type"] == "bar"]
    assert list(bars["y"]) == heatmap_rows(spec)
    assert all("万" in text or text[0].isdigit() for text in bars["text"] if text)
    at = app("week_over_week", app=f"{FRESH},{PUZZLE}", wow_app=PUZZLE)
    assert at.segmented_control(key="wow_app").value == PUZZLE


def test_overview_writes_sentences_and_tiles(app: AppFactory) -> None:
    at = app("overview")
    assert len(at.metric) == 4
    assert at.metric[0].value.endswith("万")  # ~18,000 new users a week: 1.8万
    assert any("次周留存" in m.value for m in at.markdown)


def test_refresh_reports_how_many_weeks_loaded(app: AppFactory) -> None:
    at = app("data")
    run(at.button(key="refresh").click())
    assert at.success and "12" in at.success[0].value


def _upload(at: AppTest, name: str, content: bytes) -> AppTest:
    at.session_state[keys.UPLOAD_QUEUE] = [(name, content)]
    return run(at)


def test_an_upload_feeds_the_file_source(app: AppFactory,
                                         demo_payload_bytes: Callable[[int], bytes]) -> None:
    at = _upload(app("data"), "fresh.json", demo_payload_bytes(6))
    assert at.sidebar.segmented_control(key="w_source").value == "file"
    assert "imported" in at.sidebar.multiselect(key="w_app").value
    assert any(t("status.file", "zh") in m.value for m in at.sidebar.markdown)
    newest = last_ended_week()
    covers = t("status.file_covers", "zh", first=newest.shift(-5).label, last=newest.label, n=6)
    assert covers in [c.value for c in at.sidebar.caption]
    assert any("6" in s.value for s in at.success)


def test_a_bad_upload_shows_an_error_and_keeps_the_earlier_data(
        app: AppFactory, demo_payload_bytes: Callable[[int], bytes]) -> None:
    at = _upload(app("data"), "good.json", demo_payload_bytes(6))
    rows_before = at.dataframe[0].value.shape[0]
    at = _upload(at, "bad.json", b'{"ref_date": "20261102-20261108", "visit_uv_new": 7}')
    assert at.error and "bad.json" in shown(at.error[0].value)
    assert "visit_uv_new" in shown(at.error[0].value)
    assert at.sidebar.segmented_control(key="w_source").value == "file"
    assert at.dataframe[0].value.shape[0] == rows_before
    at = _upload(at, "not-json.json", b"\xff\xfe not json")
    assert any("UTF-8" in e.value for e in at.error)
    run(at.switch_page("pages/heatmap.py"))
    rows = heatmap_rows(figures(at)[0])
    assert len(rows) == 12  # a row per week of the span; the 6 not in the file are blank
    assert sum(r.endswith(t("chart.mark.missing", "zh")) for r in rows) == 6


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
    key = loaders.LoadKey("demo", "ten-viewers", ("wx1",), ("2026-W45",), "week")
    with ThreadPoolExecutor(10) as pool:
        results = list(pool.map(lambda _: loaders.load_result(key, Slow()), range(10)))
    assert Slow.calls == 1 and len(results) == 10


def test_a_link_to_a_week_outlines_its_row_and_a_bad_one_is_noticed(app: AppFactory) -> None:
    week = last_n_weeks(12)[4]
    spec = figures(app("heatmap", focus=week.iso))[0]
    (box,) = spec["layout"]["shapes"]
    rows = spec["layout"][box["yref"].replace("y", "yaxis")]["categoryarray"]
    assert rows[round((box["y0"] + box["y1"]) / 2)].startswith(week.label)
    assert box["y1"] - box["y0"] == 1  # a box around the row, not a line through it
    at = app("heatmap", focus="someday")
    assert "shapes" not in figures(at)[0]["layout"]
    assert any("focus=someday" in c.value for c in at.sidebar.caption)


def test_overview_links_flagged_weeks_to_the_heatmap(app: AppFactory) -> None:
    launch = last_ended_week().shift(-(LAUNCH_WEEKS_AGO - 1))  # the demo's retention jump
    links = app("overview", weeks="52").get("page_link")
    assert links and all(link.proto.page == "heatmap" for link in links)
    # issue 19.3: the launch is the level shift's one sentence, not a flagged week
    assert all(link.proto.query_string != f"focus={launch.iso}" for link in links)
    assert all("低于正常范围" in link.proto.label and "春节" in link.proto.label for link in links)


def test_the_share_box_holds_a_link_to_this_exact_view(app: AppFactory) -> None:
    at = app("heatmap", weeks="26", values="users", metric="active")
    link = at.sidebar.code[0].value
    assert link.startswith("/heatmap?")
    assert {"weeks=26", "values=users", "metric=active"} == set(link.split("?")[1].split("&"))


def test_the_cohorts_drawn_on_the_curves_page_live_in_the_link(app: AppFactory) -> None:
    weeks = last_n_weeks(12)
    chosen = f"{weeks[2].iso},{weeks[5].iso}"
    at = app("curves", cohorts=chosen)
    assert at.multiselect(key="cohorts").value == [weeks[2].iso, weeks[5].iso]
    spec = figures(at)[0]
    drawn = {name for d in spec["data"] for name in [d.get("name", "")]
             if name.startswith("20")} | {c for d in spec["data"] for c in d.get("customdata") or []
                                           if isinstance(c, str) and c.startswith("20")}
    assert drawn == {weeks[2].label, weeks[5].label}
    run(at.multiselect(key="cohorts").set_value([weeks[5].iso]))
    assert at.query_params["cohorts"] == weeks[5].iso
    colours = [d["line"]["color"] for d in spec["data"] if d.get("name", "").startswith("20")]
    assert len(set(colours)) == 2  # each picked cohort in a colour of its own, none grey
    assert at.main.caption[0].value == charts.describe(go.Figure(spec), "zh")
    assert "灰线" not in at.main.caption[0].value
    at = app("curves", cohorts="2026-W99")
    assert at.multiselect(key="cohorts").value == []
    assert any("cohorts=2026-W99" in shown(c.value) for c in at.sidebar.caption)


def test_broken_settings_say_what_to_fix_and_draw_no_demo_numbers(
        app: AppFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WXDATA_SOURCE", "live")  # live asked for, no mini program configured
    at = app("heatmap")
    assert "WXDATA_APPID" in at.error[0].value  # config.live_without_apps says how to fix it
    assert at.info[0].value == t("empty.config", "zh")
    assert not figures(at) and at.sidebar.multiselect(key="w_app").options == []
    assert any(t("status.unconfigured", "zh") in m.value for m in at.sidebar.markdown)
    run(at.switch_page("pages/data.py"))
    assert at.get("file_uploader") or at.text_input(key="upload_app")  # imports still possible


def test_a_new_projection_horizon_reuses_the_fit(app: AppFactory,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    fits: list[int] = []
    original = decay.fit

    def counting(*args: Any, **kwargs: Any) -> Any:
        fits.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(decay, "fit", counting)
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
    key = loaders.LoadKey("demo", "growing", (FRESH,), weeks, "week")
    first = loaders.load_result(key, source)
    before = loaders.matrix(first, "new", "users", FRESH)
    assert loaders.load_result(key, source).stamp == first.stamp  # cached: the same load
    source.factor = 2
    loaders.load_result.clear()  # what a refresh does
    second = loaders.load_result(key, source)
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
    stamp = watcher.session_state[keys.VIEW].data.stamp
    growing.factor = 2
    run(refresher.button(key=keys.REFRESH).click())
    assert refresher.success
    run(watcher)
    assert watcher.session_state[keys.VIEW].data.stamp != stamp
    assert watcher.metric[0].value != size  # twice the users: a new number on the tile


def test_a_bound_toggle_restores_from_a_link_and_a_bad_value_is_noticed(app: AppFactory) -> None:
    at = app("heatmap", both="true", calendar="TRUE")
    assert at.toggle(key=keys.BOTH).value is True and at.toggle(key=keys.CALENDAR).value is True
    assert len(figures(at)) == 2
    assert at.query_params[keys.BOTH] == "true"  # Streamlit keeps a bound value in the URL
    assert not [c for c in at.sidebar.caption if "link_off" in c.value]
    at = app("curves", log="yes")
    assert at.toggle(key=keys.LOG).value is False
    assert keys.LOG not in at.query_params  # Streamlit dropped it...
    notices = [c.value for c in at.sidebar.caption if "link_off" in c.value]
    assert len(notices) == 1 and "log=yes" in notices[0]  # ...and the sidebar says so, once
    run(at)
    assert len([c for c in at.sidebar.caption if "link_off" in c.value]) == 1


def _page_bodies(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts runs of the Data page's body (it draws the tidy table once per run)."""
    runs: list[int] = []
    original = tables.tidy_display

    def counting(*args: Any, **kwargs: Any) -> Any:
        runs.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(tables, "tidy_display", counting)
    return runs


def test_a_bad_upload_reruns_only_the_import_part(app: AppFactory,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    at = app("data")
    bodies = _page_bodies(monkeypatch)
    at.session_state[keys.UPLOAD_QUEUE] = [("bad.json", b"{")]
    run_fragment(at, keys.UPLOAD_FRAGMENT)
    assert not bodies
    assert at.error and "bad.json" in shown(at.error[0].value)
    assert not at.title and not figures(at)  # nothing else was sent: the browser keeps its page


def test_a_good_upload_then_refresh_each_rerun_the_app_once(
        app: AppFactory, monkeypatch: pytest.MonkeyPatch,
        demo_payload_bytes: Callable[[int], bytes]) -> None:
    at = app("data")
    bodies = _page_bodies(monkeypatch)
    at.session_state[keys.UPLOAD_QUEUE] = [("fresh.json", demo_payload_bytes(6))]
    run_fragment(at, keys.UPLOAD_FRAGMENT)
    assert len(bodies) == 1  # the app's rerun after the import, for the sidebar to switch
    assert at.sidebar.segmented_control(key=keys.SOURCE_WIDGET).value == "file"
    bodies.clear()
    at.button(key=keys.REFRESH).click()
    run_fragment(at, keys.REFRESH_FRAGMENT)
    assert len(bodies) == 1  # after the refresh; the click itself reran only the fragment
    assert at.success and "6" in at.success[-1].value


HOSTILE = "[LOGIN AGAIN](https://evil.example/login)"


def test_link_values_are_shown_as_text_never_as_markdown(app: AppFactory) -> None:
    """A pasted link once rendered a live "LOGIN AGAIN" link and made every viewer's browser
    fetch an external image."""
    at = app("heatmap", calendar=HOSTILE, weeks="![p](https://evil.example/p.png)",
             metric="# big :red[**urgent**]")
    notices = [c.value for c in at.sidebar.caption if "link_off" in c.value]
    assert len(notices) == 3
    for markdown in notices:
        assert "evil.example" not in markdown and "**urgent**" not in markdown  # all escaped
    shown_text = " ".join(shown(n) for n in notices)
    assert f"calendar={HOSTILE}"[:40] in shown_text and "![p](https://evil.example" in shown_text


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


def test_each_uploaded_file_gets_its_own_verdict_whatever_it_holds(
        app: AppFactory, demo_payload_bytes: Callable[[int], bytes]) -> None:
    """A WeChat error answer once crashed the Data page ("This page failed (QuotaError)") and
    left the other files without a word; deep nesting raised RecursionError."""
    at = app("data")
    at.session_state[keys.UPLOAD_QUEUE] = [
        ("quota.json", b'{"errcode": 45009, "errmsg": "reach max api daily quota limit"}'),
        ("deep.json", b"[" * 100_000 + b"]" * 100_000),
        ("many.json", b"[" + b"0," * 69_999 + b"0]"),
        ("good.json", demo_payload_bytes(4)),
    ]
    at = run(at)  # raises if the page crashed
    errors = [shown(e.value) for e in at.error]
    assert [name for name in ("quota.json", "deep.json", "many.json")
            if any(name in e for e in errors)] == ["quota.json", "deep.json", "many.json"]
    assert "45009" in " ".join(errors) and "70000" in " ".join(errors)
    assert any("good.json" in shown(s.value) for s in at.success)
    assert at.sidebar.segmented_control(key="w_source").value == "file"


def test_a_language_switch_tells_the_browser_the_span_in_the_new_language(
        app: AppFactory) -> None:
    """The browser holds a select box's choice as the label it showed and sends that label back
    on the next run (a page switch, any click): unless the switch re-sends the span in English,
    "最近 26 周" matches no option there and the span falls back to 12 weeks (issue 11, item 1;
    the browser side is ``test_every_choice_survives_a_language_switch_and_navigation``)."""
    at = app("heatmap", weeks="26", metric="active", app=f"{FRESH},{PUZZLE}")
    run(at.sidebar.segmented_control(key="w_lang").set_value("en"))
    span = at.sidebar.selectbox(key="w_span")
    assert span.proto.set_value and span.proto.raw_value == t("sidebar.span.last.week", "en", n=26)
    run(at.switch_page("pages/overview.py"))
    assert at.sidebar.selectbox(key="w_span").value == "26"
    assert at.sidebar.multiselect(key="w_app").value == [FRESH, PUZZLE]
    assert dict(at.query_params) == {"weeks": "26", "metric": "active", "lang": "en",
                                     "app": f"{FRESH},{PUZZLE}"}
    run(at.sidebar.segmented_control(key="w_lang").set_value("zh"))
    assert at.sidebar.selectbox(key="w_span").proto.raw_value == t("sidebar.span.last.week",
                                                                    "zh", n=26)


@pytest.mark.parametrize(("path", "target"), [
    ("/heatmap/extra/path", "/not_found?lang=en&path=%2Fheatmap%2Fextra%2Fpath"),
    ("/nosuch", "/not_found?lang=en&path=%2Fnosuch"),
    ("/heatmap", None), ("/", None), ("/not_found", None),
    ("/heatmap/_stcore/health", None),  # Streamlit's browser side probes for its base path
    ("/static/js/index.js", None), ("/favicon.png", None), ("/media/abc.png", None),
    # st.login's own routes: the sign-in flow passes through them
    ("/auth/login", None), ("/auth/logout", None), ("/oauth2callback", None),
    ("/auth/other", "/not_found?lang=en&path=%2Fauth%2Fother"),
])
def test_unknown_addresses_are_sent_to_the_not_found_page(path: str, target: str | None) -> None:
    assert server.not_found_target(path, "lang=en", PAGES) == target


def test_unknown_addresses_keep_a_base_path_and_the_link() -> None:
    assert server.not_found_target("/wx/heatmap/x", "weeks=26&path=evil", PAGES, base="/wx/") \
        == "/wx/not_found?weeks=26&path=%2Fheatmap%2Fx"
    assert server.not_found_target("/other/heatmap/x", "", PAGES, base="wx") is None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_not_found_page_names_the_address_and_links_back_keeping_the_view(
        app: AppFactory, lang: str) -> None:
    at = app("not_found", lang=lang, weeks="26", path="/heatmap/extra/[x](y)")
    assert at.title[0].value == t("page.not_found.title", lang)
    assert "/heatmap/extra/[x](y)" in shown(at.warning[0].value)
    links = at.get("page_link")
    assert [link.proto.page for link in links] == ["", *PAGES[1:]]  # the first page is "/"
    assert [link.proto.label for link in links] == [t(f"page.{p}.title", lang) for p in PAGES]
    expected = "weeks=26" if lang == "zh" else "weeks=26&lang=en"
    assert {link.proto.query_string for link in links} == {expected}
    assert at.query_params["path"] == "/heatmap/extra/[x](y)"  # the link still says what it was


def test_the_start_up_warm_up_leaves_the_first_view_nothing_to_load(
        app: AppFactory, demo_loads: list[int]) -> None:
    """Issue 11, item 11: what the warm-up computes at server start is what the first viewer's
    default view reads (same caches, same key), so the first page draws without a load."""
    loads = demo_loads
    warmup.run()
    assert len(loads) == 3  # the default views of weeks, days and months
    for page in PAGES:
        for period in ("week", "day", "month"):
            app(page, period=period)
    assert len(loads) == 3


def test_the_warm_up_runs_once_per_process_and_never_raises(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    def broken() -> Any:
        raise OSError("disk gone")

    monkeypatch.setattr(loaders, "configured_source", broken)
    warmup.run()  # logs, never raises: a lost head start must not stop the server
    assert "warm-up failed" in caplog.text
    monkeypatch.setattr(warmup, "_started", None)
    ran: list[int] = []
    monkeypatch.setattr(warmup, "run", lambda: ran.append(1))
    thread = warmup.start()
    assert thread is not None and warmup.start() is None
    thread.join(timeout=10)
    assert ran == [1]


def test_the_health_check_waits_for_the_warm_up_but_not_for_ever(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A load balancer (or systemd, or a test) sends the first viewer only to a warm process."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient

    async def ok(_request: object) -> PlainTextResponse:
        return PlainTextResponse("ok")

    asgi = Starlette(routes=[Route("/_stcore/health", ok), Route("/heatmap", ok)],
                     middleware=[Middleware(server.WarmHealth)])
    gate = threading.Event()
    monkeypatch.setattr(warmup, "_started", None)
    monkeypatch.setattr(warmup, "_done", threading.Event())
    monkeypatch.setattr(warmup, "_began_at", None)
    monkeypatch.setattr(warmup, "run", gate.wait)  # held until the test lets it go
    client = TestClient(asgi)
    assert client.get("/_stcore/health").status_code == 200  # no warm-up in this process
    thread = warmup.start()
    assert thread is not None
    try:
        _health_while_warming(client, monkeypatch)
    finally:
        gate.set()  # whatever failed, the warm-up thread ends
        thread.join()
    assert client.get("/_stcore/health").status_code == 200


def _health_while_warming(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    busy = client.get("/_stcore/health")
    assert busy.status_code == 503 and busy.text == "warming up"
    assert client.get("/heatmap").status_code == 200  # only the health check waits
    monkeypatch.setattr(warmup, "READY_AFTER_S", 0.0)
    assert client.get("/_stcore/health").status_code == 200  # a stuck warm-up: serve anyway
    monkeypatch.setattr(warmup, "READY_AFTER_S", 3600.0)
    assert client.get("/_stcore/health").status_code == 503


def test_the_websocket_guard_drops_clear_cache_and_names_who_asks_for_a_download() -> None:
    """Issue 18, item 9: what Streamlit's websocket passes on (the server test with real clients
    is tests/e2e/test_protocol.py). Text frames and frames that are no BackMsg go through: they
    are Streamlit's to refuse."""
    import asyncio

    from streamlit.proto.BackMsg_pb2 import BackMsg

    def frame(kind: str) -> dict[str, Any]:
        msg = BackMsg()
        if kind == "clear_cache":
            msg.clear_cache = True
        elif kind == "download":
            msg.backend_operation_request.session_id = "session-a"
            msg.backend_operation_request.deferred_file.file_id = "f1"
        else:
            msg.rerun_script.query_string = "weeks=12"
        return {"type": "websocket.receive", "bytes": msg.SerializeToString()}

    sent = [{"type": "websocket.connect"}, frame("clear_cache"), frame("clear_cache"),
            {"type": "websocket.receive", "text": "hello"},
            {"type": "websocket.receive", "bytes": b"\xff\xff"}, frame("rerun"),
            frame("download"), {"type": "websocket.disconnect", "code": 1000}]
    seen: list[tuple[str | None, str | None]] = []

    async def app(_scope: Any, receive: Any, _send: Any) -> None:
        while (message := await receive())["type"] != "websocket.disconnect":
            msg = server.back_message(message.get("bytes"))
            seen.append((msg.WhichOneof("type") if msg else message.get("text"),
                         server.asking_session()))

    async def receive() -> dict[str, Any]:
        return sent.pop(0)

    async def send(_message: Any) -> None:
        raise AssertionError("the guard answers nothing itself")

    scope = {"type": "websocket", "path": "/_stcore/stream", "client": ("10.0.0.9", 5)}
    asyncio.run(server.GuardStream(app)(scope, receive, send))
    assert seen == [(None, None), ("hello", None), (None, None), ("rerun_script", None),
                    ("backend_operation_request", "session-a")]
    assert server.asking_session() is None  # set in the websocket's own context only


def test_a_download_is_made_for_the_session_that_drew_it_only(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    from wxdata.access import Grant
    from wxdata.dashboard import auth

    class Ctx:
        session_id = "session-a"

    monkeypatch.setattr(auth, "get_script_run_ctx", lambda **_: Ctx())
    make = auth.audited_download(Grant("pm@corp.cn", None), "csv", [FRESH], "x.csv",
                                 lambda: b"a\n")
    monkeypatch.setattr(auth, "get_script_run_ctx", get_script_run_ctx)
    for asking in (None, "session-b"):
        token = server.ASKING_SESSION.set(asking)
        try:
            with pytest.raises(PermissionError):
                make()
        finally:
            server.ASKING_SESSION.reset(token)
    assert "download" not in [r.getMessage().split()[0] for r in caplog.records
                              if r.name == "wxdata.audit"]
    token = server.ASKING_SESSION.set("session-a")
    try:
        assert make() == b"a\n"
    finally:
        server.ASKING_SESSION.reset(token)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_data_grid_has_no_raw_column_names(app: AppFactory, lang: str) -> None:
    """Issue 11, item 8: ``app_id`` and the offset column were shown as such in the Chinese
    grid."""
    grid = app("data", lang=lang).dataframe[0]
    config = json.loads(grid.proto.columns)
    headers = [config.get(name, {}).get("label") or name for name in grid.value.columns]
    assert t("page.data.column.app_id", lang) in headers
    assert t("page.data.column.week_offset", lang) in headers
    assert not [h for h in headers if "_" in h]


def _in_order(block: Any, depth: int = 0) -> list[tuple[int, Any]]:
    """Every element below ``block`` as drawn, top to bottom, with how deep it sits."""
    found = []
    for child in block.children.values():
        found.append((depth, child))
        if hasattr(child, "children"):
            found += _in_order(child, depth + 1)
    return found


def test_the_older_flags_fold_in_below_the_newest_ones(app: AppFactory) -> None:
    """Issue 11, item 7 (fixed in 6843c9f; pinned here): the expander of older flagged weeks
    sat above the five newest; it comes after them, and holds only older weeks."""
    # issue 19.3: one line per cohort, the launch said once: 104 weeks of active users have
    # six flagged cohorts (five around the Spring Festival, one a year ago), 52 weeks three
    drawn = [(depth, e) for depth, e in _in_order(app("overview", weeks="104",
                                                      metric="active").main)
             if e.type in ("page_link", "expander")]
    kinds = [e.type for _, e in drawn]
    fold = kinds.index("expander")
    assert kinds[:fold] == ["page_link"] * 5 and len(kinds) > fold + 1
    inside = [e for depth, e in drawn[fold + 1:] if depth == 1]
    assert inside and all(e.type == "page_link" for e in inside)
    newest = [e.proto.query_string for _, e in drawn[:fold]]
    older = [e.proto.query_string for e in inside]
    assert min(newest) >= max(older)  # focus=2026-W.. sorts as the weeks do


@pytest.mark.parametrize("metric", ["new", "active"])
def test_the_overview_tiles_and_sentences_tell_the_same_story(app: AppFactory,
                                                               metric: str) -> None:
    """Issue 11, item 7: with metric = active the tile and the sentence under it disagreed.
    Both name the chosen metric, and each change a sentence states is the tile's own."""
    at = app("overview", metric=metric)
    short = t(f"metric.{metric}.short", "zh")
    sentences = " ".join(m.value for m in at.markdown if m.value.startswith("- "))
    size, w1 = at.metric[0], at.metric[1]
    other = t(f"metric.{'active' if metric == 'new' else 'new'}.short", "zh")
    assert short in size.label and all(other not in tile.label for tile in at.metric)
    assert sentences.count(short) >= 2 and t(f"metric.{'active' if metric == 'new' else 'new'}"
                                              ".short", "zh") not in sentences
    assert size.value in sentences and size.proto.delta.lstrip("+-") in sentences
    assert w1.proto.delta.split()[0] in sentences  # "+0.3 个百分点": the same signed points


def test_streamlits_own_english_is_kept_off_chinese_pages_where_it_can_be(
        app: AppFactory) -> None:
    """Issue 11, item 8: what Streamlit lets us set is set. Its "Select all" cannot be
    translated, so it is not shown; its drop zone's English gets a Chinese help beside it; the
    range picker writes dates in ISO order like the week labels."""
    at = app("data")
    assert at.sidebar.multiselect(key="w_app").proto.select_all == 0
    uploader = at.get("file_uploader")[0]
    assert uploader.proto.help == t("page.data.upload.files.help", "zh", mb=actions.MAX_UPLOAD_MB)
    newest = last_ended_week()
    at = app("curves", **{"from": newest.shift(-5).iso, "to": newest.iso})
    assert at.multiselect(key="cohorts").proto.select_all == 0
    assert at.sidebar.date_input(key="w_range").proto.format == "YYYY-MM-DD"


# -- days and months (issue 14, item 5) -------------------------------------------------------

WOW_TITLES = {"day": ("日环比", "Day over day"), "week": ("周环比", "Week over week"),
              "month": ("月环比", "Month over month")}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("period", ["day", "week", "month"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_draws_for_every_period_in_both_languages(app: AppFactory, page: str,
                                                            period: str, lang: str) -> None:
    at = app(page, period=period, lang=lang)
    title = WOW_TITLES[period][lang == "en"] if page == "week_over_week" else \
        t(f"page.{page}.title", lang)  # type: ignore[arg-type]
    assert at.title[0].value == title
    assert figures(at), f"{page} drew no chart for {period}"
    assert not at.error
    if page == "data":
        assert len(at.dataframe) >= 1  # the tidy table


def test_a_daily_link_selects_days_and_keeps_them_across_pages_and_languages(
        app: AppFactory) -> None:
    at = app("heatmap", period="day", days="90")
    assert at.sidebar.segmented_control(key="w_period").value == "day"
    rows = [strip_mark(r) for r in heatmap_rows(figures(at)[0])]
    assert len(rows) == 90 and rows[-1].startswith(f"{Day.last_ended().start:%m-%d}")
    run(at.switch_page("pages/curves.py"))
    run(at.sidebar.segmented_control(key="w_lang").set_value("en"))
    assert at.sidebar.segmented_control(key="w_period").value == "day"
    assert at.sidebar.selectbox(key="w_span").value == "90"
    assert dict(at.query_params) == {"period": "day", "days": "90", "lang": "en"}
    run(at.switch_page("pages/week_over_week.py"))
    assert at.title[0].value == "Day over day"
    assert dict(at.query_params) == {"period": "day", "days": "90", "lang": "en"}


def test_the_period_switch_in_the_sidebar_changes_every_page_and_the_link(
        app: AppFactory) -> None:
    at = app("heatmap", weeks="26")
    run(at.sidebar.segmented_control(key="w_period").set_value("month"))
    assert at.sidebar.selectbox(key="w_span").value == "12"  # 26 is no month preset
    rows = [strip_mark(r) for r in heatmap_rows(figures(at)[0])]
    assert rows == [m.iso for m in Month.last_n(12)]
    assert heatmap_trace(figures(at)[0])["x"] == ["M0", "M1"]
    assert dict(at.query_params) == {"period": "month"}
    run(at.sidebar.segmented_control(key="w_period").set_value("week"))
    assert dict(at.query_params) == {}
    assert len(heatmap_rows(figures(at)[0])) == 12


def test_a_daily_heatmap_has_the_published_days_as_columns_and_weekday_rows(
        app: AppFactory) -> None:
    spec = figures(app("heatmap", period="day", days="90"))[0]
    trace = heatmap_trace(spec)
    assert trace["x"] == ["当日", "次日", "2日", "3日", "4日", "5日", "6日", "7日", "14日", "30日"]
    rows = heatmap_rows(spec)
    assert len(rows) == 90
    days = Day.last_n(90)
    weekdays = "一二三四五六日"
    assert [strip_mark(r) for r in rows] == [f"{d.start:%m-%d} 周{weekdays[d.start.weekday()]}"
                                             for d in days]
    weekend = spec["layout"]["meta"]["weekend"]
    assert [strip_mark(r) for r in weekend] == [f"{d.start:%m-%d} 周{weekdays[d.start.weekday()]}"
                                                for d in days if d.is_weekend]
    assert len(weekend) in (25, 26, 27)  # 90 days hold 12 or 13 weekends
    axis = spec["layout"]["yaxis2"]
    styled = [text for text in axis["ticktext"] if "<span" in text]
    assert len(styled) == len(weekend)


@pytest.mark.parametrize(("period", "lang", "tiles"), [  # each then names its cohort (19.4)
    ("day", "zh", ["新用户", "次日留存", "7日留存", "30日留存"]),
    ("day", "en", ["New users", "D1 retention", "D7 retention", "D30 retention"]),
    ("week", "zh", ["新用户", "W1留存", "W4留存", "W12 预测"]),
    ("month", "zh", ["新用户", "M1留存"]),
    ("month", "en", ["New users", "M1 retention"]),
])
def test_the_overview_tiles_follow_the_period(app: AppFactory, period: str, lang: str,
                                              tiles: list[str]) -> None:
    at = app("overview", period=period, lang=lang)
    assert [m.label.split(" · ")[0] for m in at.metric] == tiles
    assert all(m.value != "—" for m in at.metric)  # days open on 60: a cohort with D30 is in


def test_the_daily_30_day_tile_is_the_newest_cohort_with_day_30(app: AppFactory) -> None:
    """Issue 14, item 5: at 30 days no cohort has its D30 yet; the default is 60 days, and a
    shorter span says on the tile what to choose."""
    at = app("overview", period="day")
    newest = Day.last_ended().shift(-30)  # day 30 of a cohort appears once day +30 has ended
    assert newest.iso in at.metric[3].help and at.metric[3].value.endswith("%")
    assert at.metric[2].value.endswith("%") and Day.last_ended().shift(-7).iso in \
        at.metric[2].help
    at = app("overview", period="day", days="30")
    assert at.metric[3].value == "—"
    assert at.metric[3].help == t("kpi.rate.none.help", "zh", offset="30日", k=30, n=31)


@pytest.mark.parametrize("period", ["day", "month"])
def test_the_data_grid_names_the_offset_after_the_period(app: AppFactory, period: str) -> None:
    grid = app("data", period=period).dataframe[0]
    config = json.loads(grid.proto.columns)
    headers = [config.get(name, {}).get("label") or name for name in grid.value.columns]
    assert t(f"page.data.column.{period}_offset", "zh") in headers
    letter = "D" if period == "day" else "M"
    assert set(grid.value["offset"]) <= {f"{letter}{k}" for k in (Day if period == "day"
                                                                  else Month).KEYS}

"""Every page under AppTest on demo data: what it draws, what it says when there is nothing to
draw, and the overview's, curves' and data grid's own content."""

from __future__ import annotations

import json
from typing import Any

import plotly.graph_objects as go
import pytest

from tests.fixtures_app import (
    FRESH,
    PAGES,
    PUZZLE,
    TITLES,
    AppFactory,
    figures,
    link_notices,
    run,
    shown,
)
from wxdata.core.periods import Day, last_ended_week, last_n_weeks
from wxdata.dashboard import actions
from wxdata.i18n import t
from wxdata.present import charts
from wxdata.sources.demo import LAUNCH_WEEKS_AGO


@pytest.mark.parametrize("page", PAGES)
def test_every_page_draws_its_chart_on_demo_data(app: AppFactory, page: str) -> None:
    at = app(page)
    assert at.title[0].value == TITLES[page]
    assert figures(at), f"{page} drew no chart"
    assert not at.error



def test_no_app_selected_explains_what_to_do(app: AppFactory) -> None:
    at = app("heatmap")
    run(at.sidebar.multiselect(key="w_app").set_value([]))
    assert at.info[0].value == t("empty.no_app", "zh")
    assert not figures(at)



def test_two_apps_on_the_curves_page_are_captioned_as_drawn(app: AppFactory) -> None:
    """Issue 11.4: the caption spoke of grey cohort lines and a green newest one."""
    at = app("curves", app=f"{FRESH},{PUZZLE}", lang="en")
    caption = at.main.caption[0].value
    assert caption.startswith(t("chart.caption.apps", "en"))
    assert "grey" not in caption and "newest" not in caption
    assert figures(at)[0]["layout"]["legend"]["y"] < 0  # under the plot, clear of the title



def test_overview_writes_sentences_and_tiles(app: AppFactory) -> None:
    at = app("overview")
    assert len(at.metric) == 4
    assert at.metric[0].value.endswith("万")  # ~18,000 new users a week: 1.8万
    assert any("次周留存" in m.value for m in at.markdown)



def test_overview_links_flagged_weeks_to_the_heatmap(app: AppFactory) -> None:
    launch = last_ended_week().shift(-(LAUNCH_WEEKS_AGO - 1))  # the demo's retention jump
    links = app("overview", weeks="52").get("page_link")
    assert links and all(link.proto.page == "heatmap" for link in links)
    # issue 19.3: the launch is the level shift's one sentence, not a flagged week
    assert all(link.proto.query_string != f"focus={launch.iso}" for link in links)
    assert all("低于正常范围" in link.proto.label and "春节" in link.proto.label for link in links)



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
    assert any("cohorts=2026-W99" in shown(n) for n in link_notices(at))



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



def test_the_older_flags_fold_in_below_the_newest_ones(app: AppFactory,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 11, item 7 (fixed in 6843c9f; pinned here): the expander of older flagged weeks
    sat above the five newest; it comes after them, and holds only older weeks."""
    # issue 19.3: one line per cohort, the launch said once, a golden week no baseline: 104
    # weeks have five flagged cohorts (the Spring Festival's), a year of days a score of them
    monkeypatch.setenv("WXDATA_MAX_DAYS", "400")
    last = Day.last_ended()
    year = {"from": last.shift(-364).iso, "to": last.iso}
    drawn = [(depth, e) for depth, e in _in_order(app("overview", period="day", **year).main)
             if e.type in ("page_link", "expander")]
    kinds = [e.type for _, e in drawn]
    fold = kinds.index("expander")
    assert kinds[:fold] == ["page_link"] * 5 and len(kinds) > fold + 1
    inside = [e for depth, e in drawn[fold + 1:] if depth == 1]
    assert inside and all(e.type == "page_link" for e in inside)
    newest = [e.proto.query_string for _, e in drawn[:fold]]
    older = [e.proto.query_string for e in inside]
    assert min(newest) >= max(older)  # focus=2026-01-05 sorts as the days do



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

"""Links under AppTest: a link restores a view, a bad or hostile parameter falls back with a notice
shown as text, the share box and the language switch keep the view."""

from __future__ import annotations

import pytest

from tests.fixtures_app import (
    FRESH,
    PUZZLE,
    TITLES,
    AppFactory,
    figures,
    heatmap_rows,
    labels,
    link_notices,
    run,
    shown,
    strip_mark,
)
from wxdata.core.periods import Week, last_ended_week, last_n_weeks
from wxdata.dashboard import keys
from wxdata.i18n import t
from wxdata.sources.demo import DEMO_APPS


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
    notices = [shown(n) for n in link_notices(at)]
    assert len(notices) == len(bad) and all(f"{k}={v}" in " ".join(notices)
                                             for k, v in bad.items())
    assert at.title[0].value == TITLES["heatmap"]



def test_a_link_to_weeks_not_ended_yet_shows_the_default_span_and_says_so(
        app: AppFactory) -> None:
    future = last_ended_week().shift(3)
    at = app("heatmap", **{"from": future.iso, "to": future.shift(1).iso})
    rows = [strip_mark(r) for r in heatmap_rows(figures(at)[0])]
    assert rows == labels(last_n_weeks(12))
    notices = [shown(n) for n in link_notices(at)]
    assert len(notices) == 1 and f"from={future.iso}" in notices[0] and "12" in notices[0]



def test_the_share_box_holds_a_link_to_this_exact_view(app: AppFactory) -> None:
    at = app("heatmap", weeks="26", values="users", metric="active")
    link = at.sidebar.code[0].value
    assert link.startswith("/heatmap?")
    assert {"weeks=26", "values=users", "metric=active"} == set(link.split("?")[1].split("&"))



def test_a_bound_toggle_restores_from_a_link_and_a_bad_value_is_noticed(app: AppFactory) -> None:
    at = app("heatmap", both="true", calendar="TRUE")
    assert at.toggle(key=keys.BOTH).value is True and at.toggle(key=keys.CALENDAR).value is True
    assert len(figures(at)) == 2
    assert at.query_params[keys.BOTH] == "true"  # Streamlit keeps a bound value in the URL
    assert not link_notices(at)
    at = app("curves", log="yes")
    assert at.toggle(key=keys.LOG).value is False
    assert keys.LOG not in at.query_params  # Streamlit dropped it...
    notices = link_notices(at)
    assert len(notices) == 1 and "log=yes" in notices[0]  # ...and the page says so, once
    run(at)
    assert len(link_notices(at)) == 1



HOSTILE = "[LOGIN AGAIN](https://evil.example/login)"



def test_link_values_are_shown_as_text_never_as_markdown(app: AppFactory) -> None:
    """A pasted link once rendered a live "LOGIN AGAIN" link and made every viewer's browser
    fetch an external image."""
    at = app("heatmap", calendar=HOSTILE, weeks="![p](https://evil.example/p.png)",
             metric="# big :red[**urgent**]")
    notices = link_notices(at)
    assert len(notices) == 3
    for markdown in notices:
        assert "evil.example" not in markdown and "**urgent**" not in markdown  # all escaped
    shown_text = " ".join(shown(n) for n in notices)
    assert f"calendar={HOSTILE}"[:40] in shown_text and "![p](https://evil.example" in shown_text



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


def test_the_links_notices_come_first_on_the_page_not_below_the_sidebar(app: AppFactory) -> None:
    """Issue 19, item 10: ``/heatmap?weeks=abc&app=nosuch`` explained itself at the bottom of the
    sidebar, below the fold. The notices are the first element of the main area, the page's
    title follows, and the sidebar says nothing of them."""
    at = app("heatmap", weeks="abc", app="nosuch")
    said = [shown(n) for n in link_notices(at)]
    assert len(said) == 2 and {"weeks=abc", "app=nosuch"} == {
        part for n in said for part in ("weeks=abc", "app=nosuch") if part in n}
    assert not [c for c in at.sidebar.caption if "link_off" in c.value]
    assert at.title[0].value == TITLES["heatmap"] and figures(at)  # the default view, drawn
    run(at)  # and on the next run they are still said there, once each
    assert [shown(n) for n in link_notices(at)] == said


def test_a_pasted_range_sets_the_picker_and_a_bad_one_says_how_to_write_it(
        app: AppFactory) -> None:
    """Issue 19, item 10: the range picker's boxes are typed one by one and took no paste; a
    range pasted as text ("2025-W02 ~ 2025-W30", two days, two months) now sets it, and text
    that is not two ends says how to write one, keeping the range it had."""
    at = app("heatmap", weeks="8")
    run(at.sidebar.selectbox(key="w_span").set_value("custom"))
    run(at.sidebar.text_input(key=keys.RANGE_PASTE).input("2025-W02 ~ 2025-W30"))
    first, last = Week.parse("2025-W02"), Week.parse("2025-W30")
    assert at.sidebar.date_input(key="w_range").value == (first.start, last.end)
    rows = [strip_mark(r) for r in heatmap_rows(figures(at)[0])]
    assert rows == [first.shift(k).label for k in range(29)]
    assert at.query_params["from"] == first.iso and at.query_params["to"] == last.iso
    run(at.sidebar.text_input(key=keys.RANGE_PASTE).input("从上周到现在"))
    said = " ".join(c.value for c in at.sidebar.caption)
    assert "从上周到现在" in said and "2025-01-06 ~ 2025-12-28" in said
    assert [strip_mark(r) for r in heatmap_rows(figures(at)[0])] == rows  # nothing lost


def test_english_pages_name_the_demo_apps_in_english(app: AppFactory) -> None:
    """Issue 19, item 9: "(示例)" stayed on English pages' app picker."""
    at = app("overview", lang="en", app=f"{FRESH},{PUZZLE}")
    picker = at.sidebar.multiselect(key="w_app")
    shown = [picker.format_func(a) for a in picker.value]  # type: ignore[attr-defined]
    assert all("(demo)" in s and "示例" not in s for s in shown), shown
    zh = app("overview", lang="zh").sidebar.multiselect(key="w_app")
    assert all("示例" in zh.format_func(a) for a in zh.value)  # type: ignore[attr-defined]

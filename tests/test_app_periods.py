"""Days and months on every page (issue 14): the caps of a custom range come from the settings,
the warm-up warms every period's default view, the 30日 tile names a figure, the daily
period-over-period table fits a laptop, the calendar view places days and months, and no daily
or monthly view speaks of weeks."""

from __future__ import annotations

import pytest

from tests.fixtures_app import AppFactory, figures, heatmap_rows
from wxdata.core.periods import Day, Month
from wxdata.dashboard.urlstate import max_periods, parse_span
from wxdata.i18n import t

# -- custom-range caps from the settings (item 4) ------------------------------------------------


def test_the_caps_of_a_custom_range_are_the_settings_limits(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert (max_periods("day"), max_periods("week"), max_periods("month")) == (180, 104, 36)
    newest = Day.last_ended()
    asked = {"from": newest.shift(-199).iso, "to": newest.iso}
    span, notices = parse_span(asked, kind="day")
    assert span.first == newest.shift(-179) and [n.param for n in notices] == ["from"]
    monkeypatch.setenv("WXDATA_MAX_DAYS", "40")
    monkeypatch.setenv("WXDATA_MAX_MONTHS", "7")
    assert (max_periods("day"), max_periods("week"), max_periods("month")) == (40, 104, 7)
    span, notices = parse_span(asked, kind="day")
    assert span.first == newest.shift(-39) and span.last == newest
    assert [(n.param, n.used) for n in notices] == [("from", newest.shift(-39).iso)]
    month = Month.last_ended()
    span, _ = parse_span({"from": month.shift(-20).iso}, kind="month")
    assert span.first == month.shift(-6)


def test_a_daily_range_longer_than_max_days_is_cut_on_the_page(
        app: AppFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WXDATA_MAX_DAYS", "45")
    newest = Day.last_ended()
    at = app("heatmap", period="day", **{"from": newest.shift(-99).iso, "to": newest.iso})
    assert len(heatmap_rows(figures(at)[0])) == 45
    picker = at.sidebar.date_input(key="w_range")
    assert picker.proto.help == t("sidebar.range.help.day", "zh", n=45)

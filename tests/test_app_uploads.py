"""Imports and refresh on the Data page under AppTest: an upload feeds the file source, a bad one
is explained and reruns only the import part."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.fixtures_app import (
    AppFactory,
    figures,
    heatmap_rows,
    run,
    run_fragment,
    shown,
)
from wxdata.core.periods import last_ended_week
from wxdata.dashboard import keys
from wxdata.i18n import t
from wxdata.present import tables


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

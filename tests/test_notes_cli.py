"""``wxdata note add|list|edit|remove`` and ``wxdata goal set|list|remove``: kept in the store
the configuration names, audited, bad input refused with a sentence and exit status 2."""

from __future__ import annotations

import logging
import os

import pytest

from tests.fixtures_cli import run
from wxdata.core.notes import MAX_NOTE_CHARS
from wxdata.store.admin import AdminState

HOSTILE = '=HYPERLINK("https://evil.example","x") <script>**b**</script>'


def _state() -> AdminState:
    return AdminState(os.environ["WXDATA_CACHE_URL"])


def test_a_note_is_added_listed_edited_and_removed_each_with_an_audit_line(
        capsysbinary: pytest.CaptureFixture[bytes], caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WXDATA_AUTHOR", "pm@corp.cn")
    with caplog.at_level(logging.INFO, logger="wxdata.audit"):
        code, out, _ = run(capsysbinary, "note", "add", "--app", "wx1", "--from", "2026-03-02",
                           "--to", "2026-03-08", "--text", HOSTILE)
        assert code == 0 and b"2026-03-02..2026-03-08" in out
        (stored,) = _state().notes()
        assert stored.text == HOSTILE and stored.author == "pm@corp.cn"
        code, out, _ = run(capsysbinary, "note", "list")
        assert code == 0
        assert out.decode().splitlines() == [
            f"{stored.id}\t2026-03-02..2026-03-08\twx1\tpm@corp.cn\t{HOSTILE}"]
        code, _, _ = run(capsysbinary, "note", "edit", str(stored.id), "--text", "v2.0.1")
        assert code == 0 and _state().notes()[0].text == "v2.0.1"
        code, _, _ = run(capsysbinary, "--lang", "zh", "note", "remove", str(stored.id))
        assert code == 0 and _state().notes() == []
    lines = [r.getMessage() for r in caplog.records if r.name == "wxdata.audit"]
    assert [line.split(" ", 1)[0] for line in lines] == ["note_add", "note_edit", "note_remove"]
    assert all('email="pm@corp.cn"' in line and f'note="{stored.id}"' in line
               for line in lines)
    assert 'app="wx1" span="2026-03-02..2026-03-08"' in lines[0]


def test_a_note_about_every_app_and_unknown_ids(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, _, _ = run(capsysbinary, "note", "add", "--all", "--from", "20261001", "--text", "国庆")
    assert code == 0 and _state().notes(["any-app"])[0].app_id == "*"
    code, _, err = run(capsysbinary, "note", "remove", "999")
    assert code == 1 and "wxdata note list" in err
    code, _, err = run(capsysbinary, "note", "edit", "999", "--text", "x")
    assert code == 1 and "999" in err


@pytest.mark.parametrize(("argv", "says"), [
    (["--text", "x" * (MAX_NOTE_CHARS + 1)], f"has {MAX_NOTE_CHARS + 1} characters"),
    (["--text", "  "], "empty"),
    (["--text", "two\nlines"], "one line"),
    (["--to", "2026-02-01", "--text", "x"], "before the start date"),
])
def test_bad_notes_are_refused_with_what_to_do_and_nothing_is_stored(
        capsysbinary: pytest.CaptureFixture[bytes], argv: list[str], says: str) -> None:
    code, _, err = run(capsysbinary, "note", "add", "--app", "wx1", "--from", "2026-03-02",
                       *argv)
    assert code == 2, err
    assert says in err
    assert _state().notes() == []


def test_goals_are_set_listed_and_removed(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, _, _ = run(capsysbinary, "goal", "set", "--app", "wx1", "new_w1", "0.3")
    assert code == 0
    code, _, _ = run(capsysbinary, "goal", "set", "--app", "wx1", "new_w1", "0.35")
    code, out, _ = run(capsysbinary, "goal", "list")
    assert out.decode().splitlines() == ["wx1\tnew_w1\t0.35"]
    code, _, err = run(capsysbinary, "goal", "set", "--app", "wx1", "new_w1", "35")
    assert code == 2 and "35" in err
    code, _, _ = run(capsysbinary, "goal", "remove", "--app", "wx1", "new_w1")
    assert code == 0 and _state().goals() == {}
    code, _, err = run(capsysbinary, "goal", "remove", "--app", "wx1", "new_w1")
    assert code == 1


def test_stored_goals_override_the_configured_ones_of_the_same_name(
        capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    from wxdata.core.goals import Goal
    from wxdata.store.admin import goals_over

    run(capsysbinary, "goal", "set", "--app", "wx1", "new_w1", "0.25")
    run(capsysbinary, "goal", "set", "--app", "wx1", "active_m1", "0.5")
    configured = {"wx1": (Goal.parse("new_w1", 0.3), Goal.parse("new_d1", 0.35)), "wx2": ()}
    merged = goals_over(os.environ["WXDATA_CACHE_URL"], configured)
    assert [(g.name, g.target) for g in merged["wx1"]] == [
        ("new_w1", 0.25), ("new_d1", 0.35), ("active_m1", 0.5)]
    assert merged["wx2"] == ()

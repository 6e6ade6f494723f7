"""The secrets file under AppTest (issue 18, item 4): a rerun asks for the settings several times
(the door, the sidebar, the caps, the goals), and the file is parsed once, then again only when
it changed, which the next run sees."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures_app import AppFactory, run
from wxdata.i18n import t


def _presets(at: Any) -> list[str]:
    return list(at.sidebar.selectbox(key="w_span").options)


def test_the_secrets_file_is_parsed_once_and_again_only_when_it_changes(
        app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secrets.toml"
    path.write_text('[wxdata]\nsource = "demo"\nmax_weeks = 104\n', encoding="utf-8")
    monkeypatch.setenv("WXDATA_SECRETS_FILE", str(path))
    parses: list[str] = []
    original = tomllib.load

    def counting(handle: Any, **kwargs: Any) -> dict[str, Any]:
        if handle.name == str(path):  # Streamlit reads TOML files of its own too
            parses.append(handle.name)
        return original(handle, **kwargs)

    monkeypatch.setattr(tomllib, "load", counting)
    at = app("overview")
    longest = t("sidebar.span.last.week", "zh", n="104")
    assert parses == [str(path)] and longest in _presets(at)
    run(at)
    run(at.switch_page("pages/heatmap.py"))
    assert parses == [str(path)]  # two more runs, the file unchanged: not parsed again
    path.write_text('[wxdata]\nsource = "demo"\nmax_weeks = 20\n', encoding="utf-8")
    later = path.stat().st_mtime_ns + 2_000_000_000  # a changed file, whatever the clock
    os.utime(path, ns=(later, later))
    run(at)
    assert parses == [str(path)] * 2  # changed: parsed once more, and what it says applies
    assert longest not in _presets(at)

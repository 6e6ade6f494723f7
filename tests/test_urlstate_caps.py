"""The sidebar's presets stay inside the operator's cap (WXDATA_MAX_DAYS …): a preset longer
than the cap is neither offered nor taken from a link, which falls back to the default with a
notice; without a cap of their own every preset is there."""

from __future__ import annotations

import pytest

from wxdata.core.periods import DEFAULT_SPANS
from wxdata.dashboard import keys
from wxdata.dashboard.urlstate import PRESETS, offered, parse_span


def test_every_preset_without_a_cap() -> None:
    for kind, presets in PRESETS.items():
        assert offered(kind) == presets


def test_a_preset_over_the_cap_is_not_offered_nor_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WXDATA_MAX_DAYS", "60")
    monkeypatch.setenv("WXDATA_MAX_MONTHS", "6")
    assert offered("day") == (30, 60)
    assert offered("month") == (6, DEFAULT_SPANS["month"])  # the default stays
    assert offered("week") == PRESETS["week"]
    span, notices = parse_span({keys.DAYS: "180"}, kind="day")
    assert span.count == DEFAULT_SPANS["day"]
    assert [(n.param, n.value, n.used) for n in notices] == [(keys.DAYS, "180", "60")]
    assert parse_span({keys.DAYS: "30"}, kind="day")[0].count == 30

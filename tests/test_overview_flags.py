"""Issue 19, item 3: one event, one sentence. A launch's step is the level shift (said once),
not three flagged weeks; the Spring Festival's cohorts are named and not folded away; the
sentences a PM reads carry no p=, BH or σ; the flags come from one rule the period-over-period
page can use too (``anomalies.flagged_cohorts``)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from tests.fixtures_app import AppFactory, figures, shown
from wxdata.analytics.anomalies import anomalies, flagged_cohorts, flagged_weeks
from wxdata.analytics.shifts import level_shifts
from wxdata.core.periods import Week, last_ended_week, last_n_weeks
from wxdata.present import narrative
from wxdata.sources.demo import DEMO_APPS, LAUNCH_WEEKS_AGO, DemoSource, festival_weeks

FRESH, PUZZLE = (a.appid for a in DEMO_APPS)
LAUNCH = last_ended_week().shift(1 - LAUNCH_WEEKS_AGO)
#: What a statistician writes and a PM should not have to read.
JARGON = re.compile(r"p\s?[=<]|\bBH\b|Benjamini|σ|sigma|±\s?3", re.IGNORECASE)


def _bands(app_id: str, weeks: int) -> tuple[dict[int, pd.DataFrame], list]:  # type: ignore[type-arg]
    frame = DemoSource().load([app_id], last_n_weeks(weeks)).frame
    bands = {k: anomalies(frame, app_id=app_id, offset=k, flagged_only=False) for k in (1, 2, 4)}
    return bands, level_shifts(frame, app_id=app_id)


def test_the_launch_step_is_the_shift_not_three_flags() -> None:
    bands, shifts = _bands(FRESH, 52)
    step = {pd.Timestamp(LAUNCH.shift(i).start) for i in range(3)}
    assert all(step <= set(flagged_weeks(band)) for band in bands.values())  # before: 3 × 3
    kept = flagged_cohorts(bands, shifts)
    assert all(not step & set(cohorts) for cohorts in kept.values())
    # the festival's dip stays: the cohorts whose W1 fell in the festival weeks
    festival = {pd.Timestamp(w.shift(-1).start) for w in festival_weeks()}
    assert set(kept[1]) == festival & set(bands[1].index)


def test_without_a_shift_nothing_is_taken_away() -> None:
    bands, shifts = _bands(PUZZLE, 52)
    assert shifts == []
    assert flagged_cohorts(bands, shifts) == {k: flagged_weeks(b) for k, b in bands.items()}


def test_the_overview_lists_the_festival_once_per_cohort_and_the_launch_as_a_shift(
        app: AppFactory) -> None:
    at = app("overview", app=FRESH, weeks="52")
    links = [(link.proto.query_string, link.proto.label) for link in at.get("page_link")]
    assert links and not [e for e in at.main.expander if "异常" in e.label]  # none folded away
    assert f"focus={LAUNCH.iso}" not in {q for q, _ in links}
    assert all("春节" in label and "低于正常范围" in label for _, label in links)
    assert len({q for q, _ in links}) == len(links)  # one line per cohort
    two = next(label for q, label in links if "W1 留存" in label and "W2 留存" in label)
    assert two.index("W1") < two.index("W2")
    said = "\n".join(shown(m.value) for m in at.markdown)
    assert said.count("台阶") == 1 and f"自 {LAUNCH.iso} 起" in said


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("query", [{"weeks": "52"}, {"weeks": "104", "metric": "active"},
                                   {"period": "day", "days": "180"},
                                   {"period": "month", "months": "36"}])
def test_no_sentence_a_pm_reads_carries_statistics(app: AppFactory, lang: str,
                                                   query: dict[str, str]) -> None:
    at = app("overview", app=f"{FRESH},{PUZZLE}", lang=lang, **query)
    read = [shown(m.value) for m in at.markdown] + [link.proto.label
                                                    for link in at.get("page_link")]
    assert read and [s for s in read if JARGON.search(s)] == []
    assert any(JARGON.search(m.help or "") for m in at.metric)  # the W1 tile's help has the p


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_flag_sentence_names_its_holiday_and_no_statistics(lang: str) -> None:
    bands, shifts = _bands(FRESH, 104)
    events = narrative.flag_events(bands, shifts, "week")
    assert events
    for event in events:
        sentence = event.sentence(lang)
        assert not JARGON.search(sentence)
        own, back = event.holidays()
        if own or back:
            assert ("春节" if lang == "zh" else "Spring Festival") in sentence
    assert all(Week.containing(e.week.start) == e.week for e in events)
    assert [e.week for e in events] == sorted((e.week for e in events), reverse=True)


@pytest.mark.parametrize("app_id", [FRESH, PUZZLE])
def test_the_week_over_week_chart_rings_the_cohorts_the_overview_lists(
        app: AppFactory, app_id: str) -> None:
    """Issue 19, item 3: the Overview listed the launch's W21 and W20 as anomalies while the
    week-over-week page showed them grey. Both now draw on one rule: the cohorts the chart rings
    (at the tracked offsets) are exactly the ones the Overview links to."""
    listed = {q.removeprefix("focus=")
              for q in (link.proto.query_string for link in
                        app("overview", app=app_id, weeks="52").get("page_link"))}
    wow = app("week_over_week", app=app_id, weeks="52")
    (fig,) = [f for f in figures(wow) if f["layout"].get("meta", {}).get("offsets")]
    ringed = {Week.containing(pd.Timestamp(x).date()).iso
              for trace in fig["data"] if trace.get("legendgroup") == "flagged"
              for x in trace["x"]}
    assert listed and ringed == listed
    if app_id == FRESH:
        assert LAUNCH.iso not in ringed

"""Issue 19, item 4: every KPI tile names the cohort it is about (W48, W47, W44, the forecast's
window), in both languages, every period; and item 9's one number format per table column."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.fixtures_app import AppFactory, shown
from wxdata.analytics.cohort import cohort_matrix
from wxdata.core.periods import Day, Month, Period, Week, last_ended_week
from wxdata.dashboard import locale_css
from wxdata.i18n import t
from wxdata.present import fmt
from wxdata.sources.demo import DEMO_APPS, DemoSource

FRESH, PUZZLE = (a.appid for a in DEMO_APPS)
CLASSES: dict[str, type[Period]] = {"day": Day, "week": Week, "month": Month}
SPAN = {"day": 60, "week": 12, "month": 6}  # the default spans


def _newest_with(period: type[Period], app_id: str, metric: str, k: int) -> pd.Timestamp:
    periods = list(period.last_n(SPAN[period.kind]))
    frame = DemoSource().load([app_id], periods).frame
    rates = cohort_matrix(frame, metric=metric, app_id=app_id, period=period)
    return pd.Timestamp(rates[k].dropna().index[-1])


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("metric", ["new", "active"])
@pytest.mark.parametrize("period", ["day", "week", "month"])
def test_each_tile_names_its_cohort(app: AppFactory, period: str, metric: str,
                                    lang: str) -> None:
    cls = CLASSES[period]
    at = app("overview", app=f"{FRESH},{PUZZLE}", period=period, metric=metric, lang=lang)
    offsets = {"day": (0, 1, 7, 30), "week": (0, 1, 4), "month": (0, 1)}[period]
    per_app = len(offsets) + (period == "week")
    assert len(at.metric) == 2 * per_app
    for i, app_id in enumerate((FRESH, PUZZLE)):
        tiles = at.metric[i * per_app:(i + 1) * per_app]
        for tile, k in zip(tiles, offsets, strict=False):
            cohort = fmt.tile_cohort(_newest_with(cls, app_id, metric, k), period)
            assert tile.label.endswith(f" · {cohort}"), (tile.label, cohort)
        if period == "week":
            forecast = tiles[-1].label
            first = last_ended_week().shift(-11).iso.split("-")[1]
            assert t("kpi.tile.projected", lang, k=12, first=first,
                     last=last_ended_week().iso.split("-W")[1]) == forecast
    # the tiles of one app are about different cohorts: the labels say which
    assert len({tile.label for tile in at.metric[:per_app]}) == per_app


def test_tile_cohort_names_are_short_and_unambiguous() -> None:
    assert fmt.tile_cohort("2026-11-18", "week") == "W47"
    assert fmt.tile_cohort("2026-11-18", "day") == "11-18"
    assert fmt.tile_cohort("2026-11-18", "month") == "2026-11"
    assert fmt.tile_cohort(None, "week") == fmt.DASH


def test_one_column_of_counts_has_one_format() -> None:
    assert fmt.count_column([15_000, 8_885], "zh") == ["15,000", "8,885"]
    assert fmt.count_column([15_000, 28_450, None], "zh") == ["1.5万", "2.8万", fmt.DASH]
    assert fmt.count_column([2e8, 3.4e8], "zh") == ["2.0亿", "3.4亿"]
    assert fmt.count_column([15_000, 8_885], "en") == ["15,000", "8,885"]


def test_the_uploader_style_sheet_is_chinese_only_and_says_the_limit() -> None:
    assert locale_css.style_sheet("en") == ""
    sheet = locale_css.style_sheet("zh")
    assert '"上传"' in sheet and f'"每个文件不超过 {locale_css.MAX_UPLOAD_MB}MB · JSON"' in sheet
    assert "content: \"Upload" not in sheet and "per file" not in sheet


def test_english_pages_name_the_demo_apps_in_english(app: AppFactory) -> None:
    names = [shown(h.value) for h in app("overview", app=f"{FRESH},{PUZZLE}", lang="en").subheader]
    assert len(names) == 2 and all("示例" not in n and "(demo)" in n for n in names)
    chinese = [h.value for h in app("overview", app=f"{FRESH},{PUZZLE}").subheader]
    assert all("示例" in n for n in chinese)

"""The pages' titles, in the navigation and on each page (one is named after the period)."""

from __future__ import annotations

from wxdata.core.periods import PeriodKind
from wxdata.i18n import Lang, t


def page_title(page: str, kind: PeriodKind, lang: Lang) -> str:
    """A page's title: the same everywhere but the period-over-period page (日环比 / 周环比 /
    月环比), whose address stays ``week_over_week`` so that links shared before still open."""
    if page == "week_over_week" and kind != "week":
        return t(f"page.week_over_week.title.{kind}", lang)
    return t(f"page.{page}.title", lang)

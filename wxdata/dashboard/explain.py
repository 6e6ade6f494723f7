"""Saying in words why there is nothing, or only part, to draw: a page's empty states and
failures (:func:`guard`), and what a refresh brought (:func:`refresh_summary`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import streamlit as st

from wxdata.core.errors import ConfigError, WxDataError
from wxdata.core.periods import PeriodKind
from wxdata.core.report import LoadResult, PeriodReport
from wxdata.dashboard import state
from wxdata.dashboard.loaded import Loaded
from wxdata.dashboard.text import message, plain
from wxdata.i18n import Lang, t
from wxdata.present.fmt import period_text


def _reason(error: WxDataError | None, lang: Lang, weeks: int,
            kind: PeriodKind = "week") -> str:
    """The error's message; when it hit several periods, said of "these weeks" once."""
    if error is None:
        return t("status.unknown_reason", lang)
    if weeks == 1 or "week" not in error.params:
        return message(error, lang)
    params = {k: message(v, lang) if isinstance(v, WxDataError)
              else plain(v) if isinstance(v, str) else v for k, v in error.params.items()}
    these = t(f"status.these.{kind}", lang)
    text = t(error.key, lang, **{**params, "week": these})
    return text.replace(f" {these}", these) if lang == "zh" else text  # no space inside Chinese


def _grouped(reports: Sequence[PeriodReport], view: state.View) -> str:
    """A bullet per reason (error kind and errcode), naming every week it hit."""
    groups: dict[tuple[str, object], list[PeriodReport]] = defaultdict(list)
    for report in reports:
        kind = (report.error.key, report.errcode) if report.error else ("", None)
        groups[kind].append(report)
    lines = []
    for group in groups.values():
        weeks = [(f"{plain(view.app_name(r.app_id))} " if len(view.apps) > 1 else "")
                 + r.period.label for r in group]
        reason = _reason(group[0].error, view.lang, len(group), view.kind)
        lines.append(f"- **{', '.join(weeks)}**: {reason}")
    return "\n".join(lines)


def guard(view: state.View) -> Loaded | None:
    """Explain why there is nothing (or only part) to draw; the load to draw when there is one."""
    lang = view.lang
    if view.problem is not None:
        st.error(message(view.problem, lang), icon=":material/error:")
    if isinstance(view.problem, ConfigError):
        st.info(t("empty.config", lang), icon=":material/settings:")
        return None
    if not view.apps:
        st.info(t("empty.no_app", lang), icon=":material/apps:")
        return None
    if view.key is None:
        st.info(t(f"empty.no_periods.{view.kind}", lang), icon=":material/event_busy:")
        return None
    result = view.loaded.result
    if result.stopped_by is not None:
        st.error(t("warn.stopped", lang, reason=message(result.stopped_by, lang)),
                 icon=":material/block:")
    if result.failed and result.frame.empty:
        st.error(period_text("empty.all_failed", view.kind, lang) + "\n\n"
                 + _grouped(result.failed, view),
                 icon=":material/cloud_off:")
        return None
    if result.failed:
        failed = len({r.period for r in result.failed})
        st.warning(t(f"warn.partial.{view.kind}", lang, n=failed) + "\n\n"
                   + _grouped(result.failed, view), icon=":material/warning:")
    if result.frame.empty:
        st.info(period_text("empty.no_data", view.kind, lang,
                            source=t(f"status.{view.source.name}", lang)),
                icon=":material/inbox:")
        return None
    return view.loaded


def refresh_summary(result: LoadResult, view: state.View) -> None:
    """After "refresh from WeChat": how many periods came back, and which failed and why."""
    lang, kind = view.lang, view.kind
    loaded = len({(r.app_id, r.period) for r in result.reports if r.has_data})
    if result.stopped_by is not None:
        st.error(t("warn.stopped", lang, reason=message(result.stopped_by, lang)),
                 icon=":material/block:")
    if result.failed:
        st.warning(period_text("data.refresh.failed", kind, lang, ok=loaded,
                               n=len(result.failed)) + "\n\n"
                   + _grouped(result.failed, view), icon=":material/warning:")
    elif result.stopped_by is None:
        st.success(period_text("data.refresh.ok", kind, lang, ok=loaded),
                   icon=":material/check_circle:")
    kept = [r for r in result.reports if r.has_data and r.error is not None]
    if kept:  # a refetch failed but the earlier copy still stands
        st.info(period_text("data.refresh.kept", kind, lang) + "\n\n" + _grouped(kept, view),
                icon=":material/history:")

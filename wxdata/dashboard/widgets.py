"""Small Streamlit pieces every page shares: status, notices, guarded empty states, charts,
and page widgets that live in the URL (how each one is synced: ``state.py``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar
from urllib.parse import urlencode, urlsplit, urlunsplit

import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from wxdata.core.errors import ConfigError, WxDataError
from wxdata.core.periods import CST, Period, PeriodKind, period_class
from wxdata.core.report import LoadResult, PeriodReport
from wxdata.dashboard import keys, state
from wxdata.dashboard.loaders import Loaded
from wxdata.dashboard.text import message, plain
from wxdata.dashboard.urlstate import Notice, bound_flag_notice, parse_list
from wxdata.i18n import Lang, t
from wxdata.present.fmt import period_text
from wxdata.sources import FileSource

T = TypeVar("T", bound=str)


def page_title(page: str, kind: PeriodKind, lang: Lang) -> str:
    """A page's title: the same everywhere but the period-over-period page (日环比 / 周环比 /
    月环比), whose address stays ``week_over_week`` so that links shared before still open."""
    if page == "week_over_week" and kind != "week":
        return t(f"page.week_over_week.title.{kind}", lang)
    return t(f"page.{page}.title", lang)


def span_caption(periods: Sequence[Period], lang: Lang) -> None:
    st.sidebar.caption(t(f"sidebar.span.{periods[0].kind}s", lang, first=periods[0].label,
                         last=periods[-1].label, n=len(periods)))


def link_notices(lang: Lang) -> None:
    notices = state.pending_notices()
    if notices and not st.session_state.get(keys.NOTICES_TOASTED):
        st.session_state[keys.NOTICES_TOASTED] = True
        st.toast(t("sidebar.bad_link", lang), icon=":material/link_off:")
    for notice in notices:
        st.sidebar.caption(f":orange[:material/link_off:] {notice.message(lang, quote=plain)}")


def _when(moment: datetime) -> str:
    return moment.astimezone(CST).strftime("%m-%d %H:%M")


def status_panel(view: state.View) -> None:
    """Where the numbers come from and how fresh they are; always in the sidebar."""
    lang = view.lang
    box = st.sidebar.container(border=True)
    if isinstance(view.problem, ConfigError):
        badge = f":red-badge[{t('status.unconfigured', lang)}]"
    else:
        badge = f":green-badge[{t(f'status.{view.source.name}', lang)}]"
    box.markdown(f"**{t('status.title', lang)}** {badge}")
    if isinstance(view.source, FileSource):
        _file_coverage(view, box)
    if view.key is None:
        box.caption(t("status.nothing", lang))
        return
    with st.spinner(t(f"status.loading.{view.kind}", lang, n=len(view.periods) * len(view.apps))):
        result = view.data.result
    span = result.fetched_range()
    if span is not None:
        first, last = (_when(m) for m in span)
        when = first if first == last else f"{first} ~ {last}"
        box.caption(t(f"status.at.{view.source.name}", lang, when=when))
    provisional = len({r.period for r in result.provisional})
    if provisional:
        box.caption(t(f"status.provisional.{view.kind}", lang, n=provisional))
    failed = len({r.period for r in result.failed})
    if failed:
        box.caption(f":red[{t(f'status.failed.{view.kind}', lang, n=failed)}]")


def _file_coverage(view: state.View, box: DeltaGenerator) -> None:
    """Which cohorts of the view's period the imported files hold (or that they hold none)."""
    assert isinstance(view.source, FileSource)
    lang, covered = view.lang, view.source.periods(view.kind)
    if covered:
        box.caption(period_text("status.file_covers", view.kind, lang, first=covered[0].label,
                                last=covered[-1].label, n=len(covered)))
    elif view.source.apps():
        box.caption(t("status.file_none", lang, period=t(f"period.noun.{view.kind}", lang)))


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
    result = view.data.result
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
    return view.data


def plotly(figure: go.Figure, name: str, *, key: str | None = None) -> None:
    """A chart at full width that keeps Plotly's own PNG download (named after the view)."""
    config = {"displaylogo": False,
              "toImageButtonOptions": {"format": "png", "filename": name, "scale": 2}}
    st.plotly_chart(figure, width="stretch", config=config, key=key)


def _register(key: str) -> None:
    """This page uses the URL parameter ``key`` (the router drops the others)."""
    registered: list[str] = st.session_state.setdefault(keys.PAGE_PARAMS, [])
    registered.append(key)


def page_keys_reset() -> None:
    st.session_state[keys.PAGE_PARAMS] = []


def page_keys() -> list[str]:
    registered: list[str] = st.session_state.get(keys.PAGE_PARAMS, [])
    return registered


def choice(label: str, key: str, options: Sequence[T], default: T,
           format_func: Callable[[T], str], *, where: DeltaGenerator | None = None) -> T:
    """A segmented control whose value is the URL parameter ``key``, synced by hand: its labels
    are translated or names, and a bound widget would write the label."""
    state.page_choice(key, options, default)
    if st.session_state[key] not in options:  # e.g. a week horizon, then days: their default
        st.session_state[key] = default
    _register(key)
    value = (where or st).segmented_control(
        label, list(options), key=key, required=True, format_func=format_func,
        persist_state="session",
    )
    picked: T = next((o for o in options if o == value), default)
    state.mirror(key, picked, default)
    return picked


def flag(label: str, key: str, *, where: DeltaGenerator | None = None,
         help: str | None = None) -> bool:
    """A toggle bound by Streamlit to the URL parameter ``key`` (``?log=true``; off is left out).

    Streamlit drops a value it cannot read without a word; the notice comes from here.
    """
    notice = bound_flag_notice(state.url_snapshot(), key)
    if notice is not None:
        state.notify([notice])
    _register(key)
    return bool((where or st).toggle(label, key=key, help=help, bind="query-params"))


def page_param(key: str) -> str | None:
    """A URL parameter of this page that no widget holds (it stays in the link while shown)."""
    _register(key)
    value = st.query_params.get(key)
    return value or None


def focus_period(kind: PeriodKind) -> Period | None:
    """The period a link asked to point at (``?focus=2026-W45``, ``?focus=2026-11-03``), e.g.
    from an anomaly list."""
    raw = st.query_params.get(keys.FOCUS)
    if not raw:
        return None
    _register(keys.FOCUS)
    try:
        return period_class(kind).parse(raw)
    except WxDataError:
        state.notify([Notice(keys.FOCUS, raw, "")])
        del st.query_params[keys.FOCUS]
        return None


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


def share_link(page_path: str, page_paths: Sequence[str]) -> str:
    """A link to exactly this view (page and every choice), for pasting into a chat."""
    parts = urlsplit(st.context.url or "")
    segments = [s for s in parts.path.split("/") if s]
    if segments and segments[-1] in page_paths:
        segments = segments[:-1]
    path = "/".join([*segments, page_path])
    query = urlencode({k: st.query_params.get(k, "") for k in st.query_params})
    if not parts.netloc:
        return f"/{path}" + (f"?{query}" if query else "")
    return urlunsplit((parts.scheme, parts.netloc, f"/{path}", query, ""))


def share_box(page_path: str, page_paths: Sequence[str], lang: Lang,
              kind: PeriodKind = "week") -> None:
    with st.sidebar.expander(t("sidebar.share", lang), icon=":material/share:"):
        st.caption(period_text("sidebar.share.help", kind, lang))
        st.code(share_link(page_path, page_paths), language=None, wrap_lines=True)


def multi_choice(label: str, key: str, options: Sequence[str], format_func: Callable[[str], str],
                 *, placeholder: str = "") -> tuple[str, ...]:
    """A multiselect whose choice is the URL parameter ``key`` as a comma list, synced by hand
    (bound, it would repeat the parameter once per label)."""
    if key not in st.session_state:
        wanted, notice = parse_list(state.url_snapshot(), key, options)
        st.session_state[key] = list(wanted)
        if notice is not None:
            state.notify([notice])
    st.session_state[key] = [v for v in st.session_state[key] if v in options]
    _register(key)
    picked = st.multiselect(label, list(options), key=key, format_func=format_func,
                            placeholder=placeholder, persist_state="session",
                            select_all=False)  # untranslatable, and none picked already is all
    state.mirror(key, ",".join(picked), "")
    return tuple(picked)

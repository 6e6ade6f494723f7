"""The Data page's checks of the data itself, for admins of live data (issue 16, item 6).

**Quota.** A click asks WeChat's quota API what is left today of each API a load or the check
calls (:func:`wxdata.sources.checks.quota_table`: daily limit, used, remain per app and API);
nothing is asked unless clicked, since every refresh would otherwise spend quota calls.
:func:`refresh_shortfall` is the check before a refresh: the page says which app would need
more calls than remain, naming both counts, and does not start.

**Consistency.** Off unless an admin turns it on per app (stored, so every replica agrees;
audited ``check_consistency``). For those apps, each period's visit trend (served from the store
when it has it, asked once per period on a click) is lined up with retention's key 0, and every
difference is shown, never hidden.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from wxdata.core.errors import WxDataError
from wxdata.core.secrets import logger
from wxdata.dashboard import auth, keys, notes_panel, state
from wxdata.dashboard.text import message, plain
from wxdata.i18n import Lang, t
from wxdata.sources import checks
from wxdata.sources.live import LiveSource

log = logger("wxdata.dashboard.checks")


def _live(view: state.View) -> LiveSource | None:
    return view.source if isinstance(view.source, LiveSource) else None


def refresh_shortfall(view: state.View) -> list[str]:
    """What to say instead of starting a refresh the quota cannot pay for (nothing: start)."""
    source = _live(view)
    if source is None or not view.periods:
        return []
    try:
        short = checks.quota_shortfall(source, view.app_ids, view.periods, refresh=True)
    except WxDataError as exc:  # the refresh would meet it too: say so instead
        return [message(exc, view.lang)]
    names = {a.appid: a.label for a in view.apps}
    return [t("page.data.checks.short", view.lang, app=plain(names.get(s.app_id, s.app_id)),
              needed=s.needed, remain=s.remain) for s in short]


def _quota(view: state.View, source: LiveSource) -> None:
    lang = view.lang
    st.markdown(f"**{t('page.data.checks.quota', lang)}**")
    if st.button(t("page.data.checks.quota.button", lang), key=keys.CHECKS_QUOTA,
                 icon=":material/speed:"):
        with st.spinner():
            table = checks.quota_table(source, view.app_ids)
        st.session_state[keys.CHECKS_QUOTA_SHOWN] = (view.app_ids, table)
    shown = st.session_state.get(keys.CHECKS_QUOTA_SHOWN)
    if isinstance(shown, tuple) and shown[0] == view.app_ids:
        st.dataframe(quota_display(shown[1], view), hide_index=True, width="stretch")
    else:
        st.caption(t("page.data.checks.quota.help", lang))


def quota_display(table: pd.DataFrame, view: state.View) -> pd.DataFrame:
    lang = view.lang
    names = {a.appid: a.label for a in view.apps}
    return pd.DataFrame({
        t("page.data.checks.col.app", lang): [names.get(a, a) for a in table["app_id"]],
        t("page.data.checks.col.api", lang): [
            t(f"page.data.checks.api.{api}.{kind}", lang)
            for api, kind in zip(table["api"], table["kind"], strict=True)],
        t("page.data.checks.col.limit", lang): table["daily_limit"],
        t("page.data.checks.col.used", lang): table["used"],
        t("page.data.checks.col.remain", lang): table["remain"],
        t("page.data.checks.col.note", lang): [
            t("page.data.checks.unknown", lang) if e else "" for e in table["error"]],
    })


def _switches(view: state.View, url: str) -> frozenset[str]:
    lang = view.lang
    try:
        on = notes_panel.admin_state(url).consistency_apps()
    except WxDataError as exc:
        st.warning(message(exc, lang), icon=":material/warning:")
        return frozenset()
    ids = list(view.app_ids)
    picked = st.multiselect(t("page.data.checks.apps", lang), ids,
                            default=[a for a in ids if a in on], key=keys.CHECKS_APPS,
                            format_func=lambda a: next((x.label for x in view.apps
                                                        if x.appid == a), a),
                            help=t("page.data.checks.apps.help", lang))
    wanted = frozenset(picked)
    for app_id in ids:
        if (app_id in wanted) != (app_id in on):
            notes_panel.admin_state(url).set_consistency(app_id, app_id in wanted,
                                                         author=view.grant.email or "")
            auth.audit("check_consistency", view.grant, app=app_id, on=app_id in wanted)
    return wanted


def _consistency(view: state.View, source: LiveSource, url: str, frame: pd.DataFrame) -> None:
    lang = view.lang
    st.markdown(f"**{t('page.data.checks.consistency', lang)}**")
    on = _switches(view, url)
    if not on:
        st.caption(t("page.data.checks.off", lang))
        return
    admin = notes_panel.admin_state(url)
    ask = st.button(t("page.data.checks.fetch", lang), key=keys.CHECKS_FETCH,
                    icon=":material/compare_arrows:")
    for app in view.apps:
        if app.appid not in on:
            continue
        try:
            visits, failed, missing = checks.stored_visit_trend(source, admin, app.appid,
                                                                view.periods, ask=ask)
        except WxDataError as exc:
            st.error(message(exc, lang), icon=":material/error:")
            continue
        table = checks.compare(frame, visits, app.appid)
        differ = int((~table["agree"]).sum()) if len(table) else 0
        st.caption(plain(app.label) + " · " + t(
            "page.data.checks.summary", lang, compared=len(visits), differ=differ,
            missing=len(missing)))
        if len(table):
            st.dataframe(consistency_display(table, view.kind, lang), hide_index=True,
                         width="stretch")
        for period, why in failed:
            st.warning(f"{period.label}: {message(why, lang)}", icon=":material/warning:")


def consistency_display(table: pd.DataFrame, kind: str, lang: Lang) -> pd.DataFrame:
    """The comparison in the reader's words; the rows that differ first."""
    ordered = table.sort_values(["agree", "cohort_start", "metric"], kind="stable")
    return pd.DataFrame({
        t("page.data.checks.col.cohort", lang): ordered["cohort_start"].dt.date,
        t("page.data.checks.col.metric", lang): [t(f"xlsx.metric.{m}", lang)
                                                 for m in ordered["metric"]],
        t("page.data.checks.col.retention", lang): ordered["retention"],
        t("page.data.checks.col.visits", lang): ordered["visits"],
        t("page.data.checks.col.difference", lang): ordered["difference"],
        t("page.data.checks.col.agree", lang): [
            t("xlsx.yes" if a else "xlsx.no", lang) for a in ordered["agree"]],
    })


def render(view: state.View, frame: pd.DataFrame | None) -> None:
    """Both checks, for admins of every app of a live view."""
    source = _live(view)
    if source is None or not view.apps or not view.grant.may_admin(view.app_ids):
        return
    st.subheader(t("page.data.checks.title", view.lang))
    _quota(view, source)
    url = source.settings.cache_url
    if frame is not None:
        _consistency(view, source, url, frame)


__all__ = ["consistency_display", "quota_display", "refresh_shortfall", "render"]

"""Goals set by admins in the dashboard (issue 16, item 3): the Data page's panel, and
:func:`goals`, the merged lookup (``[[wxdata.apps]] goals`` or the demo's, with the store's laid
over them, :func:`wxdata.core.goals.merge`).

:func:`goals` has the signature of ``loaders.goals``, so the Overview can take it in place of
that one without any other change. A stored goal is kept like a note (every replica sees it,
``NOTES_TTL_SECONDS``); each set and remove writes an audit line (``goal_set``,
``goal_remove``).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from wxdata.config import load_settings
from wxdata.core.errors import WxDataError
from wxdata.core.goals import Goal, merge
from wxdata.core.periods import PERIODS, PeriodKind
from wxdata.core.secrets import logger
from wxdata.dashboard import auth, keys, state
from wxdata.dashboard.notes_panel import NOTES_TTL_SECONDS, admin_state
from wxdata.dashboard.text import message
from wxdata.i18n import t
from wxdata.present.fmt import offset_label, pct
from wxdata.sources.demo import DEMO_GOALS

log = logger("wxdata.dashboard.goals")


@st.cache_data(ttl=NOTES_TTL_SECONDS, show_spinner=False, max_entries=16)
def _stored(cache_url: str) -> dict[str, tuple[Goal, ...]]:
    try:
        return admin_state(cache_url).goals()
    except WxDataError as exc:
        log.warning("stored goals not used: %s", exc.message("en"))
        return {}


def configured(app_id: str) -> tuple[Goal, ...]:
    """The goals of ``[[wxdata.apps]]`` (the demo's own for a demo app)."""
    try:
        own = load_settings().goals(app_id)
    except WxDataError:
        own = ()
    return own or DEMO_GOALS.get(app_id, ())


def stored(app_id: str) -> tuple[Goal, ...]:
    try:
        url = load_settings().cache_url
    except WxDataError:
        return ()
    return _stored(url).get(app_id, ())


def all_goals(app_id: str) -> tuple[Goal, ...]:
    """Every goal of ``app_id``: the configured ones with the admins' laid over them."""
    return merge(configured(app_id), stored(app_id))


def goals(app_id: str, kind: PeriodKind, metric: str) -> tuple[Goal, ...]:
    """``loaders.goals``, merged: the goals of ``app_id`` for this period and metric."""
    return tuple(g for g in all_goals(app_id) if g.kind == kind and g.metric == metric)


def _names(kind: PeriodKind) -> list[str]:
    letter = PERIODS[kind].LETTER.lower()
    return [f"{m}_{letter}{k}" for m in ("new", "active") for k in PERIODS[kind].KEYS if k]


def _table(view: state.View) -> pd.DataFrame:
    lang = view.lang
    rows = []
    for app in view.apps:
        own = {g.name for g in stored(app.appid)}
        for goal in all_goals(app.appid):
            rows.append({
                t("page.data.goals.col.app", lang): app.label,
                t("page.data.goals.col.goal", lang): goal.name,
                t("page.data.goals.col.what", lang): t(
                    "page.data.goals.what", lang, metric=t(f"xlsx.metric.{goal.metric}", lang),
                    offset=offset_label(goal.kind, goal.offset, lang)),
                t("page.data.goals.col.target", lang): pct(goal.target),
                t("page.data.goals.col.from", lang): t(
                    "page.data.goals.stored" if goal.name in own else "page.data.goals.config",
                    lang),
            })
    return pd.DataFrame(rows)


def render(view: state.View) -> None:
    """The goals of the view's apps; admins of an app set and remove its goals here."""
    lang = view.lang
    mine = [a for a in view.apps if view.grant.may_admin([a.appid])]
    if not mine:
        return
    st.subheader(t("page.data.goals.title", lang))
    table = _table(view)
    if len(table):
        st.dataframe(table, hide_index=True, width="stretch")
    st.caption(t("page.data.goals.help", lang))
    try:
        url = load_settings().cache_url
    except WxDataError:
        return
    with st.form(keys.GOAL_FORM, border=True):
        left, middle, right = st.columns(3)
        app_id = left.selectbox(t("page.data.goals.col.app", lang), [a.appid for a in mine],
                                key=keys.GOAL_APP, format_func=lambda a: next(
                                    (x.label for x in mine if x.appid == a), a))
        name = middle.selectbox(t("page.data.goals.col.goal", lang), _names(view.kind),
                                key=keys.GOAL_NAME)
        target = right.number_input(t("page.data.goals.target", lang), min_value=0.1,
                                    max_value=100.0, value=30.0, step=0.5, key=keys.GOAL_TARGET)
        if st.form_submit_button(t("page.data.goals.set", lang), icon=":material/flag:"):
            try:
                goal = Goal.parse(str(name), float(target) / 100, where="dashboard")
                admin_state(url).set_goal(str(app_id), goal, author=view.grant.email or "")
            except WxDataError as exc:
                st.error(message(exc, lang))
            else:
                auth.audit("goal_set", view.grant, app=app_id, goal=goal.name,
                           target=goal.target)
                _stored.clear()
                st.rerun()
    removable = [f"{a.appid}|{g.name}" for a in mine for g in stored(a.appid)]
    if removable:
        picked = st.selectbox(t("page.data.goals.remove.pick", lang), removable,
                              key=keys.GOAL_REMOVE_PICK)
        if st.button(t("page.data.goals.remove", lang), key=keys.GOAL_REMOVE,
                     icon=":material/delete:") and picked:
            app_id, _, goal_name = str(picked).partition("|")
            try:
                admin_state(url).remove_goal(app_id, goal_name)
            except WxDataError as exc:
                st.error(message(exc, lang))
            else:
                auth.audit("goal_remove", view.grant, app=app_id, goal=goal_name)
                _stored.clear()
                st.rerun()


__all__ = ["all_goals", "configured", "goals", "render", "stored"]

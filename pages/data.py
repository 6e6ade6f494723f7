"""数据 · Data: the tidy table, downloads (named after the period, its offset column too; the
cohort grid; the notes), the notes and their editor, the state of every period, refresh, and
imports (the editor and the last three for admins only when sign-in is on).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from wxdata.core.periods import PeriodKind
from wxdata.dashboard import (
    actions,
    auth,
    checks_panel,
    digest_panel,
    explain,
    goals_panel,
    keys,
    loaders,
    notes_panel,
    plot,
    state,
)
from wxdata.dashboard.loaded import Loaded
from wxdata.dashboard.text import plain
from wxdata.i18n import Lang, t
from wxdata.present import charts, export, tables
from wxdata.present.fmt import period_text
from wxdata.sources import IMPORTED_APPID


def csv_names(kind: PeriodKind) -> dict[str, str]:
    """Columns of ``tables.tidy_display`` still named as in the frame, and their CSV names
    (the offset is ``day_offset``, ``week_offset`` or ``month_offset`` there)."""
    return {"app_id": "app_id", "offset": f"{kind}_offset"}


@loaders.derived(max_entries=64)
def week_states(data: Loaded, names: tuple[tuple[str, str], ...],
                lang: Lang) -> tuple[pd.DataFrame, go.Figure]:
    kind = data.key.kind
    states = tables.week_states(data.result.reports, dict(names), lang)
    return tables.week_states_table(states, lang, kind), charts.coverage(
        states, lang=lang, title=period_text("page.data.coverage", kind, lang), period=kind)


def _downloads(view: state.View, data: Loaded) -> None:
    lang, frame, kind = view.lang, data.frame, view.kind
    names = {a.appid: a.name for a in view.apps}
    stem = export.file_stem(view.app_ids, view.periods)
    notes = [n for n in notes_panel.notes(view.app_ids) if view.periods and
             n.overlaps(view.periods[0].start, view.periods[-1].end)]
    csv = xlsx = json_ = grid = st.container(horizontal=True)

    def audited(what: str, make: Callable[[], bytes]) -> Callable[[], bytes]:
        # made on the click, when the audit line is written
        return auth.audited_download(view.grant, what, view.app_ids, f"{stem}.{what}", make)

    csv.download_button(t("page.data.csv", lang),
                        audited("csv", lambda: export.to_csv_bytes(frame, kind)), f"{stem}.csv",
                        "text/csv", on_click="ignore", icon=":material/download:", type="primary")
    xlsx.download_button(t("page.data.xlsx", lang),
                         audited("xlsx", lambda: export.to_xlsx_bytes(
                             frame, names=names, kind=kind, lang=lang, notes=notes,
                             provisional=export.provisional_cohorts(data.result))),
                         f"{stem}.xlsx", "application/vnd.openxmlformats-officedocument."
                         "spreadsheetml.sheet", on_click="ignore", icon=":material/table:")
    json_.download_button(t("page.data.json", lang),
                          audited("json", lambda: export.to_json_bytes(frame, kind)),
                          f"{stem}.json", "application/json", on_click="ignore",
                          icon=":material/data_object:")
    grid.download_button(t("page.data.grid", lang),
                         audited("grid.xlsx", lambda: export.matrix_to_xlsx_bytes(
                             frame, names=names, kind=kind, lang=lang,
                             provisional=export.provisional_cohorts(data.result))),
                         f"{stem}.grid.xlsx", "application/vnd.openxmlformats-officedocument."
                         "spreadsheetml.sheet", on_click="ignore", icon=":material/grid_on:")
    if notes:
        grid.download_button(t("page.data.notes.csv", lang),
                             audited("notes.csv", lambda: export.notes_to_csv_bytes(
                                 notes, names)), f"{stem}.notes.csv", "text/csv",
                             on_click="ignore", icon=":material/sticky_note_2:")


@st.fragment(key=keys.UPLOAD_FRAGMENT)
def _upload(lang: Lang, kind: PeriodKind) -> None:
    """Picking files reruns only this part; a good import reruns the app (the sidebar switches
    to the imported file), a bad one only says why here."""
    st.subheader(t("page.data.upload", lang))
    st.caption(period_text("page.data.upload.help", kind, lang, mb=actions.MAX_UPLOAD_MB))
    app_id = st.text_input(t("page.data.upload.app", lang), value=IMPORTED_APPID,
                           key=keys.UPLOAD_APP, max_chars=40)
    files = st.file_uploader(t("page.data.upload.files", lang), type=["json"],
                             accept_multiple_files=True, key=keys.UPLOADS,
                             max_upload_size=actions.MAX_UPLOAD_MB,
                             help=t("page.data.upload.files.help", lang, mb=actions.MAX_UPLOAD_MB))
    actions.queue_new_uploads(files or [])
    if any(r.ok for r in actions.import_queued(app_id, lang)):
        st.rerun(scope="app")
    for report in actions.upload_reports():
        show = st.success if report.ok else st.error
        show(f"**{plain(report.name)}**: {report.detail}",
             icon=":material/check_circle:" if report.ok else ":material/error:")


@st.fragment(key=keys.REFRESH_FRAGMENT)
def _refresh(view: state.View) -> None:
    """A click reruns only this part while WeChat is asked (with its progress bar), then the
    whole app once, so every chart and the sidebar show the new numbers."""
    lang = view.lang
    st.subheader(t("page.data.refresh", lang))
    st.caption(period_text(f"page.data.refresh.help.{view.source.name}", view.kind, lang))
    if st.button(t("page.data.refresh.button", lang), icon=":material/refresh:",
                 disabled=view.key is None or not view.apps, key=keys.REFRESH):
        refused = checks_panel.refresh_shortfall(view)  # said before any retention call
        for line in refused:
            st.error(line, icon=":material/speed:")
        if not refused:
            actions.refresh(view)
            st.rerun(scope="app")
    done = actions.last_refresh()
    if done is not None:
        explain.refresh_summary(done, view)


def render() -> None:
    view = state.current_view()
    lang = view.lang
    st.title(t("page.data.title", lang))
    data = explain.guard(view)
    if data is not None:
        st.caption(period_text("page.data.caption", view.kind, lang, rows=len(data.frame)))
        _downloads(view, data)
        formats = {t(k, lang): st.column_config.NumberColumn(format=f)
                   for k, f in tables.TIDY_FORMATS.items()}
        # The columns that keep their CSV names in the frame get a translated header here.
        formats.update({raw: st.column_config.TextColumn(
            t(f"page.data.column.{name}", lang), help=t("page.data.column.help", lang, name=name))
            for raw, name in csv_names(view.kind).items()})
        st.dataframe(tables.tidy_display(data.frame, lang, view.kind), width="stretch",
                     height=360,
                     hide_index=True, column_config=formats)
        if view.grant.may_admin(view.app_ids):  # the cache status
            names = tuple((a.appid, a.name) for a in view.apps)
            table, fig = week_states(data, names, lang)
            plot.plotly(fig, f"wxretain-{view.kind}s")
            with st.expander(period_text("page.data.weeks_table", view.kind, lang)):
                st.dataframe(table, width="stretch", hide_index=True)
    notes_panel.render(view)  # everyone reads them; admins add, edit, remove (issue 16)
    goals_panel.render(view)  # admins set goals over the configured ones (issue 16)
    checks_panel.render(view, data.frame if data is not None else None)  # admins, live data
    may_refresh = view.grant.may_admin(view.app_ids) if view.apps else view.grant.open
    if may_refresh:
        _refresh(view)
    if view.grant.may_import:
        _upload(lang, view.kind)
    digest_panel.render(view)  # admins: preview the digest, send a test message (issue 15)
    if not view.grant.may_import or (view.apps and not may_refresh):
        contact = view.grant.contact or t("auth.contact.default", lang)
        notice = period_text("auth.admin_only", view.kind, lang, contact=plain(contact))
        st.caption(f":material/lock: {notice}")


render()

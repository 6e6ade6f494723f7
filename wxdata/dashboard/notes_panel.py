"""Notes in the dashboard (issue 16): the loader every chart's notes come from, the figure with
them drawn (:func:`marked`), and the Data page's panel where admins add, edit and remove them.

Notes live in the store (:class:`wxdata.store.admin.AdminState`), so every replica sharing it
shows the same; each process reads them at most every :data:`NOTES_TTL_SECONDS` (a change made
here is seen here at once). A demo app also has the demo's own notes (:func:`demo_notes`),
which are not in any store and cannot be edited.

Everyone sees the notes of the apps they see; adding, editing and removing takes an admin of
the note's app (of every app, for a note about all of them), and each change writes an audit
line (``note_add``, ``note_edit``, ``note_remove``: who, which note, which app and days, the
text). A note's text is shown as text: in a table cell (never Markdown), escaped on charts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from wxdata.config import load_settings
from wxdata.core.errors import WxDataError
from wxdata.core.notes import ALL_APPS, MAX_NOTE_CHARS, Note, by_id, notes_for
from wxdata.core.periods import today_cst
from wxdata.core.secrets import logger
from wxdata.dashboard import auth, keys, state
from wxdata.dashboard.loaded import Loaded
from wxdata.dashboard.text import message, plain
from wxdata.i18n import t
from wxdata.present.charts.context import row_notes, with_notes
from wxdata.sources.demo import demo_notes
from wxdata.store.admin import AdminState

log = logger("wxdata.dashboard.notes")
#: How long a process reuses the notes it read before it reads the store again.
NOTES_TTL_SECONDS = 60


@st.cache_resource(show_spinner=False)
def admin_state(cache_url: str) -> AdminState:
    """The admins' tables of the store ``cache_url`` names (one per process)."""
    return AdminState(cache_url)


@st.cache_data(ttl=NOTES_TTL_SECONDS, show_spinner=False, max_entries=16)
def _stored(cache_url: str) -> tuple[tuple[Note, ...], str]:
    """Every stored note, and the code of the store's error ("" when it could be read)."""
    try:
        return tuple(admin_state(cache_url).notes()), ""
    except WxDataError as exc:
        log.warning("notes not shown: %s", exc.message("en"))
        return (), exc.key


def _cache_url() -> str | None:
    try:
        return load_settings().cache_url
    except WxDataError:
        return None  # the page already says what is wrong with the settings


def notes(app_ids: Sequence[str]) -> list[Note]:
    """The notes about ``app_ids`` (their own and those about every app), by first day."""
    url = _cache_url()
    stored = _stored(url)[0] if url else ()
    demo = demo_notes()
    found = [n for n in stored if n.app_id == ALL_APPS or n.app_id in app_ids]
    found += [n for a in app_ids for n in demo.get(a, ())]
    return sorted(found, key=lambda n: (n.first, n.last, n.id))


def marked(fig: go.Figure, view: state.View, app_id: str) -> go.Figure:
    """``fig`` (a chart of ``app_id`` over time, as a ``loaders.derived`` function returned it:
    ``st.cache_data`` hands every caller a copy of its own) with the app's notes drawn."""
    return with_notes(fig, notes_for(notes(view.app_ids), app_id), view.lang, copy=False)


def marked_rows(fig: go.Figure, view: state.View, data: Loaded, app_id: str) -> go.Figure:
    """A cohort heatmap of ``app_id`` with a pin on each row a note is about (the rows: every
    cohort of the load, as ``charts.heatmap`` draws them)."""
    own = notes_for(notes(view.app_ids), app_id)
    if not own:
        return fig
    frame = data.app_frame(app_id)
    starts = sorted({pd.Timestamp(r.period.start) for r in data.result.reports
                     if r.app_id == app_id} | set(pd.to_datetime(frame["cohort_start"])))
    return row_notes(fig, own, starts, view.kind, view.lang, copy=False)


def caption(view: state.View, app_id: str | None = None) -> None:
    """Under a chart with no time axis (the decay curves): the notes of the span, as a caption
    (the text as text, never Markdown); nothing when there is none."""
    if not view.periods:
        return
    first, last = view.periods[0].start, view.periods[-1].end
    ids = [app_id] if app_id else list(view.app_ids)
    shown = [n for a in ids for n in notes_for(notes(view.app_ids), a, first, last)]
    unique = list({n.id: n for n in shown}.values())
    if unique:
        st.caption(f":material/sticky_note_2: {t('chart.note', view.lang)}: " + " · ".join(
            f"{n.span} {plain(n.text)}" for n in unique))


# -- the Data page's panel -----------------------------------------------------------------------


def _app_name(view: state.View, app_id: str) -> str:
    if app_id == ALL_APPS:
        return t("notes.all_apps", view.lang)
    return next((a.label for a in view.apps if a.appid == app_id), app_id)


def notes_table(shown: Sequence[Note], view: state.View) -> pd.DataFrame:
    lang = view.lang
    return pd.DataFrame({
        t("page.data.notes.col.id", lang): [n.id if n.id > 0 else None for n in shown],
        t("page.data.notes.col.days", lang): [n.span for n in shown],
        t("page.data.notes.col.app", lang): [_app_name(view, n.app_id) for n in shown],
        t("page.data.notes.col.text", lang): [n.text for n in shown],
        t("page.data.notes.col.author", lang): [n.author for n in shown],
    })


def _may_edit(view: state.View, note_app: str) -> bool:
    if note_app == ALL_APPS:
        return view.grant.may_admin([a.appid for a in view.source.apps()])
    return view.grant.may_admin([note_app])


def _days(value: object) -> tuple[date, date | None]:
    """A date input's value: one day, or a (first, last) range (last None while picking)."""
    if isinstance(value, (tuple, list)):
        first = value[0] if value else today_cst()
        return first, value[1] if len(value) > 1 else None
    return value if isinstance(value, date) else today_cst(), None


def _said(kind: str, text: str) -> None:
    st.session_state[keys.NOTE_SAID] = (kind, text)


def _changed() -> None:
    _stored.clear()  # this process sees the change at once; the others within the ttl


def _add(view: state.View, url: str) -> None:
    lang = view.lang
    choices = [a.appid for a in view.apps if _may_edit(view, a.appid)]
    if _may_edit(view, ALL_APPS):
        choices.append(ALL_APPS)
    if not choices:
        return
    with st.form(keys.NOTE_ADD_FORM, clear_on_submit=True, border=True):
        st.markdown(f"**{t('page.data.notes.add', lang)}**")
        app_id = st.selectbox(t("page.data.notes.app", lang), choices, key=keys.NOTE_ADD_APP,
                              format_func=lambda a: _app_name(view, a))
        picked = st.date_input(t("page.data.notes.days", lang), value=(today_cst(),),
                               key=keys.NOTE_ADD_DAYS, help=t("page.data.notes.days.help", lang))
        text = st.text_input(t("page.data.notes.text", lang), key=keys.NOTE_ADD_TEXT,
                             max_chars=MAX_NOTE_CHARS,
                             help=t("page.data.notes.text.help", lang, max=MAX_NOTE_CHARS))
        if not st.form_submit_button(t("page.data.notes.add.button", lang),
                                     icon=":material/add_comment:"):
            return
    first, last = _days(picked)
    try:
        note = Note.new(str(app_id), first, last, text, author=view.grant.email or "")
        stored = admin_state(url).add_note(note)
    except WxDataError as exc:
        _said("error", message(exc, lang))
        st.rerun()
    auth.audit("note_add", view.grant, note=stored.id, app=stored.app_id, span=stored.span,
               text=stored.text)
    _changed()
    _said("success", t("page.data.notes.added", lang, id=stored.id))
    st.rerun()


def _edit(view: state.View, url: str, shown: Sequence[Note]) -> None:
    lang = view.lang
    mine = [n for n in shown if n.id > 0 and _may_edit(view, n.app_id)]
    if not mine:
        return
    ids = [n.id for n in mine]
    picked = st.selectbox(t("page.data.notes.pick", lang), ids, key=keys.NOTE_PICK,
                          format_func=lambda i: _pick_label(by_id(mine, i), view))
    note = by_id(mine, int(picked)) if picked is not None else None
    if note is None:
        return
    if st.session_state.get(keys.NOTE_EDITING) != note.id:  # another note: its own values
        st.session_state[keys.NOTE_EDITING] = note.id
        st.session_state[keys.NOTE_EDIT_TEXT] = note.text
        st.session_state[keys.NOTE_EDIT_DAYS] = (note.first, note.last)
    text = st.text_input(t("page.data.notes.text", lang), key=keys.NOTE_EDIT_TEXT,
                         max_chars=MAX_NOTE_CHARS)
    days = st.date_input(t("page.data.notes.days", lang), key=keys.NOTE_EDIT_DAYS)
    save, remove = st.columns(2)
    if save.button(t("page.data.notes.save", lang), key=keys.NOTE_SAVE, icon=":material/save:"):
        first, last = _days(days)
        try:
            edited = note.edited(text=text, first=first, last=last or first,
                                 author=view.grant.email or "")
            found = admin_state(url).update_note(edited)
        except WxDataError as exc:
            _said("error", message(exc, lang))
        else:
            if found:
                auth.audit("note_edit", view.grant, note=edited.id, app=edited.app_id,
                           span=edited.span, text=edited.text)
            _changed()
            _said("success" if found else "error",
                  t("page.data.notes.saved" if found else "page.data.notes.gone", lang,
                    id=note.id))
        st.rerun()
    if remove.button(t("page.data.notes.remove", lang), key=keys.NOTE_REMOVE,
                     icon=":material/delete:"):
        try:
            removed = admin_state(url).remove_note(note.id)
        except WxDataError as exc:
            _said("error", message(exc, lang))
        else:
            if removed is not None:
                auth.audit("note_remove", view.grant, note=removed.id, app=removed.app_id,
                           span=removed.span)
            st.session_state.pop(keys.NOTE_EDITING, None)
            _changed()
            _said("success", t("page.data.notes.removed", lang, id=note.id))
        st.rerun()


def _pick_label(note: Note | None, view: state.View) -> str:
    if note is None:
        return ""
    short = note.text if len(note.text) <= 30 else note.text[:29] + "…"
    return f"#{note.id} · {note.span} · {_app_name(view, note.app_id)} · {short}"


def render(view: state.View) -> None:
    """The notes of the view's apps, and for their admins the editor."""
    lang = view.lang
    if not view.apps:
        return
    st.subheader(t("page.data.notes.title", lang))
    url = _cache_url()
    problem = _stored(url)[1] if url else ""
    if problem:
        st.warning(t("page.data.notes.unavailable", lang), icon=":material/warning:")
    shown = notes(view.app_ids)
    if shown:
        st.dataframe(notes_table(shown, view), hide_index=True, width="stretch",
                     column_config={t("page.data.notes.col.text", lang):
                                    st.column_config.TextColumn(width="large")})
    else:
        st.caption(t("page.data.notes.none", lang))
    said = st.session_state.pop(keys.NOTE_SAID, None)
    if isinstance(said, tuple) and len(said) == 2:
        (st.success if said[0] == "success" else st.error)(said[1])
    if url is None or problem or not any(_may_edit(view, a) for a in view.app_ids):
        return
    _add(view, url)
    _edit(view, url, shown)


__all__ = ["NOTES_TTL_SECONDS", "marked", "notes", "notes_table", "render"]

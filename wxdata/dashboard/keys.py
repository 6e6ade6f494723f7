"""Every name the dashboard keeps things under: ``st.session_state`` keys, widget keys, URL
parameters and fragment names, each with what it holds.

No other module spells one of these as a string (``tests/test_keys.py`` checks), so this file is
the whole vocabulary of a session. Keys that start with ``_`` are the app's own bookkeeping;
the others are widget keys. A page widget's key *is* its URL parameter (``?values=users``), so
renaming one breaks links people have shared.
"""

from __future__ import annotations

# -- The view and the link it was opened with ------------------------------------------------------

VIEW = "_view"
"""The :class:`~wxdata.dashboard.state.View` the router computed on this run; pages read it."""

URL_AT_START = "_url0"
"""The query parameters the session was opened with (``{name: [values]}``), read once."""

SEEDED = "_seeded"
"""True once the sidebar's widgets have been set from the opening link."""

NOTICES = "_notices"
"""The link's parameters that were not understood (a list of ``urlstate.Notice``)."""

NOTICES_TOASTED = "_notices_toasted"
"""True once the "this link had problems" toast has been shown (it is shown once a session)."""

PAGE_PARAMS = "_page_keys"
"""The URL parameters the current page registered on this run (the router keeps only these)."""

LANG_DRAWN = "_lang_drawn"
"""The language the sidebar was drawn in on the run before (a switch re-sends translated labels)."""

LAST_SPAN = "_last_span"
"""The last complete custom range (a ``urlstate.Span``), kept while the picker has one date."""

# -- Sign-in ------------------------------------------------------------------------------------

AUDITED_SIGN_IN = "_audited_sign_in"
"""The address whose sign-in this session has written to the audit log (once per session)."""

SIGN_IN = "sign_in"
"""The "sign in" button of the sign-in page."""

SIGN_OUT = "sign_out"
"""The sidebar's "sign out" button."""

# -- Data: imports and refresh ------------------------------------------------------------------

IMPORTS = "_imports"
"""The session's imported files (a ``uploads.Imports``): they feed the file source."""

SWITCH_TO_FILE = "_switch_to_file"
"""The app id of a file just imported: the next run switches the sidebar to it, then forgets."""

UPLOAD_QUEUE = "_upload_queue"
"""Files waiting to be imported on this run, as ``(name, bytes)`` (tests put theirs here)."""

UPLOADS_SEEN = "_uploads_seen"
"""The uploader's file ids already queued, so a rerun does not import a file twice."""

UPLOAD_REPORTS = "_upload_reports"
"""What the last imports said, one ``actions.FileReport`` per file."""

REFRESH_RESULT = "_refresh_result"
"""The ``LoadResult`` of a refresh, shown once on the next run and then dropped."""

# -- Sidebar widgets (their URL parameters are written by hand: see ``urlsync.py``) -------------

LANG_WIDGET = "w_lang"
"""The language switch: ``"zh"`` or ``"en"`` (URL parameter :data:`LANG`)."""

SOURCE_WIDGET = "w_source"
"""Configured source or imported files: ``"configured"`` or ``"file"`` (not in the URL)."""

APPS_WIDGET = "w_app"
"""The chosen mini programs, a list of app ids (URL parameter :data:`APP`)."""

PERIOD_WIDGET = "w_period"
"""Days, weeks or months: ``"day"``, ``"week"`` or ``"month"`` (URL parameter :data:`PERIOD`)."""

SPAN_WIDGET = "w_span"
"""The span: a preset count of the period (``"30"`` days, ``"12"`` weeks, ``"6"`` months...) or
``"custom"`` (URL :data:`DAYS`, :data:`WEEKS`, :data:`MONTHS`)."""

RANGE_WIDGET = "w_range"
"""The custom range's dates, a tuple of 0 to 2 dates (URL :data:`FROM` and :data:`TO`)."""

RANGE_PASTE = "w_range_paste"
"""A custom range pasted as text ("2025-01-06 ~ 2025-12-28", "2025-W02..2025-W52"): on a change
it sets :data:`RANGE_WIDGET`, whose segmented boxes take no paste."""

RANGE_PASTE_BAD = "_range_paste_bad"
"""The pasted text that could not be read as a range, said under the box until the next paste."""

METRIC_WIDGET = "w_metric"
"""New or active users: ``"new"`` or ``"active"`` (URL parameter :data:`METRIC`)."""

# -- The sidebar's URL parameters ----------------------------------------------------------------

APP = "app"
"""Comma-separated app ids, in the order chosen (left out for the first configured app)."""

PERIOD = "period"
"""``day`` or ``month`` (left out for ``week``); kept across pages and languages."""

DAYS = "days"
"""A preset span of days: how many ended days (left out for the default, 30)."""

WEEKS = "weeks"
"""A preset span of weeks: how many ended weeks (left out for the default, 12)."""

MONTHS = "months"
"""A preset span of months: how many ended months (left out for the default, 12)."""

FROM = "from"
"""The first period of a custom range: an ISO day ``2026-11-03``, week ``2026-W30`` or month
``2026-11`` (or any date inside it)."""

TO = "to"
"""The last period of a custom range."""

METRIC = "metric"
"""``active`` (left out for ``new``)."""

LANG = "lang"
"""``en`` (left out for Chinese)."""

GLOBAL_PARAMS = (APP, PERIOD, DAYS, WEEKS, MONTHS, FROM, TO, METRIC, LANG)
"""Parameters the shared sidebar owns; every other parameter belongs to a page."""

# -- Page widgets: each key is also the page's URL parameter ------------------------------------

VALUES = "values"
"""Heatmap cells: ``"rate"`` or ``"users"`` (hand-written sync: its labels are translated)."""

ORDER = "order"
"""Heatmap rows: ``"top"`` (newest on top) or ``"bottom"`` (hand-written sync)."""

CALENDAR = "calendar"
"""Heatmap on calendar weeks, a bool (bound to the URL by Streamlit: ``?calendar=true``)."""

BOTH = "both"
"""Heatmap of both metrics side by side, a bool (bound: ``?both=true``)."""

SCALE_PER_APP = "scale_per_app"
"""Heatmaps of several apps each on a colour scale of its own, a bool (bound); off: shared."""

HORIZON = "horizon"
"""Curves: periods to project, ``"12"`` or ``"26"`` weeks, ``"60"`` or ``"90"`` days
(hand-written sync: translated labels)."""

LOG = "log"
"""Curves on a log scale, a bool (bound: ``?log=true``)."""

COHORTS = "cohorts"
"""Curves: the cohorts drawn, a list of ISO periods (URL: a comma list, hand-written)."""

OFFSETS = "offsets"
"""Period over period, days: ``tracked`` (D1, D7, D14, D30) or ``all`` published days
(hand-written: the labels are translated)."""

WOW_APP = "wow_app"
"""Period over period: the app shown when several are chosen, an app id (hand-written)."""

MISSING = "path"
"""The "not found" page: the address that was asked for (``/heatmap/extra/path``)."""

PAGE_PATHS = ("overview", "heatmap", "curves", "week_over_week", "data")
"""Every page's URL path, in the order of the navigation (``pages/<path>.py``; the first is
served at ``/``)."""

NOT_FOUND_PAGE = "not_found"
"""The hidden page unknown addresses are sent to (its URL path: ``/not_found?path=...``)."""

FOCUS = "focus"
"""Heatmap: the ISO period a link points at (a URL parameter only, no widget)."""

# -- Data page widgets and fragments ---------------------------------------------------------------

UPLOAD_APP = "upload_app"
"""The app id the uploaded answers are filed under (text input)."""

UPLOADS = "uploads"
"""The file uploader (its value: the uploaded files)."""

REFRESH = "refresh"
"""The "refresh from WeChat" button."""

REFRESH_FRAGMENT = "data_refresh"
"""The Data page's refresh fragment (a click reruns only it, then the app once done)."""

UPLOAD_FRAGMENT = "data_upload"
"""The Data page's import fragment (a bad file reruns only it)."""

# --- pm19b ---

TIGHT = "tight"
"""Heatmap: rows thin enough for two years of weeks to fit about one screen (``?tight=true``)."""

WOW_CHART = "wow_chart"
"""Week over week: the chart draws each cohort's change (``change``) or the rates (``level``)."""

# --- notes16 ---

NOTE_ADD_FORM = "note_add_form"
"""The Data page's form that adds a note (app, days, text)."""

NOTE_ADD_APP = "note_add_app"
"""The app a new note is about (an appid, or ``*`` for every app)."""

NOTE_ADD_DAYS = "note_add_days"
"""The day or range of days a new note is about (date input)."""

NOTE_ADD_TEXT = "note_add_text"
"""A new note's text (text input)."""

NOTE_PICK = "note_pick"
"""The stored note an admin edits or removes (its id)."""

NOTE_EDIT_TEXT = "note_edit_text"
"""The picked note's new text (text input; reset when another note is picked)."""

NOTE_EDIT_DAYS = "note_edit_days"
"""The picked note's new days (date input)."""

NOTE_SAVE = "note_save"
"""The button that saves the picked note's changes."""

NOTE_REMOVE = "note_remove"
"""The button that removes the picked note."""

NOTE_SAID = "note_said"
"""What the notes panel's last action said (kind, text), shown once after the rerun."""

NOTE_EDITING = "note_editing"
"""The id of the note whose text and days the edit inputs hold (they are reset to another
note's when it is picked)."""

CHECKS_QUOTA = "checks_quota"
"""The Data page's "check the quota" button (one quota call per app and API)."""

CHECKS_QUOTA_SHOWN = "checks_quota_shown"
"""The quota table the last click made (app ids, table), shown until the view changes."""

CHECKS_APPS = "checks_apps"
"""The apps whose consistency check is on (multiselect; stored in the store, audited)."""

CHECKS_FETCH = "checks_fetch"
"""The button that asks WeChat for the visit trends the store does not hold yet."""

GOAL_FORM = "goal_form"
"""The Data page's form that sets a goal (app, name, target)."""

GOAL_APP = "goal_app"
"""The app a goal set in the dashboard is for."""

GOAL_NAME = "goal_name"
"""The goal's name (new_w1, new_d1 ...)."""

GOAL_TARGET = "goal_target"
"""The goal's target, in percent (number input)."""

GOAL_REMOVE_PICK = "goal_remove_pick"
"""The stored goal an admin removes ("app|name")."""

GOAL_REMOVE = "goal_remove"
"""The button that removes the picked stored goal."""

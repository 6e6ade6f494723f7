"""Which source a view reads: the one the settings ask for, or the session's imported files.

The live source is a process-wide resource (:func:`live_source`): every session shares its
clients, hence one access token, one connection pool and one flight per (app, period).
"""

from __future__ import annotations

import hashlib

import streamlit as st

from wxdata.config import Settings, load_settings
from wxdata.core.errors import WxDataError
from wxdata.dashboard.uploads import session_imports
from wxdata.sources import FileSource, LiveSource, Source, make_source


@st.cache_resource(show_spinner=False, on_release=lambda source: source.close())
def live_source(settings: Settings) -> LiveSource:
    """The process-wide live source for ``settings`` (frozen, so a changed secrets file makes a
    new one). Clearing the cache (``live_source.clear()``) closes what it held."""
    return LiveSource(settings)


def configured_source() -> tuple[Source, str, WxDataError | None]:
    """The source the settings ask for and a fingerprint of where it reads from (never of a
    secret). Settings that cannot be used give an empty source and the reason: no demo numbers
    that someone could take for their own."""
    try:
        settings = load_settings()
        where = f"{settings.api_base}|{settings.cache_url}|{[a.appid for a in settings.apps]}"
        fingerprint = hashlib.sha256(where.encode()).hexdigest()[:16]
        return make_source(settings, live=live_source), fingerprint, None
    except WxDataError as exc:
        return FileSource(), "", exc


def current_source(kind: str) -> tuple[Source, str, WxDataError | None]:
    """(source, fingerprint, configuration problem) for ``kind`` "configured" or "file"."""
    if kind == "file" and session_imports().files:
        imports = session_imports()
        return imports.source(), imports.fingerprint, None
    return configured_source()

"""What the Data page does besides drawing: refresh from WeChat with a progress bar, and import
uploaded JSON into the session's file source."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from wxdata.core.errors import PayloadError, WxDataError
from wxdata.core.payload import loads
from wxdata.core.report import LoadResult
from wxdata.dashboard import keys, loaders, state
from wxdata.i18n import Lang, t
from wxdata.sources import IMPORTED_APPID

#: One uploaded file at most this big (the server refuses more: .streamlit/config.toml).
MAX_UPLOAD_MB = 5


@dataclass(frozen=True)
class FileReport:
    name: str
    ok: bool
    detail: str


def refresh(view: state.View) -> None:
    """Ask the source again for every week of the view, drawing progress while it works."""
    lang = view.lang
    bar = st.progress(0.0, text=t("data.refresh.start", lang))
    done = {"done": 0, "total": max(1, len(view.weeks) * len(view.apps))}

    def on_progress(finished: int, total: int) -> None:  # called from worker threads
        done.update(done=finished, total=max(1, total))

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="wxretain-refresh") as pool:
        future = pool.submit(view.source.load, list(view.app_ids), list(view.weeks),
                             refresh=True, progress=on_progress)
        while not future.done():
            bar.progress(min(1.0, done["done"] / done["total"]),
                         text=t("data.refresh.progress", lang, **done))
            time.sleep(0.1)
    try:
        result = future.result()
    except WxDataError as exc:
        result = LoadResult(stopped_by=exc)
    bar.progress(1.0, text=t("data.refresh.done", lang))
    loaders.load_result.clear()  # every session's next run loads again, with a new stamp
    st.session_state[keys.REFRESH_RESULT] = result


def last_refresh() -> LoadResult | None:
    """The result of a refresh made on the previous run (shown once)."""
    result = st.session_state.pop(keys.REFRESH_RESULT, None)
    return result if isinstance(result, LoadResult) else None


def queue_new_uploads(files: Iterable[UploadedFile]) -> None:
    """Queue the uploader's files not queued before (the uploader keeps offering them)."""
    seen: set[str] = st.session_state.setdefault(keys.UPLOADS_SEEN, set())
    fresh = [f for f in files if f.file_id not in seen]
    queue_uploads((f.name, f.getvalue()) for f in fresh)
    seen.update(f.file_id for f in fresh)


def queue_uploads(files: Iterable[tuple[str, bytes]]) -> None:
    """Files to import on this run (from the uploader; tests put theirs here directly)."""
    queue: list[tuple[str, bytes]] = st.session_state.setdefault(keys.UPLOAD_QUEUE, [])
    queue.extend(files)


def _import_one(name: str, content: bytes, app_id: str, lang: Lang) -> FileReport:
    imports = loaders.session_imports()
    if len(content) > MAX_UPLOAD_MB * 1024 * 1024:
        return FileReport(name, False, t("data.upload.too_big", lang, mb=MAX_UPLOAD_MB))
    digest = hashlib.sha256(content).hexdigest()
    if digest in imports.files and imports.files[digest].app_id == app_id:
        return FileReport(name, True, t("data.upload.again", lang))
    try:
        payloads = loads(content)
    except PayloadError as exc:
        return FileReport(name, False, exc.message(lang))
    imports.files[digest] = loaders.ImportedFile(name, digest, app_id, tuple(payloads))
    weeks = sorted(p.week for p in payloads)
    return FileReport(name, True, t("data.upload.ok", lang, n=len(weeks), first=weeks[0].label,
                                    last=weeks[-1].label))


def import_queued(app_id: str, lang: Lang) -> list[FileReport]:
    """Import every queued file; a bad file is reported and changes nothing else."""
    queue: list[tuple[str, bytes]] = st.session_state.pop(keys.UPLOAD_QUEUE, [])
    reports = [_import_one(name, content, app_id.strip() or IMPORTED_APPID, lang)
               for name, content in queue]
    if reports:
        st.session_state[keys.UPLOAD_REPORTS] = reports
    if any(r.ok for r in reports):
        st.session_state[keys.SWITCH_TO_FILE] = app_id.strip() or IMPORTED_APPID
    return reports


def upload_reports() -> list[FileReport]:
    reports: list[FileReport] = st.session_state.get(keys.UPLOAD_REPORTS, [])
    return reports

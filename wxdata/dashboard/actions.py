"""What the Data page does besides drawing: refresh from WeChat with a progress bar, and import
uploaded JSON into the session's file source."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from wxdata.core.errors import WxDataError
from wxdata.core.flight import SingleFlight
from wxdata.core.payload import MAX_FILE_BYTES, Retention, loads
from wxdata.core.periods import Period
from wxdata.core.report import LoadResult, ProgressFn
from wxdata.dashboard import keys, load, state, uploads
from wxdata.dashboard.text import message
from wxdata.i18n import Lang, t
from wxdata.present.fmt import period_text
from wxdata.sources import IMPORTED_APPID
from wxdata.sources.base import Source

#: One uploaded file at most this big (the parser's own limit; the server refuses more:
#: .streamlit/config.toml).
MAX_UPLOAD_MB = MAX_FILE_BYTES // (1024 * 1024)


#: One refresh of a given view (source, apps, periods: their ISO names tell the kinds apart) in
#: flight in the whole process: a second click, or a colleague's, while it runs waits for it
#: and shares its result (ten clicks once made 40 calls in 15 s; the fetch layer's cooldown
#: covers the clicks that come after).
_REFRESHES: SingleFlight[tuple[str, tuple[str, ...], tuple[str, ...]], LoadResult] = \
    SingleFlight()


def refresh_once(source: Source, app_ids: Sequence[str], weeks: Sequence[Period],
                 progress: ProgressFn | None = None) -> LoadResult:
    """``source.load(..., refresh=True)``, unless the same refresh is running already: then its
    result. Never raises a WxDataError: it becomes the result's ``stopped_by``."""
    key = (source.name, tuple(app_ids), tuple(w.iso for w in weeks))

    def load() -> LoadResult:
        try:
            return source.load(list(app_ids), list(weeks), refresh=True, progress=progress)
        except WxDataError as exc:
            return LoadResult(stopped_by=exc)

    return _REFRESHES.run(key, load)


def refresh_running(source: Source, app_ids: Sequence[str], weeks: Sequence[Period]) -> bool:
    return _REFRESHES.running((source.name, tuple(app_ids), tuple(w.iso for w in weeks)))


@dataclass(frozen=True)
class FileReport:
    name: str
    ok: bool
    detail: str


def refresh(view: state.View) -> None:
    """Ask the source again for every week of the view, drawing progress while it works."""
    lang = view.lang
    if not view.grant.may_admin(view.app_ids):  # the page draws no button; a forged click
        return
    joined = refresh_running(view.source, view.app_ids, view.periods)
    bar = st.progress(0.0, text=t("data.refresh.joined" if joined else "data.refresh.start", lang))
    done = {"done": 0, "total": max(1, len(view.periods) * len(view.apps))}

    def on_progress(finished: int, total: int) -> None:  # called from worker threads
        done.update(done=finished, total=max(1, total))

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="wxretain-refresh") as pool:
        future = pool.submit(refresh_once, view.source, view.app_ids, view.periods, on_progress)
        while not future.done():
            if not joined:
                bar.progress(min(1.0, done["done"] / done["total"]),
                             text=period_text("data.refresh.progress", view.kind, lang, **done))
            time.sleep(0.1)
    result = future.result()
    bar.progress(1.0, text=t("data.refresh.done", lang))
    load.load_result.clear()  # every session's next run loads again, with a new stamp
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
    imports = uploads.session_imports()
    if len(content) > MAX_UPLOAD_MB * 1024 * 1024:
        return FileReport(name, False, t("data.upload.too_big", lang, mb=MAX_UPLOAD_MB))
    digest = hashlib.sha256(content).hexdigest()
    if digest in imports.files and imports.files[digest].app_id == app_id:
        return FileReport(name, True, t("data.upload.again", lang))
    try:
        payloads = loads(content)
    except WxDataError as exc:  # whatever a file holds, it is this file's verdict
        return FileReport(name, False, message(exc, lang))
    imports.files[digest] = uploads.ImportedFile(name, digest, app_id, tuple(payloads))
    return FileReport(name, True, _imported(payloads, lang))


def _imported(payloads: Sequence[Retention], lang: Lang) -> str:
    """What a file held, per period in its own words ("已导入 12 周…", "已导入 30 天…"; weeks
    first, as the dashboard opens on them), and the cohorts with more users back than they
    had (kept as WeChat gave them, but a PM should know)."""
    parts, notes = [], []
    for kind in ("week", "day", "month"):
        ours = [p for p in payloads if p.period.kind == kind]
        if not ours:
            continue
        periods = sorted({p.period for p in ours})
        parts.append(period_text("data.upload.ok", kind, lang, n=len(periods),
                                 first=periods[0].label, last=periods[-1].label))
        odd = [p.period.label for p in ours if p.above_base()]
        if odd:
            notes.append(period_text("data.upload.above_base", kind, lang,
                                     weeks=", ".join(odd[:5])))
    return " ".join([(";" if lang == "zh" else "; ").join(parts), *notes])


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

"""What the dashboard adds to Streamlit's web server: unknown addresses go to the app's own
"not found" page, and the process warms itself up when the server starts, answering its health
check (``/_stcore/health``) with 503 "warming up" until it has (:class:`WarmHealth`), so that a
load balancer, systemd or a test sends the first viewer only to a warm process. On Streamlit's
websocket no client may empty the process's caches, and each deferred download is made only for
the session that drew its button (:class:`GuardStream`).

``app.py`` hands both to ``st.App`` (Streamlit's ASGI entry point), which ``streamlit run app.py``
finds in the file and serves; the script runs themselves are the router, as before.

Why a redirect: Streamlit answers every unknown address with its ``index.html``, whose scripts
are linked relative to the address (``./static/js/…``). For ``/heatmap/extra/path`` the browser
asks for ``/heatmap/extra/static/js/…``, gets the HTML again, and shows a blank page before any
script of ours could run (Streamlit has no nested page paths, streamlit#8971). An unknown page
one level deep (``/nosuch``) would draw the first page under Streamlit's English "Page not
found" dialog. Both are sent to the hidden page :data:`~wxdata.dashboard.keys.NOT_FOUND_PAGE`
with the address asked for in :data:`~wxdata.dashboard.keys.MISSING` and the rest of the link
(its language, apps, span) kept.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from streamlit.proto.BackMsg_pb2 import BackMsg

from wxdata.core.secrets import logger
from wxdata.dashboard import keys, warmup

LOG = logger("wxretain.server")

#: Path segments of what Streamlit serves itself (its API, assets, media, components, app
#: static). Its browser side probes them below a page too (``/heatmap/_stcore/health``), to find
#: the base path, and needs Streamlit's own 404 there.
STREAMLIT_SEGMENTS = frozenset({"_stcore", "static", "media", "component", "app", "~"})
#: Streamlit's sign-in routes (``st.login``: ``/auth/login``, ``/auth/logout``, and the provider's
#: way back, ``/oauth2callback``): sent to "not found", nobody could ever sign in.
STREAMLIT_ROUTES = frozenset({("auth", "login"), ("auth", "logout"), ("oauth2callback",)})


def not_found_target(path: str, query: str, pages: Sequence[str], *, base: str = "") -> str | None:
    """Where to send a browser that asked for ``path`` (None: let Streamlit answer it).

    >>> not_found_target("/heatmap/extra/path", "lang=en", ["heatmap"])
    '/not_found?lang=en&path=%2Fheatmap%2Fextra%2Fpath'
    >>> not_found_target("/heatmap", "", ["heatmap"]), not_found_target("/favicon.png", "", [])
    (None, None)
    """
    prefix = [s for s in base.split("/") if s]
    segments = [s for s in path.split("/") if s]
    if segments[:len(prefix)] != prefix:
        return None
    segments = segments[len(prefix):]
    if not segments or STREAMLIT_SEGMENTS.intersection(segments) or "." in segments[-1] \
            or tuple(segments) in STREAMLIT_ROUTES:
        return None  # the app itself, Streamlit's own routes (also probed below a page), files
    if len(segments) == 1 and segments[0] in (*pages, keys.NOT_FOUND_PAGE):
        return None
    params = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != keys.MISSING]
    params.append((keys.MISSING, "/" + "/".join(segments)))
    return "/" + "/".join([*prefix, keys.NOT_FOUND_PAGE]) + "?" + urlencode(params)


class UnknownPaths:
    """ASGI middleware: a page request for an unknown address is redirected to "not found"."""

    def __init__(self, app: ASGIApp, pages: Sequence[str], base: str = "") -> None:
        self.app, self.pages, self.base = app, tuple(pages), base

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            query = scope.get("query_string", b"").decode("latin-1")
            target = not_found_target(scope["path"], query, self.pages, base=self.base)
            if target is not None:
                await RedirectResponse(target, status_code=302)(scope, receive, send)
                return
        await self.app(scope, receive, send)


class WarmHealth:
    """ASGI middleware: the health check says 503 while the warm-up runs (at most
    :data:`~wxdata.dashboard.warmup.READY_AFTER_S`), then whatever Streamlit says."""

    def __init__(self, app: ASGIApp, base: str = "") -> None:
        prefix = "/".join(s for s in base.split("/") if s)
        self.app, self.path = app, f"/{prefix}/_stcore/health" if prefix else "/_stcore/health"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == self.path and not warmup.ready():
            await PlainTextResponse("warming up", status_code=503,
                                    headers={"Retry-After": "1"})(scope, receive, send)
            return
        await self.app(scope, receive, send)


@asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    """Server start: warm the process in the background (the first viewer need not wait)."""
    warmup.start()
    yield


#: The Streamlit session whose deferred download is being made: set by :class:`GuardStream` from
#: the websocket message that asks for it, read by the download's callable
#: (``auth.audited_download``), which runs in a copy of that message's context.
ASKING_SESSION: ContextVar[str | None] = ContextVar("wxretain_asking_session", default=None)


def asking_session() -> str | None:
    """The session that asked for the deferred download being made now (None: none did)."""
    return ASKING_SESSION.get()


def back_message(frame: bytes | None) -> BackMsg | None:
    """A websocket frame as Streamlit's ``BackMsg``; None for anything else (Streamlit itself
    closes the connection on a frame it cannot parse)."""
    if not frame:
        return None
    msg = BackMsg()
    try:
        msg.ParseFromString(frame)
    except Exception:  # protobuf's DecodeError (untyped): the frame is Streamlit's to refuse
        return None
    return msg


class GuardStream:
    """ASGI middleware on Streamlit's websocket (``/_stcore/stream``), for every client whether
    signed in or not, since Streamlit reads the websocket before any script has run:

    - a ``clear_cache`` message is dropped. Streamlit would empty every ``st.cache_data`` and
      ``st.cache_resource`` of the process for it, and releasing the live source closes its
      store and HTTP sessions under everyone's loads. Nothing in the app needs it (a refresh
      clears only the loads, ``load.load_result.clear()``).
    - a deferred download request sets :data:`ASKING_SESSION` to the session that sent it (the
      one the message names: Streamlit refuses the request when that is not the connection's
      own session), so the download's callable can refuse a button another session drew.
      Streamlit looks the button up by its random id alone, whoever asks.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket":
            await self.app(scope, receive, send)
            return
        client = scope.get("client") or ("?", 0)
        refused = 0

        async def guarded() -> Message:
            nonlocal refused
            while True:
                message = await receive()
                msg = back_message(message.get("bytes")) \
                    if message["type"] == "websocket.receive" else None
                kind = msg.WhichOneof("type") if msg is not None else None
                if kind == "clear_cache":
                    refused += 1
                    if refused == 1:  # once per connection: a loop of them must not flood the log
                        LOG.warning("refused a clear_cache message on the websocket from %s",
                                    client[0])
                    continue
                if msg is not None and kind == "backend_operation_request":
                    # Runs in the websocket's task, before Streamlit hands the request on: the
                    # task it starts for the download copies this value.
                    ASKING_SESSION.set(msg.backend_operation_request.session_id or None)
                return message

        await self.app(scope, guarded, send)

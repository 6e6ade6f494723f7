"""A Streamlit client without a browser: what anyone can send to ``/_stcore/stream``.

It speaks the browser's protocol (protobuf ``BackMsg`` frames out, ``ForwardMsg`` frames in, over
a websocket with subprotocol ``streamlit`` and the XSRF token as the second entry) and signs in
through the real OpenID Connect redirects with plain HTTP, so the tests can do what a hostile
script could: send messages no button of the app sends, for ids the app never showed them.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import re
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Common_pb2 import UploadedFileInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetStates
from websockets.sync.client import ClientConnection, connect

XSRF_COOKIE = "_streamlit_xsrf"


def sign_in(server: str, email: str, button: str) -> requests.Session:
    """An HTTP session signed in as ``email``, through the real flow without a browser: a
    websocket session presses the sign-in ``button`` (``st.login`` answers with the provider's
    address), then plain HTTP follows the redirects, fills the provider's form
    (``oidc-provider-mock`` takes any subject) and comes back through Streamlit's callback, which
    sets the identity cookie."""
    http = requests.Session()
    with StreamClient(server, http) as tab:
        pressed = press(tab.run(), button)
        tab.rerun(widgets=pressed)
        redirect = tab.until("auth_redirect")[-1].auth_redirect.url
    form = http.get(redirect if "://" in redirect else server + redirect, timeout=30)
    form.raise_for_status()
    code = http.post(form.url, data={"sub": email}, timeout=30, allow_redirects=False)
    if not code.is_redirect:
        raise RuntimeError(f"the provider did not send the browser back: HTTP {code.status_code}")
    http.get(code.headers["Location"], timeout=30).raise_for_status()  # the callback, the app
    if not any(c.name.startswith("_streamlit_user") for c in http.cookies):
        raise RuntimeError(f"no identity cookie after signing in as {email}")
    return http


def press(run: Run, label: str) -> WidgetStates:
    """The widget states of a click on the button labelled ``label`` in ``run``."""
    found = [b for b in run.of("button") if getattr(b, "label", None) == label]
    if not found:
        raise LookupError(f"no button {label!r} in the run")
    states = WidgetStates()
    state = states.widgets.add()
    state.id, state.trigger_value = found[0].id, True  # type: ignore[attr-defined]
    return states


def _cookie_header(jar: http.cookiejar.CookieJar, host: str) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in jar if c.domain.lstrip(".") in (host, ""))


@dataclass
class Run:
    """The ForwardMsgs of one script run, up to its ``script_finished``."""

    messages: list[ForwardMsg] = field(default_factory=list)

    @property
    def elements(self) -> Iterator[tuple[str, object]]:
        """(type, element) of every element the run drew."""
        for msg in self.messages:
            if msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                kind = element.WhichOneof("type")
                if kind:
                    yield kind, getattr(element, kind)

    def text(self) -> str:
        """Everything the run drew as text (markdown, titles, alerts, captions, labels)."""
        return "\n".join(str(element) for _, element in self.elements)

    def of(self, kind: str) -> list[object]:
        return [element for k, element in self.elements if k == kind]

    @property
    def exceptions(self) -> list[object]:
        return self.of("exception")


class StreamClient:
    """One websocket session; ``http`` is the (maybe signed-in) HTTP session whose cookies it
    presents, as the browser does."""

    def __init__(self, server: str, http: requests.Session | None = None) -> None:
        self.server, self.http = server, http or requests.Session()
        self.http.get(f"{server}/_stcore/health", timeout=30)  # Streamlit sets the XSRF cookie
        host = urlsplit(server).hostname or ""
        xsrf = self.http.cookies.get(XSRF_COOKIE, domain=host) or self.http.cookies.get(XSRF_COOKIE)
        ws = re.sub(r"^http", "ws", server) + "/_stcore/stream"
        self._open = contextlib.ExitStack()
        self.ws: ClientConnection = self._open.enter_context(connect(
            ws, subprotocols=["streamlit", xsrf] if xsrf else ["streamlit"],  # type: ignore[list-item]
            additional_headers={"Origin": server,
                                "Cookie": _cookie_header(self.http.cookies, host)},
            max_size=None, open_timeout=30))
        self.session_id = ""

    def close(self) -> None:
        self._open.close()

    def __enter__(self) -> StreamClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def send(self, msg: BackMsg) -> None:
        self.ws.send(msg.SerializeToString())

    def rerun(self, query: str = "", page: str = "", widgets: WidgetStates | None = None) -> None:
        """What the browser sends to run the script: the address's query and page."""
        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = page
        if widgets is not None:
            msg.rerun_script.widget_states.CopyFrom(widgets)
        self.send(msg)

    def clear_cache(self) -> None:
        """The message of Streamlit's "Clear cache" menu item, which no button of the app sends."""
        msg = BackMsg()
        msg.clear_cache = True
        self.send(msg)

    def receive(self, timeout: float) -> ForwardMsg:
        msg = ForwardMsg()
        msg.ParseFromString(self.ws.recv(timeout=timeout))
        if msg.WhichOneof("type") == "new_session" and msg.new_session.initialize.session_id:
            self.session_id = msg.new_session.initialize.session_id
        return msg

    def until(self, kind: str, timeout: float = 90) -> list[ForwardMsg]:
        """ForwardMsgs up to and including the first of type ``kind``."""
        deadline, seen = time.monotonic() + timeout, []
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no {kind} within {timeout:.0f} s")
            seen.append(self.receive(left))
            if seen[-1].WhichOneof("type") == kind:
                return seen

    def run(self, query: str = "", page: str = "", widgets: WidgetStates | None = None,
            timeout: float = 120) -> Run:
        """One script run to its end, and the runs it asked for (``st.rerun``) to theirs."""
        self.rerun(query, page, widgets)
        seen: list[ForwardMsg] = []
        while True:
            seen += self.until("script_finished", timeout)
            if seen[-1].script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return Run(seen)

    def deferred_file(self, file_id: str, *, as_session: str | None = None,
                      timeout: float = 60) -> ForwardMsg:
        """Ask for the deferred download ``file_id``, as the browser does on a click (the request
        names the session: ``as_session``, or this connection's own)."""
        msg = BackMsg()
        request = msg.backend_operation_request
        request.request_id = uuid.uuid4().hex
        request.session_id = as_session or self.session_id
        request.deferred_file.file_id = file_id
        self.send(msg)
        deadline = time.monotonic() + timeout
        while True:
            answer = self.receive(max(0.1, deadline - time.monotonic()))
            if answer.WhichOneof("type") == "backend_operation_response" and \
                    answer.backend_operation_response.request_id == request.request_id:
                return answer

    def upload(self, name: str, content: bytes, timeout: float = 60) -> UploadedFileInfo:
        """Put a file into this session, as the browser's uploader does (ask for an upload
        address, then ``PUT`` the file there with the XSRF header); its info, for a widget."""
        msg = BackMsg()
        msg.file_urls_request.request_id = uuid.uuid4().hex
        msg.file_urls_request.file_names.append(name)
        msg.file_urls_request.session_id = self.session_id
        self.send(msg)
        urls = self.until("file_urls_response", timeout)[-1].file_urls_response.file_urls[0]
        xsrf = self.http.cookies.get(XSRF_COOKIE) or ""
        where = urls.upload_url if "://" in urls.upload_url else self.server + urls.upload_url
        put = self.http.put(where, files={"file": (name, content)},
                            headers={"X-Xsrftoken": xsrf, "Origin": self.server}, timeout=timeout)
        put.raise_for_status()
        info = UploadedFileInfo(name=name, size=len(content), file_id=urls.file_id)
        info.file_urls.CopyFrom(urls)
        return info


def chose_files(run: Run, files: list[UploadedFileInfo]) -> WidgetStates:
    """The widget states of picking ``files`` in the first file uploader of ``run``."""
    uploader = run.of("file_uploader")[0]
    states = WidgetStates()
    state = states.widgets.add()
    state.id = uploader.id  # type: ignore[attr-defined]
    state.file_uploader_state_value.uploaded_file_info.extend(files)
    return states

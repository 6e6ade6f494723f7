"""A Streamlit client without a browser: Streamlit's own websocket protocol, as its frontend
speaks it, for the load benchmark (``bench_load.py``) and its test.

A :class:`Session` connects to ``/_stcore/stream`` (subprotocol ``streamlit``), sends
``BackMsg(rerun_script=ClientState(...))`` and reads ``ForwardMsg`` until the run chain ends
(``script_finished`` other than "finished early for a rerun"). It does what the frontend does
for the server to see the same requests:

- the first run names the page by its URL path (``page_name``) and carries the link's query
  string; later runs name the page by the ``page_script_hash`` of the ``navigation`` message
  and send no query string (the frontend drops a page's parameters on a page change), so the
  sidebar's choices live on in the session, as in a browser;
- every run sends back the state of each widget the last run drew (the frontend's
  ``getActiveWidgetStates``): without it Streamlit forgets a keyed widget's value two runs after
  it was set, and the dashboard would fall back to its defaults;
- it keeps the messages marked ``cacheable`` for two runs and lists their hashes
  (``cached_message_hashes``), so the server sends a reference for a chart the tab already
  has, and resolves those references.

What it does not do: draw anything, fetch ``/media`` files, or send heartbeats. Each run's
result says what the page drew (elements by type, Plotly charts, exception elements, error
alerts), so a benchmark can refuse to time an error page.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field

import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState, ContextInfo
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates

#: How many runs the frontend keeps a cacheable message it was not sent again (its
#: ``maxCachedMessageAge`` default).
CACHE_AGE = 2
#: Texts of the router's last-resort message ("this page failed"), in both languages.
FAILED = ("这个页面出错了", "This page failed")
EARLY = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN
FRAGMENT = ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY


@dataclass
class Run:
    """What one rerun (a page view) drew and how long the server took to finish it."""

    page: str
    seconds: float = 0.0
    status: int = -1
    elements: Counter[str] = field(default_factory=Counter)
    exceptions: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    messages: int = 0
    received_bytes: int = 0

    @property
    def charts(self) -> int:
        return self.elements["plotly_chart"]

    def problem(self) -> str:
        """Why this run is not a rendered page ("" when it is one)."""
        if self.status != ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY:
            return f"{self.page}: script_finished status {self.status}"
        if self.exceptions:
            return f"{self.page}: exception {self.exceptions[0][:120]}"
        if self.failures:
            return f"{self.page}: {self.failures[0][:120]}"
        if not self.charts:
            return f"{self.page}: no Plotly chart"
        return ""


def _widget_value(element: Element) -> WidgetState | None:
    """The state the frontend would send for a widget it was just sent (None: not a value
    widget, or one of a kind the dashboard does not use). ``set_value`` means the server set the
    value (session state, a link); otherwise the widget starts from its default."""
    kind = element.WhichOneof("type")
    state = WidgetState()
    if kind == "button_group":
        proto = element.button_group
        state.id = proto.id
        state.string_array_value.data[:] = list(proto.raw_values) if proto.set_value else [
            proto.options[i].content for i in proto.default]
    elif kind == "multiselect":
        ms = element.multiselect
        state.id = ms.id
        state.string_array_value.data[:] = list(ms.raw_values) if ms.set_value else [
            ms.options[i] for i in ms.default]
    elif kind == "selectbox":
        sb = element.selectbox
        state.id = sb.id
        if sb.set_value:
            state.string_value = sb.raw_value
        elif 0 <= sb.default < len(sb.options):
            state.string_value = sb.options[sb.default]
        else:
            return None
    elif kind == "checkbox":
        cb = element.checkbox
        state.id = cb.id
        state.bool_value = cb.value if cb.set_value else cb.default
    elif kind == "date_input":
        di = element.date_input
        state.id = di.id
        state.string_array_value.data[:] = list(di.value if di.set_value else di.default)
    else:
        return None
    return state


class Session:
    """One browser tab's worth of protocol: a websocket and the state a frontend keeps."""

    def __init__(self, base: str, *, locale: str = "zh-CN", timeout: float = 180.0) -> None:
        self.base = base.rstrip("/")
        self.locale = locale
        self.timeout = timeout
        self.pages: dict[str, str] = {}  # url path -> page_script_hash, from `navigation`
        self.query = ""  # the tab's query string: as sent, then as the app rewrote it
        self._ws: websockets.ClientConnection | None = None
        self._widgets: dict[str, WidgetState] = {}
        self._drawn: list[str] = []  # widget ids the last run drew, in order
        self._cache: dict[str, tuple[ForwardMsg, int]] = {}  # hash -> (message, last run seen)
        self._runs = 0

    async def connect(self) -> None:
        url = self.base.replace("http://", "ws://", 1) + "/_stcore/stream"
        self._ws = await websockets.connect(url, subprotocols=[websockets.Subprotocol(
            "streamlit")], max_size=None, open_timeout=self.timeout, ping_interval=None)

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
            self._ws = None

    async def open(self, page: str, query: str = "") -> Run:
        """The first run of a tab opened on ``/page?query``."""
        return await self._rerun(page, ClientState(query_string=query, page_name=page))

    async def goto(self, page: str) -> Run:
        """A click on ``page`` in the navigation."""
        return await self._rerun(page, ClientState(query_string="",
                                                   page_script_hash=self.pages[page]))

    async def _rerun(self, page: str, state: ClientState) -> Run:
        if self._ws is None:
            await self.connect()
        assert self._ws is not None
        state.widget_states.CopyFrom(WidgetStates(
            widgets=[self._widgets[i] for i in self._drawn if i in self._widgets]))
        state.cached_message_hashes[:] = list(self._cache)
        state.context_info.CopyFrom(ContextInfo(
            timezone="Asia/Shanghai", timezone_offset=-480, locale=self.locale,
            url=f"{self.base}/{page}{'?' + state.query_string if state.query_string else ''}",
            is_embedded=False, color_scheme="light"))
        self.query = state.query_string  # the address bar, until the app writes to it
        run = Run(page)
        started = time.perf_counter()
        await self._ws.send(BackMsg(rerun_script=state).SerializeToString())
        async with asyncio.timeout(self.timeout):
            while not await self._receive(run):
                pass
        run.seconds = time.perf_counter() - started
        self._runs += 1
        self._cache = {h: (m, seen) for h, (m, seen) in self._cache.items()
                       if self._runs - seen <= CACHE_AGE}
        return run

    async def _receive(self, run: Run) -> bool:
        """Read one message into ``run``; True when the run chain has ended."""
        assert self._ws is not None
        data = await self._ws.recv()
        assert isinstance(data, bytes)
        run.messages += 1
        run.received_bytes += len(data)
        msg = ForwardMsg()
        msg.ParseFromString(data)
        kind = msg.WhichOneof("type")
        if kind == "ref_hash":
            cached = self._cache.get(msg.ref_hash)
            if cached is None:
                run.failures.append(f"reference to a message never received ({msg.ref_hash})")
                return False
            msg, kind = cached[0], "delta"
        if msg.metadata.cacheable and msg.hash:
            self._cache[msg.hash] = (msg, self._runs)
        if kind == "new_session":  # a run starts: what an earlier run of the chain drew is gone
            run.elements.clear()
            run.exceptions.clear()
            run.failures.clear()
            self._drawn = []
        elif kind == "navigation":
            self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "page_not_found":
            run.failures.append(f"page not found: {msg.page_not_found.page_name}")
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            self._element(msg.delta.new_element, run)
        elif kind == "script_finished":
            run.status = msg.script_finished
            return run.status not in (EARLY, FRAGMENT)
        return False

    def _element(self, element: Element, run: Run) -> None:
        kind = element.WhichOneof("type")
        if kind is None:
            return
        run.elements[kind] += 1
        if kind == "exception":
            run.exceptions.append(f"{element.exception.type}: {element.exception.message}")
        elif kind == "alert" and element.alert.format == Alert.Format.ERROR \
                and any(text in element.alert.body for text in FAILED):
            run.failures.append(element.alert.body)
        state = _widget_value(element)
        if state is not None:
            if element.WhichOneof("type") and (state.id not in self._widgets or _set(element)):
                self._widgets[state.id] = state
            self._drawn.append(state.id)


def _set(element: Element) -> bool:
    """Whether the server set this widget's value (the frontend then takes it)."""
    kind = element.WhichOneof("type")
    return bool(kind and getattr(getattr(element, kind), "set_value", False))

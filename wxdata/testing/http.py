"""HTTP plumbing of the fakes (:mod:`wxdata.testing.fake`, :mod:`wxdata.testing.webhooks`): a
threading server that can be stopped cleanly, and :class:`Serving`, the start and stop they share.

The handler only reads a request and writes the :class:`Reply` its server's ``answerer`` returns;
every WeChat rule lives in :class:`wxdata.testing.fake.FakeWeChat`, every robot's in
:class:`wxdata.testing.webhooks.FakeWebhooks`.
"""

from __future__ import annotations

import json
import socket
import threading
from contextlib import suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol, Self
from urllib.parse import parse_qs, urlsplit


class Reply:
    """What the handler writes: a status and a body, or nothing at all (``reset``)."""

    def __init__(self, status: int = 200, body: Any = None, *, raw: bytes | None = None,
                 content_type: str = "application/json; charset=utf-8") -> None:
        self.status, self.content_type = status, content_type
        self.data = raw if raw is not None else json.dumps(body, ensure_ascii=False).encode()
        self.reset = False
        #: seconds between the body's bytes (a server that drips its answer out)
        self.drip = 0.0


def reset_reply() -> Reply:
    reply = Reply(raw=b"", content_type="")
    reply.reset = True
    return reply


class Answerer(Protocol):
    def answer(self, method: str, path: str, query: dict[str, str], body: bytes) -> Reply: ...

    def pause(self, seconds: float) -> bool:
        """Wait ``seconds``; True when the server is stopping meanwhile."""
        ...


class Server(ThreadingHTTPServer):
    # Handler threads are joined by server_close(), so stop() leaves no thread behind.
    daemon_threads = False
    # socketserver's default backlog of 5 drops the SYNs of a burst of concurrent clients, which
    # then wait a second to retry: a fetch with 8 threads would look slow for no reason.
    request_queue_size = 128
    answerer: Answerer

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(address, handler)
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()

    def track(self, connection: socket.socket, *, is_open: bool) -> None:
        with self._open_lock:
            (self._open.add if is_open else self._open.discard)(connection)

    def close_connections(self) -> None:
        with self._open_lock:
            for connection in self._open:
                with suppress(OSError):  # already closed by the client
                    connection.shutdown(socket.SHUT_RDWR)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as requests' pooled sessions expect
    timeout = 30  # an idle connection is dropped rather than holding a thread forever
    # Headers and body leave in one segment: separate small writes meet delayed ACKs (~40 ms).
    wbufsize = -1
    disable_nagle_algorithm = True
    server: Server

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection, is_open=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.track(self.connection, is_open=False)

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: the request line holds the access token."""

    def _drip(self, reply: Reply) -> None:
        self.wfile.flush()
        for index in range(len(reply.data)):
            self.wfile.write(reply.data[index:index + 1])
            self.wfile.flush()
            if self.server.answerer.pause(reply.drip):
                break

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        reply = self.server.answerer.answer(method, parts.path, query, body)
        if reply.reset:
            self.close_connection = True
            return
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.data)))
            self.end_headers()
            if reply.drip:
                self._drip(reply)
            else:
                self.wfile.write(reply.data)
        except OSError:
            self.close_connection = True  # the client gave up (a timeout test): nothing to do


class Serving:
    """Start and stop of a fake on loopback: ``serve_forever`` in a thread of its own, and a stop
    that wakes slow answers (``_stopping``), closes idle keep-alive connections and joins every
    handler thread, so that nothing is left running. A subclass answers requests
    (:class:`Answerer`) and sets ``host``, ``port`` and ``thread_name``."""

    host = "127.0.0.1"
    port = 0
    thread_name = "fake-server"
    _stopping: threading.Event
    _server: Server | None = None
    _thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError(f"{self.thread_name} is not started")
        return f"http://{self.host}:{self._server.server_address[1]}"

    def start(self) -> Self:
        if self._server is not None:
            return self
        self._stopping.clear()
        self._server = Server((self.host, self.port), Handler)
        self._server.answerer = self  # type: ignore[assignment]
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, name=self.thread_name,
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and wait for every handler thread: nothing is left running."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        self._stopping.set()  # wakes slow answers
        server.shutdown()
        server.close_connections()  # idle keep-alive handlers would otherwise wait forever
        server.server_close()  # joins the handler threads
        thread.join()
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

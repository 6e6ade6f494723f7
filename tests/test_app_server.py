"""The server around the pages: unknown addresses and the not-found page, the start-up warm-up and
the health check, the websocket guard and downloads per session."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from tests.fixtures_app import (
    FRESH,
    PAGES,
    AppFactory,
    shown,
)
from wxdata.dashboard import server, source, warmup
from wxdata.i18n import t


@pytest.mark.parametrize(("path", "target"), [
    ("/heatmap/extra/path", "/not_found?lang=en&path=%2Fheatmap%2Fextra%2Fpath"),
    ("/nosuch", "/not_found?lang=en&path=%2Fnosuch"),
    ("/heatmap", None), ("/", None), ("/not_found", None),
    ("/heatmap/_stcore/health", None),  # Streamlit's browser side probes for its base path
    ("/static/js/index.js", None), ("/favicon.png", None), ("/media/abc.png", None),
    # st.login's own routes: the sign-in flow passes through them
    ("/auth/login", None), ("/auth/logout", None), ("/oauth2callback", None),
    ("/auth/other", "/not_found?lang=en&path=%2Fauth%2Fother"),
])
def test_unknown_addresses_are_sent_to_the_not_found_page(path: str, target: str | None) -> None:
    assert server.not_found_target(path, "lang=en", PAGES) == target



def test_unknown_addresses_keep_a_base_path_and_the_link() -> None:
    assert server.not_found_target("/wx/heatmap/x", "weeks=26&path=evil", PAGES, base="/wx/") \
        == "/wx/not_found?weeks=26&path=%2Fheatmap%2Fx"
    assert server.not_found_target("/other/heatmap/x", "", PAGES, base="wx") is None



@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_not_found_page_names_the_address_and_links_back_keeping_the_view(
        app: AppFactory, lang: str) -> None:
    at = app("not_found", lang=lang, weeks="26", path="/heatmap/extra/[x](y)")
    assert at.title[0].value == t("page.not_found.title", lang)
    assert "/heatmap/extra/[x](y)" in shown(at.warning[0].value)
    links = at.get("page_link")
    assert [link.proto.page for link in links] == ["", *PAGES[1:]]  # the first page is "/"
    assert [link.proto.label for link in links] == [t(f"page.{p}.title", lang) for p in PAGES]
    expected = "weeks=26" if lang == "zh" else "weeks=26&lang=en"
    assert {link.proto.query_string for link in links} == {expected}
    assert at.query_params["path"] == "/heatmap/extra/[x](y)"  # the link still says what it was



def test_the_start_up_warm_up_leaves_the_first_view_nothing_to_load(
        app: AppFactory, demo_loads: list[int]) -> None:
    """Issue 11, item 11: what the warm-up computes at server start is what the first viewer's
    default view reads (same caches, same key), so the first page draws without a load."""
    loads = demo_loads
    warmup.run()
    assert len(loads) == 3  # the default views of weeks, days and months
    for page in PAGES:
        for period in ("week", "day", "month"):
            app(page, period=period)
    assert len(loads) == 3



def test_the_warm_up_runs_once_per_process_and_never_raises(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    def broken() -> Any:
        raise OSError("disk gone")

    monkeypatch.setattr(source, "configured_source", broken)
    warmup.run()  # logs, never raises: a lost head start must not stop the server
    assert "warm-up failed" in caplog.text
    monkeypatch.setattr(warmup, "_started", None)
    ran: list[int] = []
    monkeypatch.setattr(warmup, "run", lambda: ran.append(1))
    thread = warmup.start()
    assert thread is not None and warmup.start() is None
    thread.join(timeout=10)
    assert ran == [1]



def test_the_health_check_waits_for_the_warm_up_but_not_for_ever(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A load balancer (or systemd, or a test) sends the first viewer only to a warm process."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient

    async def ok(_request: object) -> PlainTextResponse:
        return PlainTextResponse("ok")

    asgi = Starlette(routes=[Route("/_stcore/health", ok), Route("/heatmap", ok)],
                     middleware=[Middleware(server.WarmHealth)])
    gate = threading.Event()
    monkeypatch.setattr(warmup, "_started", None)
    monkeypatch.setattr(warmup, "_done", threading.Event())
    monkeypatch.setattr(warmup, "_began_at", None)
    monkeypatch.setattr(warmup, "run", gate.wait)  # held until the test lets it go
    client = TestClient(asgi)
    assert client.get("/_stcore/health").status_code == 200  # no warm-up in this process
    thread = warmup.start()
    assert thread is not None
    try:
        _health_while_warming(client, monkeypatch)
    finally:
        gate.set()  # whatever failed, the warm-up thread ends
        thread.join()
    assert client.get("/_stcore/health").status_code == 200



def _health_while_warming(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    busy = client.get("/_stcore/health")
    assert busy.status_code == 503 and busy.text == "warming up"
    assert client.get("/heatmap").status_code == 200  # only the health check waits
    monkeypatch.setattr(warmup, "READY_AFTER_S", 0.0)
    assert client.get("/_stcore/health").status_code == 200  # a stuck warm-up: serve anyway
    monkeypatch.setattr(warmup, "READY_AFTER_S", 3600.0)
    assert client.get("/_stcore/health").status_code == 503



def test_the_websocket_guard_drops_clear_cache_and_names_who_asks_for_a_download() -> None:
    """Issue 18, item 9: what Streamlit's websocket passes on (the server test with real clients
    is tests/e2e/test_protocol.py). Text frames and frames that are no BackMsg go through: they
    are Streamlit's to refuse."""
    import asyncio

    from streamlit.proto.BackMsg_pb2 import BackMsg

    def frame(kind: str) -> dict[str, Any]:
        msg = BackMsg()
        if kind == "clear_cache":
            msg.clear_cache = True
        elif kind == "download":
            msg.backend_operation_request.session_id = "session-a"
            msg.backend_operation_request.deferred_file.file_id = "f1"
        else:
            msg.rerun_script.query_string = "weeks=12"
        return {"type": "websocket.receive", "bytes": msg.SerializeToString()}

    sent = [{"type": "websocket.connect"}, frame("clear_cache"), frame("clear_cache"),
            {"type": "websocket.receive", "text": "hello"},
            {"type": "websocket.receive", "bytes": b"\xff\xff"}, frame("rerun"),
            frame("download"), {"type": "websocket.disconnect", "code": 1000}]
    seen: list[tuple[str | None, str | None]] = []

    async def app(_scope: Any, receive: Any, _send: Any) -> None:
        while (message := await receive())["type"] != "websocket.disconnect":
            msg = server.back_message(message.get("bytes"))
            seen.append((msg.WhichOneof("type") if msg else message.get("text"),
                         server.asking_session()))

    async def receive() -> dict[str, Any]:
        return sent.pop(0)

    async def send(_message: Any) -> None:
        raise AssertionError("the guard answers nothing itself")

    scope = {"type": "websocket", "path": "/_stcore/stream", "client": ("10.0.0.9", 5)}
    asyncio.run(server.GuardStream(app)(scope, receive, send))
    assert seen == [(None, None), ("hello", None), (None, None), ("rerun_script", None),
                    ("backend_operation_request", "session-a")]
    assert server.asking_session() is None  # set in the websocket's own context only



def test_a_download_is_made_for_the_session_that_drew_it_only(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    from wxdata.access import Grant
    from wxdata.dashboard import auth

    class Ctx:
        session_id = "session-a"

    monkeypatch.setattr(auth, "get_script_run_ctx", lambda **_: Ctx())
    make = auth.audited_download(Grant("pm@corp.cn", None), "csv", [FRESH], "x.csv",
                                 lambda: b"a\n")
    monkeypatch.setattr(auth, "get_script_run_ctx", get_script_run_ctx)
    for asking in (None, "session-b"):
        token = server.ASKING_SESSION.set(asking)
        try:
            with pytest.raises(PermissionError):
                make()
        finally:
            server.ASKING_SESSION.reset(token)
    assert "download" not in [r.getMessage().split()[0] for r in caplog.records
                              if r.name == "wxdata.audit"]
    token = server.ASKING_SESSION.set("session-a")
    try:
        assert make() == b"a\n"
    finally:
        server.ASKING_SESSION.reset(token)

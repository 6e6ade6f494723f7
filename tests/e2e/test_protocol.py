"""What a client of Streamlit's websocket can do without a browser (issue 18, item 9).

``streamlit run app.py`` on a free loopback port with sign-in through ``oidc-provider-mock`` and
the live source against the fake WeChat (in this process, 0.5 s per call, so a load takes a few
seconds). The clients are :mod:`tests.e2e.protocol`'s: protobuf frames over a websocket, signed in
through the real redirects with plain HTTP, sending what no button of the app sends.

- An anonymous client's ``clear_cache`` message (Streamlit's "Clear cache") would empty every cache
  of the process and close the shared live source under a viewer's load: the server drops it.
- A deferred download is made only for the session that drew its button.
- A file uploaded into one session is not what another session imports.
"""

from __future__ import annotations

import csv
import io
import json
import os
import urllib.request
from collections.abc import Iterator

import pytest

from tests.e2e.isolated import auth_section, clean_env
from tests.e2e.protocol import Run, StreamClient, chose_files, sign_in
from tests.e2e.test_browser import ARTIFACTS, free_port, start_streamlit, stop, wait_healthy
from tests.e2e.test_sign_in import provider
from tests.waiting import wait_until
from wxdata.core.tidy import export_columns
from wxdata.dashboard.text import plain
from wxdata.i18n import t
from wxdata.testing.fake import FAKE_APPID, FAKE_SECRET, FakeWeChat

pytestmark = pytest.mark.e2e
__all__ = ["provider"]  # the module-scoped OIDC provider of the sign-in tests

VIEWER, ADMIN = "pm@corp.cn", "lead@corp.cn"
SIGN_IN = t("auth.sign_in.button", "zh")
LOG = ARTIFACTS / "streamlit-protocol.log"
#: The official example answer of WeChat's weekly page (docs/wechat-api.md), as a saved file.
ANSWER = {"ref_date": "20170306-20170312",
          "visit_uv_new": [{"key": 0, "value": 0}, {"key": 1, "value": 16853}],
          "visit_uv": [{"key": 0, "value": 0}, {"key": 1, "value": 99310}]}


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeWeChat]:
    with FakeWeChat(latency=0.5) as server:
        yield server


@pytest.fixture(scope="module")
def server(provider: str, fake: FakeWeChat, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("protocol")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    secrets = (auth_section(url, provider, cookie_secret=f"cookie-{os.urandom(24).hex()}",
                            client_secret=f"client-{os.urandom(16).hex()}")
               + "[access]\n"
               f'admins = ["{ADMIN}"]\n'
               f"[access.{FAKE_APPID}]\n"
               f'viewers = ["{VIEWER}"]\n')
    # calls are counted exactly: a long deadline, so that no answer becomes a retry
    env = clean_env(folder, secrets, WXDATA_APPID=FAKE_APPID, WXDATA_SECRET=FAKE_SECRET,
                    WXDATA_API_BASE=fake.url, WXDATA_TIMEOUT="60")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    proc = start_streamlit(port, env=env, log=LOG)
    try:
        wait_healthy(url, proc)
        yield url
    finally:
        stop(proc)


def log_text() -> str:
    return LOG.read_text(encoding="utf-8", errors="replace")


def test_an_anonymous_clear_cache_leaves_the_caches_and_the_live_source_alone(
        server: str, fake: FakeWeChat) -> None:
    viewer_http = sign_in(server, VIEWER, SIGN_IN)
    with StreamClient(server, viewer_http) as viewer, StreamClient(server) as anonymous:
        assert SIGN_IN in anonymous.run().text()  # not signed in: the sign-in page only
        calls = fake.calls["weekly"]
        viewer.rerun(query="weeks=12")
        wait_until(lambda: fake.calls["weekly"] > calls, "the viewer's load is under way")
        anonymous.clear_cache()
        anonymous.clear_cache()
        loaded = Run(viewer.until("script_finished", 120))
    assert not loaded.exceptions
    assert fake.calls["weekly"] - calls == 12  # every week of the span, each asked once
    tokens = fake.calls["stable_token"]
    # A longer span needs WeChat again: the same live source answers it with the token it
    # holds. Had the caches been emptied, releasing the source would have closed it (its store,
    # its HTTP sessions) and a new source would now fetch a token of its own.
    with StreamClient(server, viewer_http) as again:
        longer = again.run(query="weeks=26")
    assert not longer.exceptions
    assert fake.calls["weekly"] - calls == 26
    assert fake.calls["stable_token"] == tokens
    assert log_text().count("refused a clear_cache message") == 1  # once per connection


def _downloads(run: Run) -> list[object]:
    return [b for b in run.of("download_button")
            if b.deferred_file_id]  # type: ignore[attr-defined]


def test_a_download_is_made_only_for_the_session_that_drew_its_button(server: str) -> None:
    viewer_http = sign_in(server, VIEWER, SIGN_IN)
    with StreamClient(server, viewer_http) as viewer, StreamClient(server) as other:
        buttons = _downloads(viewer.run(query="weeks=4", page="data"))
        assert buttons, "the data page drew no deferred download"
        file_id = buttons[0].deferred_file_id  # type: ignore[attr-defined]
        other.run()
        refused = other.deferred_file(file_id).backend_operation_response
        # Naming the viewer's session from another connection: Streamlit itself refuses it.
        spoofed = other.deferred_file(file_id, as_session=viewer.session_id)
        assert refused.error_msg and not refused.deferred_file.url
        assert spoofed.backend_operation_response.error_msg
        assert f'download email="{VIEWER}"' not in log_text()
        assert "refused: asked for by another session" in log_text()
        made = viewer.deferred_file(file_id).backend_operation_response
    assert not made.error_msg and made.deferred_file.url
    assert f'download email="{VIEWER}" apps="{FAKE_APPID}"' in log_text()
    # What Streamlit does not guarantee (docs/auth.md): the file's address itself is served to
    # whoever has it, without a session or a cookie, until Streamlit drops the file.
    with urllib.request.urlopen(server + made.deferred_file.url, timeout=30) as answer:
        rows = list(csv.reader(io.StringIO(answer.read().decode("utf-8-sig"))))
    assert rows[0] == export_columns("week") and {r[0] for r in rows[1:]} == {FAKE_APPID}


def _imported(run: Run, name: str) -> list[str]:
    """The success notes of ``run`` that name the file ``name`` (the data page's import report)."""
    return [a.body for a in run.of("alert")  # type: ignore[attr-defined]
            if a.format == a.SUCCESS and plain(name) in a.body]  # type: ignore[attr-defined]


def test_a_file_uploaded_into_one_session_is_not_imported_by_another(server: str) -> None:
    admin_http = sign_in(server, ADMIN, SIGN_IN)
    name = "week-10.json"
    with StreamClient(server, admin_http) as owner, StreamClient(server, admin_http) as other:
        page = owner.run(query="weeks=4", page="data")
        uploaded = owner.upload(name, json.dumps(ANSWER).encode())
        other_page = other.run(query="weeks=4", page="data")
        # The other session (the same admin, another tab) names the owner's file in its own
        # uploader: Streamlit looks the file up in that session's uploads and finds nothing.
        taken = other.run(query="weeks=4", page="data",
                          widgets=chose_files(other_page, [uploaded]))
        # The session it was uploaded into does import it (so the first run could tell).
        imported = owner.run(query="weeks=4", page="data", widgets=chose_files(page, [uploaded]))
    assert not _imported(taken, name) and plain(name) not in taken.text()
    assert _imported(imported, name)

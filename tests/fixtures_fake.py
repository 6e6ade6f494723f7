"""Fixtures around the fake WeChat server (wxdata/fake.py).

- ``fake_wechat``: a started :class:`FakeWeChat` on 127.0.0.1 (free port), stopped at teardown.
- ``fake_app``: the :class:`AppConfig` the fake knows (``FAKE_APPID``/``FAKE_SECRET``).
- ``sleeps``: a list that records every backoff a client would have slept.
- ``make_client``: ``make_client(**overrides)`` -> a :class:`WeChatClient` pointed at the fake,
  with a short timeout and no real sleeping; every client is closed at teardown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from wxdata.config import AppConfig
from wxdata.testing.fake import FAKE_APPID, FAKE_SECRET, FakeWeChat
from wxdata.wechat.client import WeChatClient

#: A scripted "timeout" costs about a second per attempt; long enough that a loaded 2-core machine
#: does not turn an ordinary answer into a timeout and a retry (0.3 s did: extra calls counted).
TEST_TIMEOUT = 1.0


@pytest.fixture
def fake_wechat() -> Iterator[FakeWeChat]:
    with FakeWeChat(slow_seconds=TEST_TIMEOUT * 4) as fake:
        yield fake


@pytest.fixture
def fake_app() -> AppConfig:
    return AppConfig("fake", FAKE_APPID, FAKE_SECRET)


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def make_client(
    fake_wechat: FakeWeChat, fake_app: AppConfig, sleeps: list[float]
) -> Iterator[Callable[..., WeChatClient]]:
    clients: list[WeChatClient] = []

    def make(**overrides: Any) -> WeChatClient:
        app = overrides.pop("app", fake_app)
        options: dict[str, Any] = {"api_base": fake_wechat.url, "timeout": TEST_TIMEOUT,
                                   "sleep": sleeps.append, **overrides}
        client = WeChatClient(app, **options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()

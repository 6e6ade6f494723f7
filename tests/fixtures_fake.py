"""Fixtures around the fake WeChat server (wxdata/testing/fake.py).

- ``fake_wechat``: a started :class:`FakeWeChat` on 127.0.0.1 (free port), stopped at teardown.
- ``fake_app``: the :class:`AppConfig` the fake knows (``FAKE_APPID``/``FAKE_SECRET``).
- ``sleeps``: a list that records every backoff a client would have slept.
- ``make_client``: ``make_client(**overrides)`` -> a :class:`WeChatClient` pointed at the fake,
  with a long deadline (:data:`TEST_TIMEOUT`) and no real sleeping; every client is closed at
  teardown. A test that scripts a slow answer passes ``timeout=deadline_for(fault)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from wxdata.config import AppConfig
from wxdata.testing.fake import FAKE_APPID, FAKE_SECRET, FakeWeChat
from wxdata.wechat.client import WeChatClient

#: The deadline of every client a test makes: far longer than any ordinary answer on a loaded
#: machine, so that no answer becomes a timeout and a retry, one call more than a test counts
#: (0.3 s did that, and 1 s could under a CPU hog).
TEST_TIMEOUT = 30.0
#: The deadline of a test that scripts a slow answer, which must run out: each scripted attempt
#: costs this long, and the test's ordinary answers (a token, the data after the fault) still have
#: seconds for what takes milliseconds.
SHORT_TIMEOUT = 2.0
#: The faults that answer slowly: a "timeout" answers after ``slow_seconds`` (an hour here: only
#: the server's stop, at teardown, ends it), a "drip" writes one byte every 50 ms.
SLOW_FAULTS = ("timeout", "drip")
SLOW_ANSWER_S = 3600.0


def deadline_for(*faults: object) -> float:
    """The client deadline of a test that scripts ``faults``: short only if one is slow."""
    return SHORT_TIMEOUT if any(f in SLOW_FAULTS for f in faults) else TEST_TIMEOUT


@pytest.fixture
def fake_wechat() -> Iterator[FakeWeChat]:
    with FakeWeChat(slow_seconds=SLOW_ANSWER_S) as fake:
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

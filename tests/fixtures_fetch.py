"""Fixtures of the store and fetch tests (test_cache.py, test_fetch.py, test_fetch_periods.py).

- ``cache``: an open store on ``store_url`` (each backend in turn), closed at teardown.
- ``client``: a client of the fake WeChat that retries (three attempts), as the fetch uses it.
- ``statuses(result)``: each period's report status, in the span's order.
- ``fake_live``: a live source of one app on the fake WeChat (test_checks, test_data_page_checks).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from wxdata.config import AppConfig, Settings
from wxdata.core.report import LoadResult
from wxdata.sources.live import LiveSource
from wxdata.store import Store, open_store
from wxdata.testing.fake import FAKE_APPID, FAKE_SECRET, FakeWeChat
from wxdata.wechat.client import WeChatClient


@pytest.fixture
def cache(store_url: str) -> Iterator[Store]:
    with open_store(store_url) as store:
        yield store


@pytest.fixture
def client(make_client: Callable[..., WeChatClient]) -> WeChatClient:
    return make_client(max_attempts=3)


def statuses(result: LoadResult) -> list[str]:
    return [r.status for r in result.reports]


@pytest.fixture
def fake_live(fake_wechat: FakeWeChat, tmp_path: Path) -> Iterator[LiveSource]:
    """A live source of one app on the fake WeChat server, its store in the test's folder."""
    settings = Settings(apps=(AppConfig("假小程序", FAKE_APPID, FAKE_SECRET),),
                        api_base=fake_wechat.url, source="live", timeout=30,
                        cache_url=f"sqlite:///{tmp_path / 'cache.sqlite3'}")
    live = LiveSource(settings)
    yield live
    live.close()

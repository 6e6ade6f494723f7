"""Fixtures of the store and fetch tests (test_cache.py, test_fetch.py, test_fetch_periods.py).

- ``cache``: an open store on ``store_url`` (each backend in turn), closed at teardown.
- ``client``: a client of the fake WeChat that retries (three attempts), as the fetch uses it.
- ``statuses(result)``: each period's report status, in the span's order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from wxdata.core.report import LoadResult
from wxdata.store import Store, open_store
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

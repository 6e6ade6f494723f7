"""Single flight: one run of a piece of work per key at a time, whoever asks.

Callers that ask for a key while its work is running wait for it and share its outcome (the value,
or a copy of the error), instead of doing the same work again. The token provider uses it so that
eight threads with a dead token cause one call to WeChat, and the fetch layer so that ten viewers
opening the same cold week cause one call per week.

>>> flights: SingleFlight[str, int] = SingleFlight()
>>> flights.run("answer", lambda: 42)
42
>>> flights.waiting("answer")  # nobody is waiting for a run that has ended
0
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Generic, TypeVar

from wxdata.core.errors import WxDataError

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class SingleFlight(Generic[K, V]):
    """At most one running ``work`` per key; safe to share between threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: dict[K, Future[V]] = {}
        self._waiting: dict[K, int] = {}

    def run(self, key: K, work: Callable[[], V]) -> V:
        """``work()``, unless ``key`` is running already: then that run's outcome.

        The work itself should re-check whatever the previous run may have produced (a cache, a
        token): a caller that arrives just after a run ended starts a new one.
        """
        with self._lock:
            future = self._running.get(key)
            leader = future is None
            if future is None:
                future = self._running[key] = Future()
            else:
                self._waiting[key] = self._waiting.get(key, 0) + 1
        if not leader:
            try:
                return future.result()
            except WxDataError as exc:
                raise exc.copy() from None
            finally:
                with self._lock:
                    self._waiting[key] -= 1
                    if not self._waiting[key]:
                        del self._waiting[key]
        try:
            value = work()
        except BaseException as exc:
            future.set_exception(exc)
            raise
        else:
            future.set_result(value)
            return value
        finally:
            with self._lock:
                del self._running[key]

    def running(self, key: K) -> bool:
        """Whether work for ``key`` is running now (for tests and status lines)."""
        with self._lock:
            return key in self._running

    def waiting(self, key: K) -> int:
        """How many callers are waiting for the running work of ``key`` to share its outcome (for
        tests: they hold the work until the callers they started have joined it, instead of
        hoping a sleep is long enough for the scheduler to bring them)."""
        with self._lock:
            return self._waiting.get(key, 0)

"""Waiting for a condition in tests, instead of sleeping and hoping it came true meanwhile."""

from __future__ import annotations

import time
from collections.abc import Callable

#: Generous: a condition that holds comes true in milliseconds even on a loaded 2-core machine;
#: the bound only turns a broken test into a failure instead of a hang.
PATIENCE_S = 60.0


def wait_until(condition: Callable[[], bool], what: str, seconds: float = PATIENCE_S) -> None:
    """Return as soon as ``condition()`` holds; fail with ``what`` if it never does."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"never happened within {seconds:.0f} s: {what}"
        time.sleep(0.005)

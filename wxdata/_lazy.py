"""Lazy re-exports for package ``__init__`` files.

A package's ``__init__`` never imports its own modules when it is imported: Streamlit runs the
first sessions after a server start in parallel threads, and a thread that imports
``wxdata.sources.fetch`` while another is still running ``wxdata/sources/__init__.py`` (which would
import ``fetch`` too) deadlock on Python's per-module import locks; Python breaks the deadlock
by handing one of them a half-initialised module ("cannot import name ... from partially
initialized module"). So a package that offers short names resolves them on first use instead
(PEP 562), when it is fully initialised. ``tests/test_layout.py`` enforces the rule.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(package: str, exports: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports ``exports[name]`` (a module path) on first use."""

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(module), name)

    return __getattr__

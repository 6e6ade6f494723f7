"""A pytest plugin (``-p tests.doctest_namespace`` in pyproject.toml): the names the docstring
examples of ``wxdata`` use without defining them.

``frame``: :func:`wxdata.analytics.example.example_frame`, the analytics examples' tidy frame.
"""

from __future__ import annotations

from typing import Any

import pytest

from wxdata.analytics.example import example_frame


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace: dict[str, Any]) -> None:
    doctest_namespace["frame"] = example_frame()

"""WeChat API and transport errors (api.*): what happened and what to do."""

from __future__ import annotations

API_MESSAGES: dict[str, tuple[str, str]] = {}

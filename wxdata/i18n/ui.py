"""Dashboard strings (pages, sidebar, charts). Owned by the dashboard; see ``messages.py`` for the
data layer's. Keys: ``app.*``, ``sidebar.*``, ``page.<name>.*``, ``chart.*``."""

from __future__ import annotations

UI_MESSAGES: dict[str, tuple[str, str]] = {
    "app.title": ("微信小程序周留存", "WeChat mini program weekly retention"),
}

"""Cache, fetch reports and the command line (cache.*, fetch.*, cli.*)."""

from __future__ import annotations

DATA_MESSAGES: dict[str, tuple[str, str]] = {}

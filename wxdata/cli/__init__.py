"""``wxdata``: export, sync, import, cache and fake-server, for scripts and cron.

The contract scripts rely on (see ``wxdata export --help``):

- ``wxdata export --from 2026-09-01 --to 2026-11-30 [--app NAME] [--format csv|json|xlsx]
  [--output PATH|-] [--refresh] [--max-weeks N]`` writes the tidy table (CSV: exactly
  ``app_id,cohort_start,cohort_end,metric,week_offset,users,rate``, UTF-8 with a BOM);
- exit status 0 when every week has data, 1 when some weeks failed (the others are still
  written, each failed week is one line on stderr) or anything else went wrong, 2 for bad
  arguments or settings (a span before 2017 or longer than the limit, an output path that is not
  a regular file);
- messages are one line each, never a traceback, never a secret or a token.

``main`` (in :mod:`.entry`) parses and dispatches; :mod:`.commands` holds the commands,
:mod:`.console` what they print and their exit status, :mod:`.output` where an export goes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wxdata._lazy import lazy_exports

if TYPE_CHECKING:
    from wxdata.cli.entry import build_parser, main

__all__ = ["build_parser", "main"]

__getattr__ = lazy_exports(__name__, dict.fromkeys(__all__, "wxdata.cli.entry"))

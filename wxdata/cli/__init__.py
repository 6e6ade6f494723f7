"""``wxdata``: export, sync, import, cache and fake-server, for scripts and cron.

The contract scripts rely on (see ``wxdata export --help``):

- ``wxdata export --from 2026-09-01 --to 2026-11-30 [--period day|week|month] [--app NAME]
  [--format csv|json|xlsx] [--output PATH|-] [--refresh] [--max-days N] [--max-weeks N]
  [--max-months N]`` writes the tidy table of one period (CSV: exactly
  ``app_id,cohort_start,cohort_end,metric,week_offset,users,rate``, UTF-8 with a BOM; the offset
  column is ``day_offset`` or ``month_offset`` for the other periods). Weeks are the default and
  their output is byte for byte what it was before days and months existed;
- a date may be a month (``2026-09``); a date inside a week or month stands for all of it, and
  what has not ended (today, this week, this month) is left out;
- exit status 0 when every cohort has data, 1 when some failed (the others are still written,
  each failed cohort is one line on stderr naming it: ``2026-11-03``, ``2026-W45 · 11-02..11-08``,
  ``2026-11``) or anything else went wrong, 2 for bad arguments or settings (a span before 2017
  or longer than its period's limit, an output path that is not a regular file);
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

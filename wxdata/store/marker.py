"""How a file is recognised as a wxretain cache: SQLite's ``application_id`` header field.

``wxdata cache clear`` deletes files, and a misconfigured ``cache_url`` may point anywhere (another
program's database, a config file): only a file that says it is ours is ever written or deleted.
Caches made before the marker existed are recognised by their exact schema, and marked on open.

Schema versions: 1 keyed the table ``weeks`` by (app_id, week_start); 2 (days and months) keys
it by (app_id, period, start), ``period`` being the cohort's kind. A version-1 cache is migrated
in place when it is opened (its weeks keep being served); a version newer than this program's is
refused, never guessed at. The table keeps its name, so that what makes it ours and what makes a
table someone else's stay what they were.
"""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from pathlib import Path
from typing import Literal

#: "wxrt" as a big-endian 32-bit integer, in bytes 68..71 of the SQLite header.
APPLICATION_ID = 0x77787274
_MAGIC = b"SQLite format 3\x00"
#: Bumped when the table changes; a file of another version is refused, never guessed at.
SCHEMA_VERSION = 2
COLUMNS = frozenset({"app_id", "period", "start", "payload", "fetched_at", "final"})
#: The last version this program migrates from, and its columns (the cache of the weekly
#: release: recognised as ours even without the marker, and migrated on open).
LEGACY_VERSION = 1
LEGACY_COLUMNS = frozenset({"app_id", "week_start", "payload", "fetched_at", "final"})


Identity = Literal["ours", "empty", "foreign"]


def identify(path: Path) -> Identity:
    """``ours``: a wxretain cache (possibly damaged past its header); ``empty``: nothing yet (no
    file, no bytes, or an SQLite file with no table, e.g. one being created by another process
    right now); ``foreign``: anything else."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except FileNotFoundError:
        return "empty"
    except OSError:
        return "foreign"
    if not header:
        return "empty"
    if not header.startswith(_MAGIC):
        return "foreign"
    if int.from_bytes(header[68:72], "big") == APPLICATION_ID:
        return "ours"
    return _through_sqlite(path)


#: How long an SQLite error is taken for a passing state before the file is called foreign.
RETRY_SECONDS = 2.0


def _through_sqlite(path: Path) -> Identity:
    """Read through SQLite, which also sees a marker still in the WAL, and a legacy schema.

    An error is tried again for a moment first: while another process creates, checkpoints or
    closes the file, a read-only connection can meet a lock or a WAL index being rebuilt (busy,
    locked, cannot open the ``-shm``) that the busy timeout does not cover; calling the file
    foreign then made a writer among four refuse a new cache of its own (CI, a loaded machine).
    A file that really is not a database fails every time and is foreign after RETRY_SECONDS."""
    deadline = time.monotonic() + RETRY_SECONDS
    while True:
        try:
            return _read_identity(path)
        except sqlite3.Error:
            if time.monotonic() >= deadline:
                return "foreign"
            time.sleep(0.05)


def _read_identity(path: Path) -> Identity:
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                                 timeout=10)) as conn:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        columns = {row[1] for row in conn.execute("PRAGMA table_info(weeks)")}
    if app_id:
        return "ours" if app_id == APPLICATION_ID else "foreign"
    if not tables and version == 0:
        return "empty"
    # a cache of the release before the marker (version 1): exactly its table and columns
    legacy = version == LEGACY_VERSION and tables == {"weeks"} and columns == LEGACY_COLUMNS
    return "ours" if legacy else "foreign"

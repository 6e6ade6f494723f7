"""Where an export goes: stdout (``-`` or no ``--output``), or a regular file written atomically.

A file is written next to itself under a temporary name and renamed over the target, so a script
never reads half a file; and only a regular file is ever replaced: as root, ``-o /dev/null`` once
turned the device into a file, a symlink or FIFO was replaced, and ``-o /tmp`` left
``/tmp.part`` in ``/``. A symlink is followed to the file it names.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from pathlib import Path

from wxdata.core.errors import ConfigError

STDOUT = "-"


def target_of(output: str | None) -> Path | None:
    """The regular file an export will replace or create (None: stdout). A ConfigError (exit 2)
    names a device, FIFO, socket or folder, or a folder that does not exist."""
    if output is None or output == STDOUT:
        return None
    path = Path(os.path.realpath(Path(output).expanduser()))
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if not path.parent.is_dir():
            raise ConfigError("output_no_folder", path=output, folder=str(path.parent)) from None
        return path
    except OSError as exc:
        raise ConfigError("output_unusable", path=output,
                          detail=exc.strerror or type(exc).__name__) from None
    if not stat.S_ISREG(mode):
        kind = "folder" if stat.S_ISDIR(mode) else "special"
        raise ConfigError(f"output_{kind}", path=output)
    return path


def write(data: bytes, path: Path | None) -> None:
    """``data`` to stdout, or atomically to ``path`` (see :func:`target_of`); OSError on
    failure, with the target untouched and no temporary file left behind."""
    if path is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    mode = _mode_for(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _mode_for(path: Path) -> int:
    """The replaced file's permissions, or what a new file would get under the umask."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()

"""The one atomic writer: a file is replaced whole or not at all, and errors are the user's.

The data goes to a temporary file beside the target, is flushed to disk (fsync),
then renamed over the target, so a reader, a crash or a full disk never leaves a
half-written file. A new file gets the user's usual permissions (the umask
decides, nothing is forced); a replaced file keeps its own.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
from pathlib import Path

from toolkit.errors import Location, ToolkitError

# ".<name>.<pid>.tmp": what a killed run may leave behind (the output folder cleans them).
TEMP_NAME = re.compile(r"^\..+\.\d+\.tmp$")


def os_error(exc: OSError, path: Path) -> ToolkitError:
    """An operating-system error on ``path`` in the product's words."""
    if exc.errno == errno.ENOSPC:
        return ToolkitError(
            "the disk is full; nothing was half-written",
            location=Location(path),
            hint="free some space and run again: finished files are kept, the rest retried",
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ToolkitError(
            "cannot write here (read-only or no permission)",
            location=Location(path),
            hint="choose another --out folder or fix its permissions",
        )
    return ToolkitError(f"cannot write: {exc.strerror}", location=Location(path))


def atomic_write(path: Path, data: bytes) -> bool:
    """Replace ``path`` with ``data`` in one step; True when a file was there before."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            mode: int | None = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = None
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise os_error(exc, path) from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return mode is not None

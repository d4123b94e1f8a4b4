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
from collections.abc import Sequence
from pathlib import Path

from toolkit.errors import Location, ToolkitError

# ".<name>.<pid>.tmp": what a killed run may leave behind (the output folder cleans them).
TEMP_NAME = re.compile(r"^\..+\.\d+\.tmp$")


# What the system says about a path, in our words: (message, hint).
FILE_ERRORS: dict[int, tuple[str, str]] = {
    errno.ENOSPC: (
        "the disk is full; nothing was half-written",
        "free some space and run again: finished files are kept, the rest retried",
    ),
    errno.EACCES: (
        "cannot write here (read-only or no permission)",
        "choose another --out folder or fix its permissions",
    ),
    errno.EPERM: (
        "cannot write here (read-only or no permission)",
        "choose another --out folder or fix its permissions",
    ),
    errno.EROFS: (
        "cannot write here (read-only or no permission)",
        "choose a folder on a writable disk",
    ),
    errno.ENOENT: ("no such file or folder", "check the path"),
    errno.EISDIR: ("is a folder, not a file", "give a file name inside it"),
    errno.ENOTDIR: ("part of this path is a file, not a folder", "check the path"),
    errno.EEXIST: ("a file is in the way of a folder to be made", "move it or pick another path"),
    errno.ENAMETOOLONG: ("the name is too long for this disk", "choose a shorter name"),
}


def os_error(exc: OSError, path: Path | None = None) -> ToolkitError:
    """An operating-system error in the product's words, at the path it is about.

    A failed rename names its source first; the user named the destination.
    """
    named = exc.filename2 or exc.filename
    where = Path(named) if isinstance(named, str) else path
    message, hint = FILE_ERRORS.get(exc.errno or 0, (f"cannot write: {exc.strerror}", ""))
    return ToolkitError(message, location=Location(where), hint=hint or None)


def atomic_write(path: Path, data: bytes) -> bool:
    """Replace ``path`` with ``data`` in one step; True when a file was there before."""
    return atomic_write_many([(path, data)])[0]


# fsync waits for the disk; several waiting at once share one journal commit, so a
# week of drafts costs a few disk flushes instead of one per file.
_FLUSHERS = 8


def atomic_write_many(items: Sequence[tuple[Path, bytes]]) -> list[bool]:
    """Replace each path with its data, each file in one step; per file, True when it existed.

    Every file is written and flushed to disk before any is renamed into place, so a
    failure (a full disk, say) leaves all targets as they were.
    """
    temps: list[Path] = []
    modes: list[int | None] = []
    path = items[0][0] if items else Path()
    try:
        for path, data in items:
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                modes.append(path.stat().st_mode & 0o7777)
            except FileNotFoundError:
                modes.append(None)
            temps.append(tmp)
            with open(tmp, "wb") as fh:
                fh.write(data)
        _flush_all(temps)
        for (path, _), tmp, mode in zip(items, temps, modes, strict=True):
            if mode is not None:
                os.chmod(tmp, mode)
            os.replace(tmp, path)
    except OSError as exc:
        _discard(temps)
        raise os_error(exc, path) from None
    except BaseException:
        _discard(temps)
        raise
    return [mode is not None for mode in modes]


def _flush(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as exc:  # name the file: fsync's own error names none
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    finally:
        os.close(fd)


def _flush_all(paths: list[Path]) -> None:
    if len(paths) <= 1:
        for path in paths:
            _flush(path)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(_FLUSHERS, len(paths))) as pool:
        for _ in pool.map(_flush, paths):
            pass


def _discard(temps: list[Path]) -> None:
    for tmp in temps:
        with contextlib.suppress(OSError):
            tmp.unlink()

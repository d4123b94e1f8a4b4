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
from typing import TYPE_CHECKING

from toolkit.errors import Location, ToolkitError

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

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

    A failed rename names its source first; the user named the destination. A file of
    our own making (the ``.<name>.<pid>.tmp`` beside the target) is no name the user
    gave: the error names ``path``, the file they asked for.
    """
    named = exc.filename2 or exc.filename
    where = Path(named) if isinstance(named, str) else path
    if where is not None and path is not None and TEMP_NAME.match(where.name):
        where = path
    message, hint = FILE_ERRORS.get(exc.errno or 0, (f"cannot write: {exc.strerror}", ""))
    return ToolkitError(message, location=Location(where), hint=hint or None)


def atomic_write(path: Path, data: bytes) -> bool:
    """Replace ``path`` with ``data`` in one step; True when a file was there before."""
    return atomic_write_many([(path, data)])[0]


# fsync waits for the disk; several waiting at once share one journal commit, so a
# week of drafts costs a few disk flushes instead of one per file.
_FLUSHERS = 8


def temp_path(path: Path) -> Path:
    """Where ``path``'s new content waits to be renamed into place (``TEMP_NAME``)."""
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def atomic_write_many(
    items: Sequence[tuple[Path, bytes]], staged: Staging | None = None
) -> list[bool]:
    """Replace each path with its data, each file in one step; per file, True when it existed.

    Every file is written and flushed to disk before any is renamed into place (in the
    order given), so a failure (a full disk, say) leaves all targets as they were. A
    file ``staged`` with
    the same data earlier is not written again: its temporary file is renamed once its
    flush is done.
    """
    temps: list[Path] = []
    written: list[Path] = []
    modes: list[int | None] = []
    flushing: list[Future[None]] = []
    path = items[0][0] if items else Path()
    folders: set[Path] = set()  # made (or found) already
    try:
        for path, data in items:
            _make_folder(path, folders)
            try:
                modes.append(path.stat().st_mode & 0o7777)
            except FileNotFoundError:
                modes.append(None)
            tmp = temp_path(path)
            temps.append(tmp)
            ready = staged.take(path, data) if staged is not None else None
            if ready is not None:
                flushing.append(ready)
                continue
            written.append(tmp)
            with open(tmp, "wb") as fh:
                fh.write(data)
        _flush_all(written)
        for done in flushing:
            done.result()  # its flush's error, if any, as the others'
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


def _make_folder(path: Path, made: set[Path]) -> None:
    """``path``'s folder, made unless ``made`` says it was (most files share a few)."""
    if path.parent not in made:
        path.parent.mkdir(parents=True, exist_ok=True)
        made.add(path.parent)


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


class Staging:
    """New files written ahead of their atomic write, while the caller has time to spare
    (the week waits for its cards): each goes to its temporary file at once and is
    flushed to disk in the background, and ``atomic_write_many`` then only renames it.
    What a crash can leave is what it could before: temporary files (removed by the next
    run in the folder, ``output_folder``), never a target half-written or renamed before
    its flush. Only files that do not exist yet are staged: whether an existing one may
    be replaced is the writer's to decide, under its lock. ``close`` removes what was
    staged and not taken."""

    def __init__(self) -> None:
        self._files: dict[Path, tuple[bytes, Future[None]]] = {}
        self._pool: ThreadPoolExecutor | None = None
        self._folders: set[Path] = set()  # made (or found) already

    def stage(self, path: Path, data: bytes) -> None:
        """Write ``data`` for ``path`` now (silently nothing on an error, or when ``path``
        exists already: the atomic write will do it as it would have)."""
        if path in self._files or os.path.lexists(path):
            return
        tmp = temp_path(path)
        try:
            _make_folder(path, self._folders)
            with open(tmp, "wb") as fh:
                fh.write(data)
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink()
            return
        if self._pool is None:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(max_workers=_FLUSHERS)
        self._files[path] = (data, self._pool.submit(_flush, tmp))

    def take(self, path: Path, data: bytes) -> Future[None] | None:
        """The flush of ``path``'s temporary file when it was staged with ``data`` and is
        still there, as written; None when ``path`` is to be written as usual."""
        staged = self._files.pop(path, None)
        if staged is None:
            return None
        kept, flush = staged
        tmp = temp_path(path)
        try:
            same = (kept is data or kept == data) and os.stat(tmp).st_size == len(data)
        except OSError:  # gone (another run in the folder took it for a killed run's)
            same = False
        if not same:
            flush.exception()  # done with it before it is written again
            with contextlib.suppress(OSError):
                tmp.unlink()
            return None
        return flush

    def close(self) -> None:
        """Wait for the flushes and remove the temporary files nobody took."""
        for path, (_, flush) in self._files.items():
            flush.exception()
            with contextlib.suppress(OSError):
                temp_path(path).unlink()
        self._files.clear()
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None


def _discard(temps: list[Path]) -> None:
    for tmp in temps:
        with contextlib.suppress(OSError):
            tmp.unlink()

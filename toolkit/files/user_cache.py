"""The user's cache folder: work worth keeping between runs, always safe to delete.

Everything here is keyed by what it was made from (a guide's bytes, a template's
source) and by the code that made it, so an edit or an upgrade is a miss, never a
stale hit; a missing, unwritable or damaged cache only costs time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Sequence
from functools import cache
from pathlib import Path


def cache_root() -> Path:
    """``$XDG_CACHE_HOME/toolkit`` (else ``~/.cache/toolkit``)."""
    return _root(os.environ.get("XDG_CACHE_HOME") or "", os.environ.get("HOME") or "")


@cache  # asked for every entry read or written (a card worker: some 150 times)
def _root(xdg_cache_home: str, home: str) -> Path:
    del home  # a part of the key: ``Path.home()`` reads it
    base = xdg_cache_home or str(Path.home() / ".cache")
    return Path(base) / "toolkit"


@cache  # the package's code does not change while a process runs
def code_stamp(*folders: str) -> str:
    """Sizes and times of the modules in these package folders: new code, new stamp."""
    parts = [part for folder in folders for part in _modules(folder)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


@cache  # each folder is looked at once, whichever stamps it is part of
def _modules(folder: str) -> list[str]:
    """Each module of a package folder (its subfolders' too) as "path:size:mtime"."""
    package = Path(__file__).parents[1]
    parts = []
    for module in sorted((package / folder).rglob("*.py")):
        info = module.stat()
        parts.append(f"{module.relative_to(package)}:{info.st_size}:{info.st_mtime_ns}")
    return parts


def file_part(path: str) -> tuple[str, int, int] | str:
    """A file as a key part: its path, size and modification time (a path that is no
    file, say a video frame's key, stays as it is)."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return path
    return path, info.st_size, info.st_mtime_ns


@cache
def package_part(name: str) -> tuple[str, int, int] | None:
    """Where a top-level package is installed (and when), found without importing it:
    an upgrade rewrites its ``__init__``, so it is a new key part."""
    from importlib.util import find_spec

    try:
        spec = find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or spec.origin is None:
        return None
    found = file_part(spec.origin)
    return found if isinstance(found, tuple) else None


def read_entry(path: Path) -> bytes | None:
    """A kept entry's bytes, or None when it is missing or damaged (its SHA-256 digest,
    the first 32 bytes, does not match): the caller makes it again."""
    try:
        with open(path, "rb") as fh:
            blob = fh.read()
    except OSError:
        return None
    if hashlib.sha256(memoryview(blob)[32:]).digest() != blob[:32]:
        return None
    return blob[32:]


def write_entry(path: Path, body: bytes, keep: int, limit: int | None = None) -> None:
    """Keep ``body`` at ``path`` behind its digest, and in its folder at most ``keep``
    entries and (with ``limit``) that many bytes: the oldest go. Written beside and
    renamed, so a reader never sees half an entry; not synced to disk, because a lost or
    torn entry only fails its digest. An unwritable cache is left alone: it costs the
    saving, never the run."""
    write_entries([(path, body)], keep, limit)


def write_entries(items: Sequence[tuple[Path, bytes]], keep: int, limit: int | None = None) -> None:
    """``write_entry`` for several entries, each folder pruned once after them all."""
    folders: dict[Path, None] = {}
    for path, body in items:
        temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(temp, "wb") as fh:
                fh.write(hashlib.sha256(body).digest())
                fh.write(body)
            os.replace(temp, path)
            folders[path.parent] = None
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temp)
    for folder in folders:
        with contextlib.suppress(OSError):
            _prune(folder, keep, limit)


def _prune(folder: Path, keep: int, limit: int | None) -> None:
    entries = [(e, e.stat()) for e in os.scandir(folder) if not e.name.startswith(".")]
    entries.sort(key=lambda es: es[1].st_mtime_ns, reverse=True)  # the newest first
    total = 0
    for count, (entry, info) in enumerate(entries, 1):
        total += info.st_size
        if count > keep or (limit is not None and total > limit and count > 1):
            os.unlink(entry.path)

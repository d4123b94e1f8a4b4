"""Write generated files without ever losing what a person wrote.

Every generated file's content hash goes into ``.toolkit/manifest.json`` in
the output folder. On the next run a file whose content still has a hash we
wrote is ours and is regenerated; any other content means a person edited
it, and it is kept (``force`` replaces it after copying it to
``.toolkit/backup/<stamp>/``). Writes are atomic (temporary file, fsync,
rename), the manifest is updated around them so that a run killed at any
point leaves every file either old or new and still recognised, and a lock
stops two runs from interleaving in one folder.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.errors import Location, ToolkitError

STATE_DIR = ".toolkit"
MANIFEST = f"{STATE_DIR}/manifest.json"
LOCK = f"{STATE_DIR}/lock"


@dataclass(frozen=True)
class WriteReport:
    written: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    kept_edited: tuple[str, ...] = ()  # a person changed them; left alone
    replaced: tuple[tuple[str, str], ...] = ()  # (file, backup) with force
    removed: tuple[str, ...] = ()  # stale generated files nobody touched
    backups: tuple[str, ...] = field(default=())


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _os_error(exc: OSError, path: Path) -> ToolkitError:
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


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step: readers see the old file or the new one."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise _os_error(exc, path) from None


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """One writer per output folder; a second one fails at once with a clear message."""
    lock_path = folder / LOCK
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock_path, "a+")  # noqa: SIM115 - held for the whole block
    except OSError as exc:
        raise _os_error(exc, lock_path) from None
    try:
        try:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:  # pragma: no cover - not POSIX
            pass
        except OSError:
            raise ToolkitError(
                "another toolkit run is writing to this folder",
                location=Location(folder),
                hint="wait for it to finish, or write to another --out folder",
            ) from None
        yield
    finally:
        handle.close()


_TEMP = re.compile(r"^\..+\.\d+\.tmp$")


def _remove_orphaned_temp_files(folder: Path) -> None:
    """A run killed mid-write leaves its temporary file; the lock says nobody owns it now."""
    for path in folder.rglob(".*.tmp"):
        if _TEMP.match(path.name) and path.is_file():
            with contextlib.suppress(OSError):
                path.unlink()


def load_manifest(folder: Path) -> dict[str, list[str]]:
    path = folder / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        # A damaged manifest must not make us overwrite anything: trust no file.
        return {}
    files = data.get("files", {}) if isinstance(data, dict) else {}
    return {
        k: [h for h in v if isinstance(h, str)]
        for k, v in files.items()
        if isinstance(k, str) and isinstance(v, list)
    }


def _save_manifest(folder: Path, files: Mapping[str, list[str]]) -> None:
    body = json.dumps({"version": 1, "files": dict(sorted(files.items()))}, indent=1)
    atomic_write(folder / MANIFEST, body.encode())


def file_state(folder: Path, rel: str, manifest: Mapping[str, list[str]]) -> str:
    """'missing', 'ours' (generated, untouched) or 'edited' (anything else)."""
    path = folder / rel
    try:
        current = path.read_bytes()
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        raise _os_error(exc, path) from None
    return "ours" if digest(current) in manifest.get(rel, []) else "edited"


def write_outputs(
    folder: Path,
    files: Mapping[str, bytes],
    *,
    force: bool = False,
    stamp: str,
    prune: tuple[str, ...] = (),
) -> WriteReport:
    """Write ``files`` (relative path → bytes) into ``folder`` without clobbering edits.

    ``prune`` names folders (``"drafts/"``) whose generated files that are no
    longer produced are removed, when untouched. ``stamp`` names the backup
    folder (pass the run's clock).
    """
    with folder_lock(folder):
        _remove_orphaned_temp_files(folder)
        manifest = load_manifest(folder)
        plan: dict[str, bytes] = {}
        unchanged: list[str] = []
        kept: list[str] = []
        replaced: list[tuple[str, str]] = []
        for rel, data in files.items():
            state = file_state(folder, rel, manifest)
            if state == "edited" and not force:
                kept.append(rel)
            elif state == "ours" and (folder / rel).read_bytes() == data:
                unchanged.append(rel)
            else:
                plan[rel] = data
        stale = [
            rel for rel in manifest
            if rel not in files and rel.startswith(prune) and prune
        ]  # fmt: skip
        # Pending: old and new hashes both count as ours until the writes are done.
        pending = {k: list(v) for k, v in manifest.items()}
        for rel, data in plan.items():
            pending[rel] = [*pending.get(rel, []), digest(data)]
        _save_manifest(folder, pending)
        backup_root = folder / STATE_DIR / "backup" / stamp
        for rel, data in plan.items():
            target = folder / rel
            if force and file_state(folder, rel, manifest) == "edited":
                backup = backup_root / rel
                try:
                    backup.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(target, backup)
                except OSError as exc:
                    raise _os_error(exc, backup) from None
                replaced.append((rel, backup.relative_to(folder).as_posix()))
            atomic_write(target, data)
        removed: list[str] = []
        final = {k: list(v) for k, v in manifest.items()}
        for rel, data in plan.items():
            final[rel] = [digest(data)]
        for rel in stale:
            state = file_state(folder, rel, manifest)
            if state == "ours":
                with contextlib.suppress(FileNotFoundError):
                    (folder / rel).unlink()
                removed.append(rel)
                final.pop(rel, None)
            elif state == "missing":
                final.pop(rel, None)
            else:
                kept.append(rel)
        _save_manifest(folder, final)
    return WriteReport(
        written=tuple(plan),
        unchanged=tuple(unchanged),
        kept_edited=tuple(sorted(kept)),
        replaced=tuple(replaced),
        removed=tuple(sorted(removed)),
        backups=tuple(b for _, b in replaced),
    )

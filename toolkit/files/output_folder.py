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
import hashlib
import json
import os
import shutil
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import Location, ToolkitError
from toolkit.files.atomic import TEMP_NAME, Staging, atomic_write, atomic_write_many, os_error
from toolkit.files.paths import inside, resolved

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


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """One writer per output folder; a second one fails at once with a clear message."""
    lock_path = inside(folder, LOCK, what="lock file")
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock_path, "a+")  # noqa: SIM115 - held for the whole block
    except OSError as exc:
        raise os_error(exc, lock_path) from None
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


def _remove_orphaned_temp_files(folder: Path) -> None:
    """A run killed mid-write leaves its temporary file; the lock says nobody owns it now
    (this process's own are files it staged: ``Ahead``)."""
    mine = f".{os.getpid()}.tmp"
    # os.walk does not descend into linked folders: nothing outside is ever deleted.
    for parent, _dirs, names in os.walk(folder):
        for name in names:
            path = Path(parent) / name
            if name.endswith(mine):
                continue
            if TEMP_NAME.match(name) and path.is_file() and not path.is_symlink():
                with contextlib.suppress(OSError):
                    path.unlink()


_MANIFEST_HINT = (
    "the manifest lists the files toolkit wrote here; delete {path} to start afresh "
    "(every file is then treated as edited by hand and kept)"
)


def _line_of(text: str, key: str) -> int | None:
    needle = json.dumps(key)
    at = text.find(needle)
    if at == -1:
        needle = json.dumps(key, ensure_ascii=False)
        at = text.find(needle)
    return None if at == -1 else text.count("\n", 0, at) + 1


def load_manifest(folder: Path) -> dict[str, list[str]]:
    """Generated file → hashes we wrote; an entry leading out of ``folder`` is an error."""
    path = inside(folder, MANIFEST, what="manifest")
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        # A damaged manifest must not make us overwrite anything: trust no file.
        return {}
    files = data.get("files", {}) if isinstance(data, dict) else {}
    if not isinstance(files, dict):
        return {}
    manifest = {
        k: [h for h in v if isinstance(h, str)]
        for k, v in files.items()
        if isinstance(k, str) and isinstance(v, list)
    }
    for rel in manifest:
        # Removing a stale file deletes it: an entry must name a file in this folder.
        line = _line_of(text, rel)
        where = Location(path, line, 1 if line else None)
        inside(folder, rel, what="manifest entry", location=where,
               hint=_MANIFEST_HINT.format(path=path))  # fmt: skip
    return manifest


def _manifest_file(folder: Path, files: Mapping[str, list[str]]) -> tuple[Path, bytes]:
    body = json.dumps({"version": 1, "files": dict(sorted(files.items()))}, indent=1)
    return inside(folder, MANIFEST, what="manifest"), body.encode()


def _save_manifest(folder: Path, files: Mapping[str, list[str]]) -> None:
    atomic_write(*_manifest_file(folder, files))


def file_state(folder: Path, rel: str, manifest: Mapping[str, list[str]]) -> str:
    """'missing', 'ours' (generated, untouched) or 'edited' (anything else)."""
    return _state(inside(folder, rel, what="output file"), rel, manifest)[0]


def current_bytes(folder: Path, rel: str) -> bytes | None:
    """What ``folder`` holds under ``rel`` now (None: no such file, or unreadable)."""
    try:
        return inside(folder, rel, what="output file").read_bytes()
    except OSError:
        return None


def _state(path: Path, rel: str, manifest: Mapping[str, list[str]]) -> tuple[str, str | None]:
    """``file_state`` of ``path``, which ``inside`` already checked, and the digest of
    what the file holds (None when missing)."""
    try:
        current = digest(path.read_bytes())
    except FileNotFoundError:
        return "missing", None
    except OSError as exc:
        raise os_error(exc, path) from None
    return ("ours" if current in manifest.get(rel, []) else "edited"), current


def _backup_root(folder: Path, stamp: str) -> Path:
    """A backup folder no earlier run has used: two runs in one second keep both versions."""
    root = inside(folder, f"{STATE_DIR}/backup", what="backup folder")
    try:
        root.mkdir(parents=True, exist_ok=True)
        for n in range(1, 10_000):
            candidate = root / (stamp if n == 1 else f"{stamp}-{n}")
            try:
                candidate.mkdir()
            except FileExistsError:
                continue
            return candidate
    except OSError as exc:
        raise os_error(exc, root) from None
    raise ToolkitError(
        f"10,000 backups already carry the stamp {stamp}",
        location=Location(root),
        hint="move old backups away from .toolkit/backup/",
    )


class Ahead:
    """New files of ``folder`` written ahead of its ``write_outputs`` while the caller has
    time to spare (the week waits for its cards): each goes to its temporary file at once
    (``atomic.Staging``) and its digest is taken then, so the write only renames it and
    finds its manifest hash known. ``write_outputs`` still checks every path and decides
    whether each file is written; ``close`` removes what it did not take."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.staging = Staging()
        self._digests: dict[str, tuple[bytes, str]] = {}
        self._real: str | None = None  # the folder's own path resolved, once

    def stage(self, rel: str, data: bytes) -> None:
        """Write ``rel`` ahead; nothing when the path is refused (the write will say why)."""
        if self._real is None:
            self._real = resolved(self.folder)
        try:
            target = inside(self.folder, rel, what="output file", real_root=self._real)
        except ToolkitError:
            return
        self.staging.stage(target, data)
        self._digests[rel] = (data, digest(data))

    def digest(self, rel: str, data: bytes) -> str:
        """``digest(data)``, taken when ``rel`` was staged with the same bytes."""
        known = self._digests.get(rel)
        return known[1] if known is not None and known[0] == data else digest(data)

    def close(self) -> None:
        """Remove what was staged and not taken by ``write_outputs``."""
        self.staging.close()
        self._digests.clear()


def write_outputs(
    folder: Path,
    files: Mapping[str, bytes],
    *,
    force: bool = False,
    stamp: str,
    prune: tuple[str, ...] = (),
    in_use: Collection[str] = (),
    staged: Ahead | None = None,
) -> WriteReport:
    """Write ``files`` (relative path → bytes) into ``folder`` without clobbering edits.

    ``prune`` names folders (``"drafts/"``) whose generated files that are no
    longer produced are removed, when untouched, unless ``in_use`` names them (a
    card that a draft edited by hand still shows). ``stamp`` names the backup
    folder (pass the run's clock). ``staged``: files written ahead (``Ahead``).
    """
    with folder_lock(folder):
        _remove_orphaned_temp_files(folder)
        manifest = load_manifest(folder)
        # Checked once, before anything is written: each check resolves every link on the way.
        targets = {rel: inside(folder, rel, what="output file") for rel in files}
        # Each file is read once: what it holds decides whether it is ours, and unchanged.
        states = {rel: _state(targets[rel], rel, manifest) for rel in files}
        digests = {
            rel: staged.digest(rel, data) if staged is not None else digest(data)
            for rel, data in files.items()
        }
        plan: dict[str, bytes] = {}
        unchanged: list[str] = []
        kept: list[str] = []
        replaced: list[tuple[str, str]] = []
        for rel, data in files.items():
            state, current = states[rel]
            if state == "edited" and not force:
                kept.append(rel)
            elif state == "ours" and current == digests[rel]:
                unchanged.append(rel)
            else:
                plan[rel] = data
        stale = [
            rel for rel in manifest
            if rel not in files and rel.startswith(prune) and prune and rel not in in_use
        ]  # fmt: skip
        # Pending: old and new hashes both count as ours until the writes are done.
        pending = {k: list(v) for k, v in manifest.items()}
        for rel in plan:
            pending[rel] = [*pending.get(rel, []), digests[rel]]
        backup_root: Path | None = None
        # The pending manifest is flushed with the files and renamed into place first.
        writes = [_manifest_file(folder, pending)]
        for rel, data in plan.items():
            target = targets[rel]
            writes.append((target, data))
            if force and states[rel][0] == "edited":
                backup_root = backup_root or _backup_root(folder, stamp)
                backup = inside(backup_root, rel, what="backup")
                try:
                    backup.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(target, backup)
                except OSError as exc:
                    raise os_error(exc, backup) from None
                replaced.append((rel, backup.relative_to(folder).as_posix()))
        atomic_write_many(writes, staged.staging if staged is not None else None)
        removed: list[str] = []
        final = {k: list(v) for k, v in manifest.items()}
        for rel in plan:
            final[rel] = [digests[rel]]
        for rel in stale:
            state = file_state(folder, rel, manifest)
            if state == "ours":
                with contextlib.suppress(FileNotFoundError):
                    inside(folder, rel, what="output file").unlink()
                removed.append(rel)
                final.pop(rel, None)
            elif state == "missing":
                final.pop(rel, None)
            else:
                kept.append(rel)
        if final != pending:  # a new folder's (every file new) says so already
            _save_manifest(folder, final)
    return WriteReport(
        written=tuple(plan),
        unchanged=tuple(unchanged),
        kept_edited=tuple(sorted(kept)),
        replaced=tuple(replaced),
        removed=tuple(sorted(removed)),
    )


def edited_files(folder: Path, under: str, suffix: str) -> list[str]:
    """Files below ``folder/under`` that a person wrote or changed (not a hash we wrote)."""
    base = folder / under
    if not base.is_dir():
        return []
    manifest = load_manifest(folder)
    found = []
    for path in sorted(base.glob(f"*{suffix}")):
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and file_state(folder, rel, manifest) == "edited":
            found.append(rel)
    return found

"""fontconfig's answers (``fc-match``'s output) kept between runs, in the user cache.

The first card worker of every week asked fontconfig three times (the fallback order of
the brief's language, bold and regular, and the colour emoji face): three ``fc-match``
processes, some 45 ms of CPU, in the set-up the other workers wait for before they
fork. Their output depends on fontconfig's configuration, the fonts it finds and its
own caches, none of which toolkit controls, so an entry is keyed by all of what it can
see of them: the arguments, the ``fc-match`` program (path, size, time), the
environment variables fontconfig reads, and the modification times of its
configuration files and folders, the font folders (every folder below them, as
fontconfig itself checks them) and its cache folders (``fc-cache`` renames a new cache
file into them). A font installed or removed, a configuration edited or ``fc-cache``
run is a new key, never a stale hit. Only an answer (non-empty output) is kept; a
missing, damaged (its digest fails) or unwritable entry costs only the ``fc-match`` run.

Looking at those places costs well under a millisecond with a Debian font set, done
once per process (fontconfig's own answers are kept per process too, in ``fonts``).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path

from toolkit.files.user_cache import cache_root, file_part, read_entry, write_entry

FORMAT = 1  # bump when an entry's shape changes
FOLDER = "fontconfig"
KEEP = 64  # entries kept: a few languages × bold and regular, and the emoji face
# What fontconfig reads from the environment (its files, its user folders, the locale
# an unqualified pattern is matched for).
ENVIRONMENT = (
    "FONTCONFIG_FILE", "FONTCONFIG_PATH", "FONTCONFIG_SYSROOT", "FC_LANG", "LANG", "LC_ALL",
    "LC_CTYPE", "HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME",
)  # fmt: skip


def _places() -> tuple[list[Path], list[Path]]:
    """fontconfig's configuration (files and folders, every file looked at) and its font
    and cache folders (only folders: a font added or removed changes its folder's time),
    where a default installation has them."""
    home = Path.home()
    config = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
    data = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    cache = Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache")
    paths = os.environ.get("FONTCONFIG_PATH", "")
    configs = [Path(p) for p in paths.split(os.pathsep) if p] or [Path("/etc/fonts")]
    if os.environ.get("FONTCONFIG_FILE"):
        configs.append(Path(os.environ["FONTCONFIG_FILE"]))
    configs += [config / "fontconfig", home / ".fonts.conf", home / ".fonts.conf.d"]
    folders = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), home / ".fonts"]
    folders += [data / "fonts", Path("/var/cache/fontconfig"), cache / "fontconfig"]
    return configs, folders


def _stats(top: Path, files: bool) -> Iterator[tuple[str, int, int]]:
    """``top`` and what is below it (with ``files``, files too; links followed to what
    they name), each as its path, size and modification time; nothing when absent."""
    try:
        info = os.stat(top)
    except OSError:
        return
    yield str(top), info.st_size, info.st_mtime_ns
    if not os.path.isdir(top):
        return
    for folder, subfolders, names in os.walk(top):
        subfolders.sort()
        for name in [*subfolders, *(sorted(names) if files else ())]:
            path = os.path.join(folder, name)
            try:
                info = os.stat(path)
            except OSError:
                yield path, -1, -1  # a dangling link: fontconfig skips it
                continue
            yield path, info.st_size, info.st_mtime_ns


@cache  # fontconfig's answers are kept per process too (``fonts.sorted_faces``)
def stamp(program: str) -> str:
    """What fontconfig's answers depend on, as a digest (see the module's docstring)."""
    configs, folders = _places()
    digest = hashlib.sha256(repr((FORMAT, file_part(program))).encode())
    digest.update(repr([(name, os.environ.get(name)) for name in ENVIRONMENT]).encode())
    for top in configs:
        digest.update(repr(list(_stats(top, files=True))).encode())
    for top in folders:
        digest.update(repr(list(_stats(top, files=False))).encode())
    return digest.hexdigest()


def key_of(program: str, args: Sequence[str]) -> str | None:
    """The entry's name for ``program args`` run against what fontconfig sees now; None
    when that cannot be told (no home folder to find the user's fonts in): not kept."""
    try:
        text = repr((stamp(program), list(args))).encode()
    except (OSError, RuntimeError):  # Path.home() without HOME or a passwd entry
        return None
    return hashlib.sha256(text).hexdigest()


def _file(key: str) -> Path:
    return cache_root() / FOLDER / f"{key[:40]}.fc"


def load(key: str) -> str | None:
    """The output kept under ``key``, or None (absent, damaged, or another key's)."""
    body = read_entry(_file(key))
    if body is None or body[:64] != key.encode():
        return None
    try:
        return body[64:].decode("utf-8")
    except UnicodeDecodeError:
        return None


def keep(key: str, output: str) -> None:
    """Keep an answer (silently not, when the cache cannot be written)."""
    write_entry(_file(key), key.encode() + output.encode("utf-8"), KEEP)

"""Where card layouts are: their names and files, found without reading them.

Apart from the layouts' models (``layout``), so that a process that only names
cards (the week, whose workers draw them) imports and parses no layout.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from toolkit.files.paths import inside

RESERVED = frozenset({"formats"})  # files in cards/ that are not layouts
NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")


def layout_names(roots: tuple[Path, ...]) -> list[str]:
    stamps = []
    for root in roots:
        try:
            stamps.append((root / "cards").stat().st_mtime_ns)
        except OSError:
            stamps.append(0)
    return list(_names(roots, tuple(stamps)))


@lru_cache(maxsize=16)
def _names(roots: tuple[Path, ...], stamps: tuple[int, ...]) -> tuple[str, ...]:
    del stamps  # part of the cache key: a layout added to a folder is seen
    names: set[str] = set()
    for root in roots:
        folder = root / "cards"
        if folder.is_dir():
            names.update(p.stem for p in folder.glob("*.yaml") if p.stem not in RESERVED)
    return tuple(sorted(names))


def layout_file(roots: tuple[Path, ...], name: str) -> Path | None:
    """The file of the layout ``name`` (the first root's that has one), or None when there
    is no such layout. A path that leaves its root raises ``ToolkitError``."""
    if name not in layout_names(roots) or not NAME.fullmatch(name):
        return None
    for root in roots:
        path = inside(root, f"cards/{name}.yaml", what="card layout").resolve()
        if path.is_file():
            return path
    return None

"""The user's cache folder: work worth keeping between runs, always safe to delete.

Everything here is keyed by what it was made from (a guide's bytes, a template's
source) and by the code that made it, so an edit or an upgrade is a miss, never a
stale hit; a missing, unwritable or damaged cache only costs time.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path


def cache_root() -> Path:
    """``$XDG_CACHE_HOME/toolkit`` (else ``~/.cache/toolkit``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "toolkit"


@cache  # the package's code does not change while a process runs
def code_stamp(*folders: str) -> str:
    """Sizes and times of the modules in these package folders: new code, new stamp."""
    package = Path(__file__).parents[1]
    parts = []
    for folder in folders:
        for module in sorted((package / folder).rglob("*.py")):
            info = module.stat()
            parts.append(f"{module.relative_to(package)}:{info.st_size}:{info.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]

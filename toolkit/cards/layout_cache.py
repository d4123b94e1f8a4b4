"""Parsed card layouts kept between runs, in the user cache.

Reading a layout file (YAML with each value's line and column, then the
pydantic models) costs 10–15 ms a layout, some 60 ms for the demo's five: in
a cold ``toolkit week`` that is on the critical path, between the first card
worker getting the campaign and drawing its first card. Unpickling the parsed
layout costs a tenth of that.

An entry is keyed by the file's bytes and path (the path is in every message
the layout's values point at), the card and file-reading code (``code_stamp``)
and pydantic's version: an edited layout or an upgrade is a new key, never a
stale hit. Only layouts that parsed are kept; a missing, damaged (its digest
fails) or unwritable entry costs only the parsing (``user_cache.read_entry``,
``write_entry``).
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.files.user_cache import cache_root, code_stamp, package_part, read_entry, write_entry

if TYPE_CHECKING:
    from toolkit.cards.layout import LoadedLayout

FORMAT = 1  # bump when an entry's shape changes
FOLDER = "layouts"
KEEP = 256  # entries kept: a few brands' layouts and their edits (each 30–60 kB)


def key_of(path: Path, data: bytes) -> str:
    """The entry's name for the layout at ``path`` whose file holds ``data``."""
    digest = hashlib.sha256()
    parts = (FORMAT, code_stamp("cards", "files"), package_part("pydantic"),
             package_part("pydantic_core"), package_part("yaml"), str(path))  # fmt: skip
    for part in parts:
        text = repr(part).encode()
        digest.update(len(text).to_bytes(8, "big"))
        digest.update(text)
    digest.update(data)
    return digest.hexdigest()


def _file(key: str) -> Path:
    return cache_root() / FOLDER / f"{key[:40]}.layout"


def load(key: str) -> LoadedLayout | None:
    """The layout kept under ``key``, or None (absent, damaged, or of another shape)."""
    from toolkit.cards.layout import LoadedLayout

    body = read_entry(_file(key))
    if body is None:
        return None
    try:
        stored_key, loaded = pickle.loads(body)  # the user's own cache, digest-checked
    except Exception:  # an older shape of the classes: parse the file again
        return None
    if stored_key != key or not isinstance(loaded, LoadedLayout):
        return None
    return loaded


def keep(key: str, loaded: LoadedLayout) -> None:
    """Keep a layout just parsed (silently not, when the cache cannot be written)."""
    body = pickle.dumps((key, loaded), protocol=pickle.HIGHEST_PROTOCOL)
    write_entry(_file(key), body, KEEP)

"""Rasterized glyphs kept between runs: a face's masks at a size, in the user cache.

A card's text is all new lines, but its glyphs are the brand's few fonts at
the few dozen sizes its layouts fit text to, and rasterizing them is the
largest part of a cold card worker's drawing (a week's 25 cards rasterize
some 950 glyphs, about 8 ms a card). So ``glyphs`` keeps what a process
rasterized, one entry per face and size (``keep``), and a later process
starts from it (``load``).

An entry is keyed by everything its masks come from: the font file (path,
face index, size and modification time, as ``base_cache`` and the font tables'
cache key a file), the size, Pillow's and FreeType's versions and the card
code (``code_stamp``). A changed input is a new key, never a stale hit; a
missing, damaged (its digest fails) or unwritable entry costs only the
rasterizing again (``user_cache.read_entry``, ``write_entries``).
"""

from __future__ import annotations

import hashlib
import os
import struct
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from PIL import __version__ as pillow
from PIL import features

from toolkit.cards.fonts import Face
from toolkit.cards.glyphs import Glyph
from toolkit.files.user_cache import cache_root, code_stamp, read_entry, write_entries

FORMAT = 1  # bump when an entry's shape changes
FOLDER = "masks"
# Entries kept: a brand's heading and body faces at the sizes its layouts fit text to
# are some hundred; several brands and fallback fonts, a few times that. An entry is
# 2-40 kB (its glyphs' deflated masks).
KEEP = 2048
KEEP_BYTES = 32 << 20
# Per glyph: its character's length in UTF-8, then left, top, height, x, y, width,
# rows (``Glyph``'s fields) and its mask's length (0: a blank glyph).
_RECORD = struct.Struct("<B7iI")


@lru_cache(maxsize=64)
def _face_part(face: Face) -> tuple[str, int, int, int] | None:
    """The face's file as a key part, or None for a face that is no file."""
    if face.path is None:
        return None
    try:
        info = os.stat(face.path)
    except OSError:
        return None
    return face.path, face.index, info.st_size, info.st_mtime_ns


@lru_cache(maxsize=1)
def _versions() -> tuple[object, ...]:
    return FORMAT, code_stamp("cards"), pillow, features.version("freetype2")


def key_of(face: Face, size: int) -> str | None:
    """The entry's key for ``face`` at ``size``; None when the face cannot be kept."""
    part = _face_part(face)
    if part is None:
        return None
    return hashlib.sha256(repr((_versions(), part, size)).encode()).hexdigest()


def _file(key: str) -> Path:
    return cache_root() / FOLDER / f"{key[:40]}.glyphs"


def load(face: Face, size: int) -> dict[str, Glyph]:
    """The glyphs kept for ``face`` at ``size`` (none when absent, damaged or stale)."""
    key = key_of(face, size)
    body = read_entry(_file(key)) if key is not None else None
    if key is None or body is None or body[:64] != key.encode():
        return {}
    out: dict[str, Glyph] = {}
    at = 64
    try:
        while at < len(body):
            chars, left, top, height, x, y, width, rows, length = _RECORD.unpack_from(body, at)
            at += _RECORD.size
            char = body[at : at + chars].decode("utf-8", "surrogatepass")
            at += chars
            data = body[at : at + length] if length else None
            at += length
            if len(char) != 1 or (data is not None and len(data) != length):
                return {}
            out[char] = Glyph(left, top, height, data, x, y, width, rows)
    except (struct.error, UnicodeDecodeError):
        return {}
    return out


def _body(key: str, glyphs: Mapping[str, Glyph]) -> bytes:
    parts = [key.encode()]
    for char, g in glyphs.items():
        encoded = char.encode("utf-8", "surrogatepass")  # any str round-trips
        data = g.data or b""
        fields = (g.left, g.top, g.height, g.x, g.y, g.width, g.rows)
        parts += [_RECORD.pack(len(encoded), *fields, len(data)), encoded, data]
    return b"".join(parts)


def keep(groups: Iterable[tuple[Face, int, Mapping[str, Glyph]]]) -> None:
    """Keep each face's glyphs at its size, with those an entry already holds (another
    process may have added some). Silently not, when the cache cannot be written."""
    writes = []
    for face, size, glyphs in groups:
        key = key_of(face, size)
        if key is None:
            continue
        merged = {**load(face, size), **glyphs}
        writes.append((_file(key), _body(key, merged)))
    write_entries(writes, KEEP, KEEP_BYTES)

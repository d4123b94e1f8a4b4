"""A card's static base (what is drawn before its text), kept between runs.

Drawing a layout's base at a size is a card's dearest part the first time in a
process (a photo cropped and resized, supersampled shapes, a gradient): 40–120
ms, against 2–7 ms to read it back from here. Each entry is keyed by
everything its pixels come from: the layers drawn (their specs, as the layout
file gives them), the size and its design canvas, the brand's colours and
fonts, the logo's and photos' files (path, size, modification time), the card
code (``code_stamp``) and Pillow's version. A changed input is a new key,
never a stale hit; a missing, damaged or unwritable cache only costs the
drawing (``user_cache.read_entry``, ``write_entry``).

Only the format book's named sizes are kept: a ``WxH`` size is seldom drawn
again, and a batch of many such sizes would fill the cache for nothing.

A base's pixels are kept a band of rows at a time (the PNG bands' rows), each
deflated on its own (``Pixels``): the first card drawn over a base read back
decodes only the bands its text reaches and the row above each, which is all its
PNG reads (``render._Partial``); inflating a whole base was some 1.2 ms of a card's
2.3 for reading it back.

A base's entry also holds its PNG bands (``encode.Bands``: each band of rows
filtered and deflated, with its checksum), made when the base is drawn (3–8
ms, against the 40–120 of drawing it): a card drawn over a base read back
from here encodes only the bands its text reached, as one drawn over a base
still in memory does, instead of every band. (Its JPEG rows are not kept: they
would need a second encode when the base is drawn, for cards most bases never
get, or an entry written again later.)

Small photo crops drawn over the text layers (a speaker's portrait on its disc)
are kept the same way (``load_cover``): a LANCZOS resize of a large photo
costs 5–10 ms each time a size needs it. So are the small masks of the shapes
drawn over them (the disc and its ring, ``load_shape``): drawn four times larger
and reduced, some 0.25 ms each, and a week's cards take some thirty sizes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from isal import isal_zlib  # type: ignore[import-untyped, unused-ignore]
from PIL import (
    Image,
    _imaging,  # type: ignore[attr-defined, unused-ignore]
)
from PIL import __version__ as pillow

from toolkit.cards.encode import Bands, fast_png
from toolkit.files.user_cache import cache_root, code_stamp, package_part, read_entry, write_entry

# A photo's or the logo's file as a key part (render and assets name it from here).
from toolkit.files.user_cache import file_part as file_part

FORMAT = 5  # bump when an entry's shape changes
KEEP = 128  # entries kept: a few brands' layouts × the sizes they post at
# Bytes kept in each folder: a base over a photo compresses little (about 6 MB at
# 1080×1920); one of shapes and a gradient, to some 100 kB.
KEEP_BYTES = 256 << 20
LEVEL = 0  # ISA-L's fastest; any level gives back the same pixels
# Pixels as Pillow holds them, 4 bytes each (RGB with its pad byte): read back with a
# plain copy per row instead of spreading 3 bytes into 4 (a tenth of reading a base).
RAW = {"RGB": "RGBX"}
# The pixels as a raw deflate stream, without zlib's header and adler32: the entry's
# digest already vouches for them, and the checksum was a quarter of inflating a base.
RAW_DEFLATE = -15
PlacedRow = tuple[str, str, tuple[int, int, int, int], str, int]
_BROKEN: type[Exception] = isal_zlib.error  # type: ignore[assignment]  # damaged data
Stored = tuple[Image.Image, tuple[PlacedRow, ...], tuple[str, ...], bool]


@dataclass(frozen=True)
class Pixels:
    """A kept picture's pixels: its rows deflated ``rows`` at a time, each strip on its
    own, decoded where they are wanted (``decode``) or all at once (``image``)."""

    mode: str
    size: tuple[int, int]
    rows: int
    strips: tuple[memoryview, ...]

    def blank(self) -> Image.Image:
        """An image of this size and mode for ``decode`` to fill, not painted first (the
        rows of a strip not decoded into it are left as allocated)."""
        return Image.new(self.mode, self.size, None)

    def decode(self, image: Image.Image, first: int, last: int) -> None:
        """Strips ``first`` to ``last - 1`` into their rows of ``image``."""
        width, height = self.size
        raw = RAW.get(self.mode, self.mode)
        line = width * Image.getmodebands(raw)  # a row's bytes, as kept
        for index in range(first, last):
            top = index * self.rows
            bottom = min(height, top + self.rows)
            # Inflated into a buffer a byte larger than it: grown from ISA-L's default 16 kB,
            # a strip was copied over and over, and one of its size exactly was grown
            # once more (the wrapper looks for more output while the buffer is full).
            size = (bottom - top) * line + 1
            pixels = isal_zlib.decompress(self.strips[index], RAW_DEFLATE, size)
            decoder = _imaging.raw_decoder(self.mode, raw, 0, 1)
            try:
                decoder.setimage(image.im, (0, top, width, bottom))
                consumed, error = decoder.decode(pixels)
            finally:
                decoder.cleanup()
            if consumed >= 0 or error:  # as ``Image.frombytes`` checks its decoder
                raise ValueError("a kept picture's strip does not fill its rows")

    def image(self) -> Image.Image:
        image = self.blank()
        self.decode(image, 0, len(self.strips))
        return image


Loaded = tuple[Pixels, tuple[PlacedRow, ...], tuple[str, ...], bool, Bands]


def keeps(name: str, width: int, height: int) -> bool:
    """Whether a base at this size is worth keeping: a named size, not an ad-hoc ``WxH``."""
    return name != f"{width}x{height}"


def key_of(parts: Sequence[object]) -> str:
    """The entry's name for these inputs (their ``repr``s: plain data, the layers' specs)."""
    digest = hashlib.sha256()
    for part in (FORMAT, code_stamp("cards"), pillow, package_part("cv2"), *parts):
        text = repr(part).encode()
        digest.update(len(text).to_bytes(8, "big"))
        digest.update(text)
    return digest.hexdigest()


def _file(folder: str, key: str) -> Path:
    return cache_root() / folder / f"{key[:40]}.{folder[:-1]}"


def _read(folder: str, key: str, mode: str) -> tuple[dict[str, Any], Pixels, memoryview] | None:
    """An entry's header, pixels and what follows them, or None (absent, damaged, or of
    another shape)."""
    body = read_entry(_file(folder, key))
    if body is None:
        return None
    try:
        size = int.from_bytes(body[:4], "big")
        head = json.loads(body[4 : 4 + size])
        if not isinstance(head, dict) or head["key"] != key or head["mode"] != mode:
            return None
        width, height = (int(v) for v in head["size"])
        rows, lengths = int(head["strips"][0]), [int(n) for n in head["strips"][1]]
        if width <= 0 or height <= 0 or rows <= 0 or len(lengths) != -(-height // rows):
            return None
        view, at, strips = memoryview(body), 4 + size, []
        for length in lengths:
            if length < 0:
                return None
            strips.append(view[at : at + length])
            at += length
        if at > len(body):
            return None
        return head, Pixels(mode, (width, height), rows, tuple(strips)), view[at:]
    except (ValueError, KeyError, TypeError, IndexError):
        return None


def _write(
    folder: str,
    key: str,
    image: Image.Image,
    extra: dict[str, Any],
    tail: bytes = b"",
    rows: int | None = None,
) -> None:
    """Keep ``image`` (in strips of ``rows`` rows, or one) with ``extra`` in its header and
    ``tail`` after its pixels."""
    width, height = image.size
    rows = max(1, rows or height)
    raw = memoryview(image.tobytes("raw", RAW.get(image.mode, image.mode)))
    line = len(raw) // max(1, height)
    strips = []
    for top in range(0, height, rows):
        deflate = isal_zlib.compressobj(LEVEL, isal_zlib.DEFLATED, RAW_DEFLATE)
        strips.append(deflate.compress(raw[top * line : (top + rows) * line]) + deflate.flush())
    head = {"key": key, "mode": image.mode, "size": [width, height]}
    layout = {"strips": [rows, [len(strip) for strip in strips]]}
    data = json.dumps({**head, **layout, **extra}).encode()
    body = b"".join((len(data).to_bytes(4, "big"), data, *strips, tail))
    write_entry(_file(folder, key), body, KEEP, KEEP_BYTES)


def load(key: str) -> Loaded | None:
    """The base kept under ``key`` (its pixels still deflated) with its bands, or None
    (absent, damaged, or of another shape)."""
    found = _read("bases", key, "RGB")
    if found is None:
        return None
    head, pixels, tail = found
    try:
        placed = tuple(_row(p) for p in head["placed"])
        bands = _bands(head["bands"], pixels.size, tail)
        if bands is None:
            return None
        fonts = tuple(str(f) for f in head["fonts"])
        return pixels, placed, fonts, bool(head["on_photo"]), bands
    except (ValueError, KeyError, TypeError, IndexError):
        return None


def _row(p: Any) -> PlacedRow:
    layer, kind, (x0, y0, x1, y1), text, size = p
    return str(layer), str(kind), (int(x0), int(y0), int(x1), int(y1)), str(text), int(size)


def keep(key: str, stored: Stored) -> Bands:
    """Keep a base just drawn (silently not, when the cache cannot be written), with its
    PNG bands, made here; they are returned for the cards drawn over it now."""
    image, placed, fonts, on_photo = stored
    bands = Bands(image.size)
    fast_png(image, bands)  # with no row drawn over it, every band is kept in ``bands``
    layout, tail = _pack(bands)
    extra = {"placed": [list(p) for p in placed], "fonts": list(fonts), "on_photo": on_photo}
    # Its pixels in strips of the bands' rows: a card decodes those its PNG reads.
    _write("bases", key, image, {**extra, "bands": layout}, tail, bands.rows)
    return bands


def _pack(bands: Bands) -> tuple[dict[str, Any], bytes]:
    """``bands`` as the entry's header part (each band's index, checksum and length) and
    its bytes, one band after another."""
    kept = sorted(bands.kept.items())
    png = [[index, adler, len(data)] for index, (data, adler) in kept]
    return {"rows": bands.rows, "png": png}, b"".join(data for _, (data, _) in kept)


def _bands(layout: Any, size: tuple[int, int], tail: memoryview) -> Bands | None:
    """The bands ``_pack`` wrote, or None when the header does not fit this base or the
    bytes that follow it."""
    bands = Bands(size)
    bands.rows = rows = int(layout["rows"])
    if rows <= 0:
        return None
    count = -(-size[1] // rows)  # bands in the image
    at = 0
    for index, adler, length in layout["png"]:
        index, length = int(index), int(length)
        if not 0 <= index < count or index in bands.kept or length < 0:
            return None
        bands.kept[index] = (bytes(tail[at : at + length]), int(adler))
        at += length
    return bands if at == len(tail) else None


def load_cover(key: str) -> Image.Image | None:
    """A photo's crop kept under ``key`` (see ``assets.cover``), or None."""
    return _load_picture("covers", key, "RGBA")


def keep_cover(key: str, image: Image.Image) -> None:
    _write("covers", key, image, {})


def load_shape(key: str) -> Image.Image | None:
    """A shape's mask kept under ``key`` (see ``assets.rounded_mask``), or None."""
    return _load_picture("shapes", key, "L")


def keep_shape(key: str, mask: Image.Image) -> None:
    _write("shapes", key, mask, {})


def _load_picture(folder: str, key: str, mode: str) -> Image.Image | None:
    found = _read(folder, key, mode)
    if found is None or found[2]:
        return None
    try:
        return found[1].image()
    except (ValueError, _BROKEN):
        return None

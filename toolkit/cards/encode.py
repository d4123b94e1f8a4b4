"""PNG, JPEG and WebP bytes within a platform's file-size cap, written atomically.

PNG is written here rather than by Pillow for the first attempt: Pillow's
encoder deflates with zlib (about 19 ms of a 1080×1350 slide at level 1) and
picks a filter per row by trying four. Here every row gets the Up filter
(each byte minus the one above it; computed by Pillow's channel arithmetic,
and it suits cards: gradients, flat colours, text), and ISA-L's deflate
(``isal``) compresses it about five times faster than zlib, at level 0
(one pass, a static Huffman code) for some 30 % more bytes than zlib's
level 1. Not ISA-L's level 1: its output depended on what the process had
done before (the same pixels deflated to different bytes in about one
process in five, so a card drawn again looked "changed" to the week, and a
worker's card differed from the caller's). The image goes through in bands
of rows (a few hundred kB each: filtered and deflated while still in the
processor's cache, twice as fast as whole-image passes on a 1080×1350
slide); each band is deflated on its own and ends on a full flush, so the bands simply follow
one another in one zlib stream. The pixels are the same; any PNG reader
decodes them. A card over its size's ``max_bytes`` is encoded again: JPEG
and WebP at lower qualities, PNG by Pillow at the best compression and then
with a 256-colour palette.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path
from typing import Literal

from isal import isal_zlib  # type: ignore[import-untyped, unused-ignore]
from PIL import Image, ImageChops

from toolkit.errors import InputError

ImageFormat = Literal["png", "jpeg", "webp"]
FORMATS: tuple[ImageFormat, ...] = ("png", "jpeg", "webp")
EXTENSIONS = {"png": ".png", "jpeg": ".jpg", "webp": ".webp"}
PNG_LEVEL = 0  # see the module's docstring: level 1 is not deterministic
# Rows per band: as many as fit this many bytes (121 rows of a 1080-wide card). Smaller
# bands pay more per-band overhead, larger ones leave the processor's cache.
BAND_BYTES = 384 * 1024
_UP = b"\x02"  # the filter byte of a row filtered with Up
_QUALITIES = (90, 82, 74, 66, 58, 50, 40)


def format_for(path: Path) -> ImageFormat | None:
    return {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".webp": "webp"}.get(  # type: ignore[return-value]
        path.suffix.lower()
    )


def _chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))


def fast_png(image: Image.Image) -> bytes:
    """An RGB image as a PNG: the Up filter on every row, deflated by ISA-L at level 0."""
    w, h = image.size
    line = 3 * w + 1  # a row's bytes after its filter byte
    rows = max(1, BAND_BYTES // line)
    parts = [b"\x78\x01"]  # zlib's header: deflate with a 32 kB window
    adler = 1  # zlib's checksum of everything deflated, band after band
    for top in range(0, h, rows):
        data, adler = _band(image, top, min(h, top + rows), adler)
        parts.append(data)
    parts += [b"\x03\x00", struct.pack(">I", adler)]  # an empty final block, the checksum
    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)  # 8-bit RGB, not interlaced
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", b"".join(parts)),
            _chunk(b"IEND", b""),
        )
    )


def _band(image: Image.Image, top: int, bottom: int, adler: int) -> tuple[bytes, int]:
    """Rows ``top`` to ``bottom`` filtered and deflated on their own (ending on a full
    flush, byte-aligned), and the stream's checksum carried on over them."""
    w = image.width
    line = 3 * w + 1
    rows = bottom - top
    here = image.crop((0, top, w, bottom))
    above = image.crop((0, top - 1, w, bottom - 1))  # zeros above the image's first row
    # Every row as ``line`` bytes: its filter byte, then its differences. The packer
    # writes each row followed by one spare byte, which becomes the next row's filter
    # byte; the last row's spare byte is left out of the band.
    size = rows * line
    band = bytearray(size + 1)
    band[1:] = ImageChops.subtract_modulo(here, above).tobytes("raw", ("RGB", line))
    band[0:size:line] = _UP * rows
    body = memoryview(band)[:size]
    deflate = isal_zlib.compressobj(PNG_LEVEL, isal_zlib.DEFLATED, -15)  # raw deflate
    data = deflate.compress(body) + deflate.flush(isal_zlib.Z_FULL_FLUSH)
    return data, isal_zlib.adler32(body, adler)


def _save(image: Image.Image, fmt: ImageFormat, **options: object) -> bytes:
    if options.pop("fast", False):
        return fast_png(image)
    out = io.BytesIO()
    if fmt == "png":
        image.save(out, "PNG", **options)
    elif fmt == "jpeg":
        image.save(out, "JPEG", **options)
    else:
        image.save(out, "WEBP", **options)
    return out.getvalue()


def _attempts(fmt: ImageFormat) -> list[dict[str, object]]:
    """The encoder options tried in turn (the first is every card's under its size's cap)."""
    if fmt == "png":
        return [{"fast": True}, {"compress_level": 9}, {"palette": True}]
    if fmt == "jpeg":
        return [{"quality": q, "subsampling": 0 if q >= 80 else 2} for q in _QUALITIES]
    return [{"quality": q, "method": 2} for q in _QUALITIES]


def encode(image: Image.Image, fmt: ImageFormat, max_bytes: int | None = None) -> bytes:
    """The image as ``fmt``; re-encoded smaller until it is under ``max_bytes``."""
    image = image if image.mode == "RGB" else image.convert("RGB")
    data = b""
    for options in _attempts(fmt):
        if options.pop("palette", False):
            data = _save(image.quantize(256, dither=Image.Dither.NONE), "png", compress_level=9)
        else:
            data = _save(image, fmt, **options)
        if max_bytes is None or len(data) <= max_bytes:
            return data
    raise InputError(
        f"the card is {len(data):,} bytes as {fmt.upper()}, over this size's cap of "
        f"{max_bytes:,} bytes even after re-encoding",
        hint="use --format jpeg, or a layout with less photo detail",
    )

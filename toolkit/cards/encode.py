"""PNG, JPEG and WebP bytes within a platform's file-size cap, written atomically.

PNG is written here rather than by Pillow for the first attempt: Pillow's
encoder deflates with zlib (about 19 ms of a 1080×1350 slide at level 1) and
picks a filter per row by trying four. Here every row gets the Up filter
(each byte minus the one above it; computed for the whole image at once by
Pillow's channel arithmetic, and it suits cards: gradients, flat colours,
text), and ISA-L's deflate (``isal``, level 1) compresses it about five
times faster than zlib for some 10 % more bytes. The pixels are the same;
any PNG reader decodes them. A card over its size's ``max_bytes`` is
encoded again: JPEG and WebP at lower qualities, PNG by Pillow at the best
compression and then with a 256-colour palette.
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
PNG_LEVEL = 1
_QUALITIES = (90, 82, 74, 66, 58, 50, 40)


def format_for(path: Path) -> ImageFormat | None:
    return {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".webp": "webp"}.get(  # type: ignore[return-value]
        path.suffix.lower()
    )


def _chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))


def fast_png(image: Image.Image) -> bytes:
    """An RGB image as a PNG: the Up filter on every row, deflated by ISA-L at level 1."""
    w, h = image.size
    rows = Image.frombytes("L", (3 * w, h), image.tobytes("raw", "RGB"))
    above = rows.crop((0, -1, 3 * w, h - 1))  # the row above; zeros above the first
    filtered = Image.new("L", (3 * w + 1, h), 2)  # each row starts with its filter: 2 (Up)
    filtered.paste(ImageChops.subtract_modulo(rows, above), (1, 0))
    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)  # 8-bit RGB, not interlaced
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", isal_zlib.compress(filtered.tobytes(), PNG_LEVEL)),
            _chunk(b"IEND", b""),
        )
    )


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

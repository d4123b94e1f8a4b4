"""PNG, JPEG and WebP bytes within a platform's file-size cap, written atomically.

PNG uses zlib's fastest level: on a card it is about twice as fast as the
default for a third more bytes. A card over its size's ``max_bytes`` is
encoded again: JPEG and WebP at lower qualities, PNG at the best compression
and then with a 256-colour palette.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Literal

from PIL import Image

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


def _save(image: Image.Image, fmt: ImageFormat, **options: object) -> bytes:
    out = io.BytesIO()
    if fmt == "png":
        image.save(out, "PNG", **options)
    elif fmt == "jpeg":
        image.save(out, "JPEG", **options)
    else:
        image.save(out, "WEBP", **options)
    return out.getvalue()


def attempts(fmt: ImageFormat) -> list[dict[str, object]]:
    """The encoder options tried in turn (the first is every card's under its size's cap)."""
    if fmt == "png":
        return [{"compress_level": PNG_LEVEL}, {"compress_level": 9}, {"palette": True}]
    if fmt == "jpeg":
        return [{"quality": q, "subsampling": 0 if q >= 80 else 2} for q in _QUALITIES]
    return [{"quality": q, "method": 2} for q in _QUALITIES]


def encode(image: Image.Image, fmt: ImageFormat, max_bytes: int | None = None) -> bytes:
    """The image as ``fmt``; re-encoded smaller until it is under ``max_bytes``."""
    image = image if image.mode == "RGB" else image.convert("RGB")
    data = b""
    for options in attempts(fmt):
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

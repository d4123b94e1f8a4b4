"""Keeping words legible on a photo: a scrim over one side, and a shade under the text.

A scrim is a fade of one colour from an edge of the card (the layout's
``scrim`` layer). A shade is drawn only where it is needed: when the text's
contrast against the actual pixels behind it falls short, the photo under
that text is veiled with a soft-edged panel, a step stronger each time,
until the ratio is met.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from PIL import Image, ImageFilter

from toolkit.cards.contrast import against, ratio

RGB = tuple[int, int, int]
Side = Literal["top", "bottom", "left", "right", "all"]
_SHADES = (0.25, 0.4, 0.55, 0.7, 0.85, 1.0)


@lru_cache(maxsize=4)  # a full canvas each; only a new base needs one
def scrim_mask(size: tuple[int, int], side: Side, opacity: float, reach: float) -> Image.Image:
    """Alpha ``opacity`` at the ``side`` edge, fading linearly to 0 at ``reach`` of the card."""
    w, h = size
    top = round(255 * opacity)
    if side == "all":
        return Image.new("L", size, top)
    length = h if side in ("top", "bottom") else w
    span = max(1, round(length * reach))
    ramp = [max(0, round(top * (1 - i / span))) if i < span else 0 for i in range(length)]
    if side in ("bottom", "right"):
        ramp.reverse()
    strip = Image.new("L", (1, length) if side in ("top", "bottom") else (length, 1))
    strip.putdata(ramp)
    return strip.resize(size, Image.Resampling.NEAREST)


def shade_under(
    canvas: Image.Image,
    box: tuple[int, int, int, int],
    text: RGB,
    shades: tuple[RGB, ...],
    needed: float,
    pad: int,
) -> float:
    """Veil ``box`` (plus ``pad``) until ``text`` reaches ``needed``; returns the ratio reached.

    The veil colour is whichever of ``shades`` contrasts most with the text.
    """
    x0, y0, x1, y1 = box
    outer = (
        max(0, x0 - pad),
        max(0, y0 - pad),
        min(canvas.width, x1 + pad),
        min(canvas.height, y1 + pad),
    )
    inner = (x0 - outer[0], y0 - outer[1], x1 - outer[0], y1 - outer[1])
    original = canvas.crop(outer)
    reached = against(original.crop(inner), text)
    if reached >= needed:
        return reached
    veil = Image.new("RGB", original.size, max(shades, key=lambda rgb: ratio(rgb, text)))
    feather = _feather(original.size, inner, max(1, pad // 2))
    for strength in _SHADES:
        mask = feather.point(lambda v, s=strength: round(v * s))
        shaded = Image.composite(veil, original, mask)
        reached = against(shaded.crop(inner), text)
        if reached >= needed or strength == _SHADES[-1]:
            canvas.paste(shaded, outer[:2])
            break
    return reached


@lru_cache(maxsize=16)
def _feather(size: tuple[int, int], inner: tuple[int, int, int, int], radius: int) -> Image.Image:
    """Full strength over ``inner``, fading out over ``radius`` around it."""
    mask = Image.new("L", size, 0)
    grown = (inner[0] - radius, inner[1] - radius, inner[2] + radius, inner[3] + radius)
    mask.paste(255, grown)
    return mask.filter(ImageFilter.GaussianBlur(radius / 2))

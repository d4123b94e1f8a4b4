"""WCAG 2 contrast of a text colour against the pixels behind the text.

The background under a text box may be a gradient or a photo, so the ratio
is taken against every colour in the box (downsampled) and the value that
90 % of the box's area reaches is reported: a few dark pixels of a photo do
not hide a problem, a few bright ones do not invent one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from PIL import Image

AA_NORMAL = 4.5
AA_LARGE = 3.0
PERCENTILE = 0.10
_MAX_PIXELS = 6_000


@lru_cache(maxsize=256)
def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


@lru_cache(maxsize=65536)
def luminance(rgb: tuple[int, int, int]) -> float:
    r, g, b = rgb
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def ratio(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    la, lb = luminance(a), luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def hex_rgb(value: str) -> tuple[int, int, int]:
    value = value.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


Colours = list[tuple[int, tuple[int, int, int]]]


def colours(image: Image.Image, box: tuple[int, int, int, int] | None = None) -> Colours:
    """The colours of ``box`` in ``image`` (all of it without one), downsampled, with
    their counts: reduced straight from the image, with no copy of the box first."""
    x0, y0, x1, y1 = box or (0, 0, image.width, image.height)
    width, height = x1 - x0, y1 - y0
    factor = 1
    while width * height // (factor * factor) > _MAX_PIXELS:
        factor += 1
    if factor > 1:
        small = image.reduce(factor, (x0, y0, x1, y1))
    else:
        small = image.crop((x0, y0, x1, y1)) if box else image
    if small.mode != "RGB":
        small = small.convert("RGB")
    found = small.getcolors(small.width * small.height) or []  # (count, (r, g, b)) in RGB
    return found  # type: ignore[return-value]


def against(region: Image.Image, colour: tuple[int, int, int]) -> float:
    """The contrast ratio ``colour`` reaches over 90 % of ``region``."""
    return rate(colours(region), colour)


def rate(colours: Colours, colour: tuple[int, int, int]) -> float:
    """The contrast ratio ``colour`` reaches over 90 % of the area ``colours`` counts."""
    if not colours:
        return 21.0
    # ratio(colour, rgb) for each colour, with the text's luminance taken once.
    own = luminance(colour) + 0.05
    rated = sorted(
        ((own / other if own > other else other / own), count)
        for count, other in ((count, luminance(rgb) + 0.05) for count, rgb in colours)
    )
    total = sum(count for _, count in rated)
    threshold = total * PERCENTILE
    seen = 0
    for value, count in rated:
        seen += count
        if seen > threshold:
            return value
    return rated[-1][0]


def least(
    low: tuple[int, int, int], high: tuple[int, int, int], colour: tuple[int, int, int]
) -> float:
    """A floor under ``rate(found, colour)`` for any colours ``found`` whose every channel
    lies between ``low``'s and ``high``'s: luminance grows with each channel, so theirs
    lies between ``luminance(low)`` and ``luminance(high)``, and the ratio to the text's
    is at least the one to the nearer end (1 when the text's is in between)."""
    own = luminance(colour) + 0.05
    darkest, brightest = luminance(low) + 0.05, luminance(high) + 0.05
    if own > brightest:
        return own / brightest
    if own < darkest:
        return darkest / own
    return 1.0


def is_large(size_px: float, bold: bool, css_scale: float) -> bool:
    """WCAG's large text: 18 pt (24 CSS px), or 14 pt (18.66 px) bold, at display size."""
    css = size_px * css_scale
    return css >= 24 or (bold and css >= 18.66)


@dataclass(frozen=True)
class ContrastWarning:
    layer: str
    ratio: float
    needed: float
    text: str

    def __str__(self) -> str:
        return (
            f"text '{self.layer}' has a contrast of {self.ratio:.1f}:1 against its background, "
            f"below WCAG's {self.needed:g}:1 ({self.text!r})"
        )

"""The background gradient: the same pixels as its formula, whatever the size and angle."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from toolkit.cards.assets import _gradient_mask


def _by_formula(size: tuple[int, int], angle: float) -> bytes:
    """Every mask value from the gradient's definition, one pixel at a time."""
    w, h = size
    sw, sh = max(2, w // 8), max(2, h // 8)
    dx, dy = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    extent = (abs(sw * dx) + abs(sh * dy)) / 2 or 1.0
    cx, cy = (sw - 1) / 2, (sh - 1) / 2
    values = [
        max(0, min(255, round((((x - cx) * dx + (y - cy) * dy) / extent + 1) * 127.5)))
        for y in range(sh)
        for x in range(sw)
    ]
    small = Image.frombytes("L", (sw, sh), bytes(values))
    return small.resize(size, Image.Resampling.BILINEAR).tobytes()


@settings(max_examples=60, deadline=None)
@given(
    st.tuples(st.integers(1, 700), st.integers(1, 700)),
    st.one_of(st.sampled_from([0.0, 20.0, 35.0, 45.0, 90.0, 180.0, 270.0]), st.floats(-720, 720)),
)
def test_the_mask_is_the_gradient_formula_pixel_for_pixel(
    size: tuple[int, int], angle: float
) -> None:
    _gradient_mask.cache_clear()
    assert _gradient_mask(size, angle).tobytes() == _by_formula(size, angle)

"""Glyph masks blended by pasting a block of the colour through them (``blocks._Ink``):
the bytes of Pillow's own ``draw_bitmap``, pad byte included, at any place."""

from __future__ import annotations

import random

import pytest
from PIL import Image, ImageDraw

from toolkit.cards.blocks import _Ink


@pytest.mark.parametrize("seed", range(6))
def test_a_pasted_mask_blends_as_draw_bitmap(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(40):
        w, h = rng.randint(0, 90), rng.randint(0, 70)
        mask = Image.frombytes("L", (w, h), rng.randbytes(w * h)).im
        background = tuple(rng.randint(0, 255) for _ in range(3))
        colour = (rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255))
        xy = (rng.randint(-100, 220), rng.randint(-80, 160))
        theirs = Image.new("RGB", (200, 150), background)
        ours = theirs.copy()
        draw = ImageDraw.Draw(theirs)
        draw.draw.draw_bitmap(xy, mask, draw._getink(colour)[0])
        drawn: list[tuple[int, int]] = []
        mine = ImageDraw.Draw(ours)
        _Ink(ours, colour, mine.draw, drawn).draw_bitmap(xy, mask, mine._getink(colour)[0])
        assert ours.tobytes("raw", "RGBX") == theirs.tobytes("raw", "RGBX")
        assert drawn == [(xy[1], xy[1] + h)]


def test_other_canvases_keep_draw_bitmap() -> None:
    mask = Image.new("L", (5, 5), 200).im
    for mode, colour in (("RGBA", (10, 20, 30, 128)), ("L", 90)):
        theirs = Image.new(mode, (20, 20))
        ours = theirs.copy()
        draw = ImageDraw.Draw(theirs)
        draw.draw.draw_bitmap((3, 4), mask, draw._getink(colour)[0])
        mine = ImageDraw.Draw(ours)
        _Ink(ours, colour, mine.draw, None).draw_bitmap((3, 4), mask, mine._getink(colour)[0])  # type: ignore[arg-type]
        assert ours.tobytes() == theirs.tobytes()

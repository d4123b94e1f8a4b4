"""Colour emoji from the system's emoji font, scaled to the text and cached.

Noto Color Emoji is a bitmap (CBDT) font with a single strike of 109 pixels
per em: FreeType refuses any other size. Each emoji sequence is drawn once at
the font's strike with its embedded colours (raqm shapes ZWJ sequences, skin
tones and flags into one glyph), then scaled to the line's size.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from toolkit.cards.fonts import LAYOUT, RAQM, Face

STRIKES = (109, 136, 128, 96, 72, 64, 48, 32, 20)
SCALE = 0.88  # an emoji's em relative to the text's em: close to a capital's height plus


@dataclass(frozen=True)
class EmojiGlyph:
    image: Image.Image  # RGBA, already scaled
    left: int  # offset from the pen position
    top: int  # offset from the baseline (negative: above it)
    advance: float


@lru_cache(maxsize=4)
def _strike_font(face: Face) -> tuple[ImageFont.FreeTypeFont, int] | None:
    assert face.path is not None
    for strike in STRIKES:
        try:
            return ImageFont.truetype(
                face.path, strike, index=face.index, layout_engine=LAYOUT
            ), strike
        except OSError:
            continue
    return None


def usable(face: Face | None) -> bool:
    return face is not None and face.path is not None and _strike_font(face) is not None


def _drawable(cluster: str) -> str:
    # Without raqm a sequence cannot be shaped: draw its first emoji alone.
    return cluster if RAQM else cluster[:1]


@lru_cache(maxsize=4096)
def advance(face: Face, cluster: str, size: int) -> float:
    loaded = _strike_font(face)
    if loaded is None:
        return 0.0
    font, strike = loaded
    return font.getlength(_drawable(cluster)) * SCALE * size / strike


@lru_cache(maxsize=1024)
def glyph(face: Face, cluster: str, size: int) -> EmojiGlyph | None:
    loaded = _strike_font(face)
    if loaded is None:
        return None
    font, strike = loaded
    text = _drawable(cluster)
    left, top, right, bottom = (int(v) for v in font.getbbox(text, anchor="ls"))
    width, height = max(1, right - left), max(1, bottom - top)
    canvas = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    ImageDraw.Draw(canvas).text((-left, -top), text, font=font, anchor="ls", embedded_color=True)
    scale = SCALE * size / strike
    target = (max(1, round(width * scale)), max(1, round(height * scale)))
    scaled = canvas.convert("RGBa").resize(target, Image.Resampling.LANCZOS).convert("RGBA")
    return EmojiGlyph(scaled, round(left * scale), round(top * scale), advance(face, cluster, size))

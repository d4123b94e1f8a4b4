"""Drawing fitted text blocks, and the initials that stand in for a missing photo."""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import regex  # type: ignore[import-untyped, unused-ignore]
from PIL import (
    Image,
    ImageDraw,
    _imaging,  # type: ignore[attr-defined, unused-ignore]
)

from toolkit.cards import emoji as emoji_mod
from toolkit.cards import glyphs
from toolkit.cards.contrast import against
from toolkit.cards.fonts import RAQM, Face, FontChain, font, needs_glyph
from toolkit.cards.runs import Block, DoesNotFit, FitSpec, MissingGlyphs
from toolkit.cards.text import Typesetter
from toolkit.text import casing

RGB = tuple[int, int, int]


@lru_cache(maxsize=64)
def typesetter(faces: tuple[Face, ...], lang: str, bold: bool, locale: str) -> Typesetter:
    return Typesetter(FontChain(faces, lang, bold), locale)


class _Rows:
    """A canvas's drawing core for glyph masks: each blends the ink through its mask as
    ``ImageDraw``'s ``draw_bitmap`` does (the same bytes), and notes the rows it covers
    (in ``drawn``, when given), widening ``columns`` (x0, x1) to the columns it covers.

    The ink goes in as a block of its colour pasted through the mask, not as a fill:
    Pillow's fill through an "L" mask costs the same at every pixel, ink, edge or empty
    (some 90 instructions a pixel, a third of a card's), and a paste of a block of the
    colour does the same arithmetic for about half of that. The block is made once
    per size of mask for each colour (the glyphs of a run share a few sizes)."""

    __slots__ = ("blocks", "columns", "core", "drawn", "image", "quiet")

    def __init__(
        self,
        image: Any,
        core: Any,
        drawn: list[tuple[int, int]] | None,
        columns: list[int],
        blocks: dict[tuple[Any, int, int], Any] | None = None,
    ) -> None:
        self.image = image  # the canvas's ImagingCore
        self.core = core
        self.drawn = drawn
        self.columns = columns
        self.quiet: _Rows | None = None
        self.blocks = {} if blocks is None else blocks

    def note(self, x0: int, y0: int, x1: int, y1: int) -> _Rows:
        """Note that the box x0, y0, x1, y1 is drawn on; returns this core without the
        noting, for the masks drawn within it (a run of glyphs: one span, not one each)."""
        if self.drawn is None:
            return self
        self.drawn.append((y0, y1))
        widen(self.columns, x0, x1)
        if self.quiet is None:
            self.quiet = _Rows(self.image, self.core, None, self.columns, self.blocks)
        return self.quiet

    def draw_bitmap(self, xy: tuple[int, int], bitmap: Any, ink: Any) -> None:
        width, height = bitmap.size
        x, y = xy
        if self.drawn is not None:
            self.drawn.append((y, y + height))
            widen(self.columns, x, x + width)
        if self.image.mode != "RGB" or bitmap.mode != "L":  # Pillow's own blend differs
            self.core.draw_bitmap(xy, bitmap, ink)
        elif width and height:
            key = (ink, width, height)
            block = self.blocks.get(key)
            if block is None:
                block = self.blocks[key] = _imaging.fill("RGB", (width, height), ink)
            self.image.paste(block, (x, y, x + width, y + height), bitmap)


def widen(columns: list[int], x0: int, x1: int) -> None:
    """Widen ``columns`` (x0, x1) to take in x0 to x1."""
    if x0 < columns[0]:
        columns[0] = x0
    if x1 > columns[1]:
        columns[1] = x1


def draw_block(
    canvas: Image.Image,
    block: Block,
    anchor_x: float,
    top: float,
    align: str,
    colour: RGB,
    fonts: dict[str, None],
    drawn: list[tuple[int, int]] | None = None,
    columns: list[int] | None = None,
) -> tuple[int, int, int, int]:
    """Draw ``block`` run by run; returns its box; records the fonts used in ``fonts``,
    and (with ``drawn``) the spans of rows [top, bottom) any ink went to, widening
    ``columns`` (x0, x1) to the columns it went to."""
    draw = ImageDraw.Draw(canvas)
    columns = [canvas.width, 0] if columns is None else columns
    core = _Rows(canvas.im, draw.draw, drawn, columns)
    ink = draw._getink(colour)[0]
    bounds = [canvas.width, canvas.height, 0, 0]
    for i, line in enumerate(block.lines):
        baseline = top + block.ascent + i * block.gap
        x = {"left": anchor_x, "center": anchor_x - line.width / 2, "right": anchor_x - line.width}[
            align
        ]
        for run in line.runs:
            fonts[run.face.label] = None
            if run.emoji:
                g = emoji_mod.glyph(run.face, run.text, block.size)
                if g is not None:
                    pos = (round(x + run.x + g.left), round(baseline + g.top))
                    if drawn is not None:
                        drawn.append((pos[1], pos[1] + g.image.height))
                        widen(columns, pos[0], pos[0] + g.image.width)
                    canvas.paste(g.image, pos, g.image)
                continue
            text = run.text if RAQM else "".join(c for c in run.text if needs_glyph(ord(c)))
            direction = ("rtl" if run.rtl else "ltr") if RAQM else None
            pen = (x + run.x, baseline)
            if direction != "ltr" or not glyphs.draw(
                core, pen, run.face, block.size, text, run.lang, run.width, ink
            ):
                _text(draw, pen, text, run.face, block.size, direction, run.lang, ink, core)
        if line.runs:
            bounds[0] = min(bounds[0], int(x))
            bounds[2] = max(bounds[2], int(x + line.width + 0.999))
        bounds[1] = min(bounds[1], int(baseline - block.ascent))
        bounds[3] = max(bounds[3], int(baseline + block.descent + 0.999))
    return bounds[0], bounds[1], bounds[2], bounds[3]


def _text(
    draw: ImageDraw.ImageDraw,
    xy: tuple[float, float],
    text: str,
    face: Face,
    size: int,
    direction: str | None,
    lang: str,
    ink: Any,
    core: Any = None,
) -> None:
    """``draw.text(xy, text, anchor="ls")`` for one line, with its glyph mask cached
    (blended through ``core``, a drawing core such as ``_Rows``, when given).

    The same steps as Pillow's ``ImageDraw.text`` (the mask of the line at the
    position's fraction, blended at its integer part), so the pixels are the same;
    a line drawn again at the same place (a subtitle, a page footer) skips
    FreeType's rasterizing, which is most of a card's drawing time.
    """
    x, y = int(xy[0]), int(xy[1])
    start = (math.modf(xy[0])[0], math.modf(xy[1])[0])
    mask, offset = _line_mask(face, size, text, direction, lang if direction else None, start)
    (core or draw.draw).draw_bitmap((x + offset[0], y + offset[1]), mask, ink)


@lru_cache(maxsize=32)
def _line_mask(
    face: Face,
    size: int,
    text: str,
    direction: str | None,
    lang: str | None,
    start: tuple[float, float],
) -> tuple[Any, tuple[int, int]]:
    return font(face, size).getmask2(text, "L", direction, None, lang, 0, "ls", 0, start)


@lru_cache(maxsize=4096)
def _run_ink(face: Face, size: int, text: str, emoji: bool) -> tuple[float, float]:
    if emoji:
        g = emoji_mod.glyph(face, text, size)
        return (g.top, g.top + g.image.height) if g is not None else (0.0, 0.0)
    plain = glyphs.ink(face, size, text)
    if plain is not None:
        return plain
    _, top, _, bottom = font(face, size).getbbox(text, anchor="ls")
    return top, bottom


def _ink(block: Block, top: float) -> tuple[float, float]:
    """The top of the first line's ink and the bottom of the last line's (for chips)."""

    def extent(line_index: int) -> tuple[float, float]:
        highest, lowest = 0.0, 0.0
        for run in block.lines[line_index].runs:
            t, b = _run_ink(run.face, block.size, run.text, run.emoji)
            highest, lowest = min(highest, t), max(lowest, b)
        return highest, lowest

    first_baseline = top + block.ascent
    last_baseline = first_baseline + block.gap * (len(block.lines) - 1)
    return first_baseline + extent(0)[0], last_baseline + extent(len(block.lines) - 1)[1]


def initials(name: str, locale: str) -> str:
    """ "Ada Lovelace" → "AL"; a name in an unspaced script → its first character."""
    words = [w for w in regex.split(r"[\s・·]+", name.strip()) if w]
    if not words:
        return ""
    firsts = [str(regex.match(r"\X", w).group()) for w in words]  # type: ignore[union-attr]
    if regex.search(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]", words[0]):
        return firsts[0]
    return casing.upper(firsts[0] + (firsts[-1] if len(firsts) > 1 else ""), locale)


@lru_cache(maxsize=64)
def initials_tile(
    letters: str,
    size: tuple[int, int],
    disc: RGB,
    options: tuple[RGB, ...],
    faces: tuple[Face, ...],
    lang: str,
    locale: str,
) -> tuple[Image.Image, tuple[str, ...]]:
    """A disc colour tile with the initials centred in the most legible of ``options``."""
    w, h = size
    tile = Image.new("RGB", size, disc)
    ts = typesetter(faces, lang, True, locale)
    try:
        block = ts.fit(letters, (w * 0.64, h * 0.5), FitSpec(8, h * 0.42, 1, 1.0, False, False))
    except (MissingGlyphs, DoesNotFit):
        return tile, ()
    sample = Image.new("RGB", (4, 4), disc)
    colour = max(options, key=lambda rgb: against(sample, rgb))
    fonts: dict[str, None] = {}
    ink_top, ink_bottom = _ink(block, 0.0)
    draw_block(tile, block, w / 2, h / 2 - (ink_top + ink_bottom) / 2, "center", colour, fonts)
    return tile, tuple(fonts)

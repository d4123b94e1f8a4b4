"""What text layout produces: pieces, tokens, runs, lines and fitted blocks."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.cards.fonts import Face


class MissingGlyphs(Exception):
    def __init__(self, chars: list[str]) -> None:
        super().__init__(chars)
        self.chars = chars


class DoesNotFit(Exception):
    pass


@dataclass(frozen=True)
class Piece:
    text: str
    face: Face
    emoji: bool
    lang: str


@dataclass(frozen=True)
class Token:
    pieces: tuple[Piece, ...]
    glue: str  # the white space after it: "" where a line may break without one
    direction: str  # "L", "R" or "N" (neutral)
    splittable: bool  # a phrase of an unspaced script: may break between characters


@dataclass(frozen=True)
class Run:
    text: str
    face: Face
    emoji: bool
    lang: str
    rtl: bool
    x: float
    width: float


@dataclass(frozen=True)
class Line:
    runs: tuple[Run, ...]
    width: float


@dataclass(frozen=True)
class Block:
    size: int
    lines: tuple[Line, ...]
    ascent: int
    descent: int
    gap: float  # baseline to baseline
    rtl: bool
    truncated: bool = False

    @property
    def height(self) -> float:
        return self.ascent + self.descent + self.gap * (len(self.lines) - 1)


@dataclass(frozen=True)
class FitSpec:
    min_size: float
    max_size: float
    max_lines: int
    line_height: float
    ellipsis: bool
    rtl: bool
    balance: bool = False

"""Card sizes and the safe zone of each: where text can be read once a platform shows it.

Sizes live in ``templates/cards/formats.yaml``. A size is asked for by name
(``youtube-thumbnail``), by a platform's image name (``instagram-portrait``,
listed as an alias) or as ``WxH``; a ``WxH`` that matches no listed size gets
a plain margin as its safe zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from toolkit.errors import InputError, Location, NotFoundError, did_you_mean
from toolkit.files.models import FileName, Model
from toolkit.files.validation import validate
from toolkit.files.workspace import find_file
from toolkit.files.yaml_reader import Marks, load_yaml

Shape = Literal["landscape", "square", "portrait", "story"]
SHAPES: tuple[Shape, ...] = ("landscape", "square", "portrait", "story")
_WXH = re.compile(r"^\s*(\d{2,5})\s*[x×X]\s*(\d{2,5})\s*$")


class Insets(Model):
    """Pixels along each edge that a platform may cover or crop."""

    top: int = Field(0, ge=0)
    right: int = Field(0, ge=0)
    bottom: int = Field(0, ge=0)
    left: int = Field(0, ge=0)


class Avoid(Model):
    """A rectangle covered by the platform's own UI (e.g. YouTube's duration badge)."""

    box: tuple[int, int, int, int] = Field(description="[x, y, width, height] in pixels.")
    why: str = ""


class Format(Model):
    width: int = Field(ge=64, le=4096)
    height: int = Field(ge=64, le=4096)
    use: str = ""
    shape: Shape | None = Field(None, description="Which layout variant; default: from the ratio.")
    safe: Insets = Insets()
    avoid: list[Avoid] = []
    max_bytes: int | None = Field(None, ge=10_000)
    display_width: int | None = Field(
        None, ge=50, description="CSS pixels the card is usually seen at (WCAG text sizes)."
    )
    aliases: list[FileName] = []  # part of a card's file name

    @model_validator(mode="after")
    def _inside(self) -> Format:
        if self.safe.left + self.safe.right >= self.width // 2:
            raise ValueError("the safe zone leaves less than half the width")
        if self.safe.top + self.safe.bottom >= self.height // 2:
            raise ValueError("the safe zone leaves less than half the height")
        return self


class Formats(Model):
    custom_margin: float = Field(
        0.03, ge=0, le=0.2, description="Safe margin of a WxH size, as a share of each side."
    )
    display_width: int = Field(500, ge=50)
    sizes: dict[FileName, Format]  # a size's name is part of its card's file name


@dataclass(frozen=True)
class Size:
    """A resolved size: its name, pixels, the layout variant it uses and its safe zone."""

    name: str
    width: int
    height: int
    shape: Shape
    safe: tuple[int, int, int, int]  # x0, y0, x1, y1 (exclusive) where text may go
    avoid: tuple[tuple[tuple[int, int, int, int], str], ...]  # (x0, y0, x1, y1), why
    max_bytes: int | None
    display_width: int

    @property
    def label(self) -> str:
        return f"{self.width}×{self.height}"


def shape_of(width: int, height: int) -> Shape:
    ratio = width / height
    if ratio >= 1.3:
        return "landscape"
    if ratio >= 0.9:
        return "square"
    if ratio >= 0.62:
        return "portrait"
    return "story"


@dataclass(frozen=True)
class FormatBook:
    formats: Formats
    path: Path
    marks: Marks

    def names(self) -> list[str]:
        return list(self.formats.sizes)

    def resolve(self, spec: str, *, max_bytes: int | None = None) -> Size:
        """A size by name, alias or ``WxH``; unknown names get a did-you-mean."""
        key = spec.strip()
        sizes = self.formats.sizes
        found = sizes.get(key)
        name = key
        if found is None:
            for other, fmt in sizes.items():
                if key in fmt.aliases:
                    name, found = other, fmt
                    break
        if found is None:
            match = _WXH.match(key)
            if match is None:
                aliases = [a for f in sizes.values() for a in f.aliases]
                raise NotFoundError(
                    f"unknown card size '{spec}'",
                    hint=did_you_mean(key, [*sizes, *aliases])
                    or "use a size name (toolkit render --help lists them) or WxH, e.g. 1200x630",
                )
            width, height = int(match[1]), int(match[2])
            if not (64 <= width <= 4096 and 64 <= height <= 4096):
                raise InputError(
                    f"card size {width}×{height} is out of range",
                    hint="width and height go from 64 to 4096 pixels",
                )
            for other, fmt in sizes.items():
                if (fmt.width, fmt.height) == (width, height):
                    return self._size(other, fmt, max_bytes)
            margin_x = round(width * self.formats.custom_margin)
            margin_y = round(height * self.formats.custom_margin)
            custom = Format(
                width=width,
                height=height,
                safe=Insets(top=margin_y, right=margin_x, bottom=margin_y, left=margin_x),
            )
            return self._size(f"{width}x{height}", custom, max_bytes)
        return self._size(name, found, max_bytes)

    def _size(self, name: str, fmt: Format, max_bytes: int | None) -> Size:
        s = fmt.safe
        return Size(
            name=name,
            width=fmt.width,
            height=fmt.height,
            shape=fmt.shape or shape_of(fmt.width, fmt.height),
            safe=(s.left, s.top, fmt.width - s.right, fmt.height - s.bottom),
            avoid=tuple(
                ((a.box[0], a.box[1], a.box[0] + a.box[2], a.box[1] + a.box[3]), a.why)
                for a in fmt.avoid
            ),
            max_bytes=max_bytes if max_bytes is not None else fmt.max_bytes,
            display_width=fmt.display_width or self.formats.display_width,
        )

    def location(self, name: str) -> Location:
        return self.marks.at(("sizes", name))


def load_formats(roots: tuple[Path, ...]) -> FormatBook:
    path = find_file(list(roots), "cards/formats.yaml")
    if path is None:
        raise NotFoundError("templates/cards/formats.yaml is missing")
    return _parse(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _parse(path: Path, stamp: int) -> FormatBook:
    del stamp  # part of the cache key: an edited file is read again
    doc = load_yaml(path)
    formats = validate(Formats, doc, what="card formats file")
    for name, fmt in formats.sizes.items():
        for avoid in fmt.avoid:
            x, y, w, h = avoid.box
            if w <= 0 or h <= 0 or x < 0 or y < 0 or x + w > fmt.width or y + h > fmt.height:
                raise InputError(
                    f"sizes.{name}: the avoided box {list(avoid.box)} is not inside the card",
                    location=doc.marks.at(("sizes", name, "avoid")),
                )
    return FormatBook(formats, path, doc.marks)

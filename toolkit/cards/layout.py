"""Card layouts: declarative layers in ``templates/cards/<name>.yaml``.

A layout has one variant per shape (landscape, square, portrait, story), each
designed on a reference canvas (``design: [1280, 720]``) in pixels; a card of
another size in the same shape is scaled to it. Text fields are Jinja
templates, ``when`` and ``image`` are Jinja expressions, all rendered in the
copy templates' sandbox.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from toolkit.cards.formats import SHAPES, Shape
from toolkit.cards.layout_files import layout_file
from toolkit.cards.layout_files import layout_names as layout_names  # api's import
from toolkit.errors import Location, NotFoundError, did_you_mean
from toolkit.files.models import Model
from toolkit.files.text_files import read_text
from toolkit.files.validation import validate
from toolkit.files.yaml_reader import Marks, parse_yaml

ROLES = ("primary", "secondary", "accent", "background", "text", "white", "black")
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def _colour(value: str) -> str:
    if value in ROLES or value == "auto" or _HEX.match(value):
        return value
    raise PydanticCustomError(
        "colour",
        "'{value}' is not a colour",
        {
            "value": value,
            "hint": did_you_mean(value, [*ROLES, "auto"])
            or "use a brand colour role (" + ", ".join(ROLES) + "), auto, or #RRGGBB",
        },
    )


Colour = Annotated[str, AfterValidator(_colour)]


def _box(value: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    if value[2] <= 0 or value[3] <= 0:
        raise PydanticCustomError("box", "a box needs a positive width and height")
    return value


Box = Annotated[
    tuple[float, float, float, float],
    AfterValidator(_box),
    Field(description="[x, y, width, height] in pixels of the variant's design canvas."),
]


class Layer(Model):
    name: str | None = Field(None, description="Named in messages; default: the layer's type.")
    when: str | None = Field(None, description="Jinja expression; the layer is drawn when true.")


class Gradient(Model):
    start: Colour
    end: Colour
    angle: float = Field(90, description="Degrees: 0 left to right, 90 top to bottom.")


class Background(Layer):
    type: Literal["background"]
    colour: Colour | None = None
    gradient: Gradient | None = None
    image: str | None = Field(
        None,
        description="Jinja expression giving an image: a path, or `photo` (the brief's, "
        "--image, or a video frame), cropped to cover the card around its focus.",
    )

    @model_validator(mode="after")
    def _one(self) -> Background:
        if [self.colour, self.gradient, self.image].count(None) != 2:
            raise ValueError("a background has exactly one of colour, gradient or image")
        return self


class Figure(Layer):
    type: Literal["rect", "ellipse"]
    box: Box
    colour: Colour
    opacity: float = Field(1.0, ge=0, le=1)
    radius: float = Field(0, ge=0, description="Corner radius of a rect, in design pixels.")
    behind_text: bool = Field(
        False, description="Text may lie over it (a band or panel); else text must keep clear."
    )


class Scrim(Layer):
    """A fade of one colour from an edge, so text stays legible over a photo."""

    type: Literal["scrim"]
    colour: Colour = "black"
    side: Literal["top", "bottom", "left", "right", "all"] = "bottom"
    opacity: float = Field(0.75, ge=0, le=1, description="Strength at the edge.")
    reach: float = Field(0.6, gt=0, le=1, description="Share of the card the fade spans.")


class Logo(Layer):
    type: Literal["logo"]
    box: Box
    align: Literal["left", "center", "right"] = "left"
    valign: Literal["top", "middle", "bottom"] = "middle"


class Photo(Layer):
    type: Literal["photo"]
    box: Box
    image: str = Field(description="Jinja expression giving a photo, e.g. event.speakers[0].photo")
    initials: str | None = Field(
        None, description="Jinja template of a name: its initials stand in for a missing photo."
    )
    shape: Literal["circle", "square"] = "circle"
    ring: Colour | None = None
    ring_width: float = Field(0, ge=0)
    colour: Colour = Field("primary", description="Disc colour behind the initials.")


class Text(Layer):
    type: Literal["text"]
    text: str = Field(description="Jinja template; an empty result skips the layer.")
    box: Box
    font: Literal["heading", "body"] = "body"
    colour: Colour = "text"
    align: Literal["left", "center", "right"] = "left"
    valign: Literal["top", "middle", "bottom"] = "top"
    max_lines: int = Field(3, ge=1, le=20)
    min_size: float = Field(20, gt=4)
    max_size: float = Field(64, gt=4)
    line_height: float = Field(1.15, ge=0.8, le=3)
    uppercase: bool = False
    overflow: Literal["error", "ellipsis"] = Field(
        "error", description="What to do when the text cannot fit at min_size."
    )
    balance: bool = Field(False, description="Even out line lengths (no lone last word).")
    decorative: bool = Field(False, description="Ornament only: no contrast check.")
    chip: Colour | None = Field(None, description="A rounded label drawn behind the text.")
    chip_padding: float = Field(0.45, ge=0, le=2, description="Around the text, in ems.")
    chip_radius: float = Field(0.5, ge=0, le=0.5, description="Share of the chip's height.")

    @model_validator(mode="after")
    def _sizes(self) -> Text:
        if self.min_size > self.max_size:
            raise ValueError("min_size must not be larger than max_size")
        return self


AnyLayer = Annotated[Background | Figure | Scrim | Logo | Photo | Text, Field(discriminator="type")]


class Variant(Model):
    design: tuple[int, int] = Field(description="The canvas the boxes were drawn on: [w, h].")
    layers: list[AnyLayer]


class Layout(Model):
    description: str = ""
    requires: list[
        Literal["message", "key_points", "quote", "cta", "event", "speakers", "title", "slide"]
    ] = Field([], description="Brief fields the layout needs; without them it is skipped.")
    alt: str = Field(description="Jinja template of the card's alt text.")
    variants: dict[Shape, Variant]

    @model_validator(mode="after")
    def _some(self) -> Layout:
        if not self.variants:
            raise ValueError("a layout needs at least one variant")
        return self


@dataclass(frozen=True)
class LoadedLayout:
    name: str
    layout: Layout
    path: Path
    marks: Marks
    # Each layer's location, found once: every card passes them to its fields (for
    # messages), a dozen look-ups of the marks per card.
    _locations: dict[tuple[str, int, str | None], Location] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )

    def variant(self, shape: Shape) -> tuple[Shape, Variant]:
        """The variant for ``shape``, or the nearest one the layout has."""
        order = sorted(SHAPES, key=lambda s: abs(SHAPES.index(s) - SHAPES.index(shape)))
        for candidate in order:
            found = self.layout.variants.get(candidate)
            if found is not None:
                return candidate, found
        raise AssertionError("validated layouts have a variant")

    def layer_location(self, shape: Shape, index: int, field: str | None = None) -> Location:
        key = (shape, index, field)
        found = self._locations.get(key)
        if found is None:
            path: tuple[str | int, ...] = ("variants", shape, "layers", index)
            found = self._locations[key] = self.marks.at((*path, field) if field else path)
        return found


def load_layout(roots: tuple[Path, ...], name: str) -> LoadedLayout:
    path = layout_file(roots, name)
    if path is None:
        raise NotFoundError(
            f"unknown card layout '{name}'",
            hint=did_you_mean(name, layout_names(roots)),
        )
    return _parse(name, path, path.stat().st_mtime_ns)


@lru_cache(maxsize=64)
def _parse(name: str, path: Path, stamp: int) -> LoadedLayout:
    """The layout, from the user cache (``layout_cache``) when it holds this file's
    text parsed, else parsed (and kept there for the next run)."""
    del stamp  # part of the cache key: an edited layout is read again
    from toolkit.cards import layout_cache

    text = read_text(path)
    key = layout_cache.key_of(path, text.encode("utf-8"))
    kept = layout_cache.load(key)
    if kept is not None and kept.name == name and kept.path == path:
        return kept
    doc = parse_yaml(text, path)
    loaded = LoadedLayout(name, validate(Layout, doc, what="card layout"), path, doc.marks)
    layout_cache.keep(key, loaded)
    return loaded

"""Compose a card: draw a layout variant's layers, in order, on a canvas of the size asked.

Leading layers that do not depend on the brief (backgrounds, shapes, the
logo) are drawn once per layout, size and brand and reused (kept between runs
by ``base_cache``; the first card over a base read back decodes only the rows it
reaches and its PNG reads, on a ``_Partial`` canvas). Every text box
is kept inside the size's safe zone, fitted, checked for contrast against
what is already drawn behind it, then drawn run by run. A text layer that comes
back the same over the same base (a subtitle, a brand name) is pasted from the
rows it drew the second time, while its rows are still the base's.
"""

from __future__ import annotations

import itertools
import math
import os
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PIL import (
    Image,
    _imaging,  # type: ignore[attr-defined, unused-ignore]
)

from toolkit.campaign.facts import PhotoRef
from toolkit.cards import base_cache
from toolkit.cards.assets import (
    Palette,
    Picture,
    _stamp,
    brand_faces,
    brand_stamps,
    contain,
    cover,
    gradient,
    logo_file,
    open_image,
    rounded_mask,
)
from toolkit.cards.bidi import paragraph_rtl
from toolkit.cards.blocks import _ink, draw_block, initials, initials_tile, typesetter, widen
from toolkit.cards.context import (
    CardSource,
    StillPhoto,
    card_environment,
    evaluate,
    inside,
    render_text,
)
from toolkit.cards.contrast import (
    AA_LARGE,
    AA_NORMAL,
    Colours,
    ContrastWarning,
    colours,
    is_large,
    least,
    rate,
)
from toolkit.cards.encode import Bands, band_rows, merge_runs, reach
from toolkit.cards.formats import Size
from toolkit.cards.geometry import touches
from toolkit.cards.layout import (
    AnyLayer,
    Background,
    Figure,
    LoadedLayout,
    Logo,
    Photo,
    Scrim,
    Text,
)
from toolkit.cards.problems import missing_glyphs_error, no_fit_error
from toolkit.cards.runs import Block, DoesNotFit, FitSpec, MissingGlyphs
from toolkit.cards.scrim import scrim_mask, shade_under
from toolkit.errors import InputError, Location
from toolkit.text import casing

Box = tuple[float, float, float, float]  # x0, y0, x1, y1
# Full-canvas bases, most recently used last. A few are enough: a batch draws a
# handful of layouts and sizes over and over, and each entry is a whole canvas
# (3.7 MB at 1280×720), so the bound is what keeps memory flat over many sizes.
_BASES: OrderedDict[tuple[object, ...], _Kept] = OrderedDict()
BASE_LIMIT = 2
# Text layers kept drawn per base (``Composer._text``), by the bytes of their rows: a
# subtitle, a brand name, a date line are some tens of rows (300 kB at 1280 wide); the
# texts seen once, to keep the second time.
OVERLAY_BYTES = 4 << 20
SEEN_LIMIT = 64
_IDENTS = itertools.count(1)  # one per kept overlay: what the encoder keys its bytes by
BLOCK_SIZE = 1 << 20
_VARIES = object()

# Pillow allocates an image in blocks of up to 16 MB. Once glibc has freed a block that
# large it serves the next ones from its heap, where canvases of ever new sizes leave
# holes: 1,000 cards of distinct sizes peaked at 220 MB. Blocks of 1 MB are alike
# whatever the card's size, so freed ones are reused (the peak stays near 150 MB). A
# block size the user set (PILLOW_BLOCK_SIZE) is kept.
if "PILLOW_BLOCK_SIZE" not in os.environ and _imaging.get_block_size() > BLOCK_SIZE:
    _imaging.set_block_size(BLOCK_SIZE)


@dataclass(frozen=True)
class Placed:
    """Where a layer ended up: ``kind`` text, ornament, logo, photo, or the decoration
    (rect, ellipse) text must keep clear of; ``box`` x0, y0, x1, y1."""

    layer: str
    kind: str
    box: tuple[int, int, int, int]
    text: str = ""
    size: int = 0  # a text's fitted font size, in pixels


@dataclass(frozen=True)
class _Overlay:
    """A text layer as drawn over a base: the full rows ``top`` to ``bottom`` it read
    or drew on (so far the base's, pixel for pixel), and what drawing it added."""

    ident: int
    top: int
    bottom: int
    pixels: Image.Image  # those rows, as drawn, from column ``left`` (the rest is the base's)
    placed: tuple[Placed, ...]
    notes: tuple[str, ...]
    contrast: tuple[ContrastWarning, ...]
    fonts: tuple[str, ...]
    left: int = 0

    @property
    def cost(self) -> int:
        return 4 * self.pixels.width * self.pixels.height  # Pillow keeps RGB in 4 bytes


@dataclass
class _Kept:
    """A base kept in memory, with what cards drawn over it reuse: its PNG bands, the
    range of each channel within a text layer's box (``Composer._sure``), and the text
    layers that came back from card to card, drawn (``Composer._text``).

    A base read back from the user cache keeps its pixels deflated (``pixels``) until a
    second card asks for them (``image``): the first draws on a ``_Partial`` canvas."""

    whole: Image.Image | None
    pixels: base_cache.Pixels | None
    placed: tuple[Placed, ...]
    fonts: tuple[str, ...]
    on_photo: bool
    bands: Bands
    uses: int = 0
    spans: dict[tuple[int, int, int, int], tuple[tuple[int, int], ...]] = field(
        default_factory=dict
    )
    overlays: OrderedDict[tuple[object, ...], _Overlay] = field(default_factory=OrderedDict)
    seen: OrderedDict[tuple[object, ...], None] = field(default_factory=OrderedDict)
    # A copy of ``image`` a card drew on and gave back with its rows put back (``give_back``):
    # the next card lent it draws there instead of copying the whole base again.
    spare: list[Image.Image] = field(default_factory=list)

    @property
    def image(self) -> Image.Image:
        """The base's pixels (decoded the first time they are asked for)."""
        if self.whole is None:
            assert self.pixels is not None
            self.whole, self.pixels = self.pixels.image(), None
            if self.bands.image is None and self.bands.size == self.whole.size:
                self.bands.image = self.whole  # cards re-filter its rows only where they draw
        return self.whole

    def partial(self) -> _Partial | None:
        """A canvas over the base's pixels still deflated, for its first card, when the
        base's kept PNG bands are the bands its PNG is cut into (else None)."""
        pixels, bands = self.pixels, self.bands
        if pixels is None or self.uses != 1 or bands.size != pixels.size:
            return None
        width, height = pixels.size
        rows = band_rows(width)
        if pixels.rows != rows or bands.rows != rows or len(bands.kept) != -(-height // rows):
            return None
        return _Partial(pixels)

    def canvas(self, lend: bool) -> Image.Image:
        """A canvas with the base's pixels: the spare one when ``lend`` and there is one
        (``list.pop``: no two cards get it), else a copy."""
        if lend and self.spare:
            try:
                return self.spare.pop()
            except IndexError:
                pass
        return self.image.copy()


class _Partial:
    """A canvas over a base read back from the user cache, decoded a strip of rows at a
    time as the card reaches them (``reach``: before drawing on them or reading them).
    Only the first card over the base draws on one: its rows are the base's but where
    it drew, so its PNG takes the kept bands of the rest (``for_png``), and inflating
    the whole base (about half the cost of reading it back) is left for a second card."""

    def __init__(self, pixels: base_cache.Pixels) -> None:
        self.pixels = pixels
        self.canvas = pixels.blank()
        self.decoded = [False] * len(pixels.strips)

    def reach(self, top: int, bottom: int) -> None:
        """Decode the strips of rows ``top`` to ``bottom - 1`` not decoded yet."""
        rows, height = self.pixels.rows, self.canvas.height
        top, bottom = max(0, top), min(height, bottom)
        if top >= bottom:
            return
        first, last = top // rows, (bottom - 1) // rows + 1
        for index in range(first, last):
            if not self.decoded[index]:
                self.pixels.decode(self.canvas, index, index + 1)
                self.decoded[index] = True

    def for_png(self, spans: list[tuple[int, int]]) -> None:
        """Decode what ``encode.fast_png`` reads of the card drawn over ``spans``: every
        row of each band they reach, and the row above it."""
        rows, height = self.pixels.rows, self.canvas.height
        for top, bottom in spans:
            bands = reach(top, bottom, rows, height)
            self.reach(bands.start * rows - 1, bands.stop * rows)

    def whole(self) -> None:
        self.reach(0, self.canvas.height)


class _Reached(list[tuple[int, int]]):
    """The spans of rows a card drew on (``Composer.drawn``), over a ``_Partial`` canvas:
    a span is decoded as it is noted, which every drawing does before it draws."""

    def __init__(self, partial: _Partial) -> None:
        super().__init__()
        self.partial = partial

    def append(self, span: tuple[int, int]) -> None:
        self.partial.reach(span[0], max(span[1], span[0] + 1))
        super().append(span)


@dataclass(frozen=True)
class Drawn:
    image: Image.Image
    placed: tuple[Placed, ...]
    contrast: tuple[ContrastWarning, ...]
    notes: tuple[str, ...]
    fonts: tuple[str, ...]
    # The kept base ``image`` was copied from (its PNG bands), the rows drawn on that
    # copy since, and the rows kept text layers were pasted on (top, bottom, the
    # layer's ident): ``encode`` reuses the bands no card layer reached, and those
    # only kept layers reached.
    base: Bands | None = field(default=None, compare=False, repr=False)
    drawn: tuple[tuple[int, int], ...] = field(default=(), compare=False, repr=False)
    overlaid: tuple[tuple[int, int, int], ...] = field(default=(), compare=False, repr=False)
    # The columns (x0, x1) every span of ``drawn`` lies within.
    columns: tuple[int, int] | None = field(default=None, compare=False, repr=False)
    # The kept base ``image`` was lent by (``compose(lend=True)``), to ``give_back`` to.
    lender: _Kept | None = field(default=None, compare=False, repr=False)
    # The boxes (x0, y0, x1, y1) kept text layers were pasted in, within ``overlaid``'s rows.
    pasted: tuple[tuple[int, int, int, int], ...] = field(default=(), compare=False, repr=False)
    # Set when ``image`` holds only the rows its PNG reads (``compose(partial=True)``):
    # fills in the rest, for any other use of it.
    whole: Callable[[], None] | None = field(default=None, compare=False, repr=False)


def give_back(drawn: Drawn) -> None:
    """Done with ``drawn.image`` (it must not be used after): when it was lent by a base
    still kept that has no spare, its drawn rows are put back from the base's pixels and
    it becomes that spare. Only the rows and columns the card noted are copied (the
    same bound its PNG and JPEG rely on), not the whole canvas."""
    kept = drawn.lender
    if kept is None or kept.spare or not any(k is kept for k in _BASES.values()):
        return
    canvas, base = drawn.image, kept.image
    w, h = base.size
    x0, x1 = drawn.columns if drawn.columns is not None else (0, w)
    x0, x1 = max(0, x0), min(w, x1)
    spans = merge_runs((max(0, t), min(h, b)) for t, b in drawn.drawn) if x0 < x1 else []
    boxes = [(x0, top, x1, bottom) for top, bottom in spans]
    boxes += [
        (max(0, a), max(0, b), min(w, c), min(h, d))
        for a, b, c, d in drawn.pasted
        if max(0, a) < min(w, c) and max(0, b) < min(h, d)
    ]
    for box in boxes:
        canvas.im.paste(base.im.crop(box), box)
    kept.spare.append(canvas)


class Composer:
    def __init__(self, source: CardSource, layout: LoadedLayout, size: Size) -> None:
        self.source = source
        self.layout = layout
        self.size = size
        self.shape, self.variant = layout.variant(size.shape)
        dw, dh = self.variant.design
        self.sx, self.sy = size.width / dw, size.height / dh
        self.scale = min(self.sx, self.sy)
        self.palette = Palette.of(source.brand)
        self.lang = casing.lang_of(source.locale)
        self.placed: list[Placed] = []
        self.contrast: list[ContrastWarning] = []
        self.notes: list[str] = []
        self.fonts: dict[str, None] = {}
        self.on_photo = False  # a photo is behind what is drawn next
        self.env = card_environment(source)
        self.kept: _Kept | None = None  # the base, once it is found
        self.bands: Bands | None = None  # its PNG bands
        self.drawn: list[tuple[int, int]] | None = None  # rows drawn over the base
        self.partial: _Partial | None = None  # the canvas, when decoded as it is reached
        self.overlaid: dict[int, tuple[int, int, int]] = {}  # drawn's index -> a kept layer's
        self.pasted: list[tuple[int, int, int, int]] = []  # where kept layers were pasted
        self.columns = [size.width, 0]  # x0, x1: the columns drawn's spans lie within

    def touch(self, box: tuple[float, float, float, float]) -> None:
        """Note that this card drew within ``box`` (x0, y0, x1, y1; a bound is enough)
        over its base: rows outside every box noted are the base's, pixel for pixel."""
        if self.drawn is not None:
            self.drawn.append((math.floor(box[1]), math.ceil(box[3])))
            widen(self.columns, math.floor(box[0]), math.ceil(box[2]))

    def touch_all(self) -> None:
        self.touch((0, 0, self.size.width, self.size.height))

    # ----------------------------------------------------------------- helpers

    def name(self, index: int, layer: AnyLayer) -> str:
        return layer.name or f"{layer.type} {index + 1}"

    def where(self, index: int, field: str | None = None) -> Location:
        return self.layout.layer_location(self.shape, index, field)

    def box(self, box: tuple[float, float, float, float]) -> Box:
        x, y, w, h = box
        return x * self.sx, y * self.sy, (x + w) * self.sx, (y + h) * self.sy

    def safe(self, box: Box, label: str) -> Box:
        """``box`` cut to the safe zone and clear of every avoided corner."""
        x0, y0, x1, y1 = box
        s0, t0, s1, t1 = self.size.safe
        cut = (max(x0, s0), max(y0, t0), min(x1, s1), min(y1, t1))
        for (a0, b0, a1, b1), why in self.size.avoid:
            c0, d0, c1, d1 = cut
            if a0 >= c1 or a1 <= c0 or b0 >= d1 or b1 <= d0:
                continue
            options = [
                (c0, d0, min(c1, a0), d1),
                (c0, d0, c1, min(d1, b0)),
                (max(c0, a1), d0, c1, d1),
                (c0, max(d0, b1), c1, d1),
            ]
            cut = max(options, key=lambda o: max(0, o[2] - o[0]) * max(0, o[3] - o[1]))
            self.notes.append(f"{label}: box shortened to keep clear of {why or 'a UI corner'}")
        if cut != box and not any(n.startswith(f"{label}:") for n in self.notes):
            self.notes.append(f"{label}: box cut to the safe zone of {self.size.name}")
        if cut[2] - cut[0] < 8 or cut[3] - cut[1] < 8:
            raise InputError(
                f"layout '{self.layout.name}': text box '{label}' lies outside the safe zone "
                f"of {self.size.name} ({self.size.label})",
                location=self.layout.marks.at(("variants", self.shape)),
                hint="move the box inside the size's safe zone (templates/cards/formats.yaml)",
            )
        return cut

    def rgb(self, value: str) -> tuple[int, int, int]:
        return self.palette.rgb("text" if value == "auto" else value)

    # ----------------------------------------------------------------- layers

    def draw(self, lend: bool = False, partial: bool = False) -> Drawn:
        """The card. With ``lend``, its canvas may be its base's spare, to ``give_back``;
        with ``partial``, it may hold only the rows its PNG reads (``Drawn.whole``)."""
        layers = self.variant.layers
        # The cached base: the leading layers that do not change from card to card
        # (backgrounds, shapes, the logo, photos, scrims), or that are switched off
        # for this card. A layer that draws brief text ends it.
        prefix, parts = 0, list[tuple[int, object]]()
        while prefix < len(layers):
            layer = layers[prefix]
            if layer.when is not None and not self.evaluate(layer.when, prefix, "when"):
                parts.append((prefix, None))
            else:
                part = self._fixed(prefix, layer)
                if part is _VARIES:
                    break
                parts.append((prefix, part))
            prefix += 1
        self._base(prefix, tuple(parts))
        kept = self.kept
        assert kept is not None
        self.partial = kept.partial() if partial else None
        if self.partial is not None:
            canvas = self.partial.canvas
            self.drawn = _Reached(self.partial)
        else:
            # A base a card was drawn over once may be drawn over again: lend its spare.
            canvas = kept.canvas(lend and kept.uses > 1)
            self.drawn = []
        for index in range(prefix, len(layers)):
            self._layer(canvas, index, layers[index])
        if self.partial is not None:
            self.partial.for_png(self.drawn)
        overlaid = self.overlaid
        return Drawn(
            canvas,
            tuple(self.placed),
            tuple(self.contrast),
            tuple(self.notes),
            tuple(self.fonts),
            self.bands,
            tuple(span for i, span in enumerate(self.drawn) if i not in overlaid),
            tuple(overlaid.values()),
            (self.columns[0], self.columns[1]),
            kept if lend and kept.uses > 1 else None,
            tuple(self.pasted),
            self.partial.whole if self.partial is not None else None,
        )

    def evaluate(self, expression: str, index: int, field: str) -> object:
        return evaluate(self.source, expression, self.where(index, field), self.env)

    def _fixed(self, index: int, layer: AnyLayer) -> object:
        """What the layer's pixels depend on beyond layout, size and brand (its part of
        the base's cache key), or ``_VARIES`` for a layer drawn anew on every card."""
        if isinstance(layer, Figure | Logo | Scrim):
            return ()
        if isinstance(layer, Background):
            if layer.image is None:
                return ()
            picture = self._image(index, layer.image, "image")
            return ("image", picture.key, picture.focus) if picture else ("none",)
        if isinstance(layer, Photo):
            picture = self._image(index, layer.image, "image")
            if picture is not None:
                return ("image", picture.key, picture.focus)
            if layer.initials is None:
                return ("none",)
            name = render_text(self.source, layer.initials, self.where(index, "initials"), self.env)
            return ("initials", name, self.source.locale)
        return _VARIES

    def _base(self, prefix: int, parts: tuple[tuple[int, object], ...]) -> None:
        del prefix  # the layers switched off draw nothing: only those drawn are the key
        drawn = tuple((index, part) for index, part in parts if part is not None)
        logo = logo_file(self.source.brand)
        key = (
            str(self.layout.path),
            _stamp(self.layout.path),
            self.shape,
            self.size.width,
            self.size.height,
            self.palette,
            (str(logo[0]), _stamp(logo[0])) if logo else None,
            brand_stamps(self.source.brand),
            drawn,
        )
        hit = _BASES.get(key)
        if hit is None:
            # Room for the new base first: drawn while BASE_LIMIT others were still held,
            # a batch of ever new sizes had one more full canvas alive at its peak.
            while len(_BASES) >= BASE_LIMIT:
                _BASES.popitem(last=False)
            found, placed, fonts, on_photo, bands = self._kept(drawn, logo[0] if logo else None)
            if isinstance(found, Image.Image):
                hit = _Kept(found, None, placed, fonts, on_photo, bands)
                if bands.image is None and bands.size == found.size:
                    bands.image = found  # cards re-filter its rows only where they draw
            else:  # read back: decoded as cards reach its rows
                hit = _Kept(None, found, placed, fonts, on_photo, bands)
            _BASES[key] = hit
        else:
            _BASES.move_to_end(key)
        hit.uses += 1
        self.kept = hit
        self.on_photo, self.bands = hit.on_photo, hit.bands
        self.placed.extend(hit.placed)
        self.fonts.update(dict.fromkeys(hit.fonts))

    def _kept(
        self, drawn: tuple[tuple[int, object], ...], logo: Path | None
    ) -> tuple[Image.Image | base_cache.Pixels, tuple[Placed, ...], tuple[str, ...], bool, Bands]:
        """The base of these layers and its PNG bands: from the user cache (``base_cache``,
        its pixels still deflated) when it holds it, else drawn (and kept there for the
        next run)."""
        disk = self._disk_key(drawn, logo)
        found = base_cache.load(disk) if disk is not None else None
        if found is not None:
            pixels, rows, fonts, on_photo, bands = found
            return pixels, tuple(Placed(*row) for row in rows), fonts, on_photo, bands
        base = Image.new("RGB", (self.size.width, self.size.height), self.palette.background)
        for index, _ in drawn:
            self._draw_layer(base, index, self.variant.layers[index])
        made = (base, tuple(self.placed), tuple(self.fonts), self.on_photo)
        self.placed, self.fonts, self.on_photo = [], {}, False  # the caller adds them
        if disk is None:
            return (*made, Bands(base.size))
        rows = tuple((p.layer, p.kind, p.box, p.text, p.size) for p in made[1])
        return (*made, base_cache.keep(disk, (base, rows, made[2], made[3])))

    def _disk_key(self, drawn: tuple[tuple[int, object], ...], logo: Path | None) -> str | None:
        """The base's key in the user cache: everything its pixels come from (see
        ``base_cache``); None for a base not kept there. An initials tile may draw
        with fontconfig's fallback fonts, which the key does not name: not kept."""
        size = self.size
        if not base_cache.keeps(size.name, size.width, size.height):
            return None
        layers = []
        for index, part in drawn:
            if isinstance(part, tuple) and part and part[0] == "initials":
                return None
            if isinstance(part, tuple) and part and part[0] == "image":
                picture = part[1]
                part = ("image", base_cache.file_part(str(picture[0])), picture[1], part[2])
            layers.append((repr(self.variant.layers[index]), part))
        return base_cache.key_of(
            (
                self.shape,
                self.variant.design,
                size.width,
                size.height,
                self.palette,
                base_cache.file_part(str(logo)) if logo is not None else None,
                brand_stamps(self.source.brand),
                layers,
            )
        )

    def _layer(self, canvas: Image.Image, index: int, layer: AnyLayer) -> None:
        if layer.when is not None and not self.evaluate(layer.when, index, "when"):
            return
        self._draw_layer(canvas, index, layer)

    def _draw_layer(self, canvas: Image.Image, index: int, layer: AnyLayer) -> None:
        if isinstance(layer, Background):
            self._background(canvas, index, layer)
        elif isinstance(layer, Figure):
            self._figure(canvas, index, layer)
        elif isinstance(layer, Logo):
            self._logo(canvas, index, layer)
        elif isinstance(layer, Photo):
            self._photo(canvas, index, layer)
        elif isinstance(layer, Scrim):
            self.touch_all()
            mask = scrim_mask(canvas.size, layer.side, layer.opacity, layer.reach)
            canvas.paste(self.rgb(layer.colour), (0, 0, *canvas.size), mask)
        else:
            self._text(canvas, index, layer)

    def _background(self, canvas: Image.Image, index: int, layer: Background) -> None:
        size = canvas.size
        self.touch_all()
        if layer.colour is not None:
            canvas.paste(self.rgb(layer.colour), (0, 0, *size))
        elif layer.gradient is not None:
            g = layer.gradient
            gradient(canvas, self.rgb(g.start), self.rgb(g.end), g.angle)
        elif layer.image is not None:
            img = self._image(index, layer.image, "image")
            if img is not None:
                canvas.paste(cover(img, size).convert("RGB"))
                self.on_photo = True

    def _figure(self, canvas: Image.Image, index: int, layer: Figure) -> None:
        x0, y0, x1, y1 = (round(v) for v in self.box(layer.box))
        w, h = max(1, x1 - x0), max(1, y1 - y0)
        colour = self.rgb(layer.colour)
        self.touch((x0, y0, x0 + w, y0 + h))
        if not layer.behind_text:
            self.placed.append(Placed(self.name(index, layer), layer.type, (x0, y0, x1, y1)))
        if layer.type == "rect" and layer.radius == 0 and layer.opacity >= 1:
            canvas.paste(colour, (x0, y0, x0 + w, y0 + h))
            return
        mask = rounded_mask((w, h), layer.radius * self.scale, layer.type == "ellipse")
        if layer.opacity < 1:
            mask = mask.point(lambda v: round(v * layer.opacity))
        canvas.paste(Image.new("RGB", (w, h), colour), (x0, y0), mask)

    def _image(self, index: int, expression: str, field: str) -> Picture | None:
        value = self.evaluate(expression, index, field)
        if isinstance(value, StillPhoto):
            return Picture((value.key, 0), value.image, value.focus)
        if isinstance(value, PhotoRef):
            opened = open_image(value.path, value.location, "photo")
            return Picture(opened.key, opened.opened, value.focus)
        if isinstance(value, str) and value.strip():
            folder = self.source.brand.folder
            where = self.layout.layer_location(self.shape, index, field)
            return open_image(inside(folder, value, folder, where, "image"), where, "image")
        return None

    def _logo(self, canvas: Image.Image, index: int, layer: Logo) -> None:
        found = logo_file(self.source.brand)
        if found is None:
            return
        img = open_image(found[0], found[1], "logo")
        x0, y0, x1, y1 = self.box(layer.box)
        fitted = contain(img, (max(1, round(x1 - x0)), max(1, round(y1 - y0))))
        free_x, free_y = (x1 - x0) - fitted.width, (y1 - y0) - fitted.height
        x = x0 + {"left": 0, "center": free_x / 2, "right": free_x}[layer.align]
        y = y0 + {"top": 0, "middle": free_y / 2, "bottom": free_y}[layer.valign]
        pos = (round(x), round(y))
        self.touch((pos[0], pos[1], pos[0] + fitted.width, pos[1] + fitted.height))
        canvas.paste(fitted.convert("RGB"), pos, fitted.getchannel("A"))
        box = (pos[0], pos[1], pos[0] + fitted.width, pos[1] + fitted.height)
        self.placed.append(Placed(self.name(index, layer), "logo", box))

    def _photo(self, canvas: Image.Image, index: int, layer: Photo) -> None:
        x0, y0, x1, y1 = (round(v) for v in self.box(layer.box))
        w, h = max(1, x1 - x0), max(1, y1 - y0)
        circle = layer.shape == "circle"
        ring = round(layer.ring_width * self.scale)
        edge = max(0, ring) if layer.ring is not None else 0
        self.touch((x0 - edge, y0 - edge, x0 + w + edge, y0 + h + edge))
        if layer.ring is not None and ring > 0:
            outer = rounded_mask((w + 2 * ring, h + 2 * ring), 0, circle)
            canvas.paste(self.rgb(layer.ring), (x0 - ring, y0 - ring), outer)
        img = self._image(index, layer.image, "image")
        mask = rounded_mask((w, h), 0, circle)
        if img is not None:
            fitted = cover(img, (w, h))
            alpha = Image.composite(fitted.getchannel("A"), mask, mask)
            canvas.paste(fitted.convert("RGB"), (x0, y0), alpha)
        elif layer.initials is not None:
            name = render_text(self.source, layer.initials, self.where(index, "initials"), self.env)
            if not name:
                return
            options = (self.palette.background, self.palette.text, (255, 255, 255), (0, 0, 0))
            tile, fonts = initials_tile(
                initials(name, self.source.locale),
                (w, h),
                self.rgb(layer.colour),
                options,
                brand_faces(self.source.brand, "heading"),
                self.lang,
                self.source.locale,
            )
            canvas.paste(tile, (x0, y0), mask)
            self.fonts.update(dict.fromkeys(fonts))
        else:
            return
        self.placed.append(Placed(self.name(index, layer), "photo", (x0, y0, x0 + w, y0 + h)))

    def _text(self, canvas: Image.Image, index: int, layer: Text) -> None:
        label = self.name(index, layer)
        text = render_text(self.source, layer.text, self.where(index, "text"), self.env)
        if not text:
            return
        kept, drawn = self.kept, self.drawn
        if kept is None or drawn is None:  # drawing the base itself
            self._draw_text(canvas, index, layer, label, text)
            return
        # What the layer's drawing depends on beyond the base (the kept base's own key:
        # layout, size, palette, brand and fonts) and the rows it reads and draws on:
        # its text and locale, whether a photo is behind it, the notes its box already
        # has, the shapes it may run into.
        key = (
            index,
            text,
            self.source.locale,
            self.on_photo,
            tuple(n for n in self.notes if n.startswith(f"{label}:")),
            tuple(p for p in self.placed if p.kind in ("rect", "ellipse")),
        )
        hit = kept.overlays.get(key)
        if hit is not None and not any(t < hit.bottom and b > hit.top for t, b in drawn):
            # Its rows are still the base's: drawn again, they would come out as kept.
            kept.overlays.move_to_end(key)
            if self.partial is not None:  # its rows decoded before the paste, not over it
                self.partial.reach(hit.top, hit.bottom)
            canvas.paste(hit.pixels, (hit.left, hit.top))
            right = hit.left + hit.pixels.width
            self.pasted.append((hit.left, hit.top, right, hit.bottom))
            self.overlaid[len(drawn)] = (hit.top, hit.bottom, hit.ident)
            drawn.append((hit.top, hit.bottom))
            self.placed.extend(hit.placed)
            self.notes.extend(hit.notes)
            self.contrast.extend(hit.contrast)
            self.fonts.update(dict.fromkeys(hit.fonts))
            return
        counts = (len(drawn), len(self.placed), len(self.notes), len(self.contrast))
        # The layer's own fonts and columns (a bound of every pixel it changes), noted
        # apart and then added to the card's.
        fonts, self.fonts = self.fonts, {}
        columns, self.columns = self.columns, [canvas.width, 0]
        try:
            read = self._draw_text(canvas, index, layer, label, text)
        finally:
            used, self.fonts = self.fonts, fonts
            fonts.update(used)
            own, self.columns = self.columns, columns
            if own[0] < own[1]:
                widen(columns, own[0], own[1])
        rows = [read, *drawn[counts[0] :]]
        top, bottom = max(0, min(r[0] for r in rows)), min(canvas.height, max(r[1] for r in rows))
        if top >= bottom or any(t < bottom and b > top for t, b in drawn[: counts[0]]):
            return  # drawn over rows this card had drawn on: not the base's
        if key not in kept.seen:  # kept the second time it is drawn: most texts are new
            kept.seen[key] = None
            while len(kept.seen) > SEEN_LIMIT:
                kept.seen.popitem(last=False)
            return
        # Only the columns it drew in: the rest of its rows is the base's, as on the cards
        # it is pasted on (their rows are the base's until it is), so less is copied in
        # and given back.
        left, right = max(0, own[0]), min(canvas.width, own[1])
        if left >= right:
            left, right = 0, canvas.width
        if self.partial is not None:
            self.partial.reach(top, bottom)
        kept.overlays[key] = _Overlay(
            next(_IDENTS),
            top,
            bottom,
            canvas.crop((left, top, right, bottom)),
            tuple(self.placed[counts[1] :]),
            tuple(self.notes[counts[2] :]),
            tuple(self.contrast[counts[3] :]),
            tuple(used),
            left,
        )
        while sum(o.cost for o in kept.overlays.values()) > OVERLAY_BYTES:
            kept.overlays.popitem(last=False)

    def _draw_text(
        self, canvas: Image.Image, index: int, layer: Text, label: str, text: str
    ) -> tuple[int, int]:
        """Fit, check and draw the layer's ``text``; the rows it read the canvas at."""
        if layer.uppercase:
            text = casing.upper(text, self.source.locale)
        x0, y0, x1, y1 = self.safe(self.box(layer.box), label)
        bold = layer.font == "heading"
        ts = typesetter(
            brand_faces(self.source.brand, layer.font), self.lang, bold, self.source.locale
        )
        rtl = paragraph_rtl(text, self.lang)
        spec = FitSpec(
            layer.min_size * self.scale,
            layer.max_size * self.scale,
            layer.max_lines,
            layer.line_height,
            layer.overflow == "ellipsis",
            rtl,
            layer.balance,
        )
        where = self.layout.layer_location(self.shape, index)
        pad = layer.chip_padding * spec.max_size if layer.chip else 0.0
        x0, y0, x1, y1 = x0 + pad, y0 + pad * 0.8, x1 - pad, y1 - pad * 0.8
        try:
            block = ts.fit(text, (x1 - x0, y1 - y0), spec)
        except MissingGlyphs as exc:
            raise missing_glyphs_error(exc.chars, label, self.layout.name, where) from None
        except DoesNotFit:
            raise no_fit_error(text, label, self.layout.name, self.size, spec, where) from None
        if block.truncated:
            self.notes.append(f"{label}: text cut with an ellipsis to fit")
        align = layer.align
        if rtl and align != "center":
            align = "right" if align == "left" else "left"
        top = y0 + {"top": 0.0, "bottom": y1 - y0 - block.height}.get(layer.valign, 0.0)
        if layer.valign == "middle":
            # Centre the ink, not the font's line box (which has room for accents above).
            ink_top, ink_bottom = _ink(block, 0.0)
            top = max(y0, min(y1 - block.height, (y0 + y1) / 2 - (ink_top + ink_bottom) / 2))
        anchor_x = {"left": x0, "center": (x0 + x1) / 2, "right": x1}[align]
        widest = max(line.width for line in block.lines)
        left = {"left": x0, "center": anchor_x - widest / 2, "right": x1 - widest}[align]
        if layer.chip is not None:
            pad = layer.chip_padding * block.size
            ink_top, ink_bottom = _ink(block, top)
            chip = (left - pad, ink_top - pad * 0.8, left + widest + pad, ink_bottom + pad * 0.8)
            cw, ch = round(chip[2] - chip[0]), round(chip[3] - chip[1])
            mask = rounded_mask((cw, ch), layer.chip_radius * ch, False)
            self.touch((round(chip[0]), round(chip[1]), round(chip[0]) + cw, round(chip[1]) + ch))
            # A block of the colour pasted through the mask: the bytes of a fill through
            # it, at half its cost (see ``blocks._Rows``).
            solid = Image.new("RGB", (cw, ch), self.rgb(layer.chip))
            canvas.paste(solid, (round(chip[0]), round(chip[1])), mask)
        region = (
            max(0, int(left)),
            max(0, int(top)),
            min(canvas.width, int(left + widest) + 1),
            min(canvas.height, int(top + block.height) + 1),
        )
        css = self.size.display_width / self.size.width
        needed = AA_LARGE if is_large(block.size, bold, css) else AA_NORMAL
        colour = self._sure(layer.colour, (x0, y0, x1, y1), region, needed)
        if colour is None:
            if self.partial is not None:
                self.partial.reach(region[1], region[3])
            behind = colours(canvas, region)
            colour = self._colour(layer.colour, behind, needed)
            value = rate(behind, colour)
            if value < needed and self.on_photo and not layer.decorative:
                ink = (int(left), int(top), int(left + widest) + 1, int(top + block.height) + 1)
                shades = (
                    self.palette.secondary,
                    self.palette.background,
                    (0, 0, 0),
                    (255, 255, 255),
                )
                reach = round(block.size * 0.4)
                self.touch((ink[0] - reach, ink[1] - reach, ink[2] + reach, ink[3] + reach))
                value = shade_under(canvas, ink, colour, shades, needed, reach)
            if value < needed and not layer.decorative:
                self.contrast.append(ContrastWarning(label, round(value, 2), needed, text[:60]))
        box = self._draw_block(canvas, block, anchor_x, top, align, colour)
        kind = "ornament" if layer.decorative else "text"
        self.placed.append(Placed(label, kind, box, text, block.size))
        for other in self.placed:
            shape = other.kind in ("rect", "ellipse")
            if shape and touches(box, other.box, other.kind == "ellipse"):
                self.notes.append(f"{label}: text runs into the decoration '{other.layer}'")
        return region[1], region[3]

    def _sure(
        self,
        value: str,
        box: Box,
        region: tuple[int, int, int, int],
        needed: float,
    ) -> tuple[int, int, int] | None:
        """The text's colour when it surely reaches ``needed`` over ``region``, else None
        (then the pixels behind it are rated one by one, as they always may be).

        Sure means: this card drew nothing on the region's rows yet, so its pixels
        are the base's; the region lies in the layer's box, whose range of each
        channel in the base is known (taken once per base and box, from the second
        card on: a base drawn once never pays for it); and ``contrast.least`` over
        that range reaches ``needed``, so the 90 % value that ``rate`` would find does
        too. For ``auto``, the first colour ``_colour`` would try must be sure.
        """
        kept, drawn = self.kept, self.drawn
        if kept is None or kept.uses < 2 or drawn is None:
            return None
        x0, y0, x1, y1 = box
        w, h = self.size.width, self.size.height
        around = (
            max(0, math.floor(x0) - 2),
            max(0, math.floor(y0) - 2),
            min(w, math.ceil(x1) + 2),
            min(h, math.ceil(y1) + 2),
        )
        r0, r1, r2, r3 = region
        if r0 < around[0] or r1 < around[1] or r2 > around[2] or r3 > around[3]:
            return None
        if any(top < r3 and bottom > r1 for top, bottom in drawn):
            return None
        span = kept.spans.get(around)
        if span is None:
            found = kept.image.crop(around).getextrema()  # ((min, max) per channel)
            span = kept.spans[around] = tuple((int(a), int(b)) for a, b in found)  # type: ignore[misc]
        low = (span[0][0], span[1][0], span[2][0])
        high = (span[0][1], span[1][1], span[2][1])
        colour = self.palette.text if value == "auto" else self.rgb(value)
        return colour if least(low, high, colour) >= needed else None

    def _colour(self, value: str, behind: Colours, needed: float) -> tuple[int, int, int]:
        if value != "auto":
            return self.rgb(value)
        for option in (self.palette.text, self.palette.background):
            if rate(behind, option) >= needed:
                return option
        options = [self.palette.text, self.palette.background, (255, 255, 255), (0, 0, 0)]
        return max(options, key=lambda rgb: rate(behind, rgb))

    def _draw_block(
        self,
        canvas: Image.Image,
        block: Block,
        anchor_x: float,
        top: float,
        align: str,
        colour: tuple[int, int, int],
    ) -> tuple[int, int, int, int]:
        return draw_block(
            canvas, block, anchor_x, top, align, colour, self.fonts, self.drawn, self.columns
        )


def compose(
    source: CardSource, layout: LoadedLayout, size: Size, lend: bool = False, partial: bool = False
) -> Drawn:
    """The card's pixels; with ``lend``, on a canvas to ``give_back`` once encoded; with
    ``partial``, maybe only the rows its PNG reads (``Drawn.whole`` fills in the rest)."""
    return Composer(source, layout, size).draw(lend, partial)

"""The brand's look (colours, fonts, logo) and images, checked before anything is drawn.

Images are opened with Pillow's decompression-bomb guard turned into an
error, only PNG, JPEG and WebP are accepted, and every path must stay inside
its folder (see ``context.inside``).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path

from PIL import Image, ImageDraw, ImageOps, UnidentifiedImageError

from toolkit.campaign.loader import LoadedBrand
from toolkit.cards.context import inside
from toolkit.cards.contrast import hex_rgb
from toolkit.cards.fonts import Face, brand_face
from toolkit.errors import InputError, Location

FORMATS = frozenset({"PNG", "JPEG", "WEBP"})
RGB = tuple[int, int, int]
SUPERSAMPLE = 4


@dataclass(frozen=True)
class Palette:
    primary: RGB
    secondary: RGB
    accent: RGB
    background: RGB
    text: RGB

    @classmethod
    def of(cls, brand: LoadedBrand) -> Palette:
        c = brand.config.colours
        return cls(
            hex_rgb(c.primary),
            hex_rgb(c.secondary),
            hex_rgb(c.accent),
            hex_rgb(c.background),
            hex_rgb(c.text),
        )

    def rgb(self, value: str) -> RGB:
        if value.startswith("#"):
            return hex_rgb(value)
        if value == "white":
            return (255, 255, 255)
        if value == "black":
            return (0, 0, 0)
        found: RGB = getattr(self, value)
        return found


def _stamp(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


@dataclass(frozen=True)
class Picture:
    """An image; equal (and cached) by its file and modification time.

    ``focus`` is the point ([x, y] from 0 to 1) a cover crop keeps in view;
    without one, a face found by the optional detector, else the upper middle.
    """

    key: tuple[str, int]
    # The image, or what opens it (``open_image``): decoding a photo costs some 3 ms, and a
    # card whose crop of it is kept (``cover``), or whose base it is in, needs only its key.
    opened: Image.Image | Callable[[], Image.Image] = field(compare=False, hash=False)
    focus: tuple[float, float] | None = None

    @property
    def image(self) -> Image.Image:
        opened = self.opened
        return opened if isinstance(opened, Image.Image) else opened()


def open_image(path: Path, location: Location, what: str) -> Picture:
    """A PNG, JPEG or WebP file as RGBA, with clear errors for anything else: its header
    read now (a wrong format, a file too large to open safely), its pixels decoded when
    first asked for."""
    stamp = _stamp(path)
    _header(path, stamp, location, what)
    return Picture((str(path), stamp), partial(_open, path, stamp, location, what))


@lru_cache(maxsize=32)
def _header(path: Path, stamp: int, location: Location, what: str) -> None:
    del stamp  # part of the cache key: an edited file is read again
    with _reading(path, location, what):
        pass


# Bounds on the image caches below: each entry can be a whole photo or a whole canvas,
# and a batch of many sizes must not keep one per size (memory stays flat).
@lru_cache(maxsize=8)
def _open(path: Path, stamp: int, location: Location, what: str) -> Image.Image:
    del stamp  # part of the cache key: an edited file is read again
    with _reading(path, location, what) as img:
        upright = ImageOps.exif_transpose(img) or img
        return upright.convert("RGBA")


@contextmanager
def _reading(path: Path, location: Location, what: str) -> Iterator[Image.Image]:
    """The file opened (its header read) as a PNG, JPEG or WebP image; what goes wrong
    while it is open, as the user's error."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                if img.format not in FORMATS:
                    raise InputError(
                        f"the {what} '{path.name}' is a {img.format} image",
                        location=location,
                        hint="use a PNG, JPEG or WebP file",
                    )
                yield img
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise InputError(
            f"the {what} '{path.name}' is too large to open safely: {exc}",
            location=location,
            hint=f"use an image under {(Image.MAX_IMAGE_PIXELS or 0) // 1_000_000} megapixels",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InputError(
            f"the {what} '{path.name}' is not a readable PNG, JPEG or WebP image ({exc})",
            location=location,
            hint="export it again as PNG, JPEG or WebP",
        ) from None


# The logo found for (brand folder, name), with what each part of the way to it was then:
# finding it resolves both paths through every link (some 0.1 ms, on every card of a
# batch, for the base's key). A part edited, removed, or swapped for a link (lstat: its
# inode, mode, time and size) and the file itself (followed) make it be found again.
_LOGOS: dict[tuple[Path, str], tuple[tuple[str, ...], tuple[object, ...], Path]] = {}


def _state(paths: tuple[str, ...]) -> tuple[object, ...]:
    """Each path's lstat, the last one's followed (the logo itself)."""
    out: list[object] = []
    for i, path in enumerate(paths):
        try:
            info = os.stat(path) if i == len(paths) - 1 else os.lstat(path)
        except OSError:
            out.append(None)
            continue
        out.append((info.st_ino, info.st_dev, info.st_mode, info.st_mtime_ns, info.st_size))
    return tuple(out)


def logo_file(brand: LoadedBrand) -> tuple[Path, Location] | None:
    raw = brand.config.logo
    if not raw:
        return None
    where = brand.marks.at(("logo",))
    hit = _LOGOS.get((brand.folder, raw))
    if hit is not None and _state(hit[0]) == hit[1]:
        return hit[2], where
    found = inside(brand.folder, raw, brand.folder, where, "logo")
    way = [str(brand.folder)]
    for part in Path(raw).parts:
        way.append(os.path.join(way[-1], part))
    paths = (*way, str(found))
    if len(_LOGOS) >= 64:
        _LOGOS.clear()
    _LOGOS[(brand.folder, raw)] = (paths, _state(paths), found)
    return found, where


def brand_faces(brand: LoadedBrand, role: str) -> tuple[Face, ...]:
    """The brand's own fonts for ``role`` (heading or body) first, then the other role's."""
    fonts = brand.config.fonts
    faces: list[Face] = []
    for name in (role, "body" if role == "heading" else "heading"):
        raw = getattr(fonts, name)
        if raw:
            face = brand_face(brand.folder, raw, brand.marks.at(("fonts", name)))
            if face not in faces:
                faces.append(face)
    return tuple(faces)


def prepare_fonts(brand: LoadedBrand, locale: str) -> None:
    """Load what every card of ``brand`` in ``locale`` needs before its first line: the
    brand's faces and their character maps, and fontconfig's fallbacks for the language.

    A process that forks card workers calls this first, so they start with it all.
    """
    from toolkit.cards.blocks import typesetter
    from toolkit.cards.fonts import coverage
    from toolkit.cards.glyphs import plainness
    from toolkit.text import casing

    lang = casing.lang_of(locale)
    for role in ("heading", "body"):
        faces = brand_faces(brand, role)
        chain = typesetter(faces, lang, role == "heading", locale).chain
        for face in (*faces, chain.primary):
            coverage(face)
            plainness(face)


def brand_stamps(brand: LoadedBrand) -> tuple[str, ...]:
    """The brand's font faces (their keys carry the files' modification times)."""
    return tuple(face.key for role in ("heading", "body") for face in brand_faces(brand, role))


def rounded_mask(size: tuple[int, int], radius: float, ellipse: bool) -> Image.Image:
    """An anti-aliased mask (drawn large, then reduced)."""
    return _kept_mask(size, round(radius), ellipse)


@lru_cache(maxsize=8)  # a card's chip, and the shapes of the bases drawn last
def _kept_mask(size: tuple[int, int], radius: int, ellipse: bool) -> Image.Image:
    """``_mask``, from the user cache when it is small enough to keep (a photo's disc, a
    chip: drawn on every card, at the sizes of the brand's layouts); a base's large
    shapes are kept in the base itself."""
    from toolkit.cards import base_cache

    if size[0] * size[1] > KEPT_SHAPE:
        return _mask(size, radius, ellipse)
    key = base_cache.key_of(("shape", size, radius, ellipse, SUPERSAMPLE, MASK_STRIP))
    kept = base_cache.load_shape(key)
    if kept is None:
        kept = _mask(size, radius, ellipse)
        base_cache.keep_shape(key, kept)
    return kept


# Rows of the mask drawn large at a time. The whole mask drawn large would take 16 times
# its size at once: 16 MB for the decorative circle of a 1080×1920 story, the largest
# transient of a card, which set a process's peak memory.
MASK_STRIP = 64
# A mask up to this many pixels is kept in the user cache (``_kept_mask``).
KEPT_SHAPE = 512 * 512


def _mask(size: tuple[int, int], radius: int, ellipse: bool) -> Image.Image:
    w, h = size
    out = Image.new("L", size, 0)
    box = (0, 0, w * SUPERSAMPLE - 1, h * SUPERSAMPLE - 1)
    for top in range(0, h, MASK_STRIP):
        rows = min(MASK_STRIP, h - top)
        # The shape drawn large over this strip only: drawn with its box moved up by the
        # strip's offset, it is the same pixels as that part of the whole (the shape's
        # scanlines depend on the box's size, and the rows outside the strip are clipped).
        big = Image.new("L", (w * SUPERSAMPLE, rows * SUPERSAMPLE), 0)
        draw = ImageDraw.Draw(big)
        shift = top * SUPERSAMPLE
        moved = (box[0], box[1] - shift, box[2], box[3] - shift)
        if ellipse:
            draw.ellipse(moved, fill=255)
        else:
            draw.rounded_rectangle(moved, radius=radius * SUPERSAMPLE, fill=255)
        out.paste(big.reduce(SUPERSAMPLE), (0, top))
    return out


DEFAULT_FOCUS = (0.5, 0.4)


def centering(
    image: tuple[int, int], size: tuple[int, int], focus: tuple[float, float]
) -> tuple[float, float]:
    """ImageOps.fit's ``centering`` that puts ``focus`` mid-crop, as far as the edges allow."""
    w, h = image
    scale = max(size[0] / w, size[1] / h)
    crop_w, crop_h = size[0] / scale, size[1] / scale

    def axis(length: float, crop: float, at: float) -> float:
        spare = length - crop
        if spare <= 0.5:
            return 0.5
        return min(1.0, max(0.0, (at * length - crop / 2) / spare))

    return axis(w, crop_w, focus[0]), axis(h, crop_h, focus[1])


# A crop up to this many pixels (a portrait on its disc) is kept in the user cache; a
# larger one is a card's background, which its kept base holds already.
KEPT_COVER = 512 * 512


@lru_cache(maxsize=8)
def cover(picture: Picture, size: tuple[int, int]) -> Image.Image:
    """The picture cropped to fill ``size``, keeping its focus (or a face) in view."""
    from toolkit.cards import base_cache

    key = None
    source = base_cache.file_part(picture.key[0])
    opened = picture.opened  # a file's picture (``open_image``) is RGBA once opened
    if (
        size[0] * size[1] <= KEPT_COVER
        and (not isinstance(opened, Image.Image) or opened.mode == "RGBA")
        and source != picture.key[0]
    ):
        # The file (path, size, time) is what its pixels come from: a kept crop is found
        # without decoding it.
        key = base_cache.key_of(("cover", source, picture.focus, size))
        kept = base_cache.load_cover(key)
        if kept is not None:
            return kept
    made = _cover(picture, size)
    if key is not None:
        base_cache.keep_cover(key, made)
    return made


def _cover(picture: Picture, size: tuple[int, int]) -> Image.Image:
    from toolkit.cards.faces import face_focus

    focus = picture.focus or face_focus(picture.image) or DEFAULT_FOCUS
    where = centering(picture.image.size, size, focus)
    return ImageOps.fit(picture.image, size, Image.Resampling.LANCZOS, centering=where)


@lru_cache(maxsize=16)
def contain(picture: Picture, size: tuple[int, int]) -> Image.Image:
    img = picture.image
    scale = min(size[0] / img.width, size[1] / img.height)
    target = (max(1, round(img.width * scale)), max(1, round(img.height * scale)))
    return img.resize(target, Image.Resampling.LANCZOS)


def gradient(canvas: Image.Image, start: RGB, end: RGB, angle: float) -> None:
    """Fill ``canvas`` with a linear gradient from ``start`` to ``end`` along ``angle``.

    The start colour, then the end colour through the gradient's mask: the same pixels
    as compositing two full-canvas images, without making them.
    """
    box = (0, 0, *canvas.size)
    canvas.paste(start, box)
    mask = _gradient_mask(canvas.size, angle)
    if canvas.mode != "RGB":
        canvas.paste(end, box, mask)
        return
    # The end colour as a block pasted through the mask, a strip of rows at a time: the
    # bytes of a fill through it at about half its cost (see ``blocks._Rows``), without a
    # second full canvas.
    w, h = canvas.size
    solid = Image.new("RGB", (w, MASK_STRIP), end)
    for top in range(0, h, MASK_STRIP):
        bottom = min(h, top + MASK_STRIP)
        block = solid if bottom - top == MASK_STRIP else Image.new("RGB", (w, bottom - top), end)
        canvas.paste(block, (0, top), mask.crop((0, top, w, bottom)))


@lru_cache(maxsize=1)  # a full-canvas mask; only a new base needs one
def _gradient_mask(size: tuple[int, int], angle: float) -> Image.Image:
    import math
    from bisect import bisect_left, bisect_right

    w, h = size
    sw, sh = max(2, w // 8), max(2, h // 8)
    dx, dy = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    extent = (abs(sw * dx) + abs(sh * dy)) / 2 or 1.0
    cx, cy = (sw - 1) / 2, (sh - 1) / 2
    along = [(x - cx) * dx for x in range(sw)]
    rows: list[bytes] = []
    for y in range(sh):
        across = (y - cy) * dy
        row = [round(((a + across) / extent + 1) * 127.5) for a in along]
        # A row is a ramp, monotonic in x: clamping to 0-255 only touches its two ends
        # (found by bisection), instead of a min and a max per value.
        falling = row[0] > row[-1]
        if falling:
            row.reverse()
        low, high = bisect_left(row, 0), bisect_right(row, 255)
        row[:low] = [0] * low
        row[high:] = [255] * (len(row) - high)
        if falling:
            row.reverse()
        rows.append(bytes(row))
    mask = Image.frombytes("L", (sw, sh), b"".join(rows))
    return mask.resize(size, Image.Resampling.BILINEAR)

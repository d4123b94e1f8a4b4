"""PNG, JPEG and WebP bytes within a platform's file-size cap, written atomically.

PNG is written here rather than by Pillow for the first attempt: Pillow's
encoder deflates with zlib (about 19 ms of a 1080×1350 slide at level 1) and
picks a filter per row by trying four. Here every row gets the Up filter
(each byte minus the one above it; computed by Pillow's channel arithmetic,
and it suits cards: gradients, flat colours, text), and ISA-L's deflate
(``isal``) compresses it about five times faster than zlib, at level 0
(one pass, a static Huffman code) for some 30 % more bytes than zlib's
level 1. Not ISA-L's level 1: its output depended on what the process had
done before (the same pixels deflated to different bytes in about one
process in five, so a card drawn again looked "changed" to the week, and a
worker's card differed from the caller's). The image is filtered a few
hundred kB of rows at a time (while still in the processor's cache, twice as
fast as whole-image passes on a 1080×1350 slide) and deflated in bands of
some 64 kB of rows (17 rows at 1280 wide); each band is deflated on its own
and ends on a full flush, so the bands simply follow one another in one zlib
stream. The pixels are the same; any PNG reader
decodes them. Since a band's bytes depend only on its rows and the row above
them, a card drawn over a kept base layer (``Bands``) takes the bytes of every
band its text left alone from that base, and deflates only the bands it drew
on; the stream's checksum is combined band by band (``adler32_combine``), so
the file is the same, byte for byte, as one written from scratch. A band that
only kept text layers reached (a subtitle pasted as drawn before, ``Overlaid``)
is the same whenever the same layers are there, and is kept by which; a band the
card drew on is filtered again only in the rows and columns it drew on, the rest
of its filtered rows taken from the base's (from the second card on).

JPEG goes the same way: written with a restart marker after each row of 8×8
blocks (4:4:4), each row's coded bytes depend on that row's pixels alone (the
markers reset what the coder carries from block to block), so a card's rows
its text left alone are copied from its base's, and only the rows it drew on
are encoded (as one strip of the image per run of them), their markers
renumbered in place. The file is the one Pillow writes for the whole image
with ``restart_marker_rows=1``, byte for byte, some 2 bytes a row larger than
one without markers; every JPEG reader decodes restart markers.

A card over its size's ``max_bytes`` is encoded again: JPEG and WebP at lower
qualities, PNG by Pillow at the best compression and then with a 256-colour
palette.
"""

from __future__ import annotations

import io
import re
import struct
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

from isal import isal_zlib  # type: ignore[import-untyped, unused-ignore]
from PIL import (
    Image,
    _imaging,  # type: ignore[attr-defined, unused-ignore]
)

from toolkit.errors import InputError

ImageFormat = Literal["png", "jpeg", "webp"]
FORMATS: tuple[ImageFormat, ...] = ("png", "jpeg", "webp")
EXTENSIONS = {"png": ".png", "jpeg": ".jpg", "webp": ".webp"}
PNG_LEVEL = 0  # see the module's docstring: level 1 is not deterministic
# Rows per band (each deflated on its own): as many as fit this many bytes (17 rows of a
# 1280-wide card, 20 of a 1080-wide one). A card deflates again only the bands its text
# reached, so small bands spare it the rows between and around its lines; each band
# ends on a full flush and starts with nothing to refer back to: some 3 % more bytes
# than bands of 384 kB (a 1280×720 thumbnail: 155.7 kB against 150.8).
BAND_BYTES = 64 * 1024
# Rows filtered in one pass (a few bands at a time): as many as fit this many bytes.
# Smaller passes pay more per call, larger ones leave the processor's cache.
FILTER_BYTES = 384 * 1024
_UP = b"\x02"  # the filter byte of a row filtered with Up
_QUALITIES = (90, 82, 74, 66, 58, 50, 40)


def format_for(path: Path) -> ImageFormat | None:
    return {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".webp": "webp"}.get(  # type: ignore[return-value]
        path.suffix.lower()
    )


def _chunk(tag: bytes, data: bytes) -> bytes:
    # ISA-L's CRC-32 is zlib's, some four times faster (0.1 ms for a card's 156 kB IDAT).
    crc = isal_zlib.crc32(data, isal_zlib.crc32(tag))
    return b"".join((struct.pack(">I", len(data)), tag, data, struct.pack(">I", crc)))


class Bands:
    """The deflated bands of one base layer (a card's static background), kept to be
    reused by the cards drawn over it: band index -> (its bytes, the adler32 of its raw
    rows alone). Filled as cards are written (a band no card drew on is kept the first
    time it is deflated), so keeping costs no extra encode; at most one entry per band
    of the image, about the size of the base's PNG. Its owner bounds how many exist."""

    def __init__(self, size: tuple[int, int], image: Image.Image | None = None) -> None:
        self.size = size
        self.rows = 0  # rows per band the kept bands were cut at (BAND_BYTES may change)
        self.kept: dict[int, tuple[bytes, int]] = {}
        # The base's pixels (when given), and the filtered rows of each band cards drew
        # on, by band (None: one card has): a band drawn on is filtered again only
        # where the card drew.
        self.image = image if image is not None and image.size == size else None
        self.filtered: dict[int, bytes | None] = {}
        # JPEG, per quality: the file's header (to the start of its coded data), and
        # each row of blocks' coded bytes, by row (see ``fast_jpeg``).
        self.jpeg: dict[int, tuple[bytes, dict[int, bytes]]] = {}
        # Bands (PNG) and rows of blocks (JPEG, per quality) that only kept layers
        # reached (``Overlaid``), by which: most recently used last, at most OVER_LIMIT.
        self.over: OrderedDict[tuple[object, ...], object] = OrderedDict()

    def take(self, key: tuple[object, ...]) -> object:
        found = self.over.get(key)
        if found is not None:
            self.over.move_to_end(key)
        return found

    def keep(self, key: tuple[object, ...], value: object) -> None:
        self.over[key] = value
        while len(self.over) > OVER_LIMIT:
            self.over.popitem(last=False)


Rows = Sequence[tuple[int, int]]  # spans of rows [top, bottom) drawn over a base
# Spans of rows [top, bottom) a kept layer was pasted on (its pixels always the same
# for one ident), over rows that were the base's: the bands and rows of blocks they
# alone reach are the same whenever the same layers are there.
Overlaid = Sequence[tuple[int, int, int]]
OVER_LIMIT = 64


def adler32_combine(first: int, second: int, length: int) -> int:
    """The adler32 of A + B from adler32(A), adler32(B) and len(B).

    adler32 keeps a = 1 + the sum of the bytes and b = the sum of ``a`` after each
    byte, both modulo 65521. Over A + B, B's bytes add to A's ``a`` (minus B's
    starting 1), and each of B's ``length`` steps adds A's final ``a`` - 1 to ``b``
    beyond what B's own ``b`` counted.
    """
    mod = 65521
    a1, b1 = first & 0xFFFF, first >> 16
    a2, b2 = second & 0xFFFF, second >> 16
    a = (a1 + a2 - 1) % mod
    b = (b1 + b2 + length * (a1 - 1)) % mod
    return (b << 16) | a


def fast_png(
    image: Image.Image,
    base: Bands | None = None,
    drawn: Rows = (),
    overlaid: Overlaid = (),
    columns: tuple[int, int] | None = None,
) -> bytes:
    """An RGB image as a PNG: the Up filter on every row, deflated by ISA-L at level 0.

    With ``base``: ``image`` is that base layer with only the rows of ``drawn`` (and
    of those only ``columns``, x0 to x1, when given) and of ``overlaid`` changed;
    bands that none of them reach are copied from ``base`` (and the others kept
    there when ``base`` lacks them), and so are those only the same kept layers
    reached before. When ``base`` has its pixels, the other bands are filtered
    again only where they changed. The bytes are the same either way.
    """
    w, h = image.size
    line = 3 * w + 1  # a row's bytes after its filter byte
    rows = band_rows(w)
    count = -(-h // rows)
    dirty: set[int] = set()
    layers: dict[int, set[int]] = {}  # band -> the kept layers that reached it
    # Boxes (top, bottom, x0, x1) whose filtered bytes changed: a row's differences
    # change with it and with the row above it.
    changed: list[tuple[int, int, int, int]] = []
    if base is not None:
        if base.size != (w, h):
            base = None
        else:
            if base.rows != rows:
                base.kept, base.filtered, base.rows = {}, {}, rows
            for top, bottom in drawn:
                dirty.update(reach(top, bottom, rows, h))
            for top, bottom, ident in overlaid:
                for index in reach(top, bottom, rows, h):
                    layers.setdefault(index, set()).add(ident)
            if dirty and base.image is not None:
                x0, x1 = (0, w) if columns is None else (max(0, columns[0]), min(w, columns[1]))
                runs = merge_runs((max(0, top), min(h, bottom + 1)) for top, bottom in drawn)
                changed = [(top, bottom, x0, x1) for top, bottom in runs if x0 < x1]
                runs = merge_runs((max(0, top), min(h, bottom + 1)) for top, bottom, _ in overlaid)
                changed += [(top, bottom, 0, w) for top, bottom in runs]
    bands: list[tuple[bytes, int] | None] = [None] * count
    keys: dict[int, tuple[object, ...] | None] = {}  # clean bands to keep once made
    if base is not None:
        for index in range(count):
            if index in dirty:
                continue
            over = layers.get(index)
            key: tuple[object, ...] | None = None
            if over:
                key = ("png", rows, index, frozenset(over))
            found = base.kept.get(index) if key is None else base.take(key)
            if found is None:
                keys[index] = key
            else:
                bands[index] = found  # type: ignore[call-overload]
        if changed:
            for first, last in _spans(sorted(dirty)):
                _redrawn(image, base, first, last, changed, bands)
    # Whatever is still missing, filtered a run of bands at a time and deflated band
    # by band: each band ends on a full flush, so its bytes depend on its rows alone.
    for first, last in _spans([i for i, band in enumerate(bands) if band is None]):
        made = _band(image, first * rows, min(h, last * rows))
        bands[first:last] = made
        if base is not None:
            for index, fresh in enumerate(made, first):
                if index in keys:
                    key = keys[index]
                    if key is None:
                        base.kept[index] = fresh
                    else:
                        base.keep(key, fresh)
    parts = [b"\x78\x01"]  # zlib's header: deflate with a 32 kB window
    adler = 1  # zlib's checksum of everything deflated, band after band
    for index, done in enumerate(bands):
        assert done is not None
        data, own = done
        parts.append(data)
        adler = adler32_combine(adler, own, (min(h, (index + 1) * rows) - index * rows) * line)
    parts += [b"\x03\x00", struct.pack(">I", adler)]  # an empty final block, the checksum
    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)  # 8-bit RGB, not interlaced
    crc = isal_zlib.crc32(b"IDAT")  # the IDAT chunk's CRC, part by part: joined once
    for part in parts:
        crc = isal_zlib.crc32(part, crc)
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", header),
            struct.pack(">I", sum(map(len, parts))),
            b"IDAT",
            *parts,
            struct.pack(">I", crc),
            _chunk(b"IEND", b""),
        )
    )


def band_rows(width: int) -> int:
    """The rows of each PNG band of an image ``width`` pixels wide (see ``BAND_BYTES``)."""
    return max(1, BAND_BYTES // (3 * width + 1))


def reach(top: int, bottom: int, rows: int, height: int) -> range:
    """The bands of ``rows`` rows that rows top..bottom - 1 reach: each row is in its own
    band and, through the Up filter, in the next one's first row."""
    return range(max(0, top) // rows, max(0, min(height - 1, bottom)) // rows + 1)


def _spans(indices: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted band indices as runs [first, last) of consecutive ones."""
    spans: list[tuple[int, int]] = []
    for index in indices:
        if spans and spans[-1][1] == index:
            spans[-1] = (spans[-1][0], index + 1)
        else:
            spans.append((index, index + 1))
    return spans


def _band(image: Image.Image, top: int, bottom: int) -> list[tuple[bytes, int]]:
    """Rows ``top`` to ``bottom`` filtered (a few hundred kB at a time, while in the
    processor's cache) and deflated band by band (see ``_deflated``)."""
    line = 3 * image.width + 1
    rows = band_rows(image.width)
    step = max(1, FILTER_BYTES // (rows * line)) * rows
    out: list[tuple[bytes, int]] = []
    for start in range(top, bottom, step):
        stop = min(bottom, start + step)
        out += _deflated(_filtered(image, start, stop), line, rows)
    return out


def _deflated(filtered: memoryview | bytearray, line: int, rows: int) -> list[tuple[bytes, int]]:
    """Filtered rows deflated ``rows`` rows at a time (the last band may be shorter)."""
    view = memoryview(filtered)
    size = rows * line
    return [_deflate(view[at : at + size]) for at in range(0, len(view), size)]


def packed(
    core: Any,
    rawmode: str = "",
    stride: int = 0,
    box: tuple[int, int, int, int] | None = None,
) -> bytes:
    """An ImagingCore's pixels (within ``box``, x0, y0, x1, y1, inside it) as
    ``Image.tobytes("raw", (rawmode, stride))`` gives them (its mode's own packing by
    default), without making an Image around it: the same encoder, some 10 µs less a
    call (a card packs a few boxes, and each new glyph), and no crop of ``box`` first."""
    box = box or (0, 0, *core.size)
    width, height = box[2] - box[0], box[3] - box[1]
    if width <= 0 or height <= 0:
        return b""
    encoder = _imaging.raw_encoder(core.mode, rawmode or core.mode, stride)
    try:
        encoder.setimage(core, box)
        out = []
        while True:
            _, code, data = encoder.encode(max(1 << 16, width * 4))
            out.append(data)
            if code:
                break
    finally:
        encoder.cleanup()
    if code < 0:
        raise RuntimeError(f"encoder error {code} packing pixels")
    return b"".join(out)


def _bytes_image(buffer: Any, width: int, height: int) -> Any:
    """A buffer's bytes as an 8-bit ImagingCore over them, ``width`` bytes a row (what
    ``Image.frombuffer("L", …, "raw", "L", 0, 1)`` wraps: written through, in place)."""
    return _imaging.map_buffer(buffer, (width, height), "raw", 0, ("L", 0, 1))


def _filtered(image: Image.Image, top: int, bottom: int) -> memoryview:
    """Rows ``top`` to ``bottom``, each as its filter byte and its differences."""
    w = image.width
    span = 3 * w  # a row's bytes, packed
    line = span + 1
    rows = bottom - top
    # The rows and the one above them packed once (zeros above the image's first row),
    # seen twice as 8-bit images a row apart: their difference is the rows' filtered
    # bytes. Cropping both out of the image first copied each row twice more.
    pixels = packed(image.im, "RGB", 0, (0, max(0, top - 1), w, bottom))
    view = memoryview(pixels if top else bytes(span) + pixels)
    here = _bytes_image(view[span:], span, rows)
    above = _bytes_image(view[:-span], span, rows)
    # Every row as ``line`` bytes: its filter byte, then its differences. The packer
    # writes each row followed by one spare byte, which becomes the next row's filter
    # byte; the last row's spare byte is left out of the band.
    size = rows * line
    band = bytearray(size + 1)
    band[1:] = packed(here.chop_subtract_modulo(above), "L", line)
    band[0:size:line] = _UP * rows
    return memoryview(band)[:size]


def _deflate(body: memoryview | bytearray) -> tuple[bytes, int]:
    """One band deflated on its own, ending on a full flush (byte-aligned, nothing
    carried over), and the adler32 of its filtered bytes alone."""
    deflate = isal_zlib.compressobj(PNG_LEVEL, isal_zlib.DEFLATED, -15)  # raw deflate
    data = deflate.compress(body) + deflate.flush(isal_zlib.Z_FULL_FLUSH)
    return data, isal_zlib.adler32(body, 1)


def _redrawn(
    image: Image.Image,
    base: Bands,
    first: int,
    last: int,
    changed: list[tuple[int, int, int, int]],
    bands: list[tuple[bytes, int] | None],
) -> None:
    """Bands ``first`` to ``last`` (a run the card drew on) into ``bands``: the base's
    filtered rows with the boxes ``changed`` (top, bottom, x0, x1) filtered again from
    the card, deflated band by band. Left None where filtering them whole is as fast,
    and the first time a card draws on a band (a batch of sizes draws each base once:
    the base's rows are filtered for the second card there)."""
    w, h = image.size
    line = 3 * w + 1
    rows = base.rows
    top, bottom = first * rows, min(h, last * rows)
    boxes = [(max(a, top), min(b, bottom), x0, x1) for a, b, x0, x1 in changed]
    boxes = [box for box in boxes if box[0] < box[1]]
    area = sum((b - a) * (x1 - x0) for a, b, x0, x1 in boxes)
    if area * 4 > (bottom - top) * w * 3:  # most of it: as fast filtered whole
        return
    known = base.filtered
    if any(index not in known for index in range(first, last)):
        known.update(dict.fromkeys(range(first, last)))
        return
    assert base.image is not None
    for start, stop in _spans(i for i in range(first, last) if known[i] is None):
        fresh = _filtered(base.image, start * rows, min(h, stop * rows))
        size = rows * line
        for index in range(start, stop):
            known[index] = bytes(fresh[(index - start) * size : (index + 1 - start) * size])
    band = bytearray().join(known[index] or b"" for index in range(first, last))
    # The run's bytes as an 8-bit image, a row of pixels per row of bytes (a view of
    # ``band``, written in place): each box's differences are pasted in as one.
    view = _bytes_image(band, line, bottom - top)
    for a, b, x0, x1 in boxes:
        # The box's rows and the one above, packed (3 bytes a pixel), seen twice as 8-bit
        # images one row apart: their difference is the box's filtered bytes.
        box = memoryview(packed(image.im.crop((x0, a - 1, x1, b))))  # zeros above row 0
        span = 3 * (x1 - x0)
        here = _bytes_image(box[span:], span, b - a)
        above = _bytes_image(box[:-span], span, b - a)
        part = here.chop_subtract_modulo(above)
        view.paste(part, (1 + 3 * x0, a - top, 1 + 3 * x1, b - top))
    bands[first:last] = _deflated(band, line, rows)


def merge_runs(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of rows [top, bottom) merged into sorted runs."""
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if a >= b:
            continue
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


_BLOCK = 8  # a JPEG block's rows: one row of blocks per restart marker (4:4:4)
_RESTART = re.compile(rb"\xff[\xd0-\xd7]")  # a coded 0xFF byte is always followed by 0
_EOI = b"\xff\xd9"


def fast_jpeg(
    image: Image.Image,
    quality: int,
    base: Bands | None = None,
    drawn: Rows = (),
    overlaid: Overlaid = (),
) -> bytes:
    """An RGB image as a 4:4:4 JPEG with a restart marker after each row of blocks.

    With ``base`` (as for ``fast_png``): the rows of blocks none of ``drawn`` reach
    are copied from what ``base`` kept of them (by the kept layers that reached
    them, for those ``overlaid`` reaches), the others encoded as strips of the
    image (and kept in ``base`` when clean). The bytes are the same either way.
    """
    w, h = image.size
    count = -(-h // _BLOCK)
    if base is not None and (base.size != (w, h) or image.info):
        # Another size, or what Pillow may write in the header (a profile, a comment…):
        # the kept header would not be this image's.
        base = None
    kept = base.jpeg.get(quality) if base is not None else None
    dirty: set[int] = set()
    for top, bottom in drawn:
        dirty.update(_blocks(top, bottom))
    layers: dict[int, set[int]] = {}  # row of blocks -> the kept layers that reached it
    for top, bottom, ident in overlaid:
        for i in _blocks(top, bottom):
            layers.setdefault(i, set()).add(ident)
    if kept is None:
        found, whole = _jpeg_rows(image, quality, count)
        if found is None:  # not split as expected: the whole file, as Pillow wrote it
            return whole[0]
        if base is not None:
            clean = {i: r for i, r in enumerate(whole) if i not in dirty and i not in layers}
            base.jpeg[quality] = (found, clean)
        return _jpeg_join(found, whole)
    header, clean = kept
    keys = {
        i: ("jpeg", quality, i, frozenset(over)) for i, over in layers.items() if i not in dirty
    }
    rows: list[bytes | None] = [
        None if i in dirty else clean.get(i) if i not in keys else base.take(keys[i])  # type: ignore[union-attr, misc]
        for i in range(count)
    ]
    start = 0
    while start < count:  # each run of rows to encode, as one strip of the image
        if rows[start] is not None:
            start += 1
            continue
        end = start
        while end < count and rows[end] is None:
            end += 1
        strip = image.crop((0, start * _BLOCK, w, min(h, end * _BLOCK)))
        strip_header, coded = _jpeg_rows(strip, quality, end - start)
        if strip_header is None:
            return _plain_jpeg(image, quality)  # not split as expected: the whole image
        for i, row in enumerate(coded, start):
            rows[i] = row
            if i in keys:
                base.keep(keys[i], row)  # type: ignore[union-attr]
            elif i not in dirty:
                clean[i] = row
        start = end
    return _jpeg_join(header, [r for r in rows if r is not None])


def _blocks(top: int, bottom: int) -> range:
    """The rows of blocks rows top..bottom - 1 reach."""
    return range(max(0, top) // _BLOCK, (max(top + 1, bottom) - 1) // _BLOCK + 1)


def _plain_jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, subsampling=0, restart_marker_rows=1)
    return out.getvalue()


def _jpeg_rows(image: Image.Image, quality: int, count: int) -> tuple[bytes | None, list[bytes]]:
    """The image's JPEG split into its header and the coded bytes of its ``count`` rows
    of blocks; (None, [the whole file]) if it does not split so."""
    data = _plain_jpeg(image, quality)
    sos = data.find(b"\xff\xda")
    if sos < 0 or not data.endswith(_EOI):
        return None, [data]
    start = sos + 2 + int.from_bytes(data[sos + 2 : sos + 4], "big")
    rows = _RESTART.split(data[start : -len(_EOI)])
    if len(rows) != count:
        return None, [data]
    return data[:start], rows


def _jpeg_join(header: bytes, rows: list[bytes]) -> bytes:
    parts = [header]
    for i, row in enumerate(rows):
        if i:
            parts.append(bytes((0xFF, 0xD0 + (i - 1) % 8)))
        parts.append(row)
    parts.append(_EOI)
    return b"".join(parts)


def _save(
    image: Image.Image,
    fmt: ImageFormat,
    base: Bands | None = None,
    drawn: Rows = (),
    overlaid: Overlaid = (),
    columns: tuple[int, int] | None = None,
    **options: object,
) -> bytes:
    if options.pop("fast", False):
        if fmt == "jpeg":
            quality = options["quality"]
            assert isinstance(quality, int)
            return fast_jpeg(image, quality, base, drawn, overlaid)
        return fast_png(image, base, drawn, overlaid, columns)
    out = io.BytesIO()
    if fmt == "png":
        image.save(out, "PNG", **options)
    elif fmt == "jpeg":
        image.save(out, "JPEG", **options)
    else:
        image.save(out, "WEBP", **options)
    return out.getvalue()


def _attempts(fmt: ImageFormat) -> list[dict[str, object]]:
    """The encoder options tried in turn (the first is every card's under its size's cap)."""
    if fmt == "png":
        return [{"fast": True}, {"compress_level": 9}, {"palette": True}]
    if fmt == "jpeg":
        first: dict[str, object] = {"fast": True, "quality": _QUALITIES[0]}  # fast_jpeg
        smaller: list[dict[str, object]] = [
            {"quality": q, "subsampling": 0 if q >= 80 else 2} for q in _QUALITIES[1:]
        ]
        return [first, *smaller]
    return [{"quality": q, "method": 2} for q in _QUALITIES]


def encode(
    image: Image.Image,
    fmt: ImageFormat,
    max_bytes: int | None = None,
    base: Bands | None = None,
    drawn: Rows = (),
    overlaid: Overlaid = (),
    columns: tuple[int, int] | None = None,
    whole: Callable[[], object] | None = None,
) -> bytes:
    """The image as ``fmt``; re-encoded smaller until it is under ``max_bytes``.

    ``base``, ``drawn``, ``overlaid`` and ``columns``: ``image`` is a kept base layer
    with only those rows drawn on (see ``fast_png``); the same bytes, sooner. With
    ``whole``, ``image`` holds only the rows ``fast_png`` reads (those of the bands
    the others reach, and the row above each): ``whole`` fills in the rest, and is
    called before any other encoding of it.
    """
    image = image if image.mode == "RGB" else image.convert("RGB")
    data = b""
    for options in _attempts(fmt):
        if whole is not None and not (fmt == "png" and options.get("fast")):
            whole()
            whole = None
        if options.pop("palette", False):
            data = _save(image.quantize(256, dither=Image.Dither.NONE), "png", compress_level=9)
        else:
            data = _save(image, fmt, base, drawn, overlaid, columns, **options)
        if max_bytes is None or len(data) <= max_bytes:
            return data
    raise InputError(
        f"the card is {len(data):,} bytes as {fmt.upper()}, over this size's cap of "
        f"{max_bytes:,} bytes even after re-encoding",
        hint="use --format jpeg, or a layout with less photo detail",
    )

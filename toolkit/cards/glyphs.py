"""Plain runs drawn glyph by glyph: Pillow's pixels, from glyphs rasterized once.

Pillow draws a line by shaping it with raqm, then hinting each glyph three
times and rasterizing it twice; on a card that is most of the drawing, and a
new title is all new lines. Glyphs recur, lines do not: this module keeps each
glyph's mask per face and size, and puts a line together from them.

It only does so for a *plain* run, where shaping cannot do more than map each
character to its glyph and kern pairs of glyphs: every character is in the
face's character map, is no mark, control or right-to-left character, and no
substitution (GSUB) or positioning (GPOS) the shaper applies by default can
touch its glyph, except pair kerning that only moves the first glyph's advance
and is the same in every script and language of the font, and ligatures the
run does not spell out (an "f" is plain in "of", not in "office": English text
is full of f's, and Noto Sans forms only ff, fi, fl, ffi and ffl). Then a glyph's pen
position is the sum of the advances and pair kerns before it (each measured by
raqm once, as ``getlength`` of one and two characters), which is what raqm's
layout of the whole line gives, and the line's width is checked against raqm's
own measure of it before anything is drawn. Glyphs are placed on whole pixels
and blended exactly as Pillow's ``font.render`` does (its float arithmetic
included), so the card's bytes are the same; anything else (Japanese,
Arabic, emoji, a ligature formed, a Turkish locl form) goes through Pillow as before.
"""

from __future__ import annotations

import gc
import itertools
import math
import operator
import struct
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import Any, NamedTuple, TypeVar

import regex  # type: ignore[import-untyped, unused-ignore]
from isal import isal_zlib  # type: ignore[import-untyped, unused-ignore]
from PIL import (
    ImageFont,
    _imaging,  # type: ignore[attr-defined, unused-ignore]
)

from toolkit.cards.encode import packed
from toolkit.cards.fonts import RAQM, Face, font, needs_glyph

# Features HarfBuzz leaves off for left-to-right horizontal text unless asked (or applies
# only around a fraction slash, which is never plain). Every other feature is taken as on.
_OFF_TAGS = (
    "aalt afrc c2pc c2sc case cpsp cswh dlig dnom expt falt frac fwid halt hist hkna hlig "
    "hngl hojo hwid ital jalt jp04 jp78 jp83 jp90 lnum mgrk nalt nlck numr onum opbd ordn "
    "ornm palt pcap pkna pnum pwid qwid rtla rtlm ruby salt sinf smcp smpl subs sups swsh "
    "titl tnam tnum trad twid unic valt vert vhal vjmo vkna vkrt vpal vrt2 vrtr zero"
)
_OFF = frozenset(_OFF_TAGS.split())
_ADVANCE_ONLY = 0x0004 | 0x0040  # ValueFormat: XAdvance and its device table
_BAD_CATEGORIES = frozenset(("Mn", "Mc", "Me", "Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))
_BAD_BIDI = frozenset(("R", "AL", "AN", "NSM", "LRE", "RLE", "LRO", "RLO", "PDF", "BN", "B"))
_AAT = ("morx", "mort", "kerx", "trak", "fvar")
_SKIPS_BASES = 0x0002 | 0x0004  # LookupFlag: IgnoreBaseGlyphs, IgnoreLigatures
# Ligatures a face's plain characters may form, as strings of those characters: more than
# this (a face full of them) and their first glyphs are left to Pillow, as any other.
JOIN_LIMIT = 4096
# Glyph masks kept, by bytes: a batch's title sizes come back (a title is fitted to one
# of some sixty sizes), so its glyphs do. Masks are kept deflated (a fifth of their
# size: most of a glyph's box is empty or solid ink), since inflating one costs some
# 10 µs and rasterizing it again 200: 1.5 MB holds some sixty sizes of a title's glyphs,
# most of the fifty-odd a batch of 1280×720 titles takes among them (1 MB held forty: over
# a thousand cards, most glyphs rasterized were evicted ones). The masks of the last sizes
# drawn are also kept inflated, within MASK_BYTES (512 kB: some five title sizes, so a size
# that comes back soon is not inflated again). Together the bounds keep a process of 1,000
# cards of distinct sizes under its 150 MB with room to spare, the week's shape order
# included: 142.9 MB there (133.9 with 1 MB and 256 kB; 2 MB and 1 MB took it to 149.9).
GLYPH_BYTES = 3 << 19
MASK_BYTES = 1 << 19
GLYPH_OVERHEAD = 200  # bytes per glyph beyond its mask: the Glyph, its bytes' header, its entry
MEASURE_LIMIT = 20_000
# raqm shapes each script apart (no kerning across a change); characters of no script of
# their own (digits, punctuation, spaces) join their neighbours'.
_SCRIPTS = tuple(
    (regex.compile(rf"\p{{sc={name}}}"), name) for name in ("Zyyy", "Zinh", "Latn", "Grek", "Cyrl")
)
# Reading a face's layout tables costs about 30 ms for Noto Sans and 0.5 s for a CJK
# collection (tens of thousands of glyphs in its locl and vert lookups), once per process:
# larger tables are left to Pillow, so no process pays that for a few lines.
TABLE_BYTES = 192 << 10


class Glyph(NamedTuple):
    """One glyph's rasterized mask and where it goes. A tuple: a cold process builds
    some five hundred from the user cache (``glyph_store.load``), at half a frozen
    dataclass's cost each."""

    left: int  # getmask2(char)'s offset: its mask's top left from the pen on the baseline
    top: int
    height: int  # that mask's height
    data: bytes | None  # the mask cut to its ink, deflated; None for a blank glyph
    x: int  # where the cut mask's top left is from the pen on the baseline
    y: int
    width: int  # the cut mask's size
    rows: int

    @property
    def mask(self) -> Any:
        """The cut mask as an image (an ImagingCore over the inflated bytes), or None."""
        if self.data is None:
            return None
        raw = isal_zlib.decompress(self.data)
        return _imaging.map_buffer(raw, (self.width, self.rows), "raw", 0, ("L", 0, 1))

    @property
    def cost(self) -> int:
        """What the glyph holds, in bytes: its deflated mask and the objects around it."""
        return len(self.data or b"") + GLYPH_OVERHEAD


# ------------------------------------------------------------------ the font's tables


def _lookup(table: Any, index: int) -> Any:
    return table.LookupList.Lookup[index]


def _subtables(lookup: Any, extension: int) -> list[Any]:
    out = []
    for sub in lookup.SubTable:
        if lookup.LookupType == extension:
            sub = sub.ExtSubTable
        out.append(sub)
    return out


def _kind(lookup: Any, extension: int) -> int:
    if lookup.LookupType != extension:
        return int(lookup.LookupType)
    return int(lookup.SubTable[0].ExtensionLookupType) if lookup.SubTable else 0


def _nested(sub: Any) -> set[int]:
    """The lookups a contextual subtable calls (any depth of its rule sets)."""
    found: set[int] = set()
    stack = [sub]
    while stack:
        item = stack.pop()
        if isinstance(item, list | tuple):
            stack.extend(item)
            continue
        index = getattr(item, "LookupListIndex", None)
        if index is not None:
            found.add(int(index))
            continue
        if hasattr(item, "ensureDecompiled"):
            item.ensureDecompiled()
            stack.extend(v for k, v in vars(item).items() if k not in ("reader", "font"))
    return found


def _coverage(sub: Any) -> list[str]:
    for name in ("Coverage", "MarkCoverage", "Mark1Coverage"):
        cov = getattr(sub, name, None)
        if cov is not None:
            return list(cov.glyphs)
    for name in ("mapping", "alternates", "ligatures"):
        table = getattr(sub, name, None)
        if table is not None:
            return list(table)
    return []


def _features(table: Any) -> dict[tuple[str, str], set[int]]:
    """The lookups on by default, per script and language system."""
    out: dict[tuple[str, str], set[int]] = {}
    records = table.FeatureList.FeatureRecord
    for script in table.ScriptList.ScriptRecord:
        systems = [("", script.Script.DefaultLangSys)]
        systems += [(r.LangSysTag, r.LangSys) for r in script.Script.LangSysRecord]
        for tag, system in systems:
            if system is None:
                continue
            lookups: set[int] = set()
            for i in system.FeatureIndex:
                record = records[i]
                tag = record.FeatureTag
                if tag not in _OFF and not (tag[:2] in ("ss", "cv") and tag[2:].isdigit()):
                    lookups.update(record.Feature.LookupListIndex)
            out[(script.ScriptTag, tag)] = lookups
    return out


def _possible(sub: Any, candidates: frozenset[str]) -> bool:
    """Whether a contextual rule can match a run of candidate glyphs: a coverage-based
    rule needs a candidate at every position (most need a combining mark, never one)."""
    if getattr(sub, "Format", 0) != 3:
        return True
    for name in ("BacktrackCoverage", "InputCoverage", "LookAheadCoverage", "Coverage"):
        for cov in getattr(sub, name, None) or []:
            if not candidates.intersection(cov.glyphs):
                return False
    return True


def _touched(
    table: Any,
    roots: Iterable[int],
    extension: int,
    pos: bool,
    candidates: frozenset[str],
    joins: list[tuple[str, ...]] | None = None,
) -> tuple[set[str], set[int]]:
    """Glyphs a table's default lookups may change, and its plain pair-kerning lookups.

    A pair lookup that only moves the first glyph's advance is plain when the
    features call it directly; called from a context, or doing anything else, its
    first glyphs are touched. Contextual lookups touch what the lookups they call do,
    when their context can occur; a ligature touches its first glyph when all its
    other components are candidates (the glyphs plain characters map to), unless
    ``joins`` is given: then the ligature's glyphs go there instead, when its lookup
    skips no base glyph or ligature (a run without them in a row never forms it).
    """
    touched: set[str] = set()
    pairs: set[int] = set()
    seen: set[tuple[int, bool]] = set()
    singles = False
    stack = [(i, False) for i in roots]
    while stack:
        index, nested = stack.pop()
        if (index, nested) in seen:
            continue
        seen.add((index, nested))
        lookup = _lookup(table, index)
        kind = _kind(lookup, extension)
        subs = _subtables(lookup, extension)
        context = (7, 8) if pos else (5, 6)
        if kind in context:
            for sub in subs:
                if _possible(sub, candidates):
                    stack.extend((i, True) for i in _nested(sub))
            continue
        plain = pos and not nested and kind in (1, 2)
        for sub in subs:
            if plain and kind == 1 and not sub.ValueFormat & ~_ADVANCE_ONLY:
                singles = True  # an advance change in every context: getlength has it
                continue
            if (
                plain
                and kind == 2
                and not sub.ValueFormat1 & ~_ADVANCE_ONLY
                and not sub.ValueFormat2
            ):
                pairs.add(index)
                continue
            if not pos and kind == 4:
                for first, ligatures in sub.ligatures.items():
                    formed = [lig for lig in ligatures if candidates.issuperset(lig.Component)]
                    if formed and (joins is None or lookup.LookupFlag & _SKIPS_BASES):
                        touched.add(first)
                    elif joins is not None:
                        joins.extend((first, *lig.Component) for lig in formed)
                continue
            touched.update(_coverage(sub))
    if singles:
        pairs.add(-1)  # advances are not the hmtx's alone: measure them
    return touched, pairs


def _value(record: Any) -> tuple[int, bool]:
    """A pair value record's XAdvance, and whether a device table varies it by size."""
    value = getattr(record, "Value1", None)
    if value is None:
        return 0, False
    return int(getattr(value, "XAdvance", 0) or 0), getattr(value, "XAdvDevice", None) is not None


class _Pairs:
    """One plain pair-kerning subtable, to read a pair's value as HarfBuzz does (only
    pairs of ``candidates``, the glyphs a plain run can hold, are kept)."""

    def __init__(self, sub: Any, candidates: frozenset[str]) -> None:
        self.format = sub.Format
        self.device = False
        if sub.Format == 1:
            self.table: dict[str, dict[str, int]] = {}
            for first, pair_set in zip(sub.Coverage.glyphs, sub.PairSet, strict=False):
                if first not in candidates:
                    continue
                row = self.table[first] = {}
                for record in pair_set.PairValueRecord:
                    units, device = _value(record)
                    self.device |= device
                    if record.SecondGlyph in candidates:
                        row[record.SecondGlyph] = units
        else:
            self.covered = candidates.intersection(sub.Coverage.glyphs)
            self.first = sub.ClassDef1.classDefs if sub.ClassDef1 else {}
            self.second = sub.ClassDef2.classDefs if sub.ClassDef2 else {}
            self.rows: list[list[int]] = []
            for c1 in sub.Class1Record:
                row2 = []
                for c2 in c1.Class2Record:
                    units, device = _value(c2)
                    row2.append(units)
                    self.device |= device
                self.rows.append(row2)

    def get(self, a: str, b: str) -> int | None:
        """The pair's XAdvance in font units, or None when this subtable passes it on."""
        if self.format == 1:
            row = self.table.get(a)
            return None if row is None else row.get(b)
        if a not in self.covered:
            return None
        c1, c2 = self.first.get(a, 0), self.second.get(b, 0)
        if c1 >= len(self.rows) or c2 >= len(self.rows[c1]):
            return None
        value: int = self.rows[c1][c2]
        return value


@dataclass(frozen=True)
class Plainness:
    chars: dict[int, str]  # the code points whose glyphs shaping leaves alone, and the glyph
    charset: frozenset[str]  # the same characters, to test a run at C speed
    scripts: dict[int, str]  # their scripts: "" for none of their own, "?" for another
    upem: int
    advances: dict[str, int]  # hmtx, font units
    lookups: tuple[tuple[_Pairs, ...], ...]  # the plain pair-kerning lookups, in order
    exact: bool  # advances and kerns follow from the tables (else raqm measures them)
    # The ligatures plain characters may form ("fi", "ffl"…), as characters, and the
    # characters they start with: a run is plain only where none of them is formed.
    joins: tuple[str, ...] = ()
    joiners: frozenset[str] = frozenset()

    def holds(self, text: str) -> bool:
        """Whether ``text`` is a plain run: plain characters, no ligature among them."""
        if not self.charset.issuperset(text):
            return False
        return self.joiners.isdisjoint(text) or not any(j in text for j in self.joins)

    def kern(self, a: str, b: str) -> tuple[int, ...] | None:
        """Each lookup's XAdvance for the pair (font units), or None when unclear."""
        out = []
        for lookup in self.lookups:
            found = [v for v in (sub.get(a, b) for sub in lookup) if v is not None]
            if found and found[0] == 0 and any(found[1:]):
                return None  # HarfBuzz versions differ on whether a zero ends the lookup
            if found and found[0]:
                out.append(found[0])
        return tuple(out)


@lru_cache(maxsize=16)
def plainness(face: Face) -> Plainness | None:
    """The face's plain characters, or None when the face cannot take this path.

    Reading a font's layout tables costs about half a second for Noto Sans, in every
    process that draws a card: the answer is kept in the user cache, keyed by the font
    file (its path, size and modification time) and the code and libraries that read it.
    """
    if not RAQM or face.path is None:
        return None
    key = _plainness_key(face)
    if key is None:
        return None
    found = _cached_plainness(key)
    if found is not _MISSING:
        return found  # type: ignore[return-value]
    plain = _read_plainness(face)
    _keep_plainness(key, plain)
    return plain


_MISSING = object()


def _plainness_key(face: Face) -> str | None:
    import hashlib
    import os

    from PIL import __version__ as pillow

    from toolkit.files.user_cache import code_stamp, package_part

    try:
        info = os.stat(face.path or "")
    except OSError:
        return None
    # fontTools as installed, not imported: a warm process never needs it.
    fonttools = package_part("fontTools")
    parts = (face.path, face.index, info.st_size, info.st_mtime_ns, fonttools, pillow)
    stamp = code_stamp("cards")
    return hashlib.sha256(f"{parts!r}|{stamp}".encode()).hexdigest()


def _plainness_file(key: str) -> str:
    from toolkit.files.user_cache import cache_root

    return str(cache_root() / "glyphs" / f"{key[:32]}.pickle")


def _cached_plainness(key: str) -> object:
    """The kept answer, or ``_MISSING`` (none, or damaged: its digest does not match)."""
    import hashlib
    import pickle

    try:
        with open(_plainness_file(key), "rb") as fh:
            blob = fh.read()
    except OSError:
        return _MISSING
    digest, data = blob[:32], blob[32:]
    if hashlib.sha256(data).digest() != digest:
        return _MISSING
    try:
        stored_key, plain = pickle.loads(data)  # the user's own cache, digest-checked
    except Exception:  # an older shape: read the font again
        return _MISSING
    return plain if stored_key == key else _MISSING


def _keep_plainness(key: str, plain: Plainness | None) -> None:
    import contextlib
    import hashlib
    import pickle
    from pathlib import Path

    from toolkit.errors import ToolkitError
    from toolkit.files.atomic import atomic_write

    data = pickle.dumps((key, plain), protocol=pickle.HIGHEST_PROTOCOL)
    with contextlib.suppress(ToolkitError):  # an unwritable cache costs the saving only
        atomic_write(Path(_plainness_file(key)), hashlib.sha256(data).digest() + data)


def _read_plainness(face: Face) -> Plainness | None:
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    tt = None
    try:
        tt = TTFont(face.path, fontNumber=face.index, lazy=True)
        if any(tag in tt for tag in _AAT):
            return None
        tables = tt.reader.tables
        if sum(tables[t].length for t in ("GSUB", "GPOS", "GDEF") if t in tables) > TABLE_BYTES:
            return None
        cmap = tt.getBestCmap() or {}
        classes: dict[str, int] = {}
        if "GDEF" in tt and tt["GDEF"].table.GlyphClassDef is not None:
            classes = tt["GDEF"].table.GlyphClassDef.classDefs
        candidates = frozenset(
            name for cp, name in cmap.items() if classes.get(name, 0) in (0, 1) and _plain_char(cp)
        )
        touched: set[str] = set()
        joins: list[tuple[str, ...]] = []
        lookups: list[tuple[_Pairs, ...]] = []
        exact = True
        if "GSUB" in tt:
            gsub = tt["GSUB"].table
            roots = set().union(*_features(gsub).values()) if gsub.ScriptList else set()
            touched |= _touched(gsub, roots, 7, False, candidates, joins)[0]
        if "GPOS" in tt:
            gpos = tt["GPOS"].table
            systems = _features(gpos) if gpos.ScriptList else {}
            roots = set().union(*systems.values()) if systems else set()
            more, pairs = _touched(gpos, roots, 9, True, candidates)
            touched |= more
            # Pairs measured on their own must be kerned as in any line: the same plain
            # pair lookups in every script and language, and a script for common text.
            if len({frozenset(s & pairs) for s in systems.values()}) > 1:
                return None
            if pairs and not {"DFLT", "dflt", "latn"} & {s for s, _ in systems}:
                return None
            exact = -1 not in pairs
            for index in sorted(pairs - {-1}):
                lookups.append(
                    tuple(_Pairs(sub, candidates) for sub in _subtables(_lookup(gpos, index), 9))
                )
            exact = exact and not any(sub.device for lookup in lookups for sub in lookup)
        elif "kern" in tt:
            if any(t.format != 0 for t in tt["kern"].kernTables):
                return None
            exact = False
        upem = int(tt["head"].unitsPerEm)
        advances = {name: int(width) for name, (width, _) in tt["hmtx"].metrics.items()}
    except Exception:  # a table fontTools cannot read: leave the face to Pillow
        return None
    finally:
        # The decompiled tables are cycles (each lookup points back at its font): free
        # them now, so the next cards reuse that memory instead of growing the process.
        tt = None
        gc.collect()
    plain = candidates - touched
    strings = _joins(joins, cmap, plain)
    if strings is None:  # too many to check per run: their first glyphs are not plain
        plain -= {first for first, *_ in joins}
        strings = ()
    chars = {cp: name for cp, name in cmap.items() if name in plain}
    scripts = {cp: _script(chr(cp)) for cp in chars}
    charset = frozenset(chr(cp) for cp in chars)
    joiners = frozenset(j[0] for j in strings)
    found = (upem, advances, tuple(lookups), exact, strings, joiners)
    return Plainness(chars, charset, scripts, *found)


def _joins(
    joins: list[tuple[str, ...]], cmap: dict[int, str], plain: set[str] | frozenset[str]
) -> tuple[str, ...] | None:
    """The ligatures (sequences of glyphs) a run of ``plain`` glyphs may form, as the
    strings of characters that map to them; None when there are more than JOIN_LIMIT."""
    spellings: dict[str, list[str]] = {}
    for cp, name in cmap.items():
        if name in plain:
            spellings.setdefault(name, []).append(chr(cp))
    out: set[str] = set()
    for sequence in joins:
        if not all(name in plain for name in sequence):
            continue  # a glyph that is not plain already keeps its runs from this path
        if math.prod(len(spellings[name]) for name in sequence) + len(out) > JOIN_LIMIT:
            return None
        out.update(map("".join, itertools.product(*(spellings[name] for name in sequence))))
    return tuple(sorted(out))


def _script(char: str) -> str:
    for pattern, name in _SCRIPTS:
        if pattern.match(char):
            return "" if name in ("Zyyy", "Zinh") else name
    return "?"


def _plain_char(cp: int) -> bool:
    char = chr(cp)
    return (
        needs_glyph(cp)
        and cp != 0x2044
        and unicodedata.category(char) not in _BAD_CATEGORIES
        and unicodedata.bidirectional(char) not in _BAD_BIDI
    )


# ------------------------------------------------------------------ measures and masks

_ADVANCES: dict[tuple[str, int, str, str], int] = {}
_GLYPHS: OrderedDict[tuple[str, int], dict[str, Glyph]] = OrderedDict()
_glyph_bytes = 0
_MASKS: OrderedDict[tuple[str, int], dict[str, Any]] = OrderedDict()  # inflated, by size
_mask_bytes = 0


def _length(face: Face, size: int, text: str, lang: str) -> int:
    """raqm's advance of ``text`` in 26.6 units (an int, as Pillow sums it)."""
    key = (face.key, size, text, lang)
    hit = _ADVANCES.get(key)
    if hit is None:
        if len(_ADVANCES) >= MEASURE_LIMIT:
            _ADVANCES.clear()
        value = font(face, size).getlength(text, direction="ltr", language=lang)
        hit = _ADVANCES[key] = round(value * 64)
    return hit


_V = TypeVar("_V")


def _entry(
    kept: OrderedDict[tuple[str, int], dict[str, _V]], face: Face, size: int
) -> dict[str, _V]:
    """``kept``'s entry for ``face`` at ``size``, made if new, marked as the latest used
    (the least recently used go first when a bound is reached)."""
    key = (face.key, size)
    entry = kept.get(key)
    if entry is None:
        entry = kept[key] = {}
    else:
        kept.move_to_end(key)
    return entry


def _group(face: Face, size: int) -> dict[str, Glyph]:
    """The glyphs kept for ``face`` at ``size`` (looked up once per run, not per glyph);
    with ``keep_on_disk``, a new one starts from the user cache's entry."""
    global _glyph_bytes
    if not _ON_DISK or (face.key, size) in _GLYPHS:
        return _entry(_GLYPHS, face, size)
    from toolkit.cards import glyph_store

    group = _GLYPHS[(face.key, size)] = glyph_store.load(face, size)
    _glyph_bytes += sum(g.cost for g in group.values())
    _evict()
    return group


# Whether glyphs are read from and kept in the user cache (``glyph_store``), and the
# faces and sizes that got glyphs since they were last kept there.
_ON_DISK = False
_NEW: dict[tuple[str, int], Face] = {}


def keep_on_disk() -> None:
    """From now on, start each face and size from the glyphs the user cache keeps, and
    keep the new ones there (``save``). For processes that draw a brand's cards at its
    usual sizes (the week's card workers, ``toolkit render``), not for one-off sizes."""
    global _ON_DISK
    _ON_DISK = True


def keeps_on_disk() -> bool:
    return _ON_DISK


def save() -> None:
    """Keep the glyphs rasterized since the last call in the user cache (see
    ``keep_on_disk``); those already given back to the bound are not kept."""
    if not _NEW:
        return
    from toolkit.cards import glyph_store

    new = [(face, size, _GLYPHS.get((face.key, size))) for (_, size), face in _NEW.items()]
    _NEW.clear()
    glyph_store.keep((face, size, group) for face, size, group in new if group)


def _evict() -> None:
    """Give back the least recently drawn faces and sizes over the bound, never the one
    in use (the latest)."""
    global _glyph_bytes
    while _glyph_bytes > GLYPH_BYTES and len(_GLYPHS) > 1:
        old = _GLYPHS.popitem(last=False)[1]
        _glyph_bytes -= sum(g.cost for g in old.values())


def glyph(face: Face, size: int, char: str, group: dict[str, Glyph] | None = None) -> Glyph:
    global _glyph_bytes
    group = _group(face, size) if group is None else group
    hit = group.get(char)
    if hit is not None:
        return hit
    mask, (left, top) = _raster(face, size).getmask2(char, "L", None, None, None, 0, "ls")
    height = mask.size[1]
    # Cut to the ink: blending zeros changes nothing, and each pixel left out is one the
    # fill need not visit.
    box = mask.getbbox() if mask.size[0] and height else None
    if box is None:
        hit = Glyph(left, top, height, None, 0, 0, 0, 0)
    else:
        x0, y0, x1, y1 = box
        cut = mask.crop(box)
        # ISA-L's level 0: a fifth of the bytes, and ten times faster than zlib both ways.
        data = isal_zlib.compress(packed(cut), 0)
        hit = Glyph(left, top, height, data, left + x0, top + y0, x1 - x0, y1 - y0)
        _keep_mask(_masks(face, size), char, cut)
    group[char] = hit
    _glyph_bytes += hit.cost
    if _ON_DISK:
        _NEW[(face.key, size)] = face
    _evict()
    return hit


def _masks(face: Face, size: int) -> dict[str, Any]:
    """The inflated masks kept for ``face`` at ``size``."""
    return _entry(_MASKS, face, size)


def _keep_mask(masks: dict[str, Any], char: str, mask: Any) -> Any:
    global _mask_bytes
    old = masks.get(char)  # kept still when its glyph was evicted and rasterized again
    if old is not None:
        _mask_bytes -= _mask_cost(old)
    masks[char] = mask
    _mask_bytes += _mask_cost(mask)
    while _mask_bytes > MASK_BYTES and len(_MASKS) > 1:  # never the size in use
        old = _MASKS.popitem(last=False)[1]
        _mask_bytes -= sum(_mask_cost(m) for m in old.values())
    return mask


def _mask_cost(mask: Any) -> int:
    width, rows = mask.size
    return int(width * rows) + GLYPH_OVERHEAD


@lru_cache(maxsize=2)
def _raster(face: Face, size: int) -> ImageFont.FreeTypeFont:
    """The face at ``size`` without raqm, to rasterize one plain character at a time.

    A plain character alone is one glyph at the pen whatever the layout engine (the
    same glyph from the character map, no substitution, no offset), and Pillow
    renders it with the same FreeType calls; raqm's shaping of it costs a third
    of the glyph's time. A card draws its glyphs one size after another (the two
    kept: a title's and a subtitle's), so a face loads once per size.
    """
    return ImageFont.truetype(
        face.path or "", size, index=face.index, layout_engine=ImageFont.Layout.BASIC
    )


def _divfix(a: int, b: int) -> int:
    """FreeType's FT_DivFix for positive values: (a << 16) / b, rounded."""
    return ((a << 16) + (b >> 1)) // b


def _muldiv(a: int, b: int, c: int) -> int:
    """FreeType's FT_MulDiv: a * b / c rounded half away from zero."""
    sign = -1 if (a < 0) != (b < 0) else 1
    return sign * ((abs(a) * abs(b) + (c >> 1)) // c)


@lru_cache(maxsize=256)
def _scales(size: int, upem: int) -> tuple[int, int]:
    """FreeType's x_scale (16.16) at ``size`` pixels per em, and HarfBuzz's multiplier."""
    ft = _divfix(size << 6, upem)
    hb = (ft * upem + (1 << 15)) >> 16
    return ft, (hb << 16) // upem


# Per face and size: each character's advance and each pair's kern, in 26.6 units.
_SIZED: dict[tuple[str, int], tuple[dict[str, int], dict[str, int]]] = {}


def _pens(plain: Plainness, face: Face, size: int, text: str, lang: str) -> list[int]:
    out = [0]
    pen = 0
    if not plain.exact or not _one_script(plain, text):
        for i, char in enumerate(text):
            pen += _length(face, size, char, lang)
            if i + 1 < len(text):
                nxt = text[i + 1]
                pair = _length(face, size, char + nxt, lang)
                pen += pair - _length(face, size, char, lang) - _length(face, size, nxt, lang)
            out.append(pen)
        return out
    steps, kerned = _steps(plain, face, size, text, lang)
    kerned.append(0)
    return [0, *accumulate(map(operator.add, steps, kerned))]


def _steps(
    plain: Plainness, face: Face, size: int, text: str, lang: str
) -> tuple[list[int], list[int]]:
    """From the face's tables: each character's advance, and each pair's kern (26.6)."""
    sized = _SIZED.get((face.key, size))
    if sized is None:
        if len(_SIZED) >= 256:
            _SIZED.clear()
        sized = _SIZED[(face.key, size)] = ({}, {})
    advances, kerns = sized
    try:
        steps = [advances[c] for c in text]
    except KeyError:
        for c in text:
            if c not in advances:
                advances[c] = _advance(plain, size, c)
        steps = [advances[c] for c in text]
    pairs = list(map(operator.add, text, text[1:]))
    try:
        kerned = [kerns[pair] for pair in pairs]
    except KeyError:
        for pair in pairs:
            if pair not in kerns:
                kerns[pair] = _kern(plain, face, size, pair, lang)
        kerned = [kerns[pair] for pair in pairs]
    return steps, kerned


def _advance(plain: Plainness, size: int, char: str) -> int:
    # raqm's advances are HarfBuzz's through FreeType, unhinted: FT_Get_Advance's
    # 16.16 value (hmtx times FreeType's scale) rounded to 26.6.
    ft, _ = _scales(size, plain.upem)
    return (_muldiv(plain.advances[plain.chars[ord(char)]], ft, 64) + 512) >> 10


# Per face: each pair's kern lookups' values in font units (or None: raqm measures it).
# They are the same at every size, and a fit measures its words at several.
_UNITS: dict[str, dict[str, tuple[int, ...] | None]] = {}


def _kern(plain: Plainness, face: Face, size: int, pair: str, lang: str) -> int:
    # GPOS values scaled by HarfBuzz's em_mult, one lookup after the other.
    known = _UNITS.get(face.key)
    if known is None or len(known) >= MEASURE_LIMIT:
        if len(_UNITS) >= 64:  # faces: a few per brand
            _UNITS.clear()
        known = _UNITS[face.key] = {}
    if pair in known:
        units = known[pair]
    else:
        units = known[pair] = plain.kern(plain.chars[ord(pair[0])], plain.chars[ord(pair[1])])
    if units is None:
        a, b = pair[0], pair[1]
        pair_length = _length(face, size, pair, lang)
        return pair_length - _length(face, size, a, lang) - _length(face, size, b, lang)
    _, mult = _scales(size, plain.upem)
    return sum((v * mult + (1 << 15)) >> 16 for v in units)


def _one_script(plain: Plainness, text: str) -> bool:
    """Whether raqm shapes ``text`` as one run (so every pair of neighbours is kerned)."""
    if text.isascii():
        return True  # Latin letters, and characters of no script of their own
    scripts = {plain.scripts[ord(c)] for c in text}
    scripts.discard("")
    return len(scripts) <= 1 and "?" not in scripts


def is_plain(face: Face, text: str) -> bool:
    plain = plainness(face)
    return plain is not None and bool(text) and plain.holds(text)


def positions(face: Face, size: int, text: str, lang: str) -> list[int] | None:
    """Each glyph's pen position and then the line's advance (26.6), or None if not plain."""
    plain = plainness(face)
    if plain is None or not text or not plain.holds(text):
        return None
    return _pens(plain, face, size, text, lang)


def width(face: Face, size: int, text: str, lang: str) -> float | None:
    """``getlength(text)`` for a plain run whose face's tables give it, else None."""
    plain = plainness(face)
    if plain is None or not plain.exact or not text:
        return None
    if not plain.holds(text) or not _one_script(plain, text):
        return None
    steps, kerned = _steps(plain, face, size, text, lang)  # the last pen, without the others
    return (sum(steps) + sum(kerned)) / 64


def ink(face: Face, size: int, text: str) -> tuple[float, float] | None:
    """``font.getbbox(text, anchor="ls")``'s top and bottom, for a plain run."""
    if not is_plain(face, text):
        return None
    top, bottom = 0, 0
    group = _group(face, size)
    for char in text:
        g = group.get(char) or glyph(face, size, char, group)
        top, bottom = min(top, g.top), max(bottom, g.top + g.height)
    return float(top), float(bottom)


def _f32(value: float) -> float:
    return float(struct.unpack("f", struct.pack("f", value))[0])


def _c_round(value: float) -> int:
    """C's round(): halves away from zero."""
    return math.floor(value + 0.5) if value >= 0 else -math.floor(-value + 0.5)


def _pixel(value: int) -> int:
    return ((value + 32) & -64) >> 6


def draw(
    target: Any,
    xy: tuple[float, float],
    face: Face,
    size: int,
    text: str,
    lang: str,
    width: float,
    ink_value: Any,
) -> bool:
    """Draw ``text`` with its pen at ``xy`` on the baseline, as Pillow would; False when
    the run is not plain or its measure disagrees with ``width`` (raqm's, in pixels)."""
    pens = positions(face, size, text, lang)
    if pens is None or pens[-1] != round(width * 64) or min(pens) < 0 or min(xy) < 0:
        return False
    group = _group(face, size)
    glyphs = [group.get(c) or glyph(face, size, c, group) for c in text]
    # Pillow's render: the mask's origin is the leftmost bitmap edge and the highest one
    # (never right of or below the pen), the start's fraction is added in C floats.
    x_min = min(0, *(_pixel(p) + min(0, g.left) for p, g in zip(pens, glyphs, strict=False)))
    y_max = max(0, *(-g.top for g in glyphs))
    fx, fy = math.modf(xy[0])[0], math.modf(xy[1])[0]
    pen_x = _c_round(_f32(_f32(-x_min) + _f32(fx)) * 64)
    pen_y = _c_round(_f32(_f32(-y_max) - _f32(fy)) * 64)
    x0, y0 = int(xy[0]) + x_min, int(xy[1]) - y_max - _pixel(pen_y)
    masks = _masks(face, size)
    placed = [
        (
            x0 + _pixel(pen_x + pen) + g.x,
            y0 + g.y,
            g,
            masks.get(c) or _keep_mask(masks, c, g.mask),
        )
        for pen, g, c in zip(pens, glyphs, text, strict=False)
        if g.data is not None
    ]
    note = getattr(target, "note", None)  # a core that notes the rows it draws on
    if note is not None and placed:
        # The run's box noted once, not each glyph's: the same rows but for gaps
        # between glyphs, and a bound is all the encoders need.
        target = note(
            min(x for x, _, _, _ in placed),
            min(y for _, y, _, _ in placed),
            max(x + g.width for x, _, g, _ in placed),
            max(y + g.rows for _, y, g, _ in placed),
        )
    _blend(target, placed, ink_value)
    return True


def _blend(target: Any, placed: list[tuple[int, int, Glyph, Any]], ink_value: Any) -> None:
    """Fill the ink through each glyph's mask; glyphs whose boxes overlap are first
    combined into one mask as Pillow combines them (so shared edge pixels blend once)."""
    group: list[tuple[int, int, Glyph, Any]] = []
    right = -(1 << 30)
    for item in [*placed, None]:
        if item is not None and group and item[0] < right:
            group.append(item)
            right = max(right, item[0] + item[2].width)
            continue
        if len(group) == 1:
            x, y, _, cut = group[0]
            target.draw_bitmap((x, y), cut, ink_value)
        elif group:
            gx0 = min(x for x, _, _, _ in group)
            gy0 = min(y for _, y, _, _ in group)
            gx1 = max(x + g.width for x, _, g, _ in group)
            gy1 = max(y + g.rows for _, y, g, _ in group)
            mask = _imaging.fill("L", (gx1 - gx0, gy1 - gy0), 0)
            for x, y, g, cut in group:
                mask.paste(255, (x - gx0, y - gy0, x - gx0 + g.width, y - gy0 + g.rows), cut)
            target.draw_bitmap((gx0, gy0), mask, ink_value)
        if item is not None:
            group, right = [item], item[0] + item[2].width

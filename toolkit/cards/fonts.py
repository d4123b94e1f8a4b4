"""Font fallback: the brand's fonts, then fontconfig's match per script, then Pillow's default.

Pillow draws every character with the one font it is given and shows a
missing-glyph box where that font has none. So each grapheme cluster gets
the first font whose character map (read with fontTools) covers all of its
code points: the brand's font for the role, then the fonts fontconfig sorts
for the cluster's script or the brief's language (``fc-match -s``; its
per-font charset only narrows the candidates, the cmap decides), then
Pillow's bundled default. A cluster no font covers is reported by the text
layout, never drawn as a box.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import regex  # type: ignore[import-untyped, unused-ignore]
from PIL import ImageFont, features

from toolkit.errors import InputError, Location

# Invisible format characters: HarfBuzz hides them, they need no glyph.
_IGNORABLE = frozenset(
    [
        *(0x00AD, 0x034F, 0x061C, 0x180E, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF),
        *range(0x202A, 0x202F),
        *range(0x2061, 0x2070),
        *range(0xFE00, 0xFE10),
        *range(0xE0000, 0xE0080),
        *range(0xE0100, 0xE01F0),
    ]
)
# Scripts whose fonts fontconfig finds best by a language tag.
_SCRIPT_LANG = (
    ("Hiragana", "ja"),
    ("Katakana", "ja"),
    ("Hangul", "ko"),
    ("Han", None),  # the brief's CJK language, else Japanese
    ("Bopomofo", "zh-tw"),
    ("Arabic", "ar"),
    ("Hebrew", "he"),
    ("Thai", "th"),
    ("Lao", "lo"),
    ("Khmer", "km"),
    ("Myanmar", "my"),
    ("Devanagari", "hi"),
    ("Bengali", "bn"),
    ("Gurmukhi", "pa"),
    ("Gujarati", "gu"),
    ("Tamil", "ta"),
    ("Telugu", "te"),
    ("Kannada", "kn"),
    ("Malayalam", "ml"),
    ("Sinhala", "si"),
    ("Tibetan", "bo"),
    ("Georgian", "ka"),
    ("Armenian", "hy"),
    ("Ethiopic", "am"),
    ("Cyrillic", "ru"),
    ("Greek", "el"),
)
_SCRIPT_RE = tuple((regex.compile(rf"\p{{Script={name}}}"), lang) for name, lang in _SCRIPT_LANG)
_CJK_LANGS = {"ja": "ja", "zh": "zh-cn", "ko": "ko"}
RAQM = features.check("raqm")
LAYOUT = ImageFont.Layout.RAQM if RAQM else ImageFont.Layout.BASIC


@dataclass(frozen=True)
class Face:
    """One font face: a file (and index in a collection), or Pillow's bundled default."""

    key: str
    family: str
    path: str | None = None
    index: int = 0
    data: bytes | None = field(default=None, compare=False, hash=False, repr=False)

    @property
    def label(self) -> str:
        return self.family


def needs_glyph(code_point: int) -> bool:
    return code_point not in _IGNORABLE


@lru_cache(maxsize=64)
def coverage(face: Face) -> frozenset[int]:
    """The code points the face's character map has (fontTools, lazily parsed).

    Parsing a character map costs some 25 ms (and importing fontTools as much) in every
    process that draws a card: a font file's answer is kept in the user cache, keyed by
    the file (path, size, modification time), the face, and the fontTools installed.
    """
    key = _coverage_key(face)
    if key is not None:
        kept = _kept_coverage(key)
        if kept is not None:
            return kept
    found = _read_coverage(face)
    if key is not None:
        _keep_coverage(key, found)
    return found


def _read_coverage(face: Face) -> frozenset[int]:
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    source: str | io.BytesIO = face.path if face.path else io.BytesIO(face.data or b"")
    try:
        font = TTFont(source, fontNumber=face.index, lazy=True)
        cmap = font.getBestCmap() or {}
    except Exception:  # a font fontTools cannot read covers nothing we can prove
        return frozenset()
    return frozenset(cmap)


_COVERAGE_FORMAT = 1  # bump when an entry's shape changes
_COVERAGE_KEEP = 256  # entries (a few kB each; a CJK collection's, some 100 kB)


def _coverage_key(face: Face) -> str | None:
    import hashlib

    from toolkit.files.user_cache import code_stamp, file_part, package_part

    if face.path is None:
        return None
    part = file_part(face.path)
    if not isinstance(part, tuple):
        return None
    parts = (_COVERAGE_FORMAT, part, face.index, package_part("fontTools"), code_stamp("cards"))
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _coverage_file(key: str) -> Path:
    from toolkit.files.user_cache import cache_root

    return cache_root() / "cmaps" / f"{key[:40]}.cmap"


def _kept_coverage(key: str) -> frozenset[int] | None:
    """The kept code points, or None (absent, damaged, or another key's)."""
    from array import array

    from toolkit.files.user_cache import read_entry

    body = read_entry(_coverage_file(key))
    points = array("I")
    if body is None or body[:64] != key.encode() or (len(body) - 64) % points.itemsize:
        return None
    points.frombytes(body[64:])
    return frozenset(points)


def _keep_coverage(key: str, points: frozenset[int]) -> None:
    from array import array

    from toolkit.files.user_cache import write_entry

    body = key.encode() + array("I", sorted(points)).tobytes()
    write_entry(_coverage_file(key), body, _COVERAGE_KEEP)


# A loaded face costs about 0.25 MB and loads again in 0.05 ms: a fit tries three or
# four sizes per text box, and a plain run is measured and drawn from the glyphs module's
# caches (no face needed), so a few cards' worth is enough and a batch of many sizes
# stays flat.
@lru_cache(maxsize=12)
def font(face: Face, size: int) -> ImageFont.FreeTypeFont:
    if face.path is None:
        return ImageFont.truetype(io.BytesIO(face.data or b""), size, layout_engine=LAYOUT)
    return ImageFont.truetype(face.path, size, index=face.index, layout_engine=LAYOUT)


@lru_cache(maxsize=1024)
def metrics(face: Face, size: int) -> tuple[int, int]:
    """The face's ascent and descent at ``size`` (kept apart from the faces themselves)."""
    ascent, descent = font(face, size).getmetrics()
    return ascent, descent


@lru_cache(maxsize=1)
def default_face() -> Face:
    builtin = ImageFont.load_default(20)
    data = (
        getattr(builtin, "font_bytes", None)
        if isinstance(builtin, ImageFont.FreeTypeFont)
        else None
    )
    name = builtin.getname()[0] if isinstance(builtin, ImageFont.FreeTypeFont) else None
    return Face(
        "<pillow-default>", f"{name or 'Pillow default'} (Pillow's bundled font)", data=data
    )


# ------------------------------------------------------------------ fontconfig


def fontconfig_available() -> bool:
    return shutil.which("fc-match") is not None


def _ranges(charset: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    starts: list[int] = []
    ends: list[int] = []
    for part in charset.split():
        lo, _, hi = part.partition("-")
        try:
            starts.append(int(lo, 16))
            ends.append(int(hi or lo, 16))
        except ValueError:
            continue
    return tuple(starts), tuple(ends)


@dataclass(frozen=True)
class Candidate:
    """A fallback face and fontconfig's charset for it, read on the first question: a
    language's list holds a hundred faces, and most cards never ask past the first."""

    face: Face
    charset: str = field(repr=False)

    @cached_property
    def _ranges(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        return _ranges(self.charset)

    def claims(self, code_point: int) -> bool:
        starts, ends = self._ranges
        i = bisect_right(starts, code_point) - 1
        return i >= 0 and code_point <= ends[i]


def _fc(args: list[str]) -> str:
    """``fc-match``'s output for ``args`` ("" when it fails): kept in the user cache
    (``fc_cache``), so a week's workers do not run it every time."""
    from toolkit.cards import fc_cache

    program = shutil.which("fc-match")
    if program is None:
        return ""
    key = fc_cache.key_of(program, args)
    kept = fc_cache.load(key) if key is not None else None
    if kept is not None:
        return kept
    out = _run_fc(args)
    if out and key is not None:
        fc_cache.keep(key, out)
    return out


def _run_fc(args: list[str]) -> str:
    try:
        done = subprocess.run(
            ["fc-match", *args], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout if done.returncode == 0 else ""


_FORMAT = "%{file}|%{index}|%{family[0]}|%{style[0]}|%{charset}\\n"


@lru_cache(maxsize=64)
def sorted_faces(lang: str, bold: bool) -> tuple[Candidate, ...]:
    """fontconfig's fallback order for a language (``fc-match -s``), with charsets."""
    if not fontconfig_available():
        return ()
    weight = "bold" if bold else "regular"
    out = _fc(["-s", f"--format={_FORMAT}", f"sans-serif:lang={lang}:weight={weight}"])
    found: list[Candidate] = []
    for line in out.splitlines():
        parts = line.split("|")
        if len(parts) != 5 or not parts[0]:
            continue
        path, index, family, style, charset = parts
        if not path.lower().endswith((".ttf", ".otf", ".ttc", ".otc")):
            continue
        idx = int(index) if index.isdigit() else 0
        face = Face(f"{path}#{idx}", f"{family} {style}".strip(), path, idx)
        found.append(Candidate(face, charset))
    return tuple(found)


@lru_cache(maxsize=1)
def emoji_face() -> Face | None:
    """The system's colour emoji font (Noto Color Emoji on Debian), if any."""
    if not fontconfig_available():
        return None
    out = _fc(["--format=%{file}|%{index}|%{family[0]}|%{color}", "emoji:color=true"])
    parts = out.strip().split("|")
    if len(parts) != 4 or parts[3].lower() not in ("true", "1") or "emoji" not in parts[2].lower():
        return None
    idx = int(parts[1]) if parts[1].isdigit() else 0
    return Face(f"{parts[0]}#{idx}", parts[2], parts[0], idx)


def script_lang(char: str, brief_lang: str) -> str | None:
    for pattern, lang in _SCRIPT_RE:
        if pattern.match(char):
            return lang or _CJK_LANGS.get(brief_lang, "ja")
    return None


# ------------------------------------------------------------------ the chain


def brand_face(folder: Path, raw: str, location: Location) -> Face:
    """A font file the brand owns, checked to stay in the brand folder and to load."""
    from toolkit.cards.context import inside

    path = inside(folder, raw, folder, location, "font")
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = 0
    return _brand_face(path, stamp, raw, location)


@lru_cache(maxsize=16)
def _brand_face(path: Path, stamp: int, raw: str, location: Location) -> Face:
    # The modification time is in the key (and the face's): an edited font file is a new
    # face, so every cache keyed by the face (fonts, measurements, card bases) misses.
    try:
        probe = ImageFont.truetype(str(path), 20, layout_engine=LAYOUT)
    except OSError as exc:
        raise InputError(
            f"cannot read the font '{raw}': {exc}",
            location=location,
            hint="give a TrueType or OpenType file (.ttf, .otf)",
        ) from None
    family, style = probe.getname()
    return Face(f"{path}#0@{stamp}", f"{family or path.stem} {style or ''}".strip(), str(path), 0)


class FontChain:
    """The fallback order for one text role in one language."""

    def __init__(self, brand_faces: tuple[Face, ...], lang: str, bold: bool) -> None:
        self.brand_faces = brand_faces
        self.lang = lang
        self.bold = bold
        self.fc_lang = _CJK_LANGS.get(lang, lang)
        system = sorted_faces(self.fc_lang, bold)
        first = system[0].face if system else None
        self.primary = brand_faces[0] if brand_faces else (first or default_face())
        self._cache: dict[str, Face | None] = {}
        self.emoji = emoji_face()

    def _covers(self, face: Face, cps: list[int]) -> bool:
        cover = coverage(face)
        return all(cp in cover for cp in cps)

    def face_for(self, cluster: str) -> Face | None:
        """The first face that has a glyph for every visible code point of ``cluster``."""
        hit = self._cache.get(cluster, False)
        if hit is not False:
            return hit  # type: ignore[return-value]
        cps = [ord(c) for c in cluster if needs_glyph(ord(c))]
        found = self._find(cluster, cps) if cps else self.primary
        self._cache[cluster] = found
        return found

    def _find(self, cluster: str, cps: list[int]) -> Face | None:
        for face in (*self.brand_faces, self.primary):
            if self._covers(face, cps):
                return face
        langs = [script_lang(cluster[0], self.lang), self.fc_lang]
        for lang in dict.fromkeys(x for x in langs if x):
            for cand in sorted_faces(lang, self.bold):
                if all(cand.claims(cp) for cp in cps) and self._covers(cand.face, cps):
                    return cand.face
        fallback = default_face()
        return fallback if self._covers(fallback, cps) else None

"""Plain runs drawn from cached glyphs: the same pixels and widths as Pillow's own path."""

from __future__ import annotations

import contextlib
import math
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from tests.test_cards_support import need_fonts
from toolkit.cards import glyphs
from toolkit.cards.blocks import _text
from toolkit.cards.fonts import Face, FontChain, font

LATIN = (
    "ABCDEFGHIJKLMNOPQRSTUVWXYZÀÉÖÜÇĞIÂ0123456789 .,:;!?&-–'\"()/€%"
    "abcdefghiklmnoprstuvwxyzàéöüç"  # f, i and l: an f is plain unless it forms fi, fl or ff
)


def _face(lang: str = "en") -> Face:
    need_fonts()
    return FontChain((), lang, True).primary


def _pillow(face: Face, size: int, text: str, xy: tuple[float, float]) -> bytes:
    canvas = Image.new("RGB", (int(size * len(text) * 1.3) + 80, size * 3 + 40), (20, 60, 120))
    draw = ImageDraw.Draw(canvas)
    _text(draw, xy, text, face, size, "ltr", "en", draw._getink((255, 240, 10))[0])
    return canvas.tobytes()


def _cached(face: Face, size: int, text: str, xy: tuple[float, float]) -> bytes | None:
    canvas = Image.new("RGB", (int(size * len(text) * 1.3) + 80, size * 3 + 40), (20, 60, 120))
    draw = ImageDraw.Draw(canvas)
    width = font(face, size).getlength(text, direction="ltr", language="en")
    ink = draw._getink((255, 240, 10))[0]
    if not glyphs.draw(draw.draw, xy, face, size, text, "en", width, ink):
        return None
    return canvas.tobytes()


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(st.sampled_from(LATIN), min_size=1, max_size=14),
    size=st.integers(6, 150),
    x=st.floats(0, 30),
    y=st.floats(0, 1),
)
def test_a_plain_run_has_pillows_pixels_and_width(text: str, size: int, x: float, y: float) -> None:
    face = _face()
    xy = (x, size + 10 + y)
    cached = _cached(face, size, text, xy)
    if cached is None:  # a ligature (fi, ffl…) formed: Pillow draws it
        assert not glyphs.is_plain(face, text)
        return
    assert cached == _pillow(face, size, text, xy)
    width = glyphs.width(face, size, text, "en")
    assert width == font(face, size).getlength(text, direction="ltr", language="en")
    top, bottom = glyphs.ink(face, size, text) or (math.nan, math.nan)
    _, t, _, b = font(face, size).getbbox(text, anchor="ls")
    assert (top, bottom) == (t, b)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("tr", "ŞUBAT"),  # Romanian locl turns Ş into Ș: not plain in Noto Sans
        ("en", "office"),  # the f_i ligature
        ("ja", "数字で示せる"),  # a CJK collection: its tables are too large to read per process
        ("en", "Hello 🚀"),  # emoji have their own runs and font
        ("he", "שלום"),  # right to left
        ("en", "e\u0301"),  # a combining mark
    ],
)
def test_runs_shaping_may_change_are_left_to_pillow(lang: str, text: str) -> None:
    face = _face(lang)
    assert glyphs.positions(face, 40, text, lang) is None
    assert glyphs.width(face, 40, text, lang) is None


@pytest.mark.parametrize("text", ["Prove the ROI of social", "Register for free", "itself."])
def test_an_f_that_forms_no_ligature_is_plain(text: str) -> None:
    face = _face()
    xy = (3.3, 50.6)
    assert _cached(face, 40, text, xy) == _pillow(face, 40, text, xy)
    assert glyphs.width(face, 40, text, "en") == font(face, 40).getlength(
        text, direction="ltr", language="en"
    )


def test_mixed_scripts_are_measured_by_raqm_not_the_tables() -> None:
    face = _face()
    text = "AΒA"  # Latin, Greek, Latin: raqm kerns nothing across a change of script
    assert glyphs.width(face, 90, text, "en") is None
    pens = glyphs.positions(face, 90, text, "en")
    assert pens is not None
    assert pens[-1] / 64 == font(face, 90).getlength(text, direction="ltr", language="en")


def test_the_glyph_cache_stays_within_its_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    face = _face()
    monkeypatch.setattr(glyphs, "GLYPH_BYTES", 40_000)
    monkeypatch.setattr(glyphs, "MASK_BYTES", 60_000)
    for size in range(60, 80):
        for char in "ABCDEFGH":
            glyphs.glyph(face, size, char)
    held = sum(g.cost for d in glyphs._GLYPHS.values() for g in d.values())
    assert held <= 40_000
    assert glyphs._glyph_bytes == held
    inflated = sum(glyphs._mask_cost(m) for d in glyphs._MASKS.values() for m in d.values())
    assert inflated <= 60_000
    assert glyphs._mask_bytes == inflated
    assert (face.key, 79) in glyphs._GLYPHS and (face.key, 60) not in glyphs._GLYPHS
    # An evicted glyph comes back the same.
    again = glyphs.glyph(face, 60, "A")
    mask, _ = font(face, 60).getmask2("A", "L", None, None, None, 0, "ls")
    cut = Image.frombytes("L", (again.width, again.rows), bytes(again.mask))
    assert cut.tobytes() == bytes(mask.crop(mask.getbbox()))


def test_an_edited_font_is_a_new_face_with_its_own_tables() -> None:
    face = _face()
    other = Face(face.key + "@edited", face.family, face.path, face.index)
    assert glyphs.plainness(other) is not glyphs.plainness(face)


def test_a_fonts_tables_are_read_once_then_kept_in_the_user_cache() -> None:
    """A new process answers from the cache what the font's tables said; a damaged entry
    is read from the font again."""
    need_fonts()
    face = _face()
    glyphs.plainness.cache_clear()
    key = glyphs._plainness_key(face)
    assert key is not None
    path = glyphs._plainness_file(key)
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)
    read = glyphs.plainness(face)
    if read is None:
        pytest.skip("this font takes Pillow's path")
    assert os.path.exists(path)
    glyphs.plainness.cache_clear()
    kept = glyphs.plainness(face)
    assert kept is not None and kept is not read
    assert (kept.chars, kept.advances, kept.upem, kept.exact) == (
        read.chars,
        read.advances,
        read.upem,
        read.exact,
    )
    pairs = ["AV", "To", "Wa", "LT", "ab"]
    names = [(read.chars.get(ord(p[0])), read.chars.get(ord(p[1]))) for p in pairs]
    assert [kept.kern(a, b) for a, b in names if a and b] == [
        read.kern(a, b) for a, b in names if a and b
    ]
    with open(path, "r+b") as fh:
        fh.seek(40)
        fh.write(b"\x00\x01\x02")
    glyphs.plainness.cache_clear()
    again = glyphs.plainness(face)
    assert again is not None and again.advances == read.advances

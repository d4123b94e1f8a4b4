"""Glyphs and character maps kept in the user cache: a later process draws the same pixels
from them; a changed font is a new entry; a damaged or missing entry is rebuilt silently."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from tests.test_cards_support import NOW, need_fonts
from toolkit.cards import fonts, glyph_store, glyphs
from toolkit.cards.fonts import Face, FontChain, font

TEXT = "Kept glyphs, drawn again: 5 ways"
SIZES = (41, 67)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A user cache of its own, glyphs kept on disk, and no glyph in memory."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    monkeypatch.setattr(glyphs, "_ON_DISK", True)
    monkeypatch.setattr(glyphs, "_NEW", {})
    _forget()
    yield folder / "toolkit"
    _forget()


def _forget() -> None:
    """What a new process has in memory: no glyph."""
    glyphs._GLYPHS.clear()
    glyphs._MASKS.clear()
    glyphs._glyph_bytes = 0
    glyphs._mask_bytes = 0


def _face() -> Face:
    need_fonts()
    face = FontChain((), "en", True).primary
    if glyphs.plainness(face) is None:
        pytest.skip("this font takes Pillow's path")
    return face


def _drawn(face: Face, size: int) -> bytes:
    canvas = Image.new("RGB", (size * len(TEXT), size * 3), (20, 60, 120))
    draw = ImageDraw.Draw(canvas)
    width = font(face, size).getlength(TEXT, direction="ltr", language="en")
    ink = draw._getink((255, 240, 10))[0]
    assert glyphs.draw(draw.draw, (12.3, size * 1.5), face, size, TEXT, "en", width, ink)
    return canvas.tobytes()


def _no_rasterizing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(face: Face, size: int) -> None:
        raise AssertionError("a kept glyph was rasterized again")

    monkeypatch.setattr(glyphs, "_raster", refuse)


def test_a_later_process_draws_the_same_pixels_from_the_kept_glyphs(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    face = _face()
    first = [_drawn(face, size) for size in SIZES]
    glyphs.save()
    assert len(list((cache / "masks").glob("*.glyphs"))) == len(SIZES)
    _forget()
    with monkeypatch.context() as m:
        _no_rasterizing(m)
        assert [_drawn(face, size) for size in SIZES] == first
    assert not glyphs._NEW  # nothing new to keep
    # Without the user cache, the same pixels again.
    monkeypatch.setattr(glyphs, "_ON_DISK", False)
    _forget()
    assert [_drawn(face, size) for size in SIZES] == first


def test_new_glyphs_are_added_to_an_entry(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    face = _face()
    glyphs.glyph(face, 50, "A")
    glyphs.save()
    _forget()
    glyphs.glyph(face, 50, "B")
    glyphs.save()
    assert set(glyph_store.load(face, 50)) == {"A", "B"}


def test_a_damaged_or_missing_entry_is_rasterized_again(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    face = _face()
    first = _drawn(face, 58)
    glyphs.save()
    (entry,) = (cache / "masks").glob("*.glyphs")
    with open(entry, "r+b") as fh:
        fh.seek(120)
        fh.write(b"\x00\xff\x13")
    _forget()
    assert _drawn(face, 58) == first
    glyphs.save()  # the damaged entry is replaced
    _forget()
    with monkeypatch.context() as m:
        _no_rasterizing(m)
        assert _drawn(face, 58) == first
    entry.unlink()
    _forget()
    assert _drawn(face, 58) == first


def test_an_edited_font_is_a_new_entry(cache: Path, tmp_path: Path) -> None:
    face = _face()
    assert face.path is not None
    copy = tmp_path / "font.ttf"
    copy.write_bytes(Path(face.path).read_bytes())
    mine = Face("copy", "copy", str(copy), face.index)
    before = glyph_store.key_of(mine, 50)
    stat = copy.stat()
    os.utime(copy, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))
    glyph_store._face_part.cache_clear()
    assert glyph_store.key_of(mine, 50) not in (None, before)
    assert glyph_store.key_of(mine, 51) != glyph_store.key_of(mine, 50)


def test_an_unwritable_cache_costs_only_the_saving(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    face = _face()
    cache.mkdir(parents=True)
    (cache / "masks").write_text("a file where the folder would be")
    first = _drawn(face, 44)
    glyphs.save()
    _forget()
    assert _drawn(face, 44) == first


def test_a_character_map_is_kept_and_a_damaged_one_read_again(cache: Path) -> None:
    face = _face()
    fonts.coverage.cache_clear()
    read = fonts.coverage(face)
    assert ord("A") in read
    (entry,) = (cache / "cmaps").glob("*.cmap")
    fonts.coverage.cache_clear()
    assert fonts.coverage(face) == read
    with open(entry, "r+b") as fh:
        fh.seek(100)
        fh.write(b"\x00\xff\x13\x14")
    fonts.coverage.cache_clear()
    assert fonts.coverage(face) == read
    entry.unlink()
    fonts.coverage.cache_clear()
    assert fonts.coverage(face) == read
    fonts.coverage.cache_clear()


def test_pool_workers_keep_their_new_glyphs(cache: Path) -> None:
    """``toolkit render``'s workers (forked from a process that keeps glyphs on disk) save
    what they rasterized, and the cards are the same bytes as without the cache."""
    import dataclasses

    from toolkit.campaign.loader import load_campaign
    from toolkit.cards.batch import CardJob, render_batch
    from toolkit.cards.context import campaign_source

    need_fonts()
    source = campaign_source(load_campaign(None, now=NOW), now=NOW)

    def jobs() -> list[CardJob]:
        out = []
        for i in range(6):
            own = dataclasses.replace(source, context={**source.context, "title": f"Kept {i}"})
            out.append(
                CardJob("thumbnail", f"{640 + 2 * i}x{360 + 2 * i}", None, "png", source=own)
            )
        return out

    kept = [c.data for c in render_batch(source, jobs(), workers=2)]
    assert len(list((cache / "masks").glob("*.glyphs"))) > 1
    glyphs._ON_DISK = False
    _forget()
    assert [c.data for c in render_batch(source, jobs(), workers=2)] == kept

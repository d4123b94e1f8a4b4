"""What cards over one base reuse from each other: text layers drawn the same way again
(a subtitle, a brand name), the bands and rows of blocks only those reached, and the
base's filtered rows around what a card drew. Each is a shortcut to the same bytes."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image

from tests.test_cards_support import demo_sources, need_fonts, titled
from toolkit.cards import encode as encode_mod
from toolkit.cards import render
from toolkit.cards.api import RenderedCard, render_source
from toolkit.cards.context import CardSource
from toolkit.cards.encode import Bands, ImageFormat, fast_jpeg, fast_png

from .conftest import FIXED_NOW

TITLES = (
    "Prove the ROI of social media",
    "Short",
    "Launch day 🚀 with the team",
    "Ünïcödé İstanbul",
)


def _noise(size: tuple[int, int], seed: int) -> Image.Image:
    return Image.frombytes("RGB", size, random.Random(seed).randbytes(size[0] * size[1] * 3))


def _card(
    base: Image.Image,
    drawn: list[tuple[int, int]],
    overlaid: list[tuple[int, int, int]],
    seed: int,
    columns: tuple[int, int] | None = None,
) -> Image.Image:
    """``base`` with noise of its own on the rows of ``drawn`` (within ``columns``) and
    each kept layer's noise (the same for one ident) on the rows of ``overlaid``."""
    card = base.copy()
    w, h = base.size
    x0, x1 = columns or (0, w)
    for top, bottom, ident in overlaid:
        card.paste(_noise((w, bottom - top), 1000 + ident), (0, top))
    for top, bottom in drawn:
        top, bottom = max(0, top), min(h, bottom)
        if top < bottom:
            card.paste(_noise((x1 - x0, bottom - top), seed), (x0, top))
    return card


# A kept layer's ident always comes with the same rows and pixels.
CASES: list[tuple[list[tuple[int, int]], list[tuple[int, int, int]]]] = [
    ([], [(200, 230, 1)]),
    ([(40, 90)], [(200, 230, 1)]),
    ([(40, 90)], [(205, 215, 2)]),  # another layer on some of the same rows
    ([(40, 90), (95, 100)], [(200, 230, 1), (240, 250, 3)]),
    ([(190, 199)], [(200, 230, 1)]),  # drawn just above the kept layer
    ([(0, 1), (259, 260)], [(120, 121, 4)]),
    ([(-20, 5)], [(250, 260, 5)]),
]


@pytest.mark.parametrize("band_bytes", [3_000, 20_000, encode_mod.BAND_BYTES])
@pytest.mark.parametrize("with_pixels", [False, True])
def test_bands_of_kept_layers_give_the_bytes_of_a_png_written_from_scratch(
    band_bytes: int, with_pixels: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(encode_mod, "BAND_BYTES", band_bytes)
    base = _noise((97, 260), 1)
    kept = Bands(base.size, base if with_pixels else None)
    for i, (drawn, overlaid) in enumerate(CASES * 3):
        card = _card(base, drawn, overlaid, 100 + i)
        assert fast_png(card, kept, drawn, overlaid) == fast_png(card), (drawn, overlaid)
    assert kept.over  # bands only kept layers reached were kept
    assert not with_pixels or any(v is not None for v in kept.filtered.values())


@pytest.mark.parametrize("columns", [(0, 97), (0, 1), (96, 97), (30, 61), (-5, 200)])
def test_bands_filtered_again_only_where_drawn_give_the_same_bytes(
    columns: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cards drawn within some columns only: the base's filtered rows elsewhere (from
    the second card that draws on a band: the first filters it whole)."""
    monkeypatch.setattr(encode_mod, "BAND_BYTES", 20_000)
    base = _noise((97, 260), 3)
    kept = Bands(base.size, base)
    inside = (max(0, columns[0]), min(97, columns[1]))
    for i, (drawn, overlaid) in enumerate(CASES * 3):
        card = _card(base, drawn, overlaid, 300 + i, inside)
        data = fast_png(card, kept, drawn, overlaid, columns)
        assert data == fast_png(card), (drawn, overlaid)
    assert any(v is not None for v in kept.filtered.values())


def _plain_jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, subsampling=0, restart_marker_rows=1)
    return out.getvalue()


def test_rows_of_kept_layers_give_the_jpeg_pillow_writes() -> None:
    base = _noise((97, 260), 2)
    kept = Bands(base.size, base)
    for i, (drawn, overlaid) in enumerate(CASES * 2):
        card = _card(base, drawn, overlaid, 200 + i)
        assert fast_jpeg(card, 90, kept, drawn, overlaid) == _plain_jpeg(card), (drawn, overlaid)
    assert kept.over


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CardSource]:
    return demo_sources(tmp_path_factory.mktemp("ws"), FIXED_NOW)


def _facts(card: RenderedCard) -> tuple[object, ...]:
    return (card.data, card.alt_text, card.notes, card.contrast_warnings, card.fonts, card.placed)


def test_kept_text_layers_give_the_cards_drawn_from_scratch(
    sources: dict[str, CardSource],
) -> None:
    """Cards one after another over the same bases (their subtitles kept from the second
    card on, and pasted from the third) against each drawn over a new base."""
    need_fonts()
    runs = [
        (source, layout, size, title, fmt)
        for source in sources.values()
        for layout in ("thumbnail", "event")
        for size in ("youtube-thumbnail", "square")
        for title in TITLES
        for fmt in ("png", "jpeg")
    ]
    scratch = []
    for source, layout, size, title, fmt in runs:
        render._BASES.clear()
        scratch.append(_facts(render_source(titled(source, title), layout, size, fmt=fmt)))
    render._BASES.clear()
    for _ in range(2):
        for run, expected in zip(runs, scratch, strict=True):
            source, layout, size, title, fmt = run
            chosen: ImageFormat = fmt  # type: ignore[assignment]
            card = render_source(titled(source, title), layout, size, fmt=chosen)
            assert _facts(card) == expected, run
    assert any(kept.overlays for kept in render._BASES.values())


def test_a_kept_layer_is_dropped_over_its_byte_bound(
    sources: dict[str, CardSource], monkeypatch: pytest.MonkeyPatch
) -> None:
    need_fonts()
    monkeypatch.setattr(render, "OVERLAY_BYTES", 1)
    render._BASES.clear()
    for title in TITLES * 2:
        render_source(titled(sources["en"], title), "thumbnail", "youtube-thumbnail")
    assert not any(kept.overlays for kept in render._BASES.values())

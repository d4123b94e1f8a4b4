"""What a card reuses from its kept base: PNG bands, and the channel range behind its text.

Both are shortcuts to the same result: the bytes written with reused bands are
those of a PNG written from scratch, and the colours and contrast warnings
decided from a base's kept range are those the pixels give one by one.
"""

from __future__ import annotations

import io
import random
import zlib
from pathlib import Path

import pytest
from PIL import Image

from tests.test_cards_support import demo_sources, need_fonts, titled, workspace
from toolkit.campaign.loader import load_campaign
from toolkit.cards import encode as encode_mod
from toolkit.cards import render
from toolkit.cards.api import RenderedCard, draw_card, render_source
from toolkit.cards.context import CardSource, campaign_source
from toolkit.cards.contrast import _channel, least, luminance, rate
from toolkit.cards.encode import (
    Bands,
    ImageFormat,
    adler32_combine,
    encode,
    fast_jpeg,
    fast_png,
)

from .conftest import FIXED_NOW

LAYOUTS = ("thumbnail", "event", "quote", "announcement", "key_stat")
SIZES = ("youtube-thumbnail", "story", "1282x722", "x-single")
TITLES = (
    "Prove the ROI of social media",
    "Short",
    "A much longer title that needs three or four lines to fit in the box",
    "Ünïcödé başlık İstanbul",
    "Launch day 🚀 with the team 👩🏽‍💻",  # colour emoji, pasted
    "مرحبا بالعالم Hello",  # right to left, drawn by Pillow with raqm
)


def test_adler32_combine_matches_zlib() -> None:
    rng = random.Random(7)
    for _ in range(200):
        data = rng.randbytes(rng.randint(0, 70_000))
        cut = rng.randint(0, len(data))
        a, b = data[:cut], data[cut:]
        assert adler32_combine(zlib.adler32(a), zlib.adler32(b), len(b)) == zlib.adler32(data)


def _noise(size: tuple[int, int], seed: int) -> Image.Image:
    return Image.frombytes("RGB", size, random.Random(seed).randbytes(size[0] * size[1] * 3))


@pytest.mark.parametrize("band_bytes", [1, 3_000, encode_mod.BAND_BYTES])
def test_reused_bands_give_the_bytes_of_a_png_written_from_scratch(
    band_bytes: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cards drawn over one base at rows here and there (a band's first row, its last,
    the image's first and last, off the image): each the same bytes as ``fast_png``."""
    monkeypatch.setattr(encode_mod, "BAND_BYTES", band_bytes)
    base = _noise((97, 260), 1)
    kept = Bands(base.size)
    rows = max(1, band_bytes // (3 * 97 + 1))
    spans = [
        [],
        [(0, 1)],
        [(rows - 1, rows)],
        [(rows, rows + 1)],
        [(259, 260)],
        [(40, 90), (200, 230)],
        [(-20, 5), (250, 400)],
        [(300, 400)],
    ]
    for i, drawn in enumerate(spans * 2):
        card = base.copy()
        for top, bottom in drawn:
            top, bottom = max(0, top), min(260, bottom)
            if top < bottom:
                card.paste(_noise((97, bottom - top), 100 + i), (0, top))
        assert fast_png(card, kept, drawn) == fast_png(card), drawn
        assert encode(card, "png", None, kept, drawn) == fast_png(card)
    assert kept.kept  # untouched bands were kept, and reused the second time round


def _plain_jpeg(image: Image.Image) -> bytes:
    """What Pillow writes for the whole image: the file ``fast_jpeg`` must give."""
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, subsampling=0, restart_marker_rows=1)
    return out.getvalue()


@pytest.mark.parametrize("size", [(97, 260), (64, 8), (33, 7), (200, 203)])
def test_reused_jpeg_rows_give_the_bytes_of_a_jpeg_written_from_scratch(
    size: tuple[int, int],
) -> None:
    """Cards drawn over one base at rows here and there (a row of blocks' first row,
    its last, the image's first and last, a partial last row of blocks, off the
    image): each the file Pillow writes for the whole card, and it decodes."""
    w, h = size
    base = _noise(size, 2)
    kept = Bands(size)
    spans = [[], [(0, 1)], [(7, 8)], [(8, 9)], [(h - 1, h)], [(3, 20), (h - 9, h)], [(-20, 5)]]
    for i, drawn in enumerate(spans * 2):
        card = base.copy()
        for top, bottom in drawn:
            top, bottom = max(0, top), min(h, bottom)
            if top < bottom:
                card.paste(_noise((w, bottom - top), 200 + i), (0, top))
        data = fast_jpeg(card, 90, kept, drawn)
        assert data == _plain_jpeg(card), drawn
        assert encode(card, "jpeg", None, kept, drawn) == data
        assert Image.open(io.BytesIO(data)).size == size
    assert kept.jpeg[90][1]  # rows no card drew on were kept, and reused


def test_bands_of_another_size_are_not_used() -> None:
    kept = Bands((10, 10))
    image = _noise((20, 30), 3)
    assert fast_png(image, kept, ()) == fast_png(image)
    assert not kept.kept


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CardSource]:
    return demo_sources(tmp_path_factory.mktemp("ws"), FIXED_NOW)


FORMATS: tuple[ImageFormat, ...] = ("png", "jpeg")


def _plan() -> list[tuple[int, int, int, tuple[str, ...], ImageFormat]]:
    """(language, layout, size, titles, format) of each base the sweeps draw over.

    Half the (language, layout, size) bases, by the parity of their sum: every
    (layout, size) is met once, by one language or the other. Each base takes one
    format and half the titles, alternating by layout and by size, so that every
    (layout, format), (size, format), (language, format) and (title, format) is still
    met, and every language meets every title with every layout; each base is reused
    by three cards in a row. The rest of the product (half the titles over every base,
    in both formats, before) only repeated those paths. ``test_the_sweep_meets_every_pairing``
    checks the pairings."""
    plan = []
    for lang in range(2):
        for i in range(len(LAYOUTS)):
            for j in range(len(SIZES)):
                if (lang + i + j) % 2 == 0:
                    titles = TITLES[(i + j // 2) % 2 :: 2]
                    plan.append((lang, i, j, titles, FORMATS[(lang + j // 2) % 2]))
    return plan


def test_the_sweep_meets_every_pairing() -> None:
    cards = [(lang, i, j, t, f) for lang, i, j, ts, f in _plan() for t in ts]
    pairs = [
        ({(i, j) for _, i, j, _, _ in cards}, len(LAYOUTS) * len(SIZES)),
        ({(i, f) for _, i, _, _, f in cards}, len(LAYOUTS) * 2),
        ({(j, f) for _, _, j, _, f in cards}, len(SIZES) * 2),
        ({(lang, f) for lang, _, _, _, f in cards}, 2 * 2),
        ({(t, f) for _, _, _, t, f in cards}, len(TITLES) * 2),
        ({(j, t) for _, _, j, t, _ in cards}, len(SIZES) * len(TITLES)),
        ({(lang, i, t) for lang, i, _, t, _ in cards}, 2 * len(LAYOUTS) * len(TITLES)),
    ]
    for met, every in pairs:
        assert len(met) == every


def _cards(
    sources: dict[str, CardSource], *, scratch: bool = True
) -> list[tuple[RenderedCard, bytes]]:
    """Cards one after another over the same bases (bands, rows and ranges reused), each
    with the PNG or JPEG of its pixels written from scratch (``scratch``; else no bytes)."""
    out = []
    langs = list(sources.values())
    for lang, i, j, titles, fmt in _plan():
        layout, size = LAYOUTS[i], SIZES[j]
        for title in titles:
            retitled = titled(langs[lang], title)
            drawn = draw_card(retitled, layout, size) if scratch else None
            card = render_source(retitled, layout, size, fmt=fmt)
            if drawn is None:
                out.append((card, b""))
            else:
                image, _, resolved = drawn
                out.append((card, encode(image.image, fmt, resolved.max_bytes)))
    return out


def test_cards_over_a_kept_base_are_the_bytes_of_their_pixels(
    sources: dict[str, CardSource],
) -> None:
    need_fonts()
    render._BASES.clear()
    for card, scratch in _cards(sources):
        assert card.data == scratch, (card.layout, card.size, card.alt_text)


def test_the_kept_range_decides_as_the_pixels_do(
    sources: dict[str, CardSource], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same bytes, colours and warnings with the shortcut as with every text rated
    against its pixels (a photo behind the text, a chip, a low-contrast colour)."""
    need_fonts()
    render._BASES.clear()
    quick = [(c.data, c.contrast_warnings, c.notes) for c, _ in _cards(sources, scratch=False)]
    monkeypatch.setattr(render.Composer, "_sure", lambda *args: None)
    render._BASES.clear()
    slow = [(c.data, c.contrast_warnings, c.notes) for c, _ in _cards(sources, scratch=False)]
    assert quick == slow


def test_low_contrast_is_still_warned_from_the_second_card_on(tmp_path: Path) -> None:
    need_fonts()
    demo = (workspace(tmp_path) / ".." / "brand.yaml").resolve()
    text = demo.read_text(encoding="utf-8").replace('text: "#0B1F3A"', 'text: "#C9CED6"')
    demo.write_text(text, encoding="utf-8")
    campaign = load_campaign(tmp_path / "brand" / "demo" / "briefs" / "en.yaml", now=FIXED_NOW)
    source = campaign_source(campaign, now=FIXED_NOW)
    render._BASES.clear()
    for title in TITLES:
        card = render_source(titled(source, title), "quote", "square")
        assert any("'quote'" in w and "below WCAG's" in w for w in card.contrast_warnings)


def test_least_is_a_floor_under_rate() -> None:
    """Luminance grows with each channel, so any colours within a range rate at least
    ``least`` of that range."""
    assert all(_channel(v) < _channel(v + 1) for v in range(255))
    rng = random.Random(5)
    for _ in range(2_000):
        low = tuple(rng.randint(0, 255) for _ in range(3))
        high = tuple(rng.randint(v, 255) for v in low)
        found = [
            (rng.randint(1, 50), tuple(rng.randint(a, b) for a, b in zip(low, high, strict=True)))
            for _ in range(rng.randint(1, 20))
        ]
        text = tuple(rng.randint(0, 255) for _ in range(3))
        floor = least(low, high, text)  # type: ignore[arg-type]
        assert rate(found, text) >= floor  # type: ignore[arg-type]
        assert luminance(low) <= luminance(high)  # type: ignore[arg-type]

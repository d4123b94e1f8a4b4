"""A card's canvas lent by its base, and PNG bands of a few rows.

``render_source`` draws a card on its base's spare canvas (when there is one)
and gives it back with the rows it drew on put back from the base: the next
card must find the base's pixels there, whatever the one before drew, and the
bytes of every card must be those of a card drawn on a fresh copy. PNG bands
are a few rows each: a card's file is the one written from scratch, and it
decodes to the card's pixels.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from tests.test_cards_support import demo_sources, need_fonts, titled
from toolkit.cards import encode as encode_mod
from toolkit.cards import render
from toolkit.cards.api import draw_card, render_source
from toolkit.cards.context import CardSource
from toolkit.cards.encode import Bands, fast_png
from toolkit.errors import InputError

from .conftest import FIXED_NOW

TITLES = (
    "Prove the ROI of social media",
    "Short",
    "A much longer title that needs three or four lines to fit in the box",
    "Ünïcödé başlık İstanbul",
    "مرحبا بالعالم Hello",  # right to left, drawn by Pillow with raqm
)


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CardSource]:
    return demo_sources(tmp_path_factory.mktemp("ws"), FIXED_NOW)


def _spares() -> list[tuple[render._Kept, Image.Image]]:
    return [(kept, spare) for kept in render._BASES.values() for spare in kept.spare]


# Each size and each layout once (a 1282×722 card is cut into bands of another height).
@pytest.mark.parametrize(
    ("size", "layout"),
    [("youtube-thumbnail", "thumbnail"), ("story", "event"), ("1282x722", "quote")],
)
def test_cards_on_a_lent_canvas_are_those_drawn_on_a_fresh_copy(
    sources: dict[str, CardSource], layout: str, size: str
) -> None:
    need_fonts()
    render._BASES.clear()
    source = sources["en"]
    for fmt in ("png", "jpeg", "png"):
        for title in TITLES:
            card = titled(source, title)
            lent = render_source(card, layout, size, fmt=fmt)
            spares = _spares()
            # The spare is its base again, pixel for pixel, after every card.
            assert all(spare.tobytes() == kept.image.tobytes() for kept, spare in spares)
            drawn = draw_card(card, layout, size)[0]  # never lent: a copy of the base
            assert lent.data is not None
            assert lent.data == encode_mod.encode(drawn.image, fmt), (title, fmt)
    assert _spares()  # bases used more than once lend their canvas


def test_a_card_over_its_cap_still_gives_its_canvas_back_clean(
    sources: dict[str, CardSource],
) -> None:
    need_fonts()
    render._BASES.clear()
    source = sources["en"]
    for title in TITLES[:3]:
        render_source(titled(source, title), "thumbnail", "youtube-thumbnail", fmt="png")
    with pytest.raises(InputError):
        render_source(
            titled(source, TITLES[3]), "thumbnail", "youtube-thumbnail", fmt="png", max_bytes=10
        )
    spares = _spares()
    assert spares
    assert all(spare.tobytes() == kept.image.tobytes() for kept, spare in spares)
    again = render_source(titled(source, TITLES[4]), "thumbnail", "youtube-thumbnail", fmt="png")
    fresh = draw_card(titled(source, TITLES[4]), "thumbnail", "youtube-thumbnail")[0]
    assert again.data == encode_mod.encode(fresh.image, "png")


def test_a_base_drawn_over_once_keeps_no_spare(sources: dict[str, CardSource]) -> None:
    """A batch of ever new sizes draws each base once: no second canvas is held for it."""
    need_fonts()
    render._BASES.clear()
    for width in (900, 902, 904):
        render_source(sources["en"], "thumbnail", f"{width}x500", fmt="png")
    assert not _spares()


def test_small_bands_decode_to_the_image_and_match_a_fresh_encode(tmp_path: Path) -> None:
    """Bands of a few rows each (many full flushes): one valid stream, the same pixels,
    and a card over a base (drawn at rows here and there) is written as from scratch."""
    image = Image.linear_gradient("L").resize((1280, 203)).convert("RGB")
    rows = max(1, encode_mod.BAND_BYTES // (3 * 1280 + 1))
    assert rows < 203 // 4  # several bands
    data = fast_png(image)
    back = Image.open(io.BytesIO(data))
    assert back.convert("RGB").tobytes() == image.tobytes()
    base = Bands(image.size, image)
    for spans in ([(0, 3)], [(rows - 1, rows + 1)], [(30, 90), (150, 160)], [(200, 203)]) * 2:
        card = image.copy()
        for top, bottom in spans:
            card.paste((200, 10, 40), (40, top, 120, bottom))
        assert fast_png(card, base, spans, (), (40, 120)) == fast_png(card), spans

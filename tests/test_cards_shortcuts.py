"""Shortcuts a card takes that must give what the long way gives: a ``{{ name }}`` field
printed without Jinja, the copy macros' module reused from an earlier card, and an
anti-aliased mask drawn large a strip at a time."""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from tests.test_cards_support import demo_sources
from toolkit.cards import assets, context
from toolkit.cards.context import CardSource, render_text
from toolkit.errors import Location, TemplateError

from .conftest import FIXED_NOW

WHERE = Location(Path("layout.yaml"))
FIELDS = (
    "{{ title }}",
    "  {{title}} \n",
    "{{ subtitle }}",
    "{{ none }}",
    "{{ no_such_variable }}",
    "{{ stat }}",
    "{{ title }} and more",
    "{{ m.kind() }} · {{ title }}",
)
VALUES = (None, "", "  Padded title  ", "Plain", 0, 3.5, ["a"], "x" * 4_999, "x" * 5_001)


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> CardSource:
    return demo_sources(tmp_path_factory.mktemp("ws"), FIXED_NOW, ("en",))["en"]


def _outcome(source: CardSource, text: str) -> object:
    try:
        return render_text(source, text, WHERE)
    except TemplateError as exc:
        return ("error", str(exc))


def test_a_printed_name_renders_as_jinja_renders_it(
    source: CardSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    for value in VALUES:
        card = replace(source, context={**source.context, "title": value, "subtitle": value})
        for text in FIELDS:
            quick = _outcome(card, text)
            with monkeypatch.context() as patch:
                patch.setattr(context, "_PRINTED", re.compile(r"(?!)"))  # all through Jinja
                slow = _outcome(card, text)
            assert quick == slow, (text, value)


def test_the_macros_module_is_reused_only_while_what_it_reads_is_the_same(
    source: CardSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "{{ m.kind() }} · {{ title }}"
    first = render_text(source, text, WHERE)
    retitled = replace(source, context={**source.context, "title": "Another title"})
    assert render_text(retitled, text, WHERE) == first.replace(
        str(source.context["title"]), "Another title"
    )
    env = context.card_environment(source)
    module = context._macros(source, env)
    assert context._macros(retitled, env) is module  # the title is not read by the macros
    event = source.context["event"]
    assert event is not None
    other = replace(source, context={**source.context, "event": replace(event, kind="meetup")})
    assert context._macros(other, env) is not module
    with monkeypatch.context() as patch:
        patch.setattr(context, "_MODULES", OrderedDict())
        patch.setattr(context, "MODULE_LIMIT", 0)  # never kept: made for each card
        fresh = render_text(other, text, WHERE)
    assert render_text(other, text, WHERE) == fresh
    assert len(context._MODULES) <= context.MODULE_LIMIT


def _whole(size: tuple[int, int], radius: int, ellipse: bool) -> Image.Image:
    """The mask drawn large in one piece, then reduced (what ``_mask`` gives in strips)."""
    scale = assets.SUPERSAMPLE
    w, h = size
    big = Image.new("L", (w * scale, h * scale), 0)
    draw = ImageDraw.Draw(big)
    box = (0, 0, w * scale - 1, h * scale - 1)
    if ellipse:
        draw.ellipse(box, fill=255)
    else:
        draw.rounded_rectangle(box, radius=radius * scale, fill=255)
    return big.reduce(scale)


@pytest.mark.parametrize(
    ("size", "radius", "ellipse"),
    [
        ((330, 330), 0, True),
        ((900, 901), 0, True),
        ((617, 61), 30, False),
        ((1, 1), 0, True),
        ((3, 200), 1, False),
        ((200, 129), 100, False),
        ((97, 130), 0, False),
        ((128, 64), 12, False),
        ((65, 300), 0, True),
    ],
)
def test_a_mask_drawn_in_strips_is_the_mask_drawn_whole(
    size: tuple[int, int], radius: int, ellipse: bool
) -> None:
    assert assets._mask(size, radius, ellipse).tobytes() == _whole(size, radius, ellipse).tobytes()


def test_a_new_base_is_drawn_with_room_made_for_it(
    source: CardSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch of ever new sizes never holds more than BASE_LIMIT kept bases, counting the
    one being drawn (its peak memory has one full canvas fewer); the bases it keeps are
    still the latest BASE_LIMIT."""
    from toolkit.cards import render
    from toolkit.cards.api import render_source

    held: list[int] = []
    kept = render.Composer._kept

    def counting(self: render.Composer, *args: object) -> object:
        held.append(len(render._BASES))
        return kept(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(render.Composer, "_kept", counting)
    sizes = [f"{300 + i}x{200 + i}" for i in range(render.BASE_LIMIT + 2)]
    for size in sizes:
        render_source(source, "thumbnail", size, fmt="png")
    assert held and max(held) < render.BASE_LIMIT
    assert [key[3:5] for key in render._BASES] == [
        (300 + i, 200 + i) for i in range(2, render.BASE_LIMIT + 2)
    ]


def test_a_glyph_pasted_through_its_mask_is_the_fill_pillow_draws() -> None:
    """``_Rows`` pastes a block of the ink through each mask: the bytes of ImageDraw's
    ``draw_bitmap`` (a fill through it), at any mask value, colour and background, and
    with the mask partly off the canvas."""
    import random

    from toolkit.cards.blocks import _Rows

    rng = random.Random(7)
    for trial in range(40):
        w, h = rng.randint(1, 40), rng.randint(1, 40)
        background = bytes(rng.randrange(256) for _ in range(50 * 40 * 3))
        mask = Image.frombytes("L", (w, h), bytes(rng.choice((0, 255, rng.randrange(256)))
                                                 for _ in range(w * h)))  # fmt: skip
        colour = tuple(rng.randrange(256) for _ in range(3))
        xy = (rng.randint(-w, 50), rng.randint(-h, 40))
        expected = Image.frombytes("RGB", (50, 40), background)
        draw = ImageDraw.Draw(expected)
        ink = draw._getink(colour)[0]
        draw.draw.draw_bitmap(xy, mask.im, ink)
        got = Image.frombytes("RGB", (50, 40), background)
        drawn: list[tuple[int, int]] = []
        _Rows(got.im, ImageDraw.Draw(got).draw, drawn, [50, 0]).draw_bitmap(xy, mask.im, ink)
        assert got.tobytes() == expected.tobytes(), trial
        assert drawn == [(xy[1], xy[1] + h)]


@pytest.mark.parametrize(
    ("size", "angle"), [((1280, 720), 20), ((1080, 1920), 80), ((1283, 731), 60), ((7, 65), 45)]
)
def test_a_gradient_pasted_in_strips_is_the_fill_through_its_mask(
    size: tuple[int, int], angle: float
) -> None:
    start, end = (20, 30, 90), (200, 40, 120)
    expected = Image.new("RGB", size)
    expected.paste(start, (0, 0, *size))
    expected.paste(end, (0, 0, *size), assets._gradient_mask(size, angle))
    got = Image.new("RGB", size)
    assets.gradient(got, start, end, angle)
    assert got.tobytes() == expected.tobytes()

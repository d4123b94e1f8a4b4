"""Cards as a user sees them: sizes, safe zones, fonts per script, colour emoji, determinism."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from PIL import Image

from tests.test_cards_support import LANGS, NOW, need_emoji, need_fonts, workspace
from toolkit.campaign.loader import load_campaign
from toolkit.cards import CardJob, campaign_source, plan, render_batch, render_card
from toolkit.cards.api import applicable_layouts, draw_card, render_thumbnail
from toolkit.cards.formats import load_formats
from toolkit.cards.geometry import touches
from toolkit.files.workspace import Workspace

from .conftest import FIXED_NOW

ALL_LAYOUTS = ("announcement", "event", "key_stat", "quote", "thumbnail")


@pytest.fixture(scope="module")
def briefs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return workspace(tmp_path_factory.mktemp("ws"))


def _inside(box: tuple[int, int, int, int], safe: tuple[int, int, int, int]) -> bool:
    return box[0] >= safe[0] and box[1] >= safe[1] and box[2] <= safe[2] and box[3] <= safe[3]


def _overlaps(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    return not (a[0] >= b[2] or a[2] <= b[0] or a[1] >= b[3] or a[3] <= b[1])


@pytest.mark.parametrize("lang", LANGS)
def test_every_layout_and_size_keeps_text_in_the_safe_zone(briefs: Path, lang: str) -> None:
    """Every layout × size renders at its exact size, with all text inside the safe zone
    and clear of every decoration (circles, bands) not marked ``behind_text``."""
    need_fonts()
    campaign = load_campaign(briefs / f"{lang}.yaml", now=FIXED_NOW)
    source = campaign_source(campaign, now=NOW)
    book = load_formats(campaign.template_roots)
    assert sorted(applicable_layouts(source)) == sorted(ALL_LAYOUTS)
    for layout in ALL_LAYOUTS:
        # One card per layout through the encoder; the geometry needs only the drawing.
        encoded = render_card(campaign, layout, "square", now=NOW)
        image = Image.open(io.BytesIO(encoded.data or b""))
        assert image.size == (encoded.width, encoded.height) == (1080, 1080)
        for name in book.names():
            size = book.resolve(name)
            card, _, _ = draw_card(source, layout, name)
            assert card.image.size == (size.width, size.height)
            assert card.notes == (), (layout, name, card.notes)
            assert card.contrast == (), (layout, name, card.contrast)
            texts = [p for p in card.placed if p.kind == "text"]
            assert texts, (layout, name)
            shapes = [p for p in card.placed if p.kind in ("rect", "ellipse")]
            for text in texts:
                for shape in shapes:
                    hit = touches(text.box, shape.box, shape.kind == "ellipse")
                    assert not hit, f"{layout} {name}: {text.layer} runs into {shape.layer}"
            for placed in card.placed:
                where = f"{layout} {name}: {placed.layer} {placed.box}"
                if placed.kind in ("text", "ornament"):
                    assert _inside(placed.box, size.safe), where
                    for avoid, _why in size.avoid:
                        assert not _overlaps(placed.box, avoid), where
                if placed.kind not in ("rect", "ellipse"):  # shapes may bleed off the edge
                    assert _inside(placed.box, (0, 0, size.width, size.height)), where


@pytest.mark.parametrize("lang", LANGS)
def test_demo_briefs_render_event_cards_with_photos_and_alt_text(briefs: Path, lang: str) -> None:
    need_fonts()
    campaign = load_campaign(briefs / f"{lang}.yaml", now=FIXED_NOW)
    card = render_card(campaign, "event", "square", now=NOW)
    kinds = [p.kind for p in card.placed]
    assert kinds.count("photo") == 2 and "logo" in kinds
    assert campaign.brief.event is not None and campaign.brief.event.title
    assert campaign.brief.event.title.split()[0].rstrip(",") in card.alt_text
    assert campaign.brief.event.speakers[0].name in card.alt_text


def test_japanese_title_uses_a_cjk_font_and_breaks_between_phrases() -> None:
    need_fonts()
    card = render_thumbnail("東京で会いましょう、新しいSNSの数字を一緒に", now=NOW, locale="en-US")
    assert any("CJK JP" in f for f in card.fonts), card.fonts
    title = next(p for p in card.placed if p.layer == "title")
    assert title.text.startswith("東京で")


def test_emoji_are_drawn_in_colour() -> None:
    need_emoji()
    plain = render_thumbnail("Launch day", now=NOW, size="square")
    rocket = render_thumbnail("Launch day 🚀", now=NOW, size="square")
    assert "Noto Color Emoji" in rocket.fonts

    def reds(card_data: bytes | None) -> int:
        img = Image.open(io.BytesIO(card_data or b"")).convert("RGB").reduce(2)
        pixels = img.get_flattened_data() if hasattr(img, "get_flattened_data") else img.getdata()
        return sum(1 for r, g, b in pixels if r > 170 and g < 90 and b < 90)

    assert reds(plain.data) == 0
    assert reds(rocket.data) > 50  # the rocket's red fins


def test_zwj_sequence_is_one_emoji(tmp_path: Path) -> None:
    need_emoji()
    card = render_thumbnail("Dev 👩🏽‍💻", now=NOW, out_path=tmp_path / "t.png")
    assert "Noto Color Emoji" in card.fonts
    assert (tmp_path / "t.txt").read_text(encoding="utf-8").strip() == "Dev 👩🏽‍💻"


def test_turkish_uppercase_keeps_the_dotted_capital_i() -> None:
    need_fonts()
    card = render_thumbnail("istanbul'da buluşalım", now=NOW, locale="tr-TR")
    title = next(p for p in card.placed if p.layer == "title")
    assert title.text == "İSTANBUL'DA BULUŞALIM"
    english = render_thumbnail("istanbul", now=NOW, locale="en-US")
    assert next(p for p in english.placed if p.layer == "title").text == "ISTANBUL"


def test_right_to_left_text_renders_with_an_arabic_font() -> None:
    need_fonts()
    from toolkit.cards.fonts import RAQM

    if not RAQM:
        pytest.skip("Pillow was built without libraqm: right-to-left text cannot be shaped")
    card = render_thumbnail("مرحبا بالعالم", now=NOW, locale="ar")
    assert card.fonts and not any("Pillow" in f for f in card.fonts)


def test_same_inputs_same_pixels(briefs: Path, tmp_path: Path) -> None:
    """Twice in one process, and one worker against two: identical bytes."""
    need_fonts()
    campaign = load_campaign(briefs / "fr.yaml", now=FIXED_NOW)
    first = render_card(campaign, "quote", "portrait", now=NOW)
    again = render_card(campaign, "quote", "portrait", now=NOW)
    assert first.data == again.data
    source = campaign_source(campaign, now=NOW)
    jobs = plan(source, tmp_path / "one", layouts=["event", "key_stat"], sizes=["square", "story"])
    render_batch(source, jobs, workers=1)
    two = [CardJob(j.layout, j.size, tmp_path / "two" / j.out_path.name, j.fmt) for j in jobs]
    calls: list[int] = []
    cards = render_batch(
        source, two, workers=2, progress=lambda done, total, card: calls.append(done)
    )
    assert sorted(calls) == [1, 2, 3, 4] and [c.layout for c in cards] == [j.layout for j in jobs]
    for job in jobs:
        assert (tmp_path / "two" / job.out_path.name).read_bytes() == job.out_path.read_bytes()


def test_low_contrast_brand_is_warned(tmp_path: Path) -> None:
    need_fonts()
    demo = (workspace(tmp_path) / ".." / "brand.yaml").resolve()
    text = demo.read_text(encoding="utf-8").replace('text: "#0B1F3A"', 'text: "#C9CED6"')
    demo.write_text(text, encoding="utf-8")
    campaign = load_campaign(tmp_path / "brand" / "demo" / "briefs" / "en.yaml", now=FIXED_NOW)
    card = render_card(campaign, "quote", "square", now=NOW)
    assert any("'quote'" in w and "below WCAG's" in w for w in card.contrast_warnings)


@pytest.mark.parametrize(("fmt", "cap"), [("jpeg", 60_000), ("webp", 40_000), ("png", 90_000)])
def test_byte_caps_are_met_by_re_encoding(briefs: Path, fmt: str, cap: int) -> None:
    need_fonts()
    campaign = load_campaign(briefs / "en.yaml", now=FIXED_NOW)
    card = render_card(campaign, "event", "youtube-thumbnail", now=NOW, fmt=fmt, max_bytes=cap)  # type: ignore[arg-type]
    assert card.byte_size <= cap
    assert Image.open(io.BytesIO(card.data or b"")).format == {"jpeg": "JPEG"}.get(fmt, fmt.upper())


def test_sizes_by_alias_and_by_pixels() -> None:
    book = load_formats(tuple(Workspace.find(None).template_roots()))
    assert book.resolve("instagram-portrait").name == "portrait"
    assert book.resolve("1280x720").name == "youtube-thumbnail"
    custom = book.resolve("1080x566")
    assert (custom.shape, custom.safe[0], custom.max_bytes) == ("landscape", 32, None)
    assert book.resolve("story").safe == (0, 250, 1080, 1570)


def test_png_keeps_every_pixel() -> None:
    """Toolkit's own PNG writer (Up filter, ISA-L deflate) decodes to the same pixels."""
    from toolkit.cards.encode import encode

    for width, height in ((1, 1), (3, 2), (257, 13)):
        data = bytes((i * 37 + i // 7) % 256 for i in range(width * height * 3))
        image = Image.frombytes("RGB", (width, height), data)
        back = Image.open(io.BytesIO(encode(image, "png")))
        assert back.format == "PNG" and back.size == (width, height)
        assert back.convert("RGB").tobytes() == data


def _bump(path: Path) -> None:
    """A new modification time, as an editor saving the file would leave."""
    stamp = path.stat().st_mtime_ns + 2_000_000_000
    os.utime(path, ns=(stamp, stamp))


def test_static_layer_cache_is_bounded_and_follows_the_brand(tmp_path: Path) -> None:
    """Many sizes never keep more than BASE_LIMIT bases; a changed logo, brand colour or
    brand font is drawn at once (the cached base and fonts are keyed by them)."""
    from toolkit.cards import render
    from toolkit.cards.fonts import sorted_faces

    need_fonts()
    briefs = workspace(tmp_path)
    brand = briefs.parent
    brief = briefs / "en.yaml"

    def card(size: str = "youtube-thumbnail") -> Image.Image:
        campaign = load_campaign(brief, now=FIXED_NOW)
        data = render_card(campaign, "thumbnail", size, now=NOW, fmt="png").data
        return Image.open(io.BytesIO(data or b"")).convert("RGB")

    for i in range(render.BASE_LIMIT + 3):
        card(f"{400 + i}x{225 + i}")
        assert len(render._BASES) <= render.BASE_LIMIT
    before = card()
    logo = brand / "assets" / "logo.png"
    Image.new("RGBA", (260, 64), (255, 0, 0, 255)).save(logo)
    _bump(logo)
    red = card()
    assert red.getpixel((80, 70)) == (255, 0, 0) != before.getpixel((80, 70))
    yaml = brand / "brand.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("#1F4FD8", "#D81F4F"), "utf-8")
    assert card().getpixel((2, 2)) != red.getpixel((2, 2))  # the gradient starts anew
    regular, bold = sorted_faces("en", False)[0].face, sorted_faces("en", True)[0].face
    assert regular.path and bold.path and regular.path != bold.path
    font = brand / "assets" / "heading.ttf"
    shutil.copyfile(bold.path, font)
    text = yaml.read_text(encoding="utf-8").replace("heading: null", "heading: assets/heading.ttf")
    yaml.write_text(text, encoding="utf-8")
    heavy = card()
    shutil.copyfile(regular.path, font)
    _bump(font)
    assert card().tobytes() != heavy.tobytes()


def test_text_measurements_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """A typesetter's memo starts afresh at its bound, with the same results."""
    from toolkit.cards import text
    from toolkit.cards.fonts import FontChain
    from toolkit.cards.runs import FitSpec

    need_fonts()
    monkeypatch.setattr(text, "MEMO_LIMIT", 40)
    ts = text.Typesetter(FontChain((), "en", True), "en-US")
    fresh = text.Typesetter(FontChain((), "en", True), "en-US")
    spec = FitSpec(20, 60, 3, 1.1, False, False, True)
    for i in range(30):
        title = f"Distinct title number {i} for the memo"
        block = ts.fit(title, (600, 200), spec)
        assert len(ts._widths) <= 40 and len(ts._pieces) <= 40 and len(ts._words) <= 40
        assert block == fresh.fit(title, (600, 200), spec)

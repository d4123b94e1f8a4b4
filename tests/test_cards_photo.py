"""Photo backgrounds: any layout over a photo, cover crop around a focus, legible text."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from typer.testing import CliRunner

from tests.test_cards_support import NOW, need_fonts, workspace
from toolkit.campaign.loader import load_campaign
from toolkit.cards import render_card
from toolkit.cards.api import photo_file, render_thumbnail
from toolkit.cli import app
from toolkit.errors import InputError

from .conftest import FIXED_NOW

runner = CliRunner()
LAYOUTS = ("announcement", "event", "key_stat", "quote", "thumbnail")


def _photo(path: Path, size: tuple[int, int], base: tuple[int, int, int]) -> Path:
    """A busy, light photo: stripes of near-white and mid-grey, the worst case under text."""
    img = Image.new("RGB", size, base)
    draw = ImageDraw.Draw(img)
    for x in range(0, size[0], 24):
        draw.rectangle((x, 0, x + 11, size[1]), fill=(250, 250, 245))
    img.save(path)
    return path


def _reds(data: bytes | None) -> int:
    img = Image.open(io.BytesIO(data or b"")).convert("RGB").reduce(8)
    pixels = img.get_flattened_data() if hasattr(img, "get_flattened_data") else img.getdata()
    return sum(1 for r, g, b in pixels if r > 200 and g < 80 and b < 80)


@pytest.mark.parametrize("lang", ["en", "tr", "ja"])
def test_every_layout_stays_legible_on_a_light_busy_photo(tmp_path: Path, lang: str) -> None:
    """Contrast is measured on the photo's pixels; the text gets a shade wherever it falls short."""
    need_fonts()
    briefs = workspace(tmp_path)
    photo = photo_file(_photo(tmp_path / "light.png", (1600, 1000), (200, 205, 210)))
    campaign = load_campaign(briefs / f"{lang}.yaml", now=FIXED_NOW)
    from toolkit.cards import campaign_source, render_source

    source = campaign_source(campaign, now=NOW, photo=photo)
    for layout in LAYOUTS:
        for size in ("youtube-thumbnail", "portrait", "story"):
            card = render_source(source, layout, size)
            assert card.contrast_warnings == (), (layout, size, card.contrast_warnings)


def test_the_focus_keeps_its_point_in_the_crop(tmp_path: Path) -> None:
    need_fonts()
    wide = Image.new("RGB", (2400, 600), (40, 60, 90))
    ImageDraw.Draw(wide).rectangle((2100, 60, 2250, 200), fill=(230, 30, 30))
    path = tmp_path / "wide.png"
    wide.save(path)
    centred = render_thumbnail("Hi", now=NOW, size="square", photo=photo_file(path))
    focused = render_thumbnail("Hi", now=NOW, size="square", photo=photo_file(path, (0.9, 0.2)))
    assert _reds(centred.data) == 0
    assert _reds(focused.data) > 50


def test_a_photo_per_angle_from_the_brief(tmp_path: Path) -> None:
    need_fonts()
    briefs = workspace(tmp_path)
    Image.new("RGB", (800, 800), (30, 60, 200)).save(briefs / "blue.png")
    red = Image.new("RGB", (800, 800), (40, 40, 40))
    ImageDraw.Draw(red).rectangle((0, 0, 800, 300), fill=(230, 30, 30))
    red.save(briefs / "red.png")
    brief = briefs / "en.yaml"
    text = brief.read_text(encoding="utf-8") + "photo: blue.png\nphotos:\n  replay: red.png\n"
    brief.write_text(text, encoding="utf-8")
    campaign = load_campaign(brief, now=FIXED_NOW)
    default = render_card(campaign, "announcement", "square", now=NOW)
    replay = render_card(campaign, "announcement", "square", now=NOW, angle="replay")
    assert _reds(default.data) == 0 and _reds(replay.data) > 50


def test_a_brief_photo_outside_the_workspace_is_refused_at_its_line(tmp_path: Path) -> None:
    need_fonts()
    briefs = workspace(tmp_path / "ws")
    _photo(tmp_path / "outside.png", (100, 100), (0, 0, 0))
    brief = briefs / "en.yaml"
    brief.write_text(brief.read_text(encoding="utf-8") + "photo: ../../../../outside.png\n")
    with pytest.raises(InputError) as caught:
        render_card(load_campaign(brief, now=FIXED_NOW), "announcement", "square", now=NOW)
    assert caught.value.location.path == brief and caught.value.location.line
    assert "outside" in caught.value.message


def test_render_takes_a_photo_for_every_card(tmp_path: Path) -> None:
    need_fonts()
    photo = _photo(tmp_path / "p.jpg", (1200, 800), (90, 100, 110))
    out = tmp_path / "cards"
    args = ["render", "-l", "quote", "-s", "square", "-o", str(out), "--image", str(photo)]
    result = runner.invoke(app, [*args, "--focus", "0.5,0.5", "--now", "2026-11-23T09:00"])
    assert result.exit_code == 0, result.output
    (card,) = out.glob("*.png")
    with Image.open(card) as image:
        assert image.size == (1080, 1080)
    bad = runner.invoke(app, [*args, "--focus", "2,0"])
    assert bad.exit_code == 2 and "--focus" in bad.output
    alone = runner.invoke(app, ["render", "-o", str(out), "--focus", "0.5,0.5"])
    assert alone.exit_code == 2 and "--focus needs --image" in alone.output

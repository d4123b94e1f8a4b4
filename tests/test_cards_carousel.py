"""Carousels: Instagram slides and LinkedIn's PDF, page numbers, alt text per slide."""

from __future__ import annotations

import io
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from typer.testing import CliRunner

from tests.test_cards_support import LANGS, NOW, need_fonts, workspace
from toolkit.campaign.loader import load_campaign
from toolkit.cards.carousel import carousel_platforms, render_carousel
from toolkit.cli import app

from .conftest import FIXED_NOW

runner = CliRunner()
AFTER = datetime(2026, 12, 10, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture(scope="module")
def briefs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return workspace(tmp_path_factory.mktemp("ws"))


@pytest.mark.parametrize("lang", LANGS)
def test_instagram_slides(briefs: Path, tmp_path: Path, lang: str) -> None:
    need_fonts()
    campaign = load_campaign(briefs / f"{lang}.yaml", now=FIXED_NOW)
    made = render_carousel(campaign, "instagram", tmp_path, now=NOW)
    points = campaign.brief.key_points
    total = len(points) + 2
    assert len(made.slides) == total
    alts = [card.alt_text for card in made.slides]
    assert len(set(alts)) == total and all(alts)
    for number, card in enumerate(made.slides, 1):
        assert card.path == tmp_path / f"instagram-carousel-{number:02d}.png"
        with Image.open(card.path) as image:
            assert image.size == (1080, 1350)
        assert card.path.with_suffix(".txt").read_text(encoding="utf-8").strip() == card.alt_text
        texts = {p.layer: p.text for p in card.placed if p.kind == "text"}
        assert texts["page"] == f"{number}/{total}"
        assert card.notes == () and card.contrast_warnings == (), (number, card.notes)
    for point, card in zip(points, made.slides[1:-1], strict=True):
        assert point.split()[0] in card.alt_text
    assert campaign.brief.cta and campaign.brief.cta in made.slides[-1].alt_text


def test_linkedin_document(briefs: Path, tmp_path: Path) -> None:
    need_fonts()
    campaign = load_campaign(briefs / "tr.yaml", now=FIXED_NOW)
    made = render_carousel(campaign, "linkedin", tmp_path, now=NOW)
    total = len(campaign.brief.key_points) + 2
    assert made.document == tmp_path / "linkedin-carousel.pdf"
    data = made.document.read_bytes()
    assert data.startswith(b"%PDF") and f"/Count {total}".encode() in data
    assert data.count(b"/MediaBox [ 0 0 1080.0 1350.0 ]") == total
    # Each page is a 2160 × 2700 picture on a 1080 × 1350 point page: crisp when zoomed.
    pages = [m.start() for m in re.finditer(rb"\xff\xd8\xff", data)]
    assert len(pages) == total
    first = Image.open(io.BytesIO(data[pages[0] :]))
    assert first.size == (2160, 2700)
    assert made.alt_path is not None
    lines = made.alt_path.read_text(encoding="utf-8").splitlines()
    assert [line.split(". ", 1)[0] for line in lines] == [str(i) for i in range(1, total + 1)]
    assert all(card.alt_text in line for card, line in zip(made.slides, lines, strict=True))


def test_after_the_event_the_last_slide_points_to_the_recording(
    briefs: Path, tmp_path: Path
) -> None:
    need_fonts()
    campaign = load_campaign(briefs / "en.yaml", now=FIXED_NOW)
    made = render_carousel(campaign, "instagram", tmp_path, now=AFTER)
    last = {p.layer: p.text for p in made.slides[-1].placed if p.kind == "text"}
    assert "replay" in last["cta"].lower() and last["link"].endswith("/replay")
    assert all("Register" not in c.alt_text for c in made.slides)
    cover = {p.layer: p.text for p in made.slides[0].placed if p.kind == "text"}
    assert "Dec" not in cover["kicker"]


def test_the_brand_turns_carousels_on(tmp_path: Path) -> None:
    briefs = workspace(tmp_path)
    brand = briefs.parent / "brand.yaml"
    campaign = load_campaign(briefs / "en.yaml", now=FIXED_NOW)
    assert carousel_platforms(campaign) == []
    brand.write_text(brand.read_text(encoding="utf-8") + "carousels: [linkedin]\n")
    assert carousel_platforms(load_campaign(briefs / "en.yaml", now=FIXED_NOW)) == ["linkedin"]


def test_cli_and_a_brief_without_key_points(briefs: Path, tmp_path: Path) -> None:
    need_fonts()
    out = tmp_path / "c"
    ok = runner.invoke(
        app, ["carousel", str(briefs / "ja.yaml"), "-p", "instagram", "-o", str(out)]
    )
    assert ok.exit_code == 0, ok.output
    assert len(list(out.glob("*.png"))) == 6
    bare = tmp_path / "bare.yaml"
    bare.write_text("campaign: Launch\nmessage: It is here.\n", encoding="utf-8")
    bad = runner.invoke(app, ["carousel", str(bare), "-o", str(out)])
    assert bad.exit_code == 2 and "Traceback" not in bad.output
    assert bad.output.startswith(str(bare)) and "key_points" in bad.output


def test_in_memory_for_the_week(
    briefs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a folder nothing is written: the bytes come back for the week's own writer."""
    need_fonts()
    monkeypatch.chdir(tmp_path)
    campaign = load_campaign(briefs / "fr.yaml", now=FIXED_NOW)
    pdf = render_carousel(campaign, "linkedin", now=NOW, angle="replay")
    assert pdf.document is None and (pdf.document_data or b"").startswith(b"%PDF")
    assert pdf.alt_lines.count("\n") == len(pdf.slides)
    slides = render_carousel(campaign, "instagram", now=NOW)
    assert all((card.data or b"").startswith(b"\x89PNG") for card in slides.slides)
    assert list(tmp_path.iterdir()) == []

"""What a card keeps from one card to the next, and what makes it look again."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from tests.test_cards_support import NOW, need_fonts, workspace
from toolkit.campaign.loader import load_campaign
from toolkit.cards import render_card
from toolkit.cards.api import RenderedCard
from toolkit.files.workspace import Workspace

from .conftest import FIXED_NOW


def _bump(path: Path) -> None:
    """A new modification time, as an editor saving the file would leave."""
    stamp = path.stat().st_mtime_ns + 2_000_000_000
    os.utime(path, ns=(stamp, stamp))


def test_a_layout_added_edited_or_removed_is_seen_by_the_next_card(tmp_path: Path) -> None:
    need_fonts()
    brief = workspace(tmp_path) / "en.yaml"
    ours = tmp_path / "templates" / "cards" / "thumbnail.yaml"
    ours.parent.mkdir(parents=True)

    def card() -> RenderedCard:
        campaign = load_campaign(brief, now=FIXED_NOW)
        return render_card(campaign, "thumbnail", "youtube-thumbnail", now=NOW, fmt="png")

    builtin = card()
    assert card().data == builtin.data
    shipped = Workspace.find(None).builtin / "templates" / "cards" / "thumbnail.yaml"
    text = shipped.read_text(encoding="utf-8")
    assert "colour: white, uppercase: true" in text

    def title_in(colour: str) -> None:
        ours.write_text(
            text.replace("colour: white, uppercase: true", f"colour: {colour}, uppercase: true"),
            encoding="utf-8",
        )

    title_in("accent")
    accent = card()
    assert accent.data != builtin.data
    title_in("black")
    _bump(ours)
    black = card()
    assert black.data not in (builtin.data, accent.data)
    ours.unlink()
    assert card().data == builtin.data
    # A folder swapped for another with the same layout name is read too.
    shutil.rmtree(ours.parent)
    ours.parent.mkdir()
    title_in("accent")
    assert card().data == accent.data


def test_each_card_renders_its_fields_with_its_own_context() -> None:
    """Fields share the card's context and macros (m.kind()), never another card's."""
    need_fonts()
    briefs = Workspace.find(None).builtin / "brand" / "demo" / "briefs"
    seen: dict[str, RenderedCard] = {}
    for lang in ("en", "fr", "ja", "en", "fr"):
        campaign = load_campaign(briefs / f"{lang}.yaml", now=FIXED_NOW)
        card = render_card(campaign, "thumbnail", "youtube-thumbnail", now=NOW, fmt="png")
        if lang in seen:
            assert card.data == seen[lang].data and card.alt_text == seen[lang].alt_text
        seen[lang] = card
    assert "Webinar," in seen["en"].alt_text
    assert "Webinaire," in seen["fr"].alt_text
    assert "ウェビナー" in seen["ja"].alt_text

"""Card defects a user reported: the figure printed twice, and event cards after the event."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.test_cards_support import LANGS, NOW, need_fonts, workspace
from toolkit.campaign.facts import EventView, event_state
from toolkit.campaign.loader import load_campaign
from toolkit.cards import render_card

from .conftest import FIXED_NOW

AFTER = datetime(2026, 12, 5, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture(scope="module")
def briefs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return workspace(tmp_path_factory.mktemp("ws"))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", ["youtube-thumbnail", "square", "story"])
def test_key_stat_shows_its_figure_once(briefs: Path, lang: str, size: str) -> None:
    need_fonts()
    card = render_card(
        load_campaign(briefs / f"{lang}.yaml", now=FIXED_NOW), "key_stat", size, now=NOW
    )
    texts = {p.layer: p.text for p in card.placed if p.kind == "text"}
    assert texts["figure"].startswith("5")
    assert "5" not in texts["point"], texts
    assert "5" in card.alt_text  # the alt text still reads as one sentence


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("layout", ["event", "announcement", "thumbnail"])
def test_after_the_event_cards_point_to_the_recording(briefs: Path, lang: str, layout: str) -> None:
    """No date, no "Register": the replay call and the recording's link instead."""
    need_fonts()
    campaign = load_campaign(briefs / f"{lang}.yaml", now=FIXED_NOW)
    assert campaign.brief.event is not None and campaign.brief.cta
    before = render_card(campaign, layout, "portrait", now=NOW)
    dated = [p.text for p in before.placed if p.layer in ("when", "subtitle")]
    for clock, angle in ((AFTER, None), (NOW, "replay")):
        after = render_card(campaign, layout, "portrait", now=clock, angle=angle)
        texts = [p.text for p in after.placed if p.kind == "text"]
        for text in texts:
            assert campaign.brief.cta.upper() not in text.upper(), (text, angle)
            assert all(d not in text for d in dated), (text, dated)
        assert all(d not in after.alt_text for d in dated)
        assert campaign.brief.cta not in after.alt_text
        assert texts != [p.text for p in before.placed if p.kind == "text"]
        if layout != "thumbnail":
            assert any("/replay" in t for t in texts), texts


STARTS = datetime(2026, 12, 3, 16, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.mark.parametrize(
    ("now", "ends", "angle", "state"),
    [
        (STARTS - timedelta(minutes=1), None, None, "upcoming"),
        (STARTS, None, None, "live"),
        (STARTS + timedelta(minutes=59), None, None, "live"),
        (STARTS + timedelta(hours=1), None, None, "past"),
        (STARTS + timedelta(hours=2), STARTS + timedelta(hours=3), None, "live"),
        (STARTS - timedelta(days=2), None, "replay", "past"),
    ],
)
def test_event_state(now: datetime, ends: datetime | None, angle: str | None, state: str) -> None:
    event = EventView("webinar", None, STARTS, ends, None, ())
    assert event_state(event, now, angle) == state

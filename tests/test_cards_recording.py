"""After an event whose brief names no recording, cards point to nothing: not "Watch the
replay" (there is nothing to watch), and never the registration page."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.test_cards_support import need_fonts, workspace
from toolkit.campaign.facts import EventView, ends_at, event_view, recording_link
from toolkit.campaign.loader import load_campaign
from toolkit.cards import render_card
from toolkit.cards.context import display_link

from .conftest import FIXED_NOW
from .test_cards_fixes import STARTS


def _texts(card: object) -> list[str]:
    return [p.text for p in card.placed if p.kind == "text"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", ["en", "tr", "ja"])
def test_an_event_without_a_recording_never_sends_to_registration_after_it(
    tmp_path: Path, lang: str
) -> None:
    need_fonts()
    briefs = workspace(tmp_path)
    path = briefs / f"{lang}.yaml"
    text = path.read_text(encoding="utf-8")
    with_replay = load_campaign(path, now=FIXED_NOW)
    path.write_text(
        "\n".join(line for line in text.splitlines() if not line.strip().startswith("replay:")),
        encoding="utf-8",
    )
    campaign = load_campaign(path, now=FIXED_NOW)
    event = event_view(campaign)
    assert event is not None and event.replay is None and campaign.brief.link
    assert campaign.brief.cta
    registration = display_link(campaign.brief.link)
    assert registration
    later = ends_at(event) + timedelta(days=3)
    for layout in ("event", "announcement"):
        card = render_card(campaign, layout, "portrait", now=later)
        # What the same card says with a recording ("Watch the replay" and its link) is gone.
        replayed = render_card(with_replay, layout, "portrait", now=later)
        said = set(_texts(replayed)) - set(_texts(card))
        assert said, layout
        for shown in [*_texts(card), card.alt_text]:
            assert registration not in shown, (layout, shown)
            assert campaign.brief.cta.upper() not in shown.upper(), (layout, shown)
            assert not any(s in shown for s in said), (layout, shown, said)


@pytest.mark.parametrize(
    ("now", "angle", "replay", "linked"),
    [
        (STARTS + timedelta(minutes=30), None, "https://e.x/replay", False),  # still live
        (STARTS + timedelta(hours=1), None, "https://e.x/replay", True),  # over
        (STARTS - timedelta(days=2), "replay", "https://e.x/replay", True),  # its own post
        (STARTS + timedelta(days=30), None, None, False),  # no recording at all
    ],
)
def test_recording_link(now: datetime, angle: str | None, replay: str | None, linked: bool) -> None:
    event = EventView("webinar", None, STARTS, None, None, (), replay=replay)
    assert recording_link(event, now, angle) == (replay if linked else None)

"""A card of one format under several platforms' names is drawn once in a week's worker
(``week.cards._Studio``): the same bytes, alt text and warnings as each drawn on its
own, under each platform's byte cap (one it does not fit is drawn again, with it)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from toolkit.campaign.loader import Campaign, load_campaign
from toolkit.week import cards as week_cards
from toolkit.week.cards import CardLook, WeekCard, _Studio

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
# X, Bluesky and Mastodon name one format (templates/cards/formats.yaml), with their caps.
NAMES = (("x-single", 5_000_000), ("bluesky-landscape", 1_000_000), ("mastodon-landscape", None))


@pytest.fixture(scope="module")
def campaign() -> Campaign:
    return load_campaign(None, now=NOW)


def _alone(campaign: Campaign, look: CardLook) -> WeekCard | str:
    """The card as a studio that draws nothing else makes it."""
    return _Studio(campaign, NOW).render([look])[0]


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[CardLook]:
    drawn: list[CardLook] = []
    draw = _Studio._draw

    def counted(job: object, look: CardLook) -> WeekCard | str:
        drawn.append(look)
        return draw(job, look)  # type: ignore[arg-type]

    monkeypatch.setattr(week_cards._Studio, "_draw", staticmethod(counted))
    return drawn


@pytest.mark.parametrize("after", [False, True])
def test_one_format_under_three_names_is_drawn_once(
    campaign: Campaign, monkeypatch: pytest.MonkeyPatch, after: bool
) -> None:
    looks = [CardLook("announcement", name, cap, after) for name, cap in NAMES]
    alone = [_alone(campaign, look) for look in looks]
    drawn = _counting(monkeypatch)
    made = _Studio(campaign, NOW).render(looks)
    assert len(drawn) == 1
    assert made == alone  # paths included: each its own file
    assert all(isinstance(card, WeekCard) for card in made)
    assert len({card.path for card in made if isinstance(card, WeekCard)}) == 3


def test_other_layouts_moments_and_sizes_are_drawn_apart(
    campaign: Campaign, monkeypatch: pytest.MonkeyPatch
) -> None:
    looks = [
        CardLook("announcement", "x-single", None, False),
        CardLook("announcement", "x-single", None, True),
        CardLook("event", "x-single", None, False),
        CardLook("announcement", "linkedin-link", None, False),
        CardLook("announcement", "x-single", None, False),  # asked again: drawn already
    ]
    drawn = _counting(monkeypatch)
    made = _Studio(campaign, NOW).render(looks)
    assert len(drawn) == 4
    assert made[4] == made[0]


def test_a_cap_the_card_does_not_fit_draws_it_again_under_that_cap(
    campaign: Campaign, monkeypatch: pytest.MonkeyPatch
) -> None:
    roomy = CardLook("announcement", "x-single", None, False)
    first = _alone(campaign, roomy)
    assert isinstance(first, WeekCard)
    # Under its cap the encoder re-encodes it smaller (or gives up): as drawn alone.
    tight = CardLook("announcement", "bluesky-landscape", len(first.data) - 1, False)
    alone = _alone(campaign, tight)
    drawn = _counting(monkeypatch)
    made = _Studio(campaign, NOW).render([roomy, tight])
    assert made == [first, alone]
    assert made[1] != first
    assert len(drawn) == 2


def test_an_unknown_size_is_its_own_error(campaign: Campaign) -> None:
    looks = [CardLook("announcement", "no-such-size", None, False)]
    made = _Studio(campaign, NOW).render(looks)
    assert isinstance(made[0], str)
    assert "no-such-size" in made[0]

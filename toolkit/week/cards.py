"""One image card per post of the week, rendered once per (layout, size) and shared.

Which layout goes with which angle is data (``card`` in templates/angles.yaml,
``card`` in a platform manifest overrides it, e.g. YouTube's thumbnail); the
size is the platform's first image size. Cards go through the same safe writer
as the drafts, so an edited or replaced card is never overwritten silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from toolkit.campaign.loader import Campaign
from toolkit.errors import ToolkitError
from toolkit.week.planner import PlannedPost


@dataclass(frozen=True)
class WeekCard:
    path: str  # relative to the week folder
    alt_text: str
    data: bytes
    warnings: tuple[str, ...]


class CardShop:
    """Renders cards on demand and remembers them: posts that share a look share a file."""

    def __init__(self, campaign: Campaign, now: datetime) -> None:
        from toolkit.cards.context import campaign_source

        self.campaign = campaign
        self.source = campaign_source(campaign, now=now)
        self.made: dict[tuple[str, str], WeekCard | None] = {}
        self.failures: dict[str, list[str]] = {}  # error → cards it cost

    def layout_for(self, post: PlannedPost) -> str | None:
        platform = self.campaign.platforms[post.platform]
        return platform.card or self.campaign.angles[post.angle].card

    def card_for(self, post: PlannedPost) -> WeekCard | None:
        from toolkit.cards.api import render_source

        layout = self.layout_for(post)
        platform = self.campaign.platforms[post.platform]
        if layout is None or not platform.images:
            return None
        image = platform.images[0]
        key = (layout, image.name)
        if key not in self.made:
            try:
                card = render_source(self.source, layout, image.name, fmt="png",
                                     max_bytes=image.max_bytes)  # fmt: skip
            except ToolkitError as exc:
                # A missing font or a broken logo costs the card, not the week of drafts.
                self.failures.setdefault(str(exc), []).append(f"{layout}-{image.name}")
                self.made[key] = None
                return None
            assert card.data is not None
            self.made[key] = WeekCard(
                f"cards/{layout}-{image.name}.png", card.alt_text, card.data,
                card.contrast_warnings,
            )  # fmt: skip
        return self.made[key]

    @property
    def problems(self) -> list[str]:
        """One note per distinct error, naming the cards it cost."""
        return [
            f"{len(cards)} card(s) not rendered ({', '.join(cards)}): {error}"
            for error, cards in self.failures.items()
        ]

    def files(self) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        for card in self.made.values():
            if card is None:
                continue
            out[card.path] = card.data
            out[card.path.removesuffix(".png") + ".txt"] = (card.alt_text + "\n").encode("utf-8")
        return out

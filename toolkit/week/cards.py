"""The week's image cards: one per post, each showing what its post says, rendered in parallel.

Which layout goes with which angle is data (``card`` in templates/angles.yaml,
``card`` in a platform manifest overrides it, e.g. YouTube's thumbnail); the
size is the platform's first image size. A card shows its post's moment (after
the event: the recording, never the date and "Register") and its post's key
point or quote; posts that look the same share one file. Cards go through the same safe
writer as the drafts, so an edited card is never overwritten silently.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

from toolkit.campaign.facts import ends_at, event_view, quotes
from toolkit.campaign.loader import Campaign
from toolkit.errors import ToolkitError
from toolkit.week.planner import PlannedPost

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class CardLook:
    """What a card shows; posts with the same look share one file."""

    layout: str
    size: str
    max_bytes: int | None
    after_event: bool
    # The post's own key point or quote, for layouts that show one ("key_point", "quote").
    focus: tuple[str, str] | None = None

    @property
    def path(self) -> str:
        name = f"{self.layout}-{self.size}"
        if self.after_event:
            name += "-after"
        if self.focus is not None:
            name += f"-{_slug(self.focus[1])}"
        return f"cards/{name}.png"


@dataclass(frozen=True)
class WeekCard:
    path: str  # relative to the week folder
    alt_text: str
    data: bytes
    warnings: tuple[str, ...]


def _slug(text: str) -> str:
    words = re.findall(r"\w+", text.lower())[:4]
    return "-".join(words)[:40] or "point"


@cache
def _reads(path: Path, name: str) -> bool:
    """Whether a layout file uses ``name`` from the context (a card that never shows the
    key point does not need one image per key point)."""
    return re.search(rf"\b{re.escape(name)}\b", path.read_text(encoding="utf-8")) is not None


class WeekCards:
    """Decides each post's card, then renders every distinct card once."""

    def __init__(self, campaign: Campaign) -> None:
        self.campaign = campaign
        view = event_view(campaign)
        self.event_over = ends_at(view) if view is not None else None
        self.quotes = {q.text: q for q in quotes(campaign.brief)}
        self.cards: dict[CardLook, WeekCard | None] = {}
        self.failures: dict[str, list[str]] = {}  # error → cards it cost

    def look_for(self, post: PlannedPost, focus: str | None) -> CardLook | None:
        """The card of ``post``, whose copy leads with ``focus`` (a key point, a quote…)."""
        from toolkit.cards.layout import load_layout

        platform = self.campaign.platforms[post.platform]
        layout = platform.card or self.campaign.angles[post.angle].card
        if layout is None or not platform.images:
            return None
        image = platform.images[0]
        after = post.angle == "replay" or (
            self.event_over is not None and post.at >= self.event_over
        )
        try:
            path: Path | None = load_layout(self.campaign.template_roots, layout).path
        except ToolkitError:
            path = None  # rendering it will say what is wrong
        shown = None
        if focus is not None and path is not None:
            if focus in self.quotes and _reads(path, "quote"):
                shown = ("quote", focus)
            elif focus not in self.quotes and _reads(path, "key_point"):
                shown = ("key_point", focus)
        return CardLook(layout, image.name, image.max_bytes, after, shown)

    def render(
        self, looks: Sequence[CardLook], *, now: datetime, progress: Progress | None
    ) -> None:
        """Render every look not rendered yet, in parallel; failures become notes."""
        from toolkit.cards.batch import CardJob, render_each
        from toolkit.cards.context import campaign_source

        wanted = [look for look in dict.fromkeys(looks) if look not in self.cards]
        if not wanted:
            return
        before = campaign_source(self.campaign, now=now)
        after = campaign_source(self.campaign, now=now, angle="replay")
        jobs = []
        for look in wanted:
            source = after if look.after_event else before
            if look.focus is not None:
                name, text = look.focus
                shown = self.quotes[text] if name == "quote" else text
                source = dataclasses.replace(source, context={**source.context, name: shown})
            jobs.append(CardJob(look.layout, look.size, None, "png", look.max_bytes, source))

        def tick(done: int, total: int, _card: object) -> None:
            if progress is not None:
                progress(done, total)

        try:
            results = render_each(before, jobs, progress=tick)
        except ToolkitError as exc:  # a worker that could not start: no card at all
            results = [str(exc)] * len(jobs)
        for look, result in zip(wanted, results, strict=True):
            if isinstance(result, str):
                # A missing font or a broken logo costs the card, not the week of drafts.
                name = look.path.removeprefix("cards/").removesuffix(".png")
                self.failures.setdefault(result, []).append(name)
                self.cards[look] = None
                continue
            assert result.data is not None
            self.cards[look] = WeekCard(look.path, result.alt_text, result.data,
                                        result.contrast_warnings)  # fmt: skip

    def card(self, look: CardLook | None) -> WeekCard | None:
        return self.cards.get(look) if look is not None else None

    @property
    def problems(self) -> list[str]:
        """One note per distinct error, naming the cards it cost."""
        return [
            f"{len(cards)} card(s) not rendered ({', '.join(cards)}): {error}"
            for error, cards in self.failures.items()
        ]

    def files(self) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        for card in self.cards.values():
            if card is None:
                continue
            out[card.path] = card.data
            out[card.path.removesuffix(".png") + ".txt"] = (card.alt_text + "\n").encode("utf-8")
        return out


def carousel_files(
    campaign: Campaign, post: PlannedPost, problems: dict[str, list[str]]
) -> dict[str, bytes]:
    """The post's carousel (Instagram slides or LinkedIn's PDF) with alt texts, in memory."""
    from toolkit.cards.carousel import render_carousel

    platform = post.platform
    try:
        made = render_carousel(campaign, platform, None, now=post.at, angle=post.angle)  # type: ignore[arg-type]
    except ToolkitError as exc:
        problems.setdefault(str(exc), []).append(f"carousel-{platform}")
        return {}
    base = f"cards/carousel-{platform}"
    if made.document_data is not None:
        return {f"{base}.pdf": made.document_data, f"{base}.txt": made.alt_lines.encode("utf-8")}
    files: dict[str, bytes] = {}
    for i, slide in enumerate(made.slides, 1):
        assert slide.data is not None
        files[f"{base}-{i:02d}.png"] = slide.data
        files[f"{base}-{i:02d}.txt"] = (slide.alt_text + "\n").encode("utf-8")
    return files

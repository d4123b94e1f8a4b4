"""Facts about a campaign that the copy, the cards and the week planner share.

The event as its audience sees it (time zone, and its state at a moment),
the material a brief offers each angle and which item a post leads with,
and whether an angle fits a moment and a platform. Nothing here renders
copy: the planner and the cards ask these questions without the generator.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from toolkit.campaign.brief import Brief
from toolkit.campaign.loader import Angle, Campaign
from toolkit.campaign.platforms import Platform
from toolkit.errors import Location
from toolkit.text.counting import count

EventState = Literal["upcoming", "live", "past"]
# An event with neither an end nor a duration is taken to last this long.
ASSUMED_LENGTH = timedelta(hours=1)


@dataclass(frozen=True)
class PhotoRef:
    """A photo path from the brief (or the command line), resolved, with where it was written.

    ``focus`` ([x, y] from 0 to 1) is the point a cover crop keeps in view.
    """

    raw: str
    path: Path
    location: Location
    focus: tuple[float, float] | None = None

    def __str__(self) -> str:
        return self.raw


@dataclass(frozen=True)
class SpeakerView:
    name: str
    title: str | None
    photo: PhotoRef | None = None  # resolved for the cards; the copy never shows it


@dataclass(frozen=True)
class BrandView:
    """The brand as templates and card layouts see it."""

    name: str
    handle: str | None = None  # on the platform the copy is for
    has_logo: bool = False


RELEASED_KINDS = frozenset({"launch"})


@dataclass(frozen=True)
class EventView:
    kind: str
    title: str | None
    starts: datetime
    ends: datetime | None
    duration_minutes: int | None
    speakers: tuple[SpeakerView, ...]
    replay: str | None = None
    # Where the event stands at the moment asked about (None: no moment given).
    state: EventState | None = None

    @property
    def released(self) -> bool:
        """Released, not attended (a launch): once it starts the product is out, so its
        posts and cards go on pointing to the brief's link and call to action."""
        return self.kind in RELEASED_KINDS


@dataclass(frozen=True)
class QuoteView:
    text: str
    author: str
    title: str | None


@dataclass(frozen=True)
class FaqView:
    question: str
    answer: str


Item = str | QuoteView | FaqView


def aware(value: datetime, tz: ZoneInfo) -> datetime:
    return value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)


def audience_tz(campaign: Campaign) -> ZoneInfo:
    """Dates in copy are written in the audience's time zone (the brief's, else the brand's)."""
    return ZoneInfo(campaign.brief.timezone or campaign.brand.config.timezone)


def ends_at(event: EventView) -> datetime:
    """When the event is over: its end, else an hour after it starts."""
    return event.ends or event.starts + ASSUMED_LENGTH


def recording_link(event: EventView, now: datetime, angle: str | None = None) -> str | None:
    """The recording's link once the event is over (``event_state`` "past"); none
    before, or when the brief names none."""
    return event.replay if event_state(event, now, angle) == "past" else None


def event_state(event: EventView, now: datetime, angle: str | None = None) -> EventState:
    """Upcoming before the start, live until it ends, past after. A post of the ``replay``
    angle is about the recording: past, whatever the clock says."""
    if angle == "replay" or now >= ends_at(event):
        return "past"
    return "live" if now >= event.starts else "upcoming"


def event_view(campaign: Campaign, now: datetime | None = None) -> EventView | None:
    """The brief's event in the audience's time zone; with ``now``, its state then."""
    event = campaign.brief.event
    if event is None:
        return None
    tz = audience_tz(campaign)
    starts = aware(event.start_time, tz)
    ends = aware(event.ends, tz) if event.ends else None
    minutes = event.duration_minutes
    if ends is None and minutes:
        ends = starts + timedelta(minutes=minutes)
    elif ends is not None and minutes is None:
        minutes = int((ends - starts).total_seconds() // 60)
    view = EventView(
        kind=event.kind,
        title=event.title,
        starts=starts,
        ends=ends,
        duration_minutes=minutes,
        speakers=tuple(SpeakerView(s.name, s.title) for s in event.speakers),
        replay=event.replay,
    )
    if now is None:
        return view
    return dataclasses.replace(view, state=event_state(view, aware(now, tz)))


# ----------------------------------------------------------------- material


def quotes(brief: Brief) -> tuple[QuoteView, ...]:
    """The single ``quote`` first, then ``quotes``; the same words only once."""
    found = [brief.quote] if brief.quote else []
    found += brief.quotes
    seen: set[str] = set()
    views: list[QuoteView] = []
    for quote in found:
        if quote.text not in seen:
            seen.add(quote.text)
            views.append(QuoteView(quote.text, quote.author, quote.title))
    return tuple(views)


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _material_fields(brief: Brief) -> dict[str, tuple[Item, ...]]:
    return {
        "hooks": _unique(brief.hooks),
        "key_points": _unique(brief.key_points),
        "stats": _unique(brief.stats),
        "quotes": quotes(brief),
        "questions": _unique(brief.questions),
        "faqs": tuple(FaqView(f.question, f.answer) for f in brief.faqs),
    }


def material(campaign: Campaign, angle: str) -> tuple[Item, ...]:
    """The items posts of ``angle`` lead with, one per post, in turn."""
    fields = _material_fields(campaign.brief)
    return tuple(item for name in _material_names(campaign, angle) for item in fields[name])


def _material_names(campaign: Campaign, angle: str) -> list[str]:
    # Data: `material` in templates/angles.yaml.
    found = campaign.angles.get(angle)
    return list(found.material) if found is not None else []


@dataclass(frozen=True)
class Pick:
    """What one post leads with: ``item`` (None when the angle has no material),
    its ``index`` in the angle's material, and ``form``, the pass over the material
    (0 the first time round, 1 once every item has been used, …)."""

    item: Item | None
    index: int
    form: int
    kind: str | None  # the brief field the item comes from ("key_points", "stats"…)
    count: int  # items taking turns (0: the angle has no material)


def focus_text(item: Item | None) -> str | None:
    """The words a post leads with, for the card and the plan (a quote's or FAQ's text)."""
    if isinstance(item, QuoteView):
        return item.text
    if isinstance(item, FaqView):
        return item.question
    return item


def pick(campaign: Campaign, angle: str, rotation: int, platform: Platform | None = None) -> Pick:
    """The item post number ``rotation`` (0-based) of ``angle`` leads with.

    Items go round in order, so the least recently used comes next. On a
    ``platform`` too short for some quotes, only the quotes that fit take turns.
    """
    if rotation < 0:
        raise ValueError("rotation counts earlier posts: 0 or more")
    fields = _material_fields(campaign.brief)
    items: list[tuple[str, Item]] = [
        (name, item) for name in _material_names(campaign, angle) for item in fields[name]
    ]
    if platform is not None:
        items = [
            (n, i) for n, i in items if not isinstance(i, QuoteView) or quote_fits(i, platform)
        ]
    if not items:
        return Pick(None, 0, rotation, None, 0)
    index = rotation % len(items)
    name, item = items[index]
    return Pick(item, index, rotation // len(items), name, len(items))


def _quote_too_long(item: Item, platform: Platform) -> bool:
    return isinstance(item, QuoteView) and not quote_fits(item, platform)


def hook_lines(campaign: Campaign) -> tuple[str, ...]:
    """Opening lines for hook A/B tests: the brief's hooks, then its questions, then stats."""
    brief = campaign.brief
    return _unique([*brief.hooks, *brief.questions, *brief.stats])


# ----------------------------------------------------------------- fitting an angle

# Room a quote post needs beyond the quote and its attribution: quotation marks
# and their spacing in any language, a line break, an emoji.
_QUOTE_MARGIN = 12


def quote_fits(quote: QuoteView, platform: Platform) -> bool:
    """Whether the whole quote, attributed, fits the platform: quotes are never cut."""
    said = f"{quote.text}\n— {quote.author}" + (f", {quote.title}" if quote.title else "")
    return count(said, platform.rules()) + _QUOTE_MARGIN <= platform.limit


def _present(campaign: Campaign, name: str) -> bool:
    fields = _material_fields(campaign.brief)
    if name in fields:  # "quotes" is met by the single quote too
        return bool(fields[name])
    value: Any = campaign.brief
    for part in name.split("."):  # "event.replay" reaches into the event
        value = getattr(value, part, None)
    return not (value is None or value == [] or value == "")


def angle_fits(
    campaign: Campaign, angle: Angle, now: datetime, platform_id: str | None = None
) -> bool:
    """Whether ``angle`` has what it needs in the brief, suits the event's state at
    ``now`` and, given ``platform_id``, has material that fits that platform whole."""
    if not all(_present(campaign, name) for name in angle.requires):
        return False
    event = event_view(campaign, now)
    if angle.event == "upcoming" and event is not None and event.state != "upcoming":
        return False
    if angle.event == "past" and (event is None or event.state != "past"):
        return False
    if platform_id is not None and {"quote", "quotes"} & set(angle.requires):
        platform = campaign.platforms[platform_id]
        return any(quote_fits(q, platform) for q in quotes(campaign.brief))
    return True

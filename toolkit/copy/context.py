"""What a copy template sees: the brief, this post's material, the event's state.

One post is one platform, one angle and one ``rotation`` (how many posts of
the angle came before it). The rotation picks the item the post leads with
(``toolkit.campaign.facts.pick``) and, once the material has gone round, the
``form``: the templates frame the same item differently on each pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from toolkit.campaign.facts import (
    BrandView,
    FaqView,
    Pick,
    QuoteView,
    audience_tz,
    aware,
    event_view,
    quotes,
    recording_link,
)
from toolkit.campaign.links import with_utm
from toolkit.campaign.loader import Campaign
from toolkit.campaign.platforms import Platform
from toolkit.sandbox.environment import make_picker
from toolkit.text.casing import lang_of
from toolkit.text.hashtags import hashtag_list


@dataclass(frozen=True)
class PlatformView:
    id: str
    name: str
    limit: int
    fold: int | None
    hashtag_max: int | None


@dataclass(frozen=True)
class Post:
    """One post to write: where, which angle, which pass, and an A/B opening line."""

    platform_id: str
    angle: str
    pick: Pick
    opening: str | None = None  # the hook of an A/B test, first line of the post
    utm_content: str | None = None


def context_for(campaign: Campaign, post: Post, *, now: datetime, seed: int) -> dict[str, Any]:
    brief = campaign.brief
    platform: Platform = campaign.platforms[post.platform_id]
    brand = campaign.brand.config
    now = aware(now, audience_tz(campaign))
    event = event_view(campaign, now)
    # Registration is promoted until the event starts; then the post points to the
    # recording once the event is over, and to nothing while it runs or without one.
    # A released event (a launch) goes on promoting them (EventView.released).
    promote = event is None or event.state == "upcoming" or event.released

    def tracked(url: str | None) -> str | None:
        return with_utm(url, post.platform_id, brief.utm, post.utm_content) if url else None

    replay = tracked(recording_link(event, now, post.angle) if event else None)
    item = post.pick.item
    all_quotes = list(quotes(brief))
    quote = item if isinstance(item, QuoteView) else (all_quotes[0] if all_quotes else None)
    fact = item if post.pick.kind in ("key_points", "stats") else None
    # The key points from this post's item on (a checklist or countdown starts elsewhere
    # each time); for other material, turned by one on each pass.
    # A key point's own place in the brief (the pick's index counts the angle's material,
    # where a workspace's angle may put quotes that do not fit before the key points).
    if post.pick.kind == "key_points" and item in brief.key_points:
        start = brief.key_points.index(item)
    else:
        start = post.pick.form
    start %= max(1, len(brief.key_points))
    agenda = [*brief.key_points[start:], *brief.key_points[:start]]
    tags = hashtag_list([*brief.hashtags, *brand.hashtags], brief.locale, platform.hashtags.max)
    return {
        "campaign": brief.campaign,
        "message": brief.message,
        "key_points": list(brief.key_points),
        "agenda": agenda,
        "key_point": fact if fact is not None else next(iter(brief.key_points), None),
        "hooks": list(brief.hooks),
        "stats": list(brief.stats),
        "quotes": all_quotes,
        "questions": list(brief.questions),
        "faqs": [FaqView(f.question, f.answer) for f in brief.faqs],
        "cta": brief.cta,
        "goal": brief.goal,
        "audience": brief.audience,
        "link": tracked(brief.link) if promote else replay,
        "replay_link": replay,
        "links_clickable": platform.links == "clickable",
        "link_placement": {"clickable": "inline"}.get(platform.links, platform.links),
        "hashtags": tags,
        "event": event,
        "promote": promote,
        "quote": quote,
        "item": item,
        "item_kind": post.pick.kind,
        "item_index": post.pick.index,
        "item_count": post.pick.count,
        "form": post.pick.form,
        "opening": post.opening,
        "brand": BrandView(brand.name, brand.handles.get(post.platform_id), brand.logo is not None),
        "platform": PlatformView(
            post.platform_id, platform.name, platform.limit, platform.fold, platform.hashtags.max
        ),
        "locale": brief.locale,
        "lang": lang_of(brief.locale),
        "now": now,
        "thread": brief.thread,
        "angle": post.angle,
        "pick": make_picker(f"{seed}:{post.platform_id}:{post.angle}"),
    }

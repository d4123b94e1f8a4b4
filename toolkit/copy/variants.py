"""One brief becomes fitted copy variants for every platform it targets."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from toolkit.campaign.links import with_utm
from toolkit.campaign.loader import Angle, Campaign
from toolkit.campaign.platforms import Platform
from toolkit.errors import InputError, TemplateError
from toolkit.files.workspace import find_file
from toolkit.sandbox.environment import environment, make_picker, render
from toolkit.text.casing import lang_of
from toolkit.text.counting import count
from toolkit.text.fitting import check_marked, fit, split_thread, strip_markers, tidy
from toolkit.text.hashtags import hashtag_list
from toolkit.voice import Finding, check_copy, check_title, load_guide


@dataclass(frozen=True)
class Variant:
    """One platform's copy for one angle, fitted to the platform's limit."""

    id: str
    platform: str
    angle: str
    pillar: str
    locale: str
    text: str
    parts: tuple[str, ...]
    length: int  # of the longest part: what the limit applies to
    limit: int
    fold: int | None
    counting: str
    hashtags: tuple[str, ...]
    link: str | None
    trimmed: bool
    title: str | None = None
    title_length: int | None = None
    title_limit: int | None = None
    notes: tuple[str, ...] = field(default=())
    # voice findings left after the guide's safe fixes; path "title" marks the title's
    findings: tuple[Finding, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "platform": self.platform,
            "angle": self.angle,
            "pillar": self.pillar,
            "locale": self.locale,
            "title": self.title,
            "text": self.text,
            "parts": list(self.parts),
            "length": self.length,
            "limit": self.limit,
            "title_length": self.title_length,
            "title_limit": self.title_limit,
            "fold": self.fold,
            "counting": self.counting,
            "hashtags": list(self.hashtags),
            "link": self.link,
            "trimmed": self.trimmed,
            "findings": [_finding_json(f) for f in self.findings],
        }


def _finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "field": "title" if finding.path == "title" else "text",
        "line": finding.line,
        "column": finding.column,
        "rule": finding.rule,
        "level": finding.level,
        "message": finding.message,
        "suggestion": finding.suggestion,
    }


@dataclass(frozen=True)
class SpeakerView:
    name: str
    title: str | None


@dataclass(frozen=True)
class EventView:
    kind: str
    title: str | None
    starts: datetime
    ends: datetime | None
    duration_minutes: int | None
    speakers: tuple[SpeakerView, ...]
    replay: str | None = None


@dataclass(frozen=True)
class QuoteView:
    text: str
    author: str
    title: str | None


@dataclass(frozen=True)
class BrandView:
    name: str
    handle: str | None


@dataclass(frozen=True)
class PlatformView:
    id: str
    name: str
    limit: int
    fold: int | None
    hashtag_max: int | None


def _aware(value: datetime, tz: ZoneInfo) -> datetime:
    return value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)


def audience_tz(campaign: Campaign) -> ZoneInfo:
    """Dates in copy are written in the audience's time zone (the brief's, else the brand's)."""
    return ZoneInfo(campaign.brief.timezone or campaign.brand.config.timezone)


def event_view(campaign: Campaign) -> EventView | None:
    event = campaign.brief.event
    if event is None:
        return None
    tz = audience_tz(campaign)
    starts = _aware(event.starts, tz)
    ends = _aware(event.ends, tz) if event.ends else None
    minutes = event.duration_minutes
    if ends is None and minutes:
        ends = starts + timedelta(minutes=minutes)
    elif ends is not None and minutes is None:
        minutes = int((ends - starts).total_seconds() // 60)
    return EventView(
        kind=event.kind,
        title=event.title,
        starts=starts,
        ends=ends,
        duration_minutes=minutes,
        speakers=tuple(SpeakerView(s.name, s.title) for s in event.speakers),
        replay=event.replay,
    )


def angle_fits(campaign: Campaign, angle: Angle, now: datetime) -> bool:
    brief = campaign.brief
    for name in angle.requires:
        value: Any = brief
        for part in name.split("."):  # "event.replay" reaches into the event
            value = getattr(value, part, None)
        if value is None or value == [] or value == "":
            return False
    if angle.event != "any":
        event = event_view(campaign)
        if event is None:
            return angle.event == "upcoming"
        moment = _aware(now, audience_tz(campaign))
        if angle.event == "upcoming":
            return moment < event.starts
        return moment >= (event.ends or event.starts)
    return True


def choose_angles(
    campaign: Campaign, platform_id: str, n: int, seed: int, now: datetime
) -> list[str]:
    """``n`` distinct angles for a platform, the same for the same seed."""
    available = [
        name
        for name, angle in campaign.angles.items()
        if angle_fits(campaign, angle, now)
        and find_file(list(campaign.template_roots), f"{platform_id}/{name}.j2") is not None
    ]
    rng = random.Random(f"{seed}:{platform_id}")
    rng.shuffle(available)
    return available[:n]


def context_for(
    campaign: Campaign, platform_id: str, platform: Platform, angle: str, now: datetime, seed: int
) -> dict[str, Any]:
    brief = campaign.brief
    brand = campaign.brand.config
    link = with_utm(brief.link, platform_id, brief.utm) if brief.link else None
    replay = brief.event.replay if brief.event else None
    tags = hashtag_list([*brief.hashtags, *brand.hashtags], brief.locale, platform.hashtags.max)
    quote = brief.quote
    now = _aware(now, audience_tz(campaign))
    return {
        "campaign": brief.campaign,
        "message": brief.message,
        "key_points": list(brief.key_points),
        "key_point": brief.key_points[0] if brief.key_points else None,
        "cta": brief.cta,
        "goal": brief.goal,
        "audience": brief.audience,
        "link": link,
        "replay_link": with_utm(replay, platform_id, brief.utm) if replay else None,
        "links_clickable": platform.links == "clickable",
        "link_placement": {"clickable": "inline"}.get(platform.links, platform.links),
        "hashtags": tags,
        "event": event_view(campaign),
        "quote": QuoteView(quote.text, quote.author, quote.title) if quote else None,
        "brand": BrandView(brand.name, brand.handles.get(platform_id)),
        "platform": PlatformView(
            platform_id, platform.name, platform.limit, platform.fold, platform.hashtags.max
        ),
        "locale": brief.locale,
        "lang": lang_of(brief.locale),
        "now": now,
        "thread": brief.thread,
        "angle": angle,
        "pick": make_picker(f"{seed}:{platform_id}:{angle}"),
    }


def render_variant(
    campaign: Campaign,
    platform_id: str,
    angle: str,
    *,
    now: datetime,
    seed: int,
    voice: bool = True,
) -> Variant:
    """One platform's copy for one angle; ``voice``: checked (and safely fixed) by the guide."""
    platform = campaign.platforms[platform_id]
    brief = campaign.brief
    env = environment(campaign.template_roots, brief.locale)
    now = _aware(now, audience_tz(campaign))
    ctx = context_for(campaign, platform_id, platform, angle, now, seed)
    name = f"{platform_id}/{angle}.j2"
    rendered = render(env, name, ctx)
    check_marked(rendered.body, name)
    rules = platform.rules()

    def counter(text: str) -> int:
        return count(text, rules)

    notes: list[str] = []
    parts: list[str] | None = None
    trimmed = False
    if brief.thread and platform.thread is not None:
        full = tidy(strip_markers(rendered.body))
        parts = split_thread(
            full, counter, platform.limit, platform.thread.numbering, platform.thread.max_parts
        )
        if parts is None:
            notes.append(f"too long for {platform.thread.max_parts} parts; fitted to one post")
    if parts is None:
        fitted = fit(rendered.body, counter, platform.limit)
        parts = [fitted.text]
        trimmed = fitted.trimmed
    if not any(p.strip() for p in parts):
        raise TemplateError(
            f"{platform_id}/{angle}.j2 rendered no text",
            hint="the template must produce some copy for this brief",
        )
    title = title_length = title_limit = None
    if platform.title is not None:
        if rendered.title is None:
            raise TemplateError(
                f"{platform_id}/{angle}.j2 must set a title ({{% set title %}}…{{% endset %}})",
                hint=f"{platform.name} posts need a title",
            )
        title_rules = platform.rules(platform.title.counting)
        fitted_title = fit(
            rendered.title.replace("\n", " "),
            lambda t: count(t, title_rules),
            platform.title.limit,
        )
        title, title_length, title_limit = (
            fitted_title.text,
            fitted_title.length,
            platform.title.limit,
        )
        trimmed = trimmed or fitted_title.trimmed
    findings: tuple[Finding, ...] = ()
    if voice:
        parts, title, findings = _voice(campaign, platform_id, parts, title, counter)
    if title is not None and platform.title is not None:
        title_length = count(title, platform.rules(platform.title.counting))
    text = "\n\n".join(parts)
    return Variant(
        id=f"{platform_id}-{angle}",
        platform=platform_id,
        angle=angle,
        pillar=campaign.angles[angle].pillar,
        locale=brief.locale,
        text=text,
        parts=tuple(parts),
        length=max(counter(p) for p in parts),
        limit=platform.limit,
        fold=platform.fold,
        counting=platform.counting,
        hashtags=tuple(ctx["hashtags"]),
        link=ctx["link"],
        trimmed=trimmed,
        title=title,
        title_length=title_length,
        title_limit=title_limit,
        notes=tuple(notes),
        findings=findings,
    )


def _voice(
    campaign: Campaign,
    platform_id: str,
    parts: list[str],
    title: str | None,
    counter: Callable[[str], int],
) -> tuple[list[str], str | None, tuple[Finding, ...]]:
    """The brand's voice guide on fitted copy: safe fixes that still fit, findings for the rest."""
    brief = campaign.brief
    guide = load_guide(campaign.brand.folder)
    if not guide.rules:
        return parts, title, ()
    try:
        persona = guide.persona(brief.persona)
    except InputError as exc:
        raise InputError(
            exc.message, location=campaign.brief_marks.at(("persona",)), hint=exc.hint
        ) from None
    platform = campaign.platforms[platform_id]
    checked = check_copy(
        parts,
        guide,
        platform=platform_id,
        locale=brief.locale,
        persona=persona,
        sponsored=brief.sponsored,
        fits=lambda part: counter(part) <= platform.limit,
    )
    findings = list(checked.findings)
    if title is not None and platform.title is not None:
        title_rules = platform.rules(platform.title.counting)
        title_limit = platform.title.limit
        titled = check_title(
            title,
            guide,
            platform=platform_id,
            locale=brief.locale,
            persona=persona,
            fits=lambda t: count(t, title_rules) <= title_limit,
        )
        title = titled.parts[0]
        findings.extend(f.at("title") for f in titled.findings)
    return list(checked.parts), title, tuple(findings)


def generate(
    campaign: Campaign,
    *,
    now: datetime,
    platforms: list[str] | None = None,
    variants: int | None = None,
    seed: int = 0,
) -> list[Variant]:
    """Copy variants for each platform (the brief's, or ``platforms``)."""
    wanted = platforms if platforms is not None else list(campaign.platforms)
    n = variants if variants is not None else campaign.brief.variants
    out: list[Variant] = []
    for platform_id in wanted:
        for angle in choose_angles(campaign, platform_id, n, seed, now):
            out.append(render_variant(campaign, platform_id, angle, now=now, seed=seed))
    return out

"""The week at a glance: one static HTML page built from the drafts.

The page works from ``file://`` with no network: CSS and a few lines of
plain JavaScript are inline, images are referenced relatively. Every piece of
user text goes through Jinja's autoescape; the highlighting of hashtags,
mentions and links builds its markup from escaped pieces only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from babel import dates as babel_dates
from markupsafe import Markup, escape

from toolkit.campaign.loader import Campaign
from toolkit.sandbox.environment import CopyEnvironment, code_cache, render
from toolkit.sandbox.loader import RootedLoader
from toolkit.text.spans import protected_spans
from toolkit.week.drafts import Draft


def highlight(text: str) -> Markup:
    """Escaped text with hashtags, mentions and links marked up."""
    out: list[str] = []
    pos = 0
    for span in protected_spans(text):
        out.append(str(escape(text[pos : span.start])))
        piece = escape(span.text)
        if span.kind == "url":
            href = span.text if "://" in span.text else f"https://{span.text}"
            out.append(f'<a class="link" href="{escape(href)}" rel="noopener">{piece}</a>')
        else:
            out.append(f'<span class="{span.kind}">{piece}</span>')
        pos = span.end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def _fold_split(text: str, fold: int | None) -> tuple[str, str]:
    """Text before and after the platform's "see more" cut (in characters)."""
    if fold is None or len(text) <= fold:
        return text, ""
    cut = text.rfind(" ", 0, fold + 1)
    cut = fold if cut < fold * 0.6 else cut
    return text[:cut], text[cut:]


def _post_view(
    campaign: Campaign, draft: Draft, findings: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    meta = draft.meta
    platform = campaign.platforms.get(meta.platform)
    limit = platform.limit if platform else None
    parts = []
    for i, part in enumerate(draft.parts):
        length = platform.length(part) if platform else len(part.strip())
        fold = platform.fold if platform and i == 0 else None
        before, after = _fold_split(part, fold)
        parts.append(
            {
                "before": highlight(before),
                "after": highlight(after) if after else None,
                "length": length,
                "share": min(length / limit, 1.0) if limit else 0.0,
                "over": bool(limit and length > limit),
            }
        )
    brand = campaign.brand.config
    tz = ZoneInfo(brand.timezone)
    locale = meta.locale.replace("-", "_")
    local = meta.scheduled_at.astimezone(tz)
    return {
        "audience": _audience_time(local, campaign.brief.timezone, locale),
        "id": meta.id,
        "platform": meta.platform,
        "platform_name": platform.name if platform else meta.platform,
        "angle": meta.angle,
        "pillar": meta.pillar,
        "arm": meta.experiment.arm if meta.experiment else None,
        "variable": meta.experiment.variable if meta.experiment else None,
        "title": meta.title,
        "when": f"{_day_label(local.date(), locale)}, {_clock(local, locale)}",
        "time": local.strftime("%H:%M"),
        "day": local.date(),
        "parts": parts,
        "limit": limit,
        "fold": platform.fold if platform else None,
        "card": meta.card,
        "alt_text": meta.alt_text,
        "carousel": list(meta.carousel),
        "link": meta.link,
        "handle": brand.handles.get(meta.platform, brand.name),
        "findings": list(findings),
        "draft": f"drafts/{draft.path.name}" if draft.path else None,
    }


def _day_label(day: date, locale: str) -> str:
    """A short weekday and date in the locale's own order ("Tue, Dec 8", "12月8日(火)")."""
    return str(babel_dates.format_skeleton("MMMEd", day, locale=locale))


def _clock(moment: datetime, locale: str) -> str:
    """The time as the locale writes it ("3:00 PM" in en-US, "15:00" in fr-FR)."""
    return str(babel_dates.format_time(moment, "short", tzinfo=moment.tzinfo, locale=locale))


def _audience_time(
    local: datetime, audience: str | None, locale: str
) -> dict[str, str | None] | None:
    """The post's time where its audience reads it, when that differs from the brand's.

    Posting windows are the audience's (a US audience at 19:30 Eastern), so a team
    in Paris sees 01:30 on their clock: the page shows both, so nobody "fixes" it.
    The weekday is given only when the audience's date is not the brand's.
    """
    if audience is None:
        return None
    there = local.astimezone(ZoneInfo(audience))
    if there.replace(tzinfo=None) == local.replace(tzinfo=None):
        return None  # another zone name, the same clock (Paris and Berlin)
    day: str | None = None
    if there.date() != local.date():
        day = babel_dates.format_date(there.date(), "EEE", locale=locale)
    return {"time": there.strftime("%H:%M"), "clock": _clock(there, locale), "day": day}


def _audience_place(campaign: Campaign, locale: str) -> str | None:
    """The audience's time zone as a city ("New York"), if it is not the brand's."""
    audience = campaign.brief.timezone
    if audience is None or audience == campaign.brand.config.timezone:
        return None
    zone = ZoneInfo(audience)
    return str(babel_dates.get_timezone_location(zone, locale=locale, return_city=True))


def _mix_bars(campaign: Campaign, drafts: Sequence[Draft]) -> list[dict[str, Any]]:
    counts = Counter(d.meta.pillar for d in drafts)
    total = max(len(drafts), 1)
    targets = campaign.brand.config.mix
    return [
        {
            "pillar": pillar,
            "count": counts.get(pillar, 0),
            "share": counts.get(pillar, 0) / total,
            "target": targets.get(pillar, 0.0),
        }
        for pillar in sorted(set(targets) | set(counts))
    ]


@jinja2.pass_context
def _percent(ctx: Any, value: float) -> str:
    return f"{value:.0%}"


class PageEnvironment(CopyEnvironment):
    """The copy templates' sandbox and limits, with HTML autoescape and room for a page."""

    max_output = 2_000_000


def _environment(roots: Sequence[Path]) -> PageEnvironment:
    env = PageEnvironment(
        loader=RootedLoader(roots),
        bytecode_cache=code_cache("page"),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["percent"] = _percent
    return env


def preview_html(
    campaign: Campaign,
    drafts: Sequence[Draft],
    *,
    findings: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    notes: Sequence[str] = (),
) -> str:
    """The page for a week of drafts (as generated or as edited)."""
    findings = findings or {}
    brand = campaign.brand.config
    tz = ZoneInfo(brand.timezone)
    posts = [_post_view(campaign, d, findings.get(d.meta.id, ())) for d in drafts]
    # The planned week's first day (a week may start on any day: ``--start``), or an
    # earlier draft's (one edited by hand and kept from an earlier plan).
    start = min([campaign.week_start, *(d.meta.scheduled_at.astimezone(tz).date() for d in drafts)])
    last = max((p["day"] for p in posts), default=start)
    span = max(7, (last - start).days + 1)
    days = [start + timedelta(days=i) for i in range(span)]
    locale = campaign.brief.locale.replace("-", "_")
    platforms = sorted({p["platform"] for p in posts}, key=list(campaign.platforms).index)
    grid = {(p["platform"], p["day"]): [] for p in posts}  # type: dict[tuple[str, date], list[Any]]
    for post in posts:
        grid[(post["platform"], post["day"])].append(post)
    errors = [
        (post, f) for post in posts for f in post["findings"] if f["level"] == "error"
    ]  # fmt: skip
    any_audience = any(post["audience"] for post in posts)
    env = _environment(campaign.template_roots)
    page = render(
        env,
        "preview/index.html.j2",
        dict(
            brand=brand.name,
            colour=brand.colours.primary,
            accent=brand.colours.accent,
            campaign=campaign.brief.campaign,
            lang=campaign.brief.locale,
            timezone=brand.timezone,
            audience_place=_audience_place(campaign, locale) if any_audience else None,
            audience_timezone=campaign.brief.timezone,
            days=[
                {
                    "date": d,
                    "label": _day_label(d, locale),
                    "count": sum(1 for p in posts if p["day"] == d),
                }
                for d in days
            ],
            platforms=[
                {
                    "id": pid,
                    "name": campaign.platforms[pid].name,
                    "count": sum(1 for p in posts if p["platform"] == pid),
                }
                for pid in platforms
            ],
            grid=grid,
            posts=posts,
            pillars=sorted({p["pillar"] for p in posts}),
            mix=_mix_bars(campaign, drafts),
            errors=errors,
            notes=list(notes),
            week_label=babel_dates.format_date(start, "long", locale=locale),
        ),
    )
    return page.body

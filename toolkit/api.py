"""toolkit's public API: everything a Python user needs, re-exported by ``toolkit``.

Load a campaign, write its copy, plan and write its week, render its cards, check copy
against the brand's voice, and count a post as a platform does. Every other module is
private by convention: names may move between releases; these do not.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from toolkit.campaign.loader import (
    Campaign,
    load_brand,
    load_campaign,
    load_platform,
    platform_ids,
    with_platforms,
)
from toolkit.campaign.platforms import Platform
from toolkit.cards import RenderedCard, render_card
from toolkit.copy.variants import Variant, generate
from toolkit.errors import ToolkitError
from toolkit.files.workspace import Workspace
from toolkit.voice import Finding, fix_text, lint_text, load_guide
from toolkit.week.build import WeekResult, build_week, export_week, preview_week
from toolkit.week.planner import WeekPlan
from toolkit.week.planner import plan_week as _plan_week

__all__ = [
    "Campaign",
    "Finding",
    "Platform",
    "RenderedCard",
    "ToolkitError",
    "Variant",
    "WeekPlan",
    "WeekResult",
    "build_week",
    "count",
    "export_week",
    "fix_text",
    "generate",
    "generate_from",
    "lint_text",
    "list_platforms",
    "load_brief",
    "load_guide",
    "plan_week",
    "preview_week",
    "render_card",
]


def load_brief(
    path: Path | None = None, *, now: datetime | None = None, start: date | None = None
) -> Campaign:
    """Load a brief with its brand and platforms; the bundled demo when ``path`` is None.

    ``start`` is the first day of the week it is planned for (default: the Monday after
    ``now``); a relative event start (``+3d 10:00``) counts from it.
    """
    return load_campaign(path, now=now, start=start)


def plan_week(campaign: Campaign, *, now: datetime, seed: int = 0) -> WeekPlan:
    """The week's slots, angles and pillars, from the campaign's first day; none before ``now``."""
    return _plan_week(campaign, start=campaign.week_start, now=now, seed=seed)


def generate_from(
    brief: Path | None,
    *,
    now: datetime,
    platforms: list[str] | None = None,
    variants: int | None = None,
    seed: int = 0,
) -> list[Variant]:
    campaign = load_campaign(brief, now=now)
    if platforms:
        campaign = with_platforms(campaign, platforms)
    return generate(campaign, now=now, variants=variants, seed=seed)


def list_platforms(*, brand: str | None = None, cwd: Path | None = None) -> dict[str, Platform]:
    workspace = Workspace.find(cwd or Path.cwd())
    loaded = load_brand(workspace, brand) if brand else None
    roots = tuple(workspace.template_roots(brand))
    return {pid: load_platform(roots, pid, loaded) for pid in platform_ids(roots)}


def count(text: str, platform_id: str, *, cwd: Path | None = None) -> dict[str, Any]:
    """``text``'s length as ``platform_id`` counts it against its limit."""
    workspace = Workspace.find(cwd or Path.cwd())
    roots = tuple(workspace.template_roots())
    platform = load_platform(roots, platform_id)
    length = platform.length(text)
    return {
        "platform": platform_id,
        "length": length,
        "limit": platform.limit,
        "valid": 0 < length <= platform.limit if text.strip() else False,
    }

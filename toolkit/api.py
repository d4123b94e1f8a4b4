"""toolkit's public API: everything a Python user needs, re-exported by ``toolkit``.

Load a campaign, write its copy, plan and write its week, render its cards, check copy
against the brand's voice, and count a post as a platform does. Every other module is
private by convention: names may move between releases; these do not.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.campaign.loader import (
    Campaign,
    load_brand,
    load_campaign,
    load_platform,
    with_platforms,
)
from toolkit.campaign.platforms import Platform, platform_ids, platform_names, resolve_platform
from toolkit.copy.variants import Variant, generate
from toolkit.errors import ToolkitError
from toolkit.files.workspace import Workspace
from toolkit.voice import Finding, fix_text, lint_text, load_guide

if TYPE_CHECKING:
    from toolkit.cards import RenderedCard
    from toolkit.week.build import WeekResult
    from toolkit.week.planner import WeekPlan

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


# The week and the cards load Pillow and the preview page: imported when first used, so
# `toolkit generate` and `toolkit count` do not pay for them.


def plan_week(campaign: Campaign, *, now: datetime, seed: int = 0) -> WeekPlan:
    """The week's slots, angles and pillars, from the campaign's first day; none before ``now``."""
    from toolkit.week.planner import plan_week as plan

    return plan(campaign, start=campaign.week_start, now=now, seed=seed)


def build_week(
    brief: Path | None,
    *,
    out_dir: Path,
    now: datetime,
    start: date | None = None,
    seed: int = 0,
    force: bool = False,
    cards: bool = True,
) -> WeekResult:
    """Plan and write a week of drafts, cards and scheduler files (``toolkit week``)."""
    from toolkit.week.run import build_week as build

    return build(brief, out_dir=out_dir, now=now, start=start, seed=seed, force=force, cards=cards)


def export_week(out_dir: Path, *, now: datetime, brief: Path | None = None) -> WeekResult:
    """Rebuild plan.json, calendar.ics and the CSVs from the drafts as edited."""
    from toolkit.week.build import export_week as export

    return export(out_dir, now=now, brief=brief)


def preview_week(out_dir: Path, *, now: datetime, brief: Path | None = None) -> WeekResult:
    """Rebuild index.html, the week at a glance, from the drafts as edited."""
    from toolkit.week.build import preview_week as preview

    return preview(out_dir, now=now, brief=brief)


def render_card(
    campaign: Campaign, layout: str, size: str, *, now: datetime, out_path: Path | None = None
) -> RenderedCard:
    """One branded card (a layout of templates/cards/ at a size of formats.yaml)."""
    from toolkit.cards import render_card as render

    return render(campaign, layout, size, now=now, out_path=out_path)


def __getattr__(name: str) -> Any:
    # The result types of the lazily imported stages above.
    if name == "RenderedCard":
        from toolkit.cards import RenderedCard

        return RenderedCard
    if name in ("WeekResult", "WeekPlan"):
        from toolkit.week import build, planner

        return getattr(build if name == "WeekResult" else planner, name)
    raise AttributeError(f"module 'toolkit.api' has no attribute {name!r}")


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
    platform_id = resolve_platform(platform_id, platform_names(roots))
    platform = load_platform(roots, platform_id)
    length = platform.length(text)
    return {
        "platform": platform_id,
        "length": length,
        "limit": platform.limit,
        "valid": 0 < length <= platform.limit if text.strip() else False,
    }

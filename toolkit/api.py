"""The functions the CLI calls; each is a plain function a Python user can call too."""

from __future__ import annotations

from datetime import datetime
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
from toolkit.campaign.platforms import Platform, platform_names, resolve_platform
from toolkit.copy.variants import Variant, generate
from toolkit.files.workspace import Workspace
from toolkit.text.counting import count


def load_brief(path: Path | None = None) -> Campaign:
    """Load a brief with its brand and platforms; the bundled demo when ``path`` is None."""
    return load_campaign(path)


def generate_from(
    brief: Path | None,
    *,
    now: datetime,
    platforms: list[str] | None = None,
    variants: int | None = None,
    seed: int = 0,
) -> list[Variant]:
    campaign = load_campaign(brief)
    if platforms:
        campaign = with_platforms(campaign, platforms)
    return generate(campaign, now=now, variants=variants, seed=seed)


def list_platforms(*, brand: str | None = None, cwd: Path | None = None) -> dict[str, Platform]:
    workspace = Workspace.find(cwd or Path.cwd())
    loaded = load_brand(workspace, brand) if brand else None
    roots = tuple(workspace.template_roots(brand))
    return {pid: load_platform(roots, pid, loaded) for pid in platform_ids(roots)}


def count_text(text: str, platform_id: str, *, cwd: Path | None = None) -> dict[str, Any]:
    workspace = Workspace.find(cwd or Path.cwd())
    roots = tuple(workspace.template_roots())
    platform_id = resolve_platform(platform_id, platform_names(roots))
    platform = load_platform(roots, platform_id)
    length = count(text, platform.rules())
    return {
        "platform": platform_id,
        "length": length,
        "limit": platform.limit,
        "valid": 0 < length <= platform.limit if text.strip() else False,
    }

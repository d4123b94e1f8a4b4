"""Load a brief with everything it needs: brand, platform manifests, angles."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import Field, ValidationError

from toolkit.campaign.brand import Brand
from toolkit.campaign.brief import Brief
from toolkit.campaign.dates import anchored, next_monday
from toolkit.campaign.platforms import (
    Platform,
    platform_ids,
    platform_names,
    resolve_platform,
)
from toolkit.errors import InputError, Location, NotFoundError
from toolkit.files.models import Model
from toolkit.files.validation import located_error, validate
from toolkit.files.workspace import Workspace, find_file
from toolkit.files.yaml_reader import Document, Marks, load_yaml


class Angle(Model):
    description: str = ""
    pillar: str = "promote"
    requires: list[str] = Field([])
    material: list[Literal["hooks", "key_points", "stats", "quotes", "questions", "faqs"]] = Field(
        [],
        description="Brief fields a post of this angle leads with, one item per post, in turn.",
    )
    card: str | None = Field(None, description="The card layout for posts of this angle.")
    rotation: bool = Field(
        True, description="false: the week planner places it at fixed times (countdown, replay)."
    )
    event: Literal["any", "upcoming", "past"] = Field(
        "any",
        description="'upcoming': not once the brief's event has started (its copy promotes "
        "registration); 'past': only after the event ends.",
    )


@dataclass(frozen=True)
class LoadedBrand:
    slug: str
    folder: Path
    config: Brand
    marks: Marks


@dataclass(frozen=True)
class Campaign:
    """A validated brief, its brand, and the platforms it targets."""

    brief: Brief
    brief_path: Path | None
    brief_marks: Marks
    brand: LoadedBrand
    workspace: Workspace
    platforms: dict[str, Platform]  # the brief's platforms, in the brief's order
    angles: dict[str, Angle]
    template_roots: tuple[Path, ...]
    # The first day of the week this campaign is planned for; a relative event start
    # (``+3d 10:00``) was resolved against it.
    week_start: date
    # Which template files the roots hold, looked up once per campaign (``template_file``):
    # every generation asks for each platform's angles, 90 checks of a link-safe path.
    _templates: dict[str, Path | None] = dataclasses.field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def template_file(self, relative: str) -> Path | None:
        """The first root's ``relative`` template (``x/quote.j2``), or None."""
        if relative not in self._templates:
            self._templates[relative] = find_file(list(self.template_roots), relative)
        return self._templates[relative]


def load_brand(workspace: Workspace, slug: str, location: Location | None = None) -> LoadedBrand:
    folder = workspace.brand_dir(slug, location=location)
    doc = load_yaml(folder / "brand.yaml")
    brand = validate(Brand, doc, what="brand")
    return LoadedBrand(slug, folder, brand, doc.marks)


def _deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_platform(
    roots: tuple[Path, ...],
    platform_id: str,
    brand: LoadedBrand | None = None,
    names: Mapping[str, str] | None = None,
) -> Platform:
    """One platform's manifest with the brand's overrides; ``names`` as ``platform_names``
    gives them (pass them when loading several: finding them looks at every manifest)."""
    platform_id = resolve_platform(platform_id, platform_names(roots) if names is None else names)
    path = find_file(list(roots), f"{platform_id}/platform.yaml")
    assert path is not None  # resolve_platform only returns ids that have a manifest
    doc = load_yaml(path)
    if not isinstance(doc.data, dict):
        raise InputError("a platform manifest must be a mapping", location=doc.marks.at(()))
    overrides = brand.config.platforms.get(platform_id) if brand else None
    if not overrides:
        return validate(Platform, doc, what="platform manifest")
    merged = _deep_merge(doc.data, overrides)
    try:
        return Platform.model_validate(merged)
    except ValidationError as exc:
        # Blame the brand's override when the bad value came from it.
        assert brand is not None
        err = located_error(
            exc,
            Platform,
            merged,
            brand.marks,
            what="platform override",
            prefix=("platforms", platform_id),
        )
        loc = exc.errors()[0]["loc"]
        if loc and loc[0] not in overrides and exc.errors()[0]["type"] != "extra_forbidden":
            err = located_error(exc, Platform, merged, doc.marks, what="platform manifest")
        raise err from None


def load_angles(roots: tuple[Path, ...]) -> dict[str, Angle]:
    path = find_file(list(roots), "angles.yaml")
    if path is None:
        raise NotFoundError("templates/angles.yaml is missing")
    doc = load_yaml(path)
    if not isinstance(doc.data, dict):
        raise InputError("angles.yaml must map angle names to settings", location=doc.marks.at(()))
    angles: dict[str, Angle] = {}
    for name, value in doc.data.items():
        sub = Document(value if value is not None else {}, doc.marks)
        try:
            angles[name] = Angle.model_validate(sub.data)
        except ValidationError as exc:
            raise located_error(
                exc, Angle, sub.data, doc.marks, what="angle", prefix=(name,)
            ) from None
    return angles


def load_campaign(
    path: Path | None = None,
    *,
    workspace: Workspace | None = None,
    now: datetime | None = None,
    start: date | None = None,
) -> Campaign:
    """Load and validate a brief (the bundled demo brief when ``path`` is None).

    ``start`` is the first day of the planned week (default: the Monday after ``now``
    in the brand's time zone; ``now`` defaults to the system clock). A relative event
    start (``+3d 10:00``) is resolved against it.
    """
    workspace = workspace or Workspace.find(path or Path.cwd())
    brief_path = path if path is not None else workspace.default_brief()
    doc = load_yaml(brief_path)
    brief = validate(Brief, doc, what="brief")
    roots = tuple(workspace.template_roots(brief.brand))
    names = platform_names(roots)
    brief = _brief_ids(brief, doc.marks, names)
    brand = _brand_ids(load_brand(workspace, brief.brand, doc.marks.at(("brand",))), names)
    if start is None:
        moment = now if now is not None else datetime.now(UTC)
        start = next_monday(moment.astimezone(ZoneInfo(brand.config.timezone)).date())
    brief = anchored(brief, start, brief.timezone or brand.config.timezone)
    wanted = brief.platforms if brief.platforms is not None else platform_ids(roots)
    platforms: dict[str, Platform] = {}
    for index, platform_id in enumerate(wanted):
        if platform_id in platforms:
            raise InputError(
                f"platform '{platform_id}' is listed twice",
                location=doc.marks.at(("platforms", index)),
            )
        platforms[platform_id] = load_platform(roots, platform_id, brand, names)
    return Campaign(
        brief=brief,
        brief_path=brief_path,
        brief_marks=doc.marks,
        brand=brand,
        workspace=workspace,
        platforms=platforms,
        angles=load_angles(roots),
        template_roots=roots,
        week_start=start,
    )


def _ids(
    raw: list[str] | None, marks: Marks, where: tuple[str, ...], names: dict[str, str]
) -> list[str] | None:
    """Platform names (aliases, any case) as ids; an unknown one is blamed on its line."""
    if raw is None:
        return None
    prefix = "" if where == ("platforms",) else ".".join(where) + ": "
    return [
        resolve_platform(name, names, location=marks.at((*where, i)), what=prefix)
        for i, name in enumerate(raw)
    ]


def _brief_ids(brief: Brief, marks: Marks, names: dict[str, str]) -> Brief:
    update: dict[str, Any] = {"platforms": _ids(brief.platforms, marks, ("platforms",), names)}
    if brief.experiment is not None:
        ids = _ids(brief.experiment.platforms, marks, ("experiment", "platforms"), names)
        update["experiment"] = brief.experiment.model_copy(update={"platforms": ids})
    return brief.model_copy(update=update)


def _brand_ids(brand: LoadedBrand, names: dict[str, str]) -> LoadedBrand:
    config = brand.config
    where = ("countdown", "platforms")
    countdown = config.countdown.model_copy(
        update={"platforms": _ids(config.countdown.platforms, brand.marks, where, names)}
    )
    update: dict[str, Any] = {"countdown": countdown}
    for section in ("handles", "cadence", "platforms"):
        update[section] = {
            resolve_platform(
                key,
                names,
                location=brand.marks.at((section, key), key=True),
                what=f"{section}: ",
            ): value
            for key, value in getattr(config, section).items()
        }
    return dataclasses.replace(brand, config=config.model_copy(update=update))


def with_platforms(campaign: Campaign, ids: list[str]) -> Campaign:
    """The same campaign aimed at ``ids`` (from ``--platform``) instead of the brief's list."""
    names = platform_names(campaign.template_roots)
    chosen: dict[str, Platform] = {}
    for name in ids:
        platform_id = resolve_platform(name, names)
        chosen[platform_id] = campaign.platforms.get(platform_id) or load_platform(
            campaign.template_roots, platform_id, campaign.brand, names
        )
    return dataclasses.replace(campaign, platforms=chosen)

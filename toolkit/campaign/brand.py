"""The brand: look, handles, locale, time zone, cadence, platform overrides."""

import math
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from toolkit.files.models import HexColour, LocaleCode, Model, RequiredText, Text, TimeZoneName


class Colours(Model):
    primary: HexColour = "#1A73E8"
    secondary: HexColour = "#0B1F3A"
    accent: HexColour = "#FFB400"
    background: HexColour = "#FFFFFF"
    text: HexColour = "#111111"


class Fonts(Model):
    heading: Text | None = Field(
        None, description="Font file the brand owns, relative to brand/<slug>/."
    )
    body: Text | None = None


class Countdown(Model):
    before: list[Literal["7d", "3d", "1d", "1h"]] = Field(
        ["7d", "1d", "1h"], description="When countdown posts go out, before the event starts."
    )
    platforms: list[str] | None = Field(
        None, description="Default: every platform of the brief whose manifest has countdown: true."
    )


class Spacing(Model):
    same_platform_minutes: int = Field(
        120, ge=10, le=24 * 60, description="Least time between two posts on one platform."
    )
    any_minutes: int = Field(
        10, ge=0, le=120, description="Least time between any two posts of the week."
    )


def _shares(value: dict[str, float]) -> dict[str, float]:
    if not value:
        raise PydanticCustomError("mix", "the content mix needs at least one pillar")
    if not all(math.isfinite(share) for share in value.values()):
        raise PydanticCustomError(
            "mix",
            "content mix shares must be finite numbers",
            {"hint": "write relative shares such as {promote: 20, educate: 50, community: 30}"},
        )
    if any(share < 0 for share in value.values()):
        raise PydanticCustomError("mix", "content mix shares cannot be negative")
    total = sum(value.values())
    if not math.isfinite(total) or total <= 0:
        raise PydanticCustomError("mix", "content mix shares must add up to more than zero")
    # Accept 80/20 or 0.8/0.2 alike: shares are relative.
    return {pillar: share / total for pillar, share in value.items()}


# The same ceiling as a platform manifest's cadence: posts per week on one platform.
MAX_CADENCE = 50


def _cadence(value: int) -> int:
    if not 0 <= value <= MAX_CADENCE:
        raise PydanticCustomError(
            "cadence",
            "{value} posts a week is outside 0 to {limit}",
            {
                "value": f"{value:,}",
                "limit": MAX_CADENCE,
                "hint": "cadence counts posts per week on one platform, e.g. x: 5",
            },
        )
    return value


class Brand(Model):
    name: RequiredText
    handles: dict[str, RequiredText] = Field(
        {}, description="Account handle per platform id, e.g. {x: '@northwind'}."
    )
    locale: LocaleCode = "en-US"
    timezone: TimeZoneName = "UTC"
    colours: Colours = Colours()
    fonts: Fonts = Fonts()
    logo: Text | None = Field(None, description="Logo file, relative to brand/<slug>/.")
    hashtags: list[RequiredText] = Field([], description="Added to every campaign's hashtags.")
    cadence: dict[
        str,
        Annotated[
            int,
            AfterValidator(_cadence),
            Field(json_schema_extra={"minimum": 0, "maximum": MAX_CADENCE}),
        ],
    ] = Field({}, description="Posts per week per platform id.")
    mix: Annotated[dict[str, float], AfterValidator(_shares)] = Field(
        {"promote": 20, "educate": 50, "community": 30},
        validate_default=True,
        description="Target share of posts per content pillar (relative numbers, e.g. 80/20).",
    )
    countdown: Countdown = Countdown()
    spacing: Spacing = Spacing()
    carousels: list[Literal["instagram", "linkedin"]] = Field(
        [],
        description="Platforms whose posts carry a carousel of the key points "
        "(Instagram: 1080×1350 slides; LinkedIn: one PDF document).",
    )
    platforms: dict[str, dict[str, Any]] = Field(
        {},
        description="Overrides of any platform fact, e.g. {mastodon: {limit: 1000}}.",
    )

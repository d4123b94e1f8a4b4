"""The brand: look, handles, locale, time zone, cadence, platform overrides."""

from __future__ import annotations

from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from .errors import did_you_mean
from .model import HexColour, LocaleCode, Model, RequiredText, Text


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        hint = did_you_mean(value, available_timezones()) or "use an IANA name such as Europe/Paris"
        raise PydanticCustomError(
            "timezone", "unknown time zone '{value}'", {"value": value, "hint": hint}
        ) from None
    return value


TimeZoneName = Annotated[str, AfterValidator(_timezone)]


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
    cadence: dict[str, int] = Field({}, description="Posts per week per platform id.")
    platforms: dict[str, dict[str, Any]] = Field(
        {},
        description="Overrides of any platform fact, e.g. {mastodon: {limit: 1000}}.",
    )

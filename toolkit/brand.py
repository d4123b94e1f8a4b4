"""The brand: look, handles, locale, time zone, cadence, platform overrides."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from .model import HexColour, LocaleCode, Model, RequiredText, Text, TimeZoneName


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

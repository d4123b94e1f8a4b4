"""Platform manifests: every platform fact lives in templates/<id>/platform.yaml.

A platform is named by its folder's id (``x``, ``instagram``) or by one of
the manifest's ``aliases`` (``twitter``, ``ig``), in any case.
"""

from datetime import time
from typing import Literal

from pydantic import Field, model_validator

from toolkit.campaign.brand import MAX_CADENCE

# The names and aliases live apart from the models, so a cached voice guide resolves a
# platform without importing pydantic; re-exported here, where callers look for them.
from toolkit.campaign.names import platform_ids as platform_ids
from toolkit.campaign.names import platform_names as platform_names
from toolkit.campaign.names import resolve_platform as resolve_platform
from toolkit.files.models import FileName, Model
from toolkit.text.counting import (
    CountingMethod,
    CountRules,
    WeightConfig,
    WeightRange,
    post_length,
)

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class TitleField(Model):
    limit: int = Field(ge=1)
    counting: CountingMethod | None = None
    fold: int | None = Field(None, ge=1, description="Characters shown in search or feeds.")


class Hashtags(Model):
    max: int | None = Field(None, ge=0, description="Hard or recommended cap; none = no cap.")


class Thread(Model):
    max_parts: int = Field(25, ge=2, le=100)
    numbering: str = Field(
        "\n\n{i}/{n}",
        description="Added to the end of each part with its own separation "
        "(a blank line puts the number on a line of its own); {i} and {n} are numbers.",
    )


class ImageSize(Model):
    name: FileName  # part of the card's file name
    width: int = Field(ge=16, le=8192)
    height: int = Field(ge=16, le=8192)
    use: str = ""
    max_bytes: int | None = Field(None, ge=1024)


class Window(Model):
    days: list[Weekday]
    start: time
    end: time

    @model_validator(mode="after")
    def _ordered(self) -> "Window":
        if self.end <= self.start:
            raise ValueError("a posting window must end after it starts")
        return self


class Weights(Model):
    """twitter-text's weighting (X): which code point ranges weigh what."""

    scale: int = 100
    default_weight: int = 200
    emoji_parsing: bool = True
    ranges: list[tuple[int, int, int]] = Field(
        [], description="[start, end, weight] code point ranges, inclusive."
    )


class Platform(Model):
    name: str
    aliases: list[str] = Field(
        [], description="Other names people type for it (any case), e.g. twitter for x."
    )
    counting: CountingMethod
    limit: int = Field(
        ge=1, description="Hard limit of the post text, in the counting method's units."
    )
    url_length: int | None = Field(None, ge=1, description="Every URL counts this many.")
    links: Literal["clickable", "bio", "field"] = "clickable"
    fold: int | None = Field(None, ge=1, description="Characters shown before 'see more'.")
    hashtags: Hashtags = Hashtags()
    thread: Thread | None = None
    title: TitleField | None = None
    weights: Weights | None = None
    images: list[ImageSize] = []
    windows: list[Window] = []
    cadence: int = Field(3, ge=0, le=MAX_CADENCE, description="Default posts per week.")
    countdown: bool = Field(True, description="Event countdown posts go here by default.")
    replay: bool | None = Field(
        None, description="The replay post goes here after the event; default: as countdown."
    )
    card: str | None = Field(
        None, description="Card layout for every post here (else the angle's), e.g. thumbnail."
    )
    notes: str = ""

    def length(self, text: str, *, title: bool = False) -> int:
        """``text``'s length as this platform counts it against its limit (or the title's)."""
        if title and self.title is not None:
            return post_length(text, self.rules(self.title.counting))
        return post_length(text, self.rules())

    def rules(self, method: CountingMethod | None = None) -> CountRules:
        weights = WeightConfig()
        if self.weights is not None:
            w = self.weights
            weights = WeightConfig(
                max_weighted_length=self.limit,
                scale=w.scale,
                default_weight=w.default_weight,
                emoji_parsing=w.emoji_parsing,
                transformed_url_length=self.url_length or 23,
                ranges=tuple(WeightRange(a, b, c) for a, b, c in w.ranges) or weights.ranges,
            )
        return CountRules(
            method=method or self.counting, url_length=self.url_length, weights=weights
        )

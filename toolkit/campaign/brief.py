"""The campaign brief: one YAML file per campaign."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, field_validator
from pydantic_core import PydanticCustomError

from toolkit.files.models import LocaleCode, Model, RequiredText, Text, TimeZoneName


def _http_url(value: str) -> str:
    value = value.strip()
    parts = urlsplit(value)
    host = parts.hostname or ""
    if (
        parts.scheme not in ("http", "https")
        or not host
        or re.search(r"\s", value)
        or ("." not in host and host != "localhost")
    ):
        raise PydanticCustomError(
            "url",
            "'{value}' is not a web address",
            {"value": value, "hint": "write the full address, e.g. https://example.com/page"},
        )
    try:
        _ = parts.port
    except ValueError:
        raise PydanticCustomError(
            "url", "'{value}' has an invalid port", {"value": value}
        ) from None
    return value


Url = Annotated[str, AfterValidator(_http_url)]


class Speaker(Model):
    name: RequiredText
    title: Text | None = None
    photo: Text | None = Field(None, description="Path to a photo, relative to the brief.")


class Event(Model):
    kind: Literal["webinar", "podcast", "live", "launch", "meetup", "conference"] = "webinar"
    title: Text | None = None
    starts: datetime = Field(
        description="Local time in the brand's time zone (2026-12-03T16:00) or with an offset."
    )
    ends: datetime | None = None
    duration_minutes: int | None = Field(None, ge=1, le=24 * 60)
    speakers: list[Speaker] = []
    replay: Url | None = Field(
        None, description="Link to the recording: the week plans a replay post after the event."
    )

    @field_validator("ends")
    @classmethod
    def _ends_after_start(cls, ends: datetime | None, info: object) -> datetime | None:
        data = getattr(info, "data", {})
        starts = data.get("starts")
        if ends is not None and starts is not None:
            comparable = (ends.tzinfo is None) == (starts.tzinfo is None)
            if comparable and ends <= starts:
                raise PydanticCustomError("order", "the event must end after it starts")
        return ends


class Quote(Model):
    text: RequiredText
    author: RequiredText
    title: Text | None = None


class Utm(Model):
    medium: Text | None = "social"
    campaign: Text | None = None
    term: Text | None = None
    content: Text | None = None


class Experiment(Model):
    """An A/B test: the plan holds paired posts, arm A and arm B, differing in one variable."""

    variable: Literal["hook", "emoji", "time"] = Field(
        description="hook: a different opening; emoji: with and without emoji; "
        "time: the same post in a morning and an afternoon slot."
    )
    name: Text | None = None
    platforms: list[str] | None = Field(
        None, description="Where to run it; default: every platform of the brief."
    )


class Brief(Model):
    """One campaign. Field names are what a social media manager would write."""

    campaign: RequiredText = Field(description="The campaign's name.")
    brand: str = Field("demo", description="The brand's folder name under brand/.")
    locale: LocaleCode = Field("en-US", description="Language (and region) of the copy.")
    timezone: TimeZoneName | None = Field(
        None,
        description="Time zone the audience reads dates and times in; default: the brand's.",
    )
    goal: Text | None = None
    audience: Text | None = None
    message: RequiredText = Field(description="The one thing the audience should take away.")
    key_points: list[RequiredText] = []
    quote: Quote | None = None
    cta: Text | None = Field(None, description="Call to action, e.g. 'Register for free'.")
    link: Url | None = None
    utm: Utm | None = None
    hashtags: list[RequiredText] = []
    event: Event | None = None
    platforms: list[str] | None = Field(
        None, description="Platform ids; all built-in platforms when omitted."
    )
    variants: int = Field(3, ge=1, le=10, description="Angles per platform.")
    thread: bool = Field(False, description="Split long copy into numbered thread parts.")
    experiment: Experiment | None = None
    persona: str | None = Field(
        None, description="A persona from the brand's voice guide, e.g. a CEO's first-person voice."
    )
    sponsored: bool = Field(
        False, description="Paid partnership: the voice guide can require a disclosure such as #ad."
    )

    @field_validator("brand")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", value) or ".." in value:
            raise PydanticCustomError(
                "slug",
                "'{value}' is not a brand folder name",
                {"value": value, "hint": "use letters, digits, '-', '_' (the folder under brand/)"},
            )
        return value

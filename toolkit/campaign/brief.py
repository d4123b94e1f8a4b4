"""The campaign brief: one YAML file per campaign."""

import re
import unicodedata
from datetime import datetime, time
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from toolkit.files.models import LocaleCode, Model, Moment, RequiredText, Text, TimeZoneName


def _http_url(value: str) -> str:
    value = value.strip()
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value):
        raise PydanticCustomError(
            "url",
            "the web address holds a control character or a lone surrogate",
            {"hint": "retype the address; it cannot contain invisible characters"},
        )
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

# A brief is one campaign: more than this is a pasted list, and every copy template
# would be asked to print all of it.
MAX_KEY_POINTS = 20
MAX_HASHTAGS = 30
MAX_SPEAKERS = 20


def _at_most(limit: int, hint: str) -> AfterValidator:
    def check(items: list[Any]) -> list[Any]:
        if len(items) > limit:
            raise PydanticCustomError(
                "too_many",
                "has {count} items; at most {limit} are accepted",
                {"count": f"{len(items):,}", "limit": limit, "hint": hint},
            )
        return items

    return AfterValidator(check)


class Speaker(Model):
    name: RequiredText
    title: Text | None = None
    photo: Text | None = Field(None, description="Path to a photo, relative to the brief.")


RELATIVE_START = re.compile(r"\+(\d{1,3})d(?:\s+(\d{1,2}):(\d{2}))?")


class RelativeStart(Model):
    """``starts: +3d 10:00``: three days after the first day of the planned week, at 10:00
    in the audience's time zone. The week resolves it against its own first day, so a brief
    written once stays evergreen (the bundled demo is written this way)."""

    days: int = Field(ge=0, le=366)
    at: time = time(10, 0)


def _relative_start(value: Any) -> Any:
    if not isinstance(value, str) or not value.strip().startswith("+"):
        return value
    match = RELATIVE_START.fullmatch(value.strip())
    if match is None:
        raise PydanticCustomError(
            "relative_start",
            "'{value}' is not a relative start",
            {"value": value, "hint": "write +DAYSd HH:MM, e.g. +3d 10:00 (3 days after the "
             "week's first day, 10 AM), or a date and time such as 2026-12-03T10:00"},
        )  # fmt: skip
    days, hour, minute = match.groups()
    if hour is not None and (int(hour) > 23 or int(minute) > 59):
        raise PydanticCustomError(
            "relative_start", "'{value}' has no such time of day", {"value": value}
        )
    at = time(int(hour), int(minute)) if hour is not None else time(10, 0)
    return RelativeStart(days=int(days), at=at)


StartsAt = Annotated[
    Moment | RelativeStart,
    BeforeValidator(_relative_start),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "date-time"},
                {"type": "string", "pattern": r"^\+\d{1,3}d( +\d{1,2}:\d{2})?$"},
            ],
            "description": "A date and time (2026-12-03T16:00, local to the audience's time "
            "zone, or with an offset), or relative to the planned week's first day: "
            "'+3d 10:00' is three days after it at 10:00.",
        }
    ),
]


class Event(Model):
    kind: Literal["webinar", "podcast", "live", "launch", "meetup", "conference"] = Field(
        "webinar",
        description="What people attend; a launch is released instead: after it, posts go on "
        "pointing to the brief's link and call to action.",
    )
    title: Text | None = None
    starts: StartsAt = Field(
        description="Local time in the brand's time zone (2026-12-03T16:00) or with an offset; "
        "or '+3d 10:00', three days after the planned week's first day."
    )
    ends: Moment | None = None
    duration_minutes: int | None = Field(None, ge=1, le=24 * 60)
    speakers: Annotated[
        list[Speaker], _at_most(MAX_SPEAKERS, "list the speakers who appear on the cards")
    ] = Field([], json_schema_extra={"maxItems": MAX_SPEAKERS})
    replay: Url | None = Field(
        None, description="Link to the recording: the week plans a replay post after the event."
    )
    ends_campaign: bool = Field(
        False,
        description="The campaign ends with the event: after it, only the replay post. "
        "Default: the week goes on with posts that do not promote registration.",
    )

    @property
    def start_time(self) -> datetime:
        """The start once loaded: a relative start is resolved when the campaign loads."""
        if isinstance(self.starts, RelativeStart):
            raise ValueError("relative event start used before the campaign was loaded")
        return self.starts

    @field_validator("ends")
    @classmethod
    def _ends_after_start(cls, ends: datetime | None, info: object) -> datetime | None:
        data = getattr(info, "data", {})
        starts = data.get("starts")
        if ends is not None and isinstance(starts, RelativeStart):
            raise PydanticCustomError(
                "order",
                "a relative start takes duration_minutes, not an end time",
                {"hint": "replace `ends` with `duration_minutes: 45`"},
            )
        if ends is not None and starts is not None:
            comparable = (ends.tzinfo is None) == (starts.tzinfo is None)
            if comparable and ends <= starts:
                raise PydanticCustomError("order", "the event must end after it starts")
        return ends


class Photo(Model):
    """A background photo for the cards; ``focus`` is the point that must stay in view."""

    file: RequiredText = Field(description="Path to a PNG, JPEG or WebP, relative to the brief.")
    focus: (
        tuple[Annotated[float, Field(ge=0, le=1)], Annotated[float, Field(ge=0, le=1)]] | None
    ) = Field(None, description="[x, y] from 0 to 1 (0, 0 is the top left), e.g. a face.")

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: object) -> object:
        return {"file": value} if isinstance(value, str) else value


class Quote(Model):
    text: RequiredText
    author: RequiredText
    title: Text | None = None


class Faq(Model):
    """A question people ask about the campaign, and the brand's answer."""

    question: RequiredText
    answer: RequiredText


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
    key_points: Annotated[
        list[RequiredText],
        _at_most(MAX_KEY_POINTS, "keep the points a post can make; the rest go on the page"),
    ] = Field(
        [],
        description="The points a post can make, one each.",
        json_schema_extra={"maxItems": MAX_KEY_POINTS},
    )
    # Material: a week of posts leads with something new in each post. Every list is
    # optional; key point, quote, question and FAQ posts take their items in turn.
    hooks: list[RequiredText] = Field(
        [],
        description="Opening lines for announcements and for hook A/B tests, "
        "e.g. 'Your CFO doesn't read likes.'",
    )
    stats: list[RequiredText] = Field(
        [],
        description="Figures worth a post of their own, with their source "
        "('1 in 4 teams … (our 2026 survey)'); key point posts use them after the key points.",
    )
    quote: Quote | None = None
    quotes: list[Quote] = Field(
        [], description="More quotes or testimonials; quote posts use `quote` first, then these."
    )
    questions: list[RequiredText] = Field(
        [], description="Questions to ask the audience; question posts open with them in turn."
    )
    faqs: list[Faq] = Field(
        [], description="Questions people ask, with the answer: material for FAQ posts."
    )
    cta: Text | None = Field(None, description="Call to action, e.g. 'Register for free'.")
    link: Url | None = None
    utm: Utm | None = None
    hashtags: Annotated[
        list[RequiredText], _at_most(MAX_HASHTAGS, "platforms show a handful of hashtags")
    ] = Field([], json_schema_extra={"maxItems": MAX_HASHTAGS})
    event: Event | None = None
    photo: Photo | None = Field(None, description="Background photo of the cards.")
    photos: dict[str, Photo] = Field(
        {}, description="A background photo per angle (e.g. {replay: stage.jpg}), over `photo`."
    )
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

"""Shared base and field types for the YAML-backed models."""

import re
from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError

from toolkit.errors import did_you_mean

# Re-exported: callers validating a locale outside a model import it from here.
from toolkit.files.locales import LocaleError
from toolkit.files.locales import normalize_locale as normalize_locale
from toolkit.files.paths import name_problem

# Noncharacters are reserved for a program's internal use; the fitter uses
# some as markers, so they can never come from user text.
_NONCHARACTERS = re.compile("[\ufdd0-\ufdef]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Model(BaseModel):
    """Frozen, closed: an unknown key is an error, not a silent no-op."""

    # defer_build: a model's validator is built when first used, so a command pays only
    # for the models it reads (a cold process would otherwise build all of them).
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=False, defer_build=True
    )


def clean_text(value: Any) -> Any:
    """Drop characters that are never meaningful in copy (NUL, C0 controls, noncharacters)."""
    if isinstance(value, str):
        value = _NONCHARACTERS.sub("", _CONTROL.sub("", value))
        # Lone surrogates cannot be encoded anywhere downstream.
        value = value.encode("utf-8", "replace").decode("utf-8")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank", "must not be empty")
    return value


# Copy is short; a field longer than this is a pasting accident, not a brief.
MAX_TEXT = 10_000


def _not_too_long(value: str) -> str:
    if len(value) > MAX_TEXT:
        raise PydanticCustomError(
            "too_long",
            "is {length} characters long; at most {limit} are accepted",
            {
                "length": f"{len(value):,}",
                "limit": f"{MAX_TEXT:,}",
                "hint": "keep the brief to the message; long material belongs in the linked page",
            },
        )
    return value


Text = Annotated[str, BeforeValidator(clean_text), AfterValidator(_not_too_long)]
RequiredText = Annotated[
    str, BeforeValidator(clean_text), AfterValidator(_not_too_long), AfterValidator(_not_blank)
]


def _locale_code(value: str) -> str:
    try:
        return normalize_locale(value)
    except LocaleError as exc:
        raise PydanticCustomError("locale", exc.template, exc.context) from None


LocaleCode = Annotated[str, AfterValidator(_locale_code)]

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def _hex_colour(value: str) -> str:
    if not _HEX.match(value):
        raise PydanticCustomError(
            "colour",
            "'{value}' is not a hex colour",
            {"value": value, "hint": "write colours as #RRGGBB, e.g. #1A73E8"},
        )
    if len(value) == 4:
        value = "#" + "".join(c * 2 for c in value[1:])
    return value.upper()


HexColour = Annotated[str, AfterValidator(_hex_colour)]


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

# Far enough either way for any campaign, near enough that adding a week, a year or a
# time zone offset can never leave the calendar (datetime stops at year 9999).
FIRST_YEAR, LAST_YEAR = 1970, 2999


def _in_calendar(value: datetime) -> datetime:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise PydanticCustomError(
            "date_range",
            "{value} is outside the years {first} to {last}",
            {
                "value": value.isoformat(),
                "first": FIRST_YEAR,
                "last": LAST_YEAR,
                "hint": "check the year: campaigns are planned between "
                f"{FIRST_YEAR} and {LAST_YEAR}",
            },
        )
    return value


Moment = Annotated[datetime, AfterValidator(_in_calendar)]


def _one_line(value: str) -> str:
    if "\n" in value or "\r" in value:
        raise PydanticCustomError(
            "one_line", "must be one line", {"hint": "remove the line break from this value"}
        )
    return value


# A name or id that ends up in a file other programs parse line by line (calendar, CSV).
Line = Annotated[str, BeforeValidator(clean_text), AfterValidator(_one_line)]


def _name_check(*, one_part: bool, hint: str) -> AfterValidator:
    def check(value: str) -> str:
        problem = name_problem(value)
        if problem is None and one_part and "/" in value:
            problem = "contains '/'"
        if problem is not None:
            raise PydanticCustomError(
                "file_name",
                "{name} {problem}",
                {"name": repr(value[:200]), "problem": problem, "hint": hint},
            )
        return value

    return AfterValidator(check)


# A name from a data file that becomes part of an output file's name (a card size).
FileName = Annotated[
    str,
    _name_check(
        one_part=True,
        hint="this name becomes part of a file name: use letters, digits, '-' and '_'",
    ),
]
# A path a file records relative to its own folder (a draft's card image).
RelativeName = Annotated[str, _name_check(one_part=False, hint="use a path inside the folder")]

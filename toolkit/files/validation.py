"""Turn pydantic's validation errors into located, hinted user errors."""

from __future__ import annotations

import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from pydantic_core.core_schema import ErrorType

from toolkit.errors import InputError, did_you_mean
from toolkit.files.yaml_reader import Document, Marks, PathKey

M = TypeVar("M", bound=BaseModel)


def _data_path(data: Any, loc: tuple[int | str, ...]) -> PathKey:
    """Keep only the parts of pydantic's loc that index into the data.

    pydantic inserts union-member and validator names into ``loc``; those
    have no place in the YAML file.
    """
    path: list[str | int] = []
    cur = data
    for part in loc:
        in_dict = isinstance(cur, dict) and isinstance(part, str) and part in cur
        in_list = isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur)
        if in_dict or in_list:
            cur = cur[part]
            path.append(part)
        elif isinstance(cur, dict | list):
            continue
        else:
            break
    return tuple(path)


def _model_at(model: type[BaseModel], path: PathKey) -> type[BaseModel] | None:
    """The model class that owns the mapping at ``path`` (for key hints)."""
    current: Any = model
    for part in path:
        if isinstance(part, int):
            current = _unwrap(current, want_item=True)
            continue
        current = _unwrap(current)
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part)
        if field is None:
            return None
        current = field.annotation
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return current
    return None


def _unwrap(tp: Any, *, want_item: bool = False) -> Any:
    for _ in range(6):
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin is typing.Annotated:
            tp = args[0]
        elif origin in (typing.Union, types.UnionType):
            tp = next((a for a in args if a is not type(None)), tp)
        elif origin in (list, tuple) and args and want_item:
            tp = args[0]
            want_item = False
        elif origin is dict and args and want_item:
            tp = args[1]
            want_item = False
        else:
            break
    return tp


def _field_label(path: PathKey) -> str:
    label = ""
    for part in path:
        label += f"[{part}]" if isinstance(part, int) else (f".{part}" if label else part)
    return label or "document"


def validate(model: type[M], doc: Document, *, what: str) -> M:
    """Validate a loaded document into ``model`` or raise a located InputError."""
    data = doc.data
    if data is None:
        raise InputError(f"the {what} is empty", location=doc.marks.at(()))
    if not isinstance(data, dict):
        raise InputError(
            f"the {what} must be a mapping of keys to values",
            location=doc.marks.at(()),
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise located_error(exc, model, data, doc.marks, what=what) from None


def located_error(
    exc: ValidationError,
    model: type[BaseModel],
    data: Any,
    marks: Marks,
    *,
    what: str,
    prefix: PathKey = (),
) -> InputError:
    errors = exc.errors(include_url=False)
    first = errors[0]
    loc = tuple(first["loc"])
    path = _data_path(data, loc)
    kind = first["type"]
    more = f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    more = more if len(errors) > 1 else ""
    hint: str | None = None
    if kind == "extra_forbidden":
        key = str(loc[-1])
        owner = _model_at(model, path[:-1])
        if owner is not None:
            hint = did_you_mean(key, owner.model_fields)
        message = f"unknown key '{key}' in the {what}{more}"
        location = marks.at((*prefix, *path), key=True)
    elif kind == "missing":
        key = str(loc[-1])
        message = f"missing required key '{key}' in {_field_label(path) if path else 'the ' + what}"
        message += more
        location = marks.at((*prefix, *path))
        hint = f"add '{key}: ...'"
    else:
        message, hint = _wording(first, _model_at(model, path), what)
        hint = hint or _field_description(model, path)
        message = f"{_field_label(path)}: {message}{more}"
        location = marks.at((*prefix, *path))
    return InputError(message, location=location, hint=hint)


# pydantic's error types in the product's words: what is wrong, then the
# expected format with an example. {value} is what the user wrote; other
# fields come from pydantic's context for the error.
_DATETIME = (
    "{value} is not a date and time",
    "write it as YYYY-MM-DDTHH:MM, e.g. 2026-12-03T16:00 (add +01:00 for another time zone)",
)
_DATE = ("{value} is not a date", "write it as YYYY-MM-DD, e.g. 2026-12-07")
_TIME = ("{value} is not a time of day", 'write it as "HH:MM" in quotes, e.g. "09:30"')
_WHOLE = ("{value} is not a whole number", "write digits only, e.g. 3")
_NUMBER = ("{value} is not a number", "e.g. 20 or 0.5")
_LIST = ("{value} is not a list", "write [first, second], or one '- item' per line")
_URL = ("{value} is not a web address", "e.g. https://example.com/page")
_MAPPING = (
    "{value} is not a mapping of keys to values",
    "write key: value pairs, one per line or as {key: value}",
)
WORDING: dict[str, tuple[str, str | None]] = {
    **dict.fromkeys(
        (
            "datetime_parsing",
            "datetime_from_date_parsing",
            "datetime_type",
            "datetime_object_invalid",
        ),
        _DATETIME,
    ),
    **dict.fromkeys(
        ("date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact", "date_type"),
        _DATE,
    ),
    **dict.fromkeys(("time_parsing", "time_type"), _TIME),
    **dict.fromkeys(("int_parsing", "int_type", "int_from_float", "int_parsing_size"), _WHOLE),
    **dict.fromkeys(("float_parsing", "float_type", "finite_number"), _NUMBER),
    **dict.fromkeys(("list_type", "tuple_type", "set_type", "iterable_type"), _LIST),
    **dict.fromkeys(("url_parsing", "url_type", "url_scheme", "url_syntax_violation"), _URL),
    **dict.fromkeys(
        ("dict_type", "model_type", "model_attributes_type", "dataclass_type", "mapping_type"),
        _MAPPING,
    ),
    "bool_parsing": ("{value} is neither true nor false", "write true or false"),
    "bool_type": ("{value} is neither true nor false", "write true or false"),
    "string_type": ("{value} is not a text", 'put it in quotes, e.g. "2026"'),
    "literal_error": ("{value} is not one of: {choices}", None),
    "enum": ("{value} is not one of: {choices}", None),
    "greater_than_equal": ("{value} is too small: the least is {ge}", None),
    "greater_than": ("{value} is too small: it must be more than {gt}", None),
    "less_than_equal": ("{value} is too large: the most is {le}", None),
    "less_than": ("{value} is too large: it must be less than {lt}", None),
    "too_short": ("has {actual_length} item(s); at least {min_length} are needed", None),
    "too_long": ("has {actual_length} items; at most {max_length} are accepted", None),
    "string_too_short": ("must not be empty", None),
    "string_too_long": ("is longer than {max_length} characters", None),
    "string_pattern_mismatch": ("{value} does not have the expected form", None),
    "none_required": ("must be left empty here", None),
}
_SCHEMA_KIND = {"brand": "brand", "platform manifest": "platform", "platform override": "platform"}


def _wording(
    error: ErrorDetails, owner: type[BaseModel] | None, what: str
) -> tuple[str, str | None]:
    """One pydantic error as ``(message, hint)`` in the product's voice."""
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    own_hint = ctx.get("hint") if isinstance(ctx.get("hint"), str) else None
    value = error.get("input")
    choices = _choices(str(ctx.get("expected", "")))
    fields = {**ctx, "value": _shown(value), "choices": ", ".join(choices)}
    template = WORDING.get(kind)
    if template is not None:
        try:
            message = template[0].format(**fields)
        except (KeyError, IndexError):  # our own error of the same name: its words stand
            template = None
    if template is None:
        message = str(error["msg"])
        for prefix in ("Value error, ", "Assertion failed, "):
            message = message.removeprefix(prefix)
        if kind in _PYDANTIC_TYPES and not own_hint:
            schema = _SCHEMA_KIND.get(what, "brief")
            return f"{_shown(value)} is not accepted here", (
                f"'toolkit schema {schema}' lists what each key takes"
            )
        return message, own_hint
    hint = own_hint or template[1]
    if template is _MAPPING and owner is not None:
        hint = "write it as " + _mapping_example(owner)
    if choices and isinstance(value, str):
        close = did_you_mean(value, choices)
        hint = close if close and close.startswith("did you mean") else None
    return message, hint


# pydantic's own error types; our validators' (PydanticCustomError, ValueError) are in our words.
_PYDANTIC_TYPES = frozenset(typing.get_args(ErrorType)) - {"value_error", "assertion_error"}


def _field_description(model: type[BaseModel], path: PathKey) -> str | None:
    """The schema's own description of the field, when it shows what to write."""
    owner = _model_at(model, path[:-1]) if path else None
    field = owner.model_fields.get(str(path[-1])) if owner is not None else None
    text = field.description if field is not None else None
    return text if text and "e.g." in text else None


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 40 else f"'{value[:37]}...'"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "an empty value"
    return str(value).lower() if isinstance(value, bool) else str(value)


def _choices(expected: str) -> list[str]:
    """``'hook', 'emoji' or 'time'`` (pydantic's rendering of a Literal) as a list."""
    import re

    return re.findall(r"'([^']*)'", expected)


def _mapping_example(owner: type[BaseModel]) -> str:
    """``{text: ..., author: ...}``: the required keys first, up to four."""
    required = [n for n, f in owner.model_fields.items() if f.is_required()]
    optional = [n for n, f in owner.model_fields.items() if not f.is_required()]
    keys = (required + optional)[:4]
    return "{" + ", ".join(f"{key}: ..." for key in keys) + "}"

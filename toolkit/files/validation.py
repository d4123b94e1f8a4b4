"""Turn pydantic's validation errors into located, hinted user errors."""

from __future__ import annotations

import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

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
        msg = first["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        message = f"{_field_label(path)}: {msg}{more}"
        location = marks.at((*prefix, *path))
        ctx = first.get("ctx") or {}
        hint = ctx.get("hint") if isinstance(ctx.get("hint"), str) else None
    return InputError(message, location=location, hint=hint)

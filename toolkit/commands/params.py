"""Command-line values converted without pydantic, exactly as Typer converts them.

Typer (0.2x) converts every parameter's value through a pydantic ``TypeAdapter``
it builds on first use: the first one imports pydantic's schema machinery, which
costs more than a cold ``toolkit lint`` of one draft needs in all. The toolkit's
parameters are text, paths, whole numbers (with bounds), choices (enums) and
flags, alone or in lists: a valid value of one of these is converted here the
way Typer's adapter converts it (the same functions, called directly). Any other
type, or any value this does not take as it comes (a bad choice, a number out
of range, an unusual spelling), goes to Typer's own conversion, so errors are
worded as before and nothing changes but where the work is done.

The toolkit's command classes (toolkit/commands/help.py) apply this to the
parameters of every command they parse. With a Typer that has no such conversion
layer (older releases use click's own types), :func:`convert_natively` does nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args, get_origin

if TYPE_CHECKING:
    import click

try:  # Typer's runtime conversion layer (0.2x); absent from older releases
    from typer._coercion import RuntimeParam, build_runtime_param, resolve_type_descriptor
    from typer._param_types import coerce_cli_choice, coerce_cli_path
    from typer.core import _TyperParameter
except ImportError:  # pragma: no cover - an older Typer converts with click types
    RuntimeParam = None  # type: ignore[assignment, misc]

_UNSURE = object()  # this value is left to Typer's own conversion
_MAX_DIGITS = 18  # a whole number this long is far from any limit a parameter has


def convert_natively(params: Iterable[click.Parameter]) -> None:
    """Give each of ``params`` the direct conversion (once; Typer keeps it with the parameter)."""
    if RuntimeParam is None:  # pragma: no cover
        return
    for param in params:
        if isinstance(param, _TyperParameter) and param._runtime_param is None:
            descriptor = param.type_descriptor
            if descriptor.file_annotation is None:  # files are opened by Typer, no pydantic
                param._runtime_param = _Direct(
                    parameter_info=descriptor.parameter_info, annotation=descriptor.annotation
                )


if RuntimeParam is not None:

    @dataclass(frozen=True)
    class _Direct(RuntimeParam):
        """Typer's conversion of a parameter, done directly for the values it is sure of.

        ``RuntimeParam.coerce`` (Typer's) handles a missing value and the shape of
        a multi-value one; this converts the value itself.
        """

        def _coerce_value(self, value: Any, param: _TyperParameter, ctx: Any) -> Any:
            converted = _convert(self.annotation, self.parameter_info, value, param, ctx)
            if converted is not _UNSURE:
                return converted
            typer_own = build_runtime_param(
                resolve_type_descriptor(self.annotation, self.parameter_info)
            )
            return typer_own._coerce_value(value, param=param, ctx=ctx)


def _convert(annotation: Any, info: Any, value: Any, param: Any, ctx: Any) -> Any:
    """``value`` as Typer's adapter for ``annotation`` returns it, or ``_UNSURE``."""
    if info.parser is not None:
        return _UNSURE
    if get_origin(annotation) is list:
        if not isinstance(value, list | tuple):
            return _UNSURE
        (item_type,) = get_args(annotation)
        items = [_leaf(item_type, info, item, param, ctx) for item in value]
        return _UNSURE if any(item is _UNSURE for item in items) else items
    return _leaf(annotation, info, value, param, ctx)


def _leaf(annotation: Any, info: Any, value: Any, param: Any, ctx: Any) -> Any:
    """One value, in the order Typer's ``build_leaf_adapter`` tries the types."""
    if not isinstance(annotation, type):
        return _UNSURE
    if issubclass(annotation, Enum):
        try:
            return coerce_cli_choice(
                value, choices=list(annotation), case_sensitive=info.case_sensitive, ctx=ctx
            )
        except ValueError:
            return _UNSURE  # Typer words the error (the choices, in its format)
    if annotation is int:
        number = value if type(value) is int else _whole_number(value)
        if number is None or info.clamp:
            return _UNSURE
        if (info.min is not None and number < info.min) or (
            info.max is not None and number > info.max
        ):
            return _UNSURE
        return number
    if annotation is bool:
        return value if type(value) is bool else _UNSURE
    if annotation is str:
        return value if type(value) is str else _UNSURE
    if issubclass(annotation, Path) and info.path_type is None and type(value) is str:
        # pydantic makes a Path of the text; Typer then applies the parameter's checks
        try:
            return coerce_cli_path(
                annotation(value), info, path_type=annotation, param=param, ctx=ctx
            )
        except (ValueError, AssertionError):
            return _UNSURE  # raised inside Typer's adapter, pydantic words it
    return _UNSURE


def _whole_number(value: Any) -> int | None:
    """Plain decimal digits (no sign, space, underscore or leading zero) as an int."""
    if type(value) is not str or not value.isascii() or not value.isdigit():
        return None
    if len(value) > _MAX_DIGITS or (len(value) > 1 and value[0] == "0"):
        return None
    return int(value)

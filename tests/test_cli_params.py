"""Command-line values converted directly give what Typer's own conversion gives."""

from __future__ import annotations

from typing import Any

import pytest
import typer.main

pytest.importorskip("typer._coercion", reason="this Typer converts with click's own types")
from typer._click import Context
from typer._coercion import RuntimeParam, build_runtime_param
from typer.core import _TyperParameter

from toolkit.cli import app
from toolkit.commands import params

TEXTS = ["x", "", "-", " ", "a/b", "../up", "twitter", "LinkedIn", "\u00e9t\u00e9", "b\u0000d"]
CHOICES = ["text", "TEXT", "Json", "json", "sarif", "png", "jpeg", "codepoint", "utf16", "nope"]
NUMBERS = ["0", "1", "3", "10", "11", "007", "+3", " 3", "3 ", "1_000", "1e3", "-1", "3.0"]
SAMPLES = [*TEXTS, *CHOICES, *NUMBERS, "9" * 30, "\u0663"]  # Arabic-Indic three


def _outcome(runtime: RuntimeParam, value: Any, param: _TyperParameter, ctx: Context) -> Any:
    try:
        got = runtime.coerce(value, param=param, ctx=ctx)
    except Exception as exc:  # the error a user sees: its type and words
        return ("error", type(exc).__name__, str(exc))
    return ("value", type(got).__name__, repr(got))


def _parameters() -> list[tuple[str, _TyperParameter]]:
    group = typer.main.get_command(app)
    found = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        for param in command.params:
            if isinstance(param, _TyperParameter):
                found.append((f"{name} {param.name}", param))
    return found


@pytest.mark.parametrize(("label", "param"), _parameters(), ids=lambda v: str(v))
def test_direct_conversion_gives_typers_values_and_errors(
    label: str, param: _TyperParameter
) -> None:
    descriptor = param.type_descriptor
    typer_own = build_runtime_param(descriptor)
    direct = params._Direct(
        parameter_info=descriptor.parameter_info, annotation=descriptor.annotation
    )
    ctx = Context(typer.main.get_command(app))
    multi = param.multiple or param.nargs == -1
    cases: list[Any] = [None, param.default, True, False, 3, 0]
    cases += [(v,) for v in SAMPLES] + [tuple(SAMPLES[:3]), ()] if multi else SAMPLES
    for value in cases:
        assert _outcome(direct, value, param, ctx) == _outcome(typer_own, value, param, ctx), (
            label,
            value,
        )


def test_every_parameter_of_a_parsed_command_converts_directly() -> None:
    """The toolkit's command classes hand each parameter the direct conversion."""
    group = typer.main.get_command(app)
    command = group.commands["lint"]  # type: ignore[attr-defined]
    ctx = command.make_context("lint", ["draft.md", "-f", "json", "-w", "2"], parent=None)
    assert ctx.params["output_format"].value == "json"
    assert ctx.params["workers"] == 2
    converted = [p for p in command.get_params(ctx) if isinstance(p, _TyperParameter)]
    assert converted
    assert all(isinstance(p._runtime_param, params._Direct) for p in converted)

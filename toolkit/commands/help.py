"""What ``--help`` looks like: readable usage lines and options, and examples at the end.

A usage error (a missing argument, an unknown option) is shown the way every
other error is: the usage line, then ``error:`` in red and a hint.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup

from toolkit.commands import console
from toolkit.commands.params import convert_natively


class UsageErrorsInOurVoice:
    """Mixed into the app and its commands: usage errors printed like all other errors,
    and values converted without pydantic (toolkit/commands/params.py)."""

    def get_params(self, ctx: Any) -> list[Any]:
        params: list[Any] = super().get_params(ctx)  # type: ignore[misc]
        convert_natively(params)
        return params

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)  # type: ignore[misc, no-any-return]
        except Exception as exc:
            _restyle(exc, ctx)
            raise

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)  # type: ignore[misc]
        except Exception as exc:
            _restyle(exc, ctx)
            raise


def _restyle(exc: Exception, parsing: Any) -> None:
    """Give click's usage error our way of showing itself (click calls ``exc.show()``)."""
    ctx = getattr(exc, "ctx", None) or parsing
    message = getattr(exc, "format_message", None)
    # `toolkit` alone raises an error whose show() prints the help: that one stays.
    if ctx is None or not callable(message) or type(exc).__name__ == "NoArgsIsHelpError":
        return

    def show(file: Any = None) -> None:
        console.say(ctx.get_usage(), err=True)
        hint = f"'{ctx.command_path} --help' shows the options, with examples"
        console.error(str(message()).replace("Value error, ", ""), hint)

    exc.show = show  # type: ignore[attr-defined]


class ReadableGroup(UsageErrorsInOurVoice, TyperGroup):
    """The ``toolkit`` app itself."""


class ReadableCommand(UsageErrorsInOurVoice, TyperCommand):
    """Usage lines as gh and git print them: ``lint [OPTIONS] PATH...``, ``week [BRIEF]``."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                name = _metavar(param)
                pieces.append((name if param.required else f"[{name}]") + _many(param))
        return pieces

    def format_options(self, ctx: Any, formatter: Any) -> None:
        """Options as ``--brand BRAND`` and ``-f [text|json]``, not ``<str>``."""
        args: list[tuple[str, str]] = []
        opts: list[tuple[str, str]] = []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            names, text = record
            if isinstance(param, TyperArgument):
                args.append((_metavar(param) + _many(param), text))
            else:
                opts.append((_readable_names(param, names), text))
        for title, rows in (("Arguments", args), ("Options", opts)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


_TYPE_LABEL = re.compile(r"<([^<>]+)>")


def _metavar(param: Any) -> str:
    return (param.metavar or param.name or "value").upper()


def _many(param: Any) -> str:
    return "..." if param.nargs != 1 else ""


def _readable_names(param: Any, names: str) -> str:
    def label(match: re.Match[str]) -> str:
        choices = match[1].removeprefix("list[").removesuffix("]")
        return f"[{choices}]" if "|" in choices else _metavar(param)

    return _TYPE_LABEL.sub(label, names)


def add_command(app: typer.Typer, command: Callable[..., Any], *examples: str) -> None:
    """Register ``command`` with a readable usage line and ``--help`` ending in examples."""
    # "\b" stops click from re-wrapping the lines that follow it.
    epilog = "Examples:\n\n\b\n" + "\n".join(f"  {line}" for line in examples)
    app.command(cls=ReadableCommand, epilog=epilog)(command)

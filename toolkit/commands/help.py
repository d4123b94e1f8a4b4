"""What ``--help`` looks like: readable usage lines and options, and examples at the end."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import typer
from typer.core import TyperArgument, TyperCommand


class ReadableCommand(TyperCommand):
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

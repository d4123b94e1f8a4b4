"""The command line: parse, call one core function, format, exit.

Exit codes: 0 success, 1 findings (lint, strict checks, over-limit counts),
2 usage or input error. User errors print ``path:line:col: message`` and a
hint, never a traceback. Each command group lives in ``toolkit/commands/``
and imports its heavy dependencies only when it runs.
"""

from __future__ import annotations

from importlib import import_module

import typer

app = typer.Typer(
    name="toolkit",
    help="One campaign brief plus a brand becomes fitted copy, a week of drafts and cards.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

COMMAND_MODULES = ("copy", "week", "lint", "cards")

for _name in COMMAND_MODULES:
    import_module(f".commands.{_name}", __package__).register(app)


def main() -> None:
    app()

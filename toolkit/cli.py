"""The command line: parse, call one core function, format, exit.

Exit codes: 0 success, 1 findings (lint, strict checks, over-limit counts),
2 usage or input error. User errors print ``path:line:col: message`` and a
hint, never a traceback. Each command group lives in ``toolkit/commands/``
and imports its heavy dependencies only when it runs.
"""

import os
from importlib import import_module

# Pydantic looks for plugins by scanning every installed package's metadata, in every
# process. The command line uses none: skip the scan unless the user asked for plugins.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
from typing import Annotated

import typer

from toolkit.commands import console
from toolkit.commands.help import ReadableGroup

app = typer.Typer(
    name="toolkit",
    help="One campaign brief plus a brand becomes fitted copy, a week of drafts and cards.",
    epilog=(
        "New here? Run 'toolkit doctor' to check fonts and files, then 'toolkit week'"
        " to plan a week for the bundled demo brand."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    cls=ReadableGroup,
)

COMMAND_MODULES = ("copy", "week", "lint", "cards", "doctor")


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"toolkit {version('toolkit')}")
        raise typer.Exit()


@app.callback()
def _options(
    _show_version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            callback=_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
    no_color: Annotated[
        bool,
        typer.Option(
            "--no-color",
            help="No colour (also when NO_COLOR is set or the output is not a terminal).",
        ),
    ] = False,
) -> None:
    console.reset()
    if no_color:
        console.disable_colour()


for _name in COMMAND_MODULES:
    import_module(f".commands.{_name}", __package__).register(app)


def main() -> None:
    app()

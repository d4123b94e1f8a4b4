"""The command line: parse, call one core function, format, exit.

Exit codes: 0 success, 1 findings (lint, strict checks, over-limit counts),
2 usage or input error. User errors print ``path:line:col: message`` and a
hint, never a traceback. Each command group lives in ``toolkit/commands/``
and imports its heavy dependencies only when it runs.
"""

import copy
import gc
import os
import sys
from collections.abc import Sequence
from importlib import import_module

# Pydantic looks for plugins by scanning every installed package's metadata, in every
# process. The command line uses none: skip the scan unless the user asked for plugins.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
from typing import Annotated

from toolkit.commands import startup

# Before typer and pydantic are imported: their dataclasses and annotations, and the
# week's, compile from code kept by earlier runs (about a seventh of a cold week's CPU).
startup.start()

import typer  # noqa: E402 (after startup.start)

from toolkit.commands import console  # noqa: E402
from toolkit.commands.help import ReadableGroup  # noqa: E402

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


def _command_name(info: typer.models.CommandInfo) -> str:
    return info.name or typer.main.get_command_name(info.callback.__name__)  # type: ignore[union-attr]


def app_for(args: Sequence[str]) -> typer.Typer:
    """The app with only the command that ``args`` run, when they name one.

    Typer turns every registered command into a click command on each run; a run
    needs one. Help, shell completion and unknown names get the whole app.
    """
    words = [a for a in args if not a.startswith("-")]
    if not words or any(k.endswith("_COMPLETE") for k in os.environ):
        return app
    chosen = [info for info in app.registered_commands if _command_name(info) == words[0]]
    if not chosen:
        return app
    narrow = copy.copy(app)
    narrow.registered_commands = chosen
    return narrow


def main() -> None:
    # A run allocates a few hundred thousand objects that live until it ends (modules,
    # classes, the campaign, templates). At the default threshold (700) the cyclic
    # collector scans them over and over, about a tenth of a cold `week`: it runs once
    # the live set has grown by 200,000 objects instead, as mypy does, and refcounting
    # still frees everything else at once. At exit, the interpreter's teardown would
    # scan the whole heap several times more (another 0.1 s): frozen, it skips them.
    # Only the process's entry point decides this; the library leaves the collector be.
    gc.set_threshold(200_000, 30, 30)
    try:
        app_for(sys.argv[1:])()
    finally:
        startup.finish()
        gc.freeze()

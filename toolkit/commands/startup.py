"""What the command line's process sets up before it imports Typer, pydantic and the
commands, and keeps when it ends: the code ``dataclasses`` and ``typing`` compile at run
time, kept between runs (``toolkit.files.code_cache``). Apart from the commands (and
from Typer) so that the CLI can start it first."""

from toolkit.files import code_cache


def start() -> None:
    code_cache.install()


def finish() -> None:
    code_cache.save()  # nothing new, nothing written

"""What every command shares: user errors become `path:line:col: message`, exit 2."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from toolkit.commands import console

if TYPE_CHECKING:
    from toolkit.errors import ToolkitError

F = TypeVar("F", bound=Callable[..., Any])

# The optional BRIEF argument every brief-driven command takes.
BriefArg = Annotated[
    Path | None,
    typer.Argument(
        help="Campaign brief (YAML). Default: the workspace's only brief, else the bundled demo.",
        show_default=False,
    ),
]


def complete_platform(incomplete: str) -> list[str]:
    """Shell completion for ``--platform``: the ids and aliases that start with what was typed."""
    from toolkit.campaign.platforms import platform_names
    from toolkit.files.workspace import Workspace

    roots = tuple(Workspace.find(Path.cwd()).template_roots())
    typed = incomplete.casefold()
    return sorted(name for name in platform_names(roots) if name.startswith(typed))


# The --platform option of the commands that take one platform or several.
PLATFORM_HELP = "Platform id or alias, any case (x, twitter, ig, LinkedIn...)."


def user_errors(func: F) -> F:
    """Print a ToolkitError, or a file the system refused, as the user needs it; exit 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from toolkit.errors import ToolkitError

        try:
            return func(*args, **kwargs)
        except ToolkitError as exc:
            show_error(exc)
            raise typer.Exit(2) from None
        except OSError as exc:
            from toolkit.files.atomic import FILE_ERRORS, os_error

            if exc.filename is None or exc.errno not in FILE_ERRORS:
                raise  # not about a path the user gave: a bug, with its traceback
            show_error(os_error(exc))
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


def show_error(exc: ToolkitError) -> None:
    """``path:line:col: message`` (or ``error: message``) and its hint, on stderr."""
    where = str(exc.location) if exc.location.path is not None else None
    console.error(exc.message, exc.hint, where=where)


def parse_now(value: str | None) -> datetime:
    """``--now`` as an aware datetime; the machine's clock when not given."""
    from toolkit.errors import InputError

    if value is None:
        return datetime.now().astimezone()
    from toolkit.files.models import FIRST_YEAR, LAST_YEAR

    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"--now '{value}' is not an ISO 8601 date-time", hint="e.g. 2026-11-23T09:00"
        ) from None
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise InputError(
            f"--now '{value}' is outside the years {FIRST_YEAR} to {LAST_YEAR}",
            hint="check the year",
        )
    # Without an offset, the time is on this machine's clock, as the default is.
    return moment if moment.tzinfo is not None else moment.astimezone()

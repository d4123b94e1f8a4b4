"""What every command shares: user errors become `path:line:col: message`, exit 2."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

F = TypeVar("F", bound=Callable[..., Any])

# The optional BRIEF argument every brief-driven command takes.
BriefArg = Annotated[
    Path | None,
    typer.Argument(
        help="Campaign brief (YAML). Default: the bundled demo brief.", show_default=False
    ),
]


def user_errors(func: F) -> F:
    """Print a ToolkitError as the user needs it (no traceback) and exit 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from toolkit.errors import ToolkitError

        try:
            return func(*args, **kwargs)
        except ToolkitError as exc:
            if exc.location.path is None:
                text = f"error: {exc.message}" + (f"\n  hint: {exc.hint}" if exc.hint else "")
            else:
                text = str(exc)
            typer.echo(text, err=True)
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


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

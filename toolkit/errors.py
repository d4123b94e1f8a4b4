"""One exception root for everything a user can get wrong.

A user error carries where it happened (file, line, column, 1-based) and a
hint; the CLI prints it as ``path:line:col: message`` and exits 2. Bugs are
not ToolkitErrors and keep their traceback.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Location:
    path: Path | None = None
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [str(self.path) if self.path else "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


class ToolkitError(Exception):
    """A problem with the user's input or environment, never a bug."""

    def __init__(
        self,
        message: str,
        *,
        location: Location | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location or Location()
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class InputError(ToolkitError):
    """A file the user wrote is malformed or inconsistent."""


class TemplateError(ToolkitError):
    """A copy template failed to compile or render."""


class NotFoundError(ToolkitError):
    """A brief, brand, platform or file that was asked for does not exist."""


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice closest to ``word``, if one is close (a typo's likely target)."""
    close = difflib.get_close_matches(word, sorted(set(choices)), n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A hint naming the closest choice, or listing them when none is close."""
    options = sorted(set(choices))
    near = closest(word, options)
    if near is not None:
        return f"did you mean '{near}'?"
    if options and len(options) <= 12:
        return "expected one of: " + ", ".join(options)
    return None

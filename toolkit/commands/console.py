"""Terminal styling in one place: colour by convention, progress on standard error.

Colour follows the conventions of gh, ruff and Vale: only on a terminal (not
a ``TERM=dumb`` one), never when ``NO_COLOR`` is set (https://no-color.org) or
``--no-color`` is given, and never in machine formats (JSON is written without
going through ``paint``). Text that is not painted is written byte for byte,
so piped output is what it always was. Progress is a callback the core calls;
the bar shows only on a terminal and vanishes when done.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

import typer

if TYPE_CHECKING:
    from rich.color import ColorSystem
    from rich.progress import Progress

# One palette: what each kind of line looks like on a terminal.
STYLES: dict[str, str] = {
    "error": "bold red",
    "warning": "yellow",
    "suggestion": "cyan",
    "note": "dim",
    "ok": "green",
    "path": "bold",
    "rule": "dim",
    "hint": "dim",
}
ProgressCallback = Callable[[int, int], None]

_disabled_by_flag = False


def disable_colour() -> None:
    """``--no-color``: no colour for the rest of this run."""
    global _disabled_by_flag
    _disabled_by_flag = True


def reset() -> None:
    """Forget ``--no-color`` (each CLI run starts from the environment)."""
    global _disabled_by_flag
    _disabled_by_flag = False


def _stream(err: bool) -> TextIO:
    return sys.stderr if err else sys.stdout


def colour_on(err: bool = False) -> bool:
    """Whether text written to stdout (or stderr) may carry colour."""
    if _disabled_by_flag or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(_stream(err), "isatty", None)
    return bool(isatty and isatty())


def paint(text: str, style: str, *, err: bool = False) -> str:
    """``text`` in ``style`` (a rich style name) when colour is on, else unchanged."""
    if not text or not colour_on(err):
        return text
    from rich.style import Style

    return Style.parse(style).render(text, color_system=_colour_system())


def _colour_system() -> ColorSystem:
    from rich.color import ColorSystem

    term = os.environ.get("COLORTERM", "")
    return ColorSystem.TRUECOLOR if term in ("truecolor", "24bit") else ColorSystem.STANDARD


def say(text: str, *, err: bool = False, nl: bool = True) -> None:
    """Write ``text`` as is (already painted, or plain)."""
    typer.echo(text, err=err, nl=nl, color=colour_on(err) or None)


def error(message: str, hint: str | None = None, *, where: str | None = None) -> None:
    """A user error on stderr: ``where: message`` (or ``error: message``) in red, hint dimmed."""
    if where:
        text = paint(f"{where}:", STYLES["path"], err=True) + " "
        text += paint(message, STYLES["error"], err=True)
    else:
        text = paint("error:", STYLES["error"], err=True) + f" {message}"
    if hint:
        text += "\n" + paint(f"  hint: {hint}", STYLES["hint"], err=True)
    say(text, err=True)


def note(message: str, *, err: bool = True) -> None:
    """A note, dimmed: something worth knowing that is not a problem."""
    say(paint(f"note: {message}", STYLES["note"], err=err), err=err)


def warning(message: str) -> None:
    say(paint("warning:", STYLES["warning"], err=True) + f" {message}", err=True)


# A finding line: ``path:line:col: level rule-id: message`` (lint), or
# ``voice: line:col level rule-id: message`` under a variant (generate).
_FINDING = re.compile(
    r"^(?P<where>.+?:\d+:\d+:|voice: \d+:\d+) (?P<level>error|warning|suggestion) "
    r"(?P<rule>\S+:) (?P<rest>.*)$"
)


def paint_findings(text: str, *, err: bool = False, dim_others: bool = True) -> str:
    """Colour each finding line by its level; other lines (a summary) are dimmed, or kept."""
    if not colour_on(err):
        return text
    lines = []
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\n")
        end = line[len(body) :]
        match = _FINDING.match(body)
        if match:
            level = match["level"]
            body = " ".join(
                (
                    paint(match["where"], STYLES["path"], err=err),
                    paint(level, STYLES[level], err=err),
                    paint(match["rule"], STYLES["rule"], err=err),
                    match["rest"],
                )
            )
        elif body and dim_others:
            body = paint(body, STYLES["note"], err=err)
        lines.append(body + end)
    return "".join(lines)


@contextmanager
def progress(label: str) -> Iterator[ProgressCallback]:
    """A progress bar on stderr for work that takes a while; yields the core's callback.

    The bar appears only when stderr is a terminal; elsewhere the callback does
    nothing, so logs and pipes stay clean. Until the first call it pulses, so
    work that reports no steps still shows it is alive.
    """
    if not _stream(True).isatty():
        yield _ignore
        return
    bar = _bar()
    with bar:
        task = bar.add_task(label, total=None)

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield tick


def _ignore(done: int, total: int) -> None:
    return None


def _bar() -> Progress:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(stderr=True, no_color=not colour_on(True), highlight=False)
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
        refresh_per_second=8,
    )

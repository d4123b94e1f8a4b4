"""Run the installed ``toolkit`` console script as a user would: on a terminal or piped,
or what it runs, in this process."""

from __future__ import annotations

import contextlib
import os
import pty
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(sys.executable).parent / "toolkit"
ANSI = "\x1b["


@dataclass(frozen=True)
class Run:
    code: int
    out: str  # on a terminal: stdout and stderr as the terminal shows them
    err: str = ""


def environment(**extra: str) -> dict[str, str]:
    """The user's environment without the suite's NO_COLOR, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update({"TERM": "xterm-256color", "COLUMNS": "120", **extra})
    return env


def on_terminal(*args: str, cwd: Path | None = None, **env: str) -> Run:
    """``toolkit ARGS`` with stdout and stderr on a pseudo-terminal."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [str(SCRIPT), *args],
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
        cwd=cwd,
        env=environment(**env),
    )
    os.close(follower)
    chunks: list[bytes] = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    code = proc.wait(timeout=600)
    return Run(code, b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n"))


def piped(*args: str, cwd: Path | None = None, stdin: str = "", **env: str) -> Run:
    """``toolkit ARGS`` with stdout and stderr going to pipes (a script, CI, ``| less``)."""
    done = subprocess.run(
        [str(SCRIPT), *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=environment(**env),
        timeout=600,
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def in_process(*args: str, cwd: Path | None = None, **env: str) -> Run:
    """``piped(*args)`` without the process: what the console script's ``main`` runs (the
    app narrowed to the command ``args`` name), in the user's environment, its output
    going to pipes, not a terminal. A process costs ~0.2 s of CPU before the command
    starts, more for caches this process has warm; the tests about the process itself
    (metadata, completion, colour in a real pipe) keep ``piped``."""
    from typer.testing import CliRunner

    from toolkit.cli import app_for

    user = environment(**env)
    changes: dict[str, str | None] = {k: v for k, v in user.items() if os.environ.get(k) != v}
    changes.update({k: None for k in os.environ if k not in user})
    with contextlib.chdir(cwd or Path.cwd()):
        result = CliRunner().invoke(app_for(args), list(args), prog_name="toolkit", env=changes)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a process would have printed a traceback and failed
    return Run(result.exit_code, result.stdout, result.stderr)

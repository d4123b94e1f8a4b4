"""The lint command: check texts against the brand's voice guide, fix what is safe."""

import gc
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

import typer

from toolkit.commands import console
from toolkit.commands.common import PLATFORM_HELP, complete_platform, user_errors
from toolkit.commands.help import add_command


class LintFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"
    rdjson = "rdjson"


class Columns(StrEnum):
    codepoint = "codepoint"
    utf16 = "utf16"
    byte = "byte"


@user_errors
def lint(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Drafts (.md with front matter), text files, generate's JSON, or folders; "
            "'-' reads standard input.",
            show_default=False,
            metavar="PATH",
        ),
    ],
    brand: Annotated[
        str | None,
        typer.Option(help="Brand whose voice.yaml to use. Default: the draft's, else the demo."),
    ] = None,
    platform: Annotated[
        str | None,
        typer.Option(
            "--platform",
            "-p",
            help="Platform, where a draft does not say. " + PLATFORM_HELP,
            autocompletion=complete_platform,
        ),
    ] = None,
    locale: Annotated[
        str | None, typer.Option(help="Locale, where a draft does not say (default: the brand's).")
    ] = None,
    persona: Annotated[
        str | None, typer.Option(help="Persona from the voice guide, where a draft does not say.")
    ] = None,
    output_format: Annotated[
        LintFormat,
        typer.Option(
            "--format",
            "-f",
            help="text; json; github (Actions annotations); sarif (2.1.0, code scanning); "
            "rdjson (reviewdog).",
        ),
    ] = LintFormat.text,
    columns: Annotated[
        Columns | None,
        typer.Option(
            help="How columns are counted: codepoint, utf16 (VS Code, LSP) or byte (UTF-8). "
            "Default: byte for rdjson, else codepoint.",
            show_default=False,
        ),
    ] = None,
    fix: Annotated[bool, typer.Option("--fix", help="Apply the certain fixes in place.")] = False,
    diff: Annotated[
        bool,
        typer.Option(
            "--diff",
            help="Print every fix as a unified diff, suggested ones too; change nothing.",
        ),
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            "-w",
            min=1,
            help="Processes for large batches (hundreds of texts). Default: the idle CPUs.",
        ),
    ] = None,
) -> None:
    """Check texts against the brand's voice guide: path:line:col: level rule-id: message.

    Exit codes: 0 no error-level finding, 1 at least one, 2 bad input.
    """
    from toolkit.errors import InputError
    from toolkit.voice import findings_text, lint_paths, render_findings

    if fix and diff:
        raise InputError("--fix and --diff do not go together", hint="--diff shows what --fix does")
    if output_format is LintFormat.sarif and columns is Columns.byte:
        raise InputError(
            "SARIF counts columns in code points or UTF-16 units", hint="--columns utf16"
        )
    files = [p for p in paths if str(p) != "-"]
    stdin = sys.stdin.read() if len(files) < len(paths) else None
    mode: Literal["check", "fix", "diff"] = "fix" if fix else "diff" if diff else "check"
    # Thousands of posts, each with its views and findings, all kept until the end:
    # the cycle collector would walk them again and again for nothing (they hold no
    # cycles worth collecting before the process exits).
    gc.disable()
    try:
        report = lint_paths(
            files,
            brand=brand,
            platform=platform,
            locale=locale,
            persona=persona,
            mode=mode,
            stdin=stdin,
            workers=workers or _cpus(),
        )
    finally:
        gc.enable()
    if report.files == 0:
        raise InputError(
            "nothing to lint in " + ", ".join(str(p) for p in files),
            hint="lint reads .md, .markdown, .txt and .json files; name one, a folder "
            "that has some, or '-' for standard input",
        )
    # With --diff, or --fix on standard input, stdout carries the text; findings go to stderr.
    to_stderr = diff or (fix and stdin is not None)
    if diff:
        typer.echo(report.diff, nl=False)
    elif fix and stdin is not None:
        fixed = report.results[-1].updated
        typer.echo(stdin if fixed is None else fixed, nl=False)
    findings = report.findings
    if output_format is not LintFormat.text:
        unit = columns.value if columns is not None else None
        rendered = render_findings(report, output_format.value, columns=unit)
        typer.echo(rendered, nl=False, err=to_stderr)
    else:
        text = findings_text(
            findings,
            files=report.files,
            fixed=report.fixed,
            suppressed=report.suppressed,
            fixed_label="to fix" if diff else "fixed",
            columns=columns.value if columns is not None else "codepoint",
            sources=report.sources,
        )
        console.say(console.paint_findings(text, err=to_stderr), nl=False, err=to_stderr)
    if report.has_errors:
        raise typer.Exit(1)


def _cpus() -> int:
    """The CPUs this process may run on that other processes are not using right now.

    Linux shares the CPUs between sessions before processes: on a shared 2-CPU
    machine with one CPU taken, a second worker only waits for it. Counted from
    the processes running at this instant (``/proc/loadavg``, this one included),
    not the load average, which still counts work that has ended (a benchmark's
    own previous run, a test suite that just finished).
    """
    from toolkit.cards.procs import cpu_count

    cpus = cpu_count()
    try:
        with open("/proc/loadavg", encoding="ascii") as stat:
            return idle_cpus(cpus, stat.read())
    except (OSError, IndexError, ValueError):  # no /proc (not Linux: no workers anyway)
        return cpus


def idle_cpus(cpus: int, loadavg: str) -> int:
    """``cpus`` less the other processes running, from ``/proc/loadavg``'s
    ``running/total`` field (which counts this process); at least one."""
    running = int(loadavg.split()[3].split("/")[0])
    return max(1, min(cpus, cpus - (running - 1)))


def register(app: typer.Typer) -> None:
    add_command(
        app,
        lint,
        "toolkit lint week/drafts/             # every draft of a week",
        "toolkit generate -f json | toolkit lint - --fix",
    )

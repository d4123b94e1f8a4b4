"""The doctor command: fonts, libraries and files checked before the first card fails."""

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from toolkit.commands import console
from toolkit.commands.common import user_errors
from toolkit.commands.help import add_command

if TYPE_CHECKING:
    from toolkit.setup.doctor import DoctorReport

TITLES = {"software": "Software", "fonts": "Fonts for cards", "workspace": "Workspace"}


class DoctorFormat(StrEnum):
    text = "text"
    json = "json"


def _text(report: "DoctorReport") -> str:
    lines: list[str] = []
    for section, title in TITLES.items():
        checks = [c for c in report.checks if c.section == section]
        if not checks:
            continue
        lines.append(("\n" if lines else "") + console.paint(title, console.STYLES["path"]))
        width = max(len(c.name) for c in checks)
        for check in checks:
            if check.ok:
                mark = console.paint("ok ", console.STYLES["ok"])
            else:
                level = "error" if check.blocking else "warning"
                mark = console.paint("!! " if check.blocking else "-- ", console.STYLES[level])
            lines.append(f"  {mark}{check.name.ljust(width)}  {check.detail}")
            lines += [console.paint(f"       {fix}", console.STYLES["hint"]) for fix in check.fix]
    problems = len(report.problems)
    if problems:
        summary = f"{problems} problem{'s' if problems > 1 else ''} to fix"
        lines.append("\n" + console.paint(summary, console.STYLES["error"]))
    else:
        lines.append("\n" + console.paint("all good: cards can be made", console.STYLES["ok"]))
    return "\n".join(lines)


@user_errors
def doctor(
    brand: Annotated[
        str | None,
        typer.Option(help="Brand to check. Default: the workspace's only brand, else the demo."),
    ] = None,
    output_format: Annotated[DoctorFormat, typer.Option("--format", "-f")] = DoctorFormat.text,
) -> None:
    """Check Python, the libraries, the fonts each script of the brand needs, and the files.

    Exit codes: 0 all good, 1 something to fix (a script with no font, an invalid
    file), 2 bad input.
    """
    import json
    from dataclasses import asdict
    from pathlib import Path

    from toolkit.setup.doctor import diagnose

    with console.progress("checking fonts and files"):
        report = diagnose(cwd=Path.cwd(), brand=brand)
    if output_format is DoctorFormat.json:
        data = {
            "ok": report.ok,
            "brand": report.brand,
            "scripts": list(report.scripts),
            "checks": [asdict(c) for c in report.checks],
        }
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        console.say(_text(report))
    if not report.ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    add_command(app, doctor, "toolkit doctor", "toolkit doctor --brand acme -f json")

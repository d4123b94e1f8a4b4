"""The week commands: ``week`` (plan and write drafts) and ``export`` (drafts → scheduler files)."""

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from toolkit.commands import console
from toolkit.commands.common import BriefArg, parse_now, user_errors
from toolkit.commands.help import add_command


def _parse_start(value: str | None) -> date | None:
    from toolkit.errors import InputError
    from toolkit.files.models import FIRST_YEAR, LAST_YEAR

    if value is None:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"--start '{value}' is not a date", hint="write it as YYYY-MM-DD"
        ) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise InputError(
            f"--start '{value}' is outside the years {FIRST_YEAR} to {LAST_YEAR}",
            hint="check the year",
        )
    return day


def _say_report(result: object) -> None:
    from toolkit.week.build import WeekResult

    assert isinstance(result, WeekResult)
    report = result.report
    out = result.out_dir
    if result.plan is not None:
        first = result.plan.start
        typer.echo(f"{len(result.drafts)} posts planned for the week of {first} in {out}/")
    written = len(report.written)
    typer.echo(
        f"wrote {written} file{'' if written == 1 else 's'}, {len(report.unchanged)} unchanged"
    )
    for rel in report.kept_edited:
        typer.echo(f"kept {out / rel} (edited by hand; --force replaces it after a backup)")
    for rel, backup in report.replaced:
        typer.echo(f"replaced {out / rel} (your version is in {out / backup})")
    for rel in report.removed:
        typer.echo(f"removed {out / rel} (generated earlier, no longer planned, never edited)")
    for note in result.notes:
        console.note(note, err=False)


@user_errors
def week(
    brief: BriefArg = None,
    start: Annotated[
        str | None, typer.Option(help="First day (YYYY-MM-DD). Default: next Monday.")
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("week"),
    no_cards: Annotated[bool, typer.Option("--no-cards", help="Skip image cards.")] = False,
    seed: Annotated[int, typer.Option(help="Same seed, same week.")] = 0,
    force: Annotated[
        bool, typer.Option(help="Replace drafts edited by hand (after backing them up).")
    ] = False,
    now: Annotated[str | None, typer.Option(help="The clock (ISO 8601). Default: now.")] = None,
) -> None:
    """Plan a week of drafts in good posting windows and write scheduler files."""
    clock, first = parse_now(now), _parse_start(start)
    from toolkit.week.run import build_week

    # The bar pulses while the copy is written, then counts the cards as they render.
    with console.progress("planning the week") as tick:
        result = build_week(
            brief,
            out_dir=out,
            now=clock,
            start=first,
            seed=seed,
            force=force,
            cards=not no_cards,
            progress=tick,
        )
    _say_report(result)
    page = result.out_dir / "index.html"
    if result.plan is not None and page.is_file():
        typer.echo(f"open {page.resolve().as_uri()} to see the week")


@user_errors
def export(
    folder: Annotated[Path, typer.Argument(help="A folder written by `toolkit week`.")],
    brief: Annotated[
        Path | None, typer.Option(help="The brief, if the folder does not record it.")
    ] = None,
    now: Annotated[str | None, typer.Option(help="The clock (ISO 8601). Default: now.")] = None,
) -> None:
    """Rebuild plan.json, calendar.ics and the CSVs from the drafts as edited."""
    from toolkit.week.build import export_week

    result = export_week(folder, now=parse_now(now), brief=brief)
    _say_report(result)
    for problem in result.problems:
        console.say(console.paint(str(problem), console.STYLES["error"], err=True), err=True)
    if result.problems:
        raise typer.Exit(1)


@user_errors
def preview(
    folder: Annotated[Path, typer.Argument(help="A folder written by `toolkit week`.")],
    open_page: Annotated[
        bool, typer.Option("--open", help="Open the page in the default browser.")
    ] = False,
    brief: Annotated[
        Path | None, typer.Option(help="The brief, if the folder does not record it.")
    ] = None,
) -> None:
    """Rebuild index.html, the week at a glance, from the drafts as edited."""
    from toolkit.week.build import preview_week

    result = preview_week(folder, now=parse_now(None), brief=brief)
    page = folder / "index.html"
    if "index.html" in result.report.kept_edited:
        typer.echo(f"kept {page} (edited by hand)")
    else:
        typer.echo(f"wrote {page}")
    if open_page:
        import webbrowser

        webbrowser.open(page.resolve().as_uri())


def register(app: typer.Typer) -> None:
    add_command(
        app,
        week,
        "toolkit week                          # the bundled demo brand",
        "toolkit week briefs/launch.yaml --start 2026-12-07 -o week-50",
    )
    add_command(app, export, "toolkit export week-50")
    add_command(app, preview, "toolkit preview week-50 --open")

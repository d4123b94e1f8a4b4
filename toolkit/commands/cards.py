"""Card commands: render (every layout × size of a brief) and thumbnail (a one-off)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from toolkit.commands import console
from toolkit.commands.common import BriefArg, parse_now, user_errors
from toolkit.commands.help import add_command

if TYPE_CHECKING:
    from toolkit.cards.api import RenderedCard


class ImageFormatChoice(StrEnum):
    png = "png"
    jpeg = "jpeg"
    webp = "webp"


SIZE_HELP = (
    "A size from templates/cards/formats.yaml (youtube-thumbnail, opengraph, x-single, "
    "linkedin-link, square, portrait, pinterest, story), a platform image name "
    "(instagram-portrait…) or WxH."
)


def _kib(n: int) -> str:
    return f"{n / 1024:,.0f} KiB"


def _report(cards: list[RenderedCard], as_json: bool) -> int:
    """Print what was written; warnings go to stderr. Returns the number of warnings."""
    import json

    warnings = 0
    for card in cards:
        for warning in card.contrast_warnings:
            console.warning(f"{card.path}: {warning}")
            warnings += 1
        for note in card.notes:
            console.note(f"{card.path}: {note}")
    if as_json:
        typer.echo(json.dumps([c.to_json() for c in cards], ensure_ascii=False, indent=2))
        return warnings
    for card in cards:
        verb = "replaced" if card.replaced else "wrote"
        typer.echo(f"{verb} {card.path}  {card.width}×{card.height}  {_kib(card.byte_size)}")
    return warnings


@user_errors
def render(
    brief: BriefArg = None,
    layout: Annotated[
        list[str] | None,
        typer.Option(
            "--layout", "-l", help="Only these layouts (repeat). Default: all the brief can fill."
        ),
    ] = None,
    size: Annotated[
        list[str] | None, typer.Option("--size", "-s", help=SIZE_HELP + " Repeat; default: all.")
    ] = None,
    image_format: Annotated[
        ImageFormatChoice, typer.Option("--format", "-f", help="Image format.")
    ] = ImageFormatChoice.png,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the cards.")] = Path("cards"),
    workers: Annotated[
        int | None, typer.Option("--workers", "-w", min=1, help="Processes. Default: the CPUs.")
    ] = None,
    strict: Annotated[
        bool, typer.Option(help="Exit 1 when a text fails WCAG contrast (4.5:1, large 3:1).")
    ] = False,
    now: Annotated[
        str | None, typer.Option(help="The clock for relative dates (ISO 8601). Default: now.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the cards as JSON.")] = False,
) -> None:
    """Render every card layout × size for a brief (PNG/JPEG/WebP, with alt text beside each)."""
    from toolkit.cards.batch import render_brief

    with console.progress("rendering cards") as tick:
        cards = render_brief(
            brief,
            out,
            now=parse_now(now),
            layouts=layout,
            sizes=size,
            fmt=image_format.value,
            workers=workers,
            progress=lambda done, total, _card: tick(done, total),
        )
    if _report(cards, as_json) and strict:
        raise typer.Exit(1)


@user_errors
def thumbnail(
    title: Annotated[str, typer.Option("--title", "-t", help="The thumbnail's big words.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The image file to write.")],
    subtitle: Annotated[str | None, typer.Option(help="A line under the title.")] = None,
    brand: Annotated[str, typer.Option(help="Brand folder under brand/.")] = "demo",
    locale: Annotated[
        str | None, typer.Option(help="Language of the text, e.g. tr-TR. Default: the brand's.")
    ] = None,
    size: Annotated[str, typer.Option("--size", "-s", help=SIZE_HELP)] = "youtube-thumbnail",
    layout: Annotated[str, typer.Option("--layout", "-l", help="Card layout.")] = "thumbnail",
    image_format: Annotated[
        ImageFormatChoice | None,
        typer.Option("--format", "-f", help="Image format. Default: from the file name, else PNG."),
    ] = None,
    strict: Annotated[bool, typer.Option(help="Exit 1 when a text fails WCAG contrast.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the card as JSON.")] = False,
) -> None:
    """Render a one-off video thumbnail (or any layout that needs only a title), no brief needed."""
    from toolkit.cards.api import render_thumbnail

    card = render_thumbnail(
        title,
        now=parse_now(None),
        subtitle=subtitle,
        brand=brand,
        locale=locale,
        size=size,
        layout=layout,
        out_path=output,
        fmt=image_format.value if image_format else None,
    )
    warnings = _report([card], as_json)
    if not as_json:
        typer.echo(f"alt: {card.alt_text}")
    if warnings and strict:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    add_command(
        app,
        render,
        "toolkit render briefs/launch.yaml -o cards",
        "toolkit render -l quote -s square -s 1200x628 -f jpeg",
    )
    add_command(
        app,
        thumbnail,
        "toolkit thumbnail -t 'Prove social ROI' --subtitle 'Webinar, 3 Dec' -o thumb.png",
        "toolkit thumbnail -t 'Sosyal medya ölçümü' --locale tr-TR -o kapak.jpg",
    )

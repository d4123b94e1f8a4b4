"""Card commands: render (every layout × size of a brief), thumbnail (a one-off, from a
title, a photo or a video) and carousel (slides for Instagram, a PDF for LinkedIn)."""

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from toolkit.commands import console
from toolkit.commands.common import BriefArg, parse_now, user_errors
from toolkit.commands.help import add_command

if TYPE_CHECKING:
    from toolkit.campaign.facts import PhotoRef
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


ImageOpt = Annotated[
    Path | None,
    typer.Option(
        "--image", "-i", help="A photo (PNG, JPEG, WebP) as the background, cropped to cover."
    ),
]
FocusOpt = Annotated[
    str | None,
    typer.Option(help="The point of the photo to keep in view: X,Y from 0 to 1, e.g. 0.3,0.4."),
]


def _photo(image: Path | None, focus: str | None) -> "PhotoRef | None":
    from toolkit.cards.api import parse_focus, photo_file
    from toolkit.errors import InputError

    if focus is not None and image is None:
        raise InputError("--focus needs --image", hint="e.g. --image stage.jpg --focus 0.3,0.4")
    return photo_file(image, parse_focus(focus) if focus else None) if image else None


def _report(cards: "list[RenderedCard]", as_json: bool) -> int:
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
        int | None,
        typer.Option(
            "--workers",
            "-w",
            min=1,
            help="Processes. Default: one per 4 cards, at most one per CPU.",
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option(help="Exit 1 when a text fails WCAG contrast (4.5:1, large 3:1).")
    ] = False,
    now: Annotated[
        str | None, typer.Option(help="The clock for relative dates (ISO 8601). Default: now.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the cards as JSON.")] = False,
    image: ImageOpt = None,
    focus: FocusOpt = None,
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
            photo=_photo(image, focus),
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
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the card (and the video frame chosen) as JSON.")
    ] = False,
    image: ImageOpt = None,
    focus: FocusOpt = None,
    video: Annotated[
        Path | None,
        typer.Option(
            help="Take the background from this video: the best frame, or the one --at gives."
        ),
    ] = None,
    at: Annotated[
        str | None, typer.Option(help="The video frame at this time: seconds (12.5) or mm:ss.")
    ] = None,
) -> None:
    """Render a one-off video thumbnail (or any layout that needs only a title), no brief needed.

    With --video the background is a frame of the video: the one --at names, or
    the best of a sample of its keyframes (not black, blown out, blurred or at a
    cut). --size story gives the 1080×1920 cover for Shorts, Reels and TikTok.
    """
    from toolkit.cards.api import render_thumbnail
    from toolkit.cards.video import parse_time
    from toolkit.errors import InputError

    if video is not None and image is not None:
        raise InputError("give --video or --image, not both")
    if at is not None and video is None:
        raise InputError("--at needs --video", hint="e.g. --video talk.mp4 --at 1:05")

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
        photo=_photo(image, focus),
        video=video,
        at=parse_time(at) if at is not None else None,
    )
    warnings = _report([card], as_json)
    if not as_json:
        if card.frame is not None:
            typer.echo(f"frame: {card.frame.time:.2f} s — {'; '.join(card.frame.reasons)}")
        typer.echo(f"alt: {card.alt_text}")
    if warnings and strict:
        raise typer.Exit(1)


class CarouselChoice(StrEnum):
    instagram = "instagram"
    linkedin = "linkedin"


@user_errors
def carousel(
    brief: BriefArg = None,
    platform: Annotated[
        list[CarouselChoice] | None,
        typer.Option(
            "--platform",
            "-p",
            help="instagram (1080×1350 PNG slides) or linkedin (one PDF). Repeat. "
            "Default: the brand's `carousels`, else both.",
        ),
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the slides.")] = Path(
        "carousel"
    ),
    now: Annotated[
        str | None,
        typer.Option(help="The clock or the post's time (ISO 8601): after the event, the replay."),
    ] = None,
    angle: Annotated[str | None, typer.Option(help="The post's angle, e.g. replay.")] = None,
    image: ImageOpt = None,
    focus: FocusOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the carousels as JSON.")] = False,
) -> None:
    """Render a carousel: a cover, a slide per key point and a call to action, with alt text."""
    import json

    from toolkit.campaign.loader import load_campaign
    from toolkit.cards.carousel import PLATFORMS, carousel_platforms, render_carousel

    clock = parse_now(now)
    campaign = load_campaign(brief, now=clock)
    chosen = list(
        dict.fromkeys([p.value for p in platform] if platform else carousel_platforms(campaign))
    )
    names = chosen or list(PLATFORMS)
    carousels = []
    with console.progress("rendering the carousel") as tick:
        for i, name in enumerate(names):
            tick(i, len(names))
            carousels.append(
                render_carousel(
                    campaign,
                    name,  # type: ignore[arg-type]
                    out,
                    now=clock,
                    angle=angle,
                    photo=_photo(image, focus),
                )
            )
        tick(len(names), len(names))
    for made in carousels:
        for i, card in enumerate(made.slides, 1):
            for warning in card.contrast_warnings:
                console.warning(f"{made.platform} slide {i}: {warning}")
            for remark in card.notes:
                console.note(f"{made.platform} slide {i}: {remark}")
    if as_json:
        typer.echo(json.dumps([c.to_json() for c in carousels], ensure_ascii=False, indent=2))
        return
    for made in carousels:
        if made.document is not None:
            typer.echo(
                f"wrote {made.document}  {len(made.slides)} pages, alt text in {made.alt_path}"
            )
        else:
            for card in made.slides:
                typer.echo(f"wrote {card.path}  {card.width}×{card.height}  {_kib(card.byte_size)}")


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
    add_command(
        app,
        carousel,
        "toolkit carousel -p instagram -o slides",
        "toolkit carousel briefs/launch.yaml -p linkedin -o slides --angle replay",
    )

"""Carousels: a cover, one slide per key point and a call to action, each with alt text.

Instagram takes the slides as 1080×1350 PNGs; LinkedIn takes a carousel as
one PDF document, written here with Pillow's PDF writer from slides drawn at
twice the size (2160×2700) so the text stays crisp when LinkedIn zooms.
Every slide is a card of the ``carousel`` layout, whose layers pick their
slide with ``slide.kind``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from toolkit.campaign.loader import Campaign
from toolkit.cards.alt_path import alt_path
from toolkit.errors import InputError
from toolkit.files.atomic import atomic_write

if TYPE_CHECKING:
    # The drawing stack is imported where slides are drawn: the week asks which
    # platforms carry a carousel (``carousel_platforms``) without drawing any.
    from toolkit.cards.api import RenderedCard
    from toolkit.cards.context import Backdrop, CardSource

CarouselPlatform = Literal["instagram", "linkedin"]
PLATFORMS: tuple[CarouselPlatform, ...] = ("instagram", "linkedin")
LAYOUT = "carousel"
SIZE = "portrait"
PDF_SCALE = 2
PDF_QUALITY = 92


@dataclass(frozen=True)
class SlideView:
    """What a slide's layers see as ``slide``."""

    kind: Literal["cover", "point", "cta"]
    number: int
    total: int
    text: str
    index: int = 0  # the key point's number on its slide (1, 2, …)
    link: str | None = None


@dataclass(frozen=True)
class Carousel:
    """A post's carousel: its slides (PNGs, or the pages of LinkedIn's PDF) with alt texts.

    Written to a folder, ``slides[i].path``, ``document`` and ``alt_path`` say
    where; in memory, ``slides[i].data`` (Instagram) or ``document_data``
    (LinkedIn) hold the bytes and ``alt_lines`` the numbered alt texts.
    """

    platform: CarouselPlatform
    slides: tuple[RenderedCard, ...]
    document: Path | None = None  # LinkedIn's PDF
    alt_path: Path | None = None  # every slide's alt text, one line each, numbered
    document_data: bytes | None = field(default=None, repr=False)

    @property
    def alt_lines(self) -> str:
        return "".join(f"{i}. {card.alt_text}\n" for i, card in enumerate(self.slides, 1))

    def to_json(self) -> dict[str, Any]:
        return {
            "platform": self.platform,
            "document": str(self.document) if self.document else None,
            "alt_path": str(self.alt_path) if self.alt_path else None,
            "slides": [
                {
                    "number": i,
                    "path": str(card.path) if card.path else None,
                    "alt_text": card.alt_text,
                    "width": card.width,
                    "height": card.height,
                }
                for i, card in enumerate(self.slides, 1)
            ],
        }


def slide_views(source: CardSource) -> list[SlideView]:
    """Cover, key points, call to action (its words come from the layout; its link is the
    recording's once the event is over)."""
    from toolkit.cards.context import display_link

    ctx = source.context
    points: list[str] = list(ctx["key_points"])
    over = bool(ctx["event_over"])
    event = ctx["event"]
    # After the event: the recording, if any (never the registration page).
    replay = event.replay if ctx.get("replay_link") and event is not None else None
    closing = replay if over else ctx["link"]
    total = len(points) + 2
    views = [SlideView("cover", 1, total, str(ctx["title"]))]
    views += [SlideView("point", i + 2, total, p, index=i + 1) for i, p in enumerate(points)]
    views.append(SlideView("cta", total, total, "", link=display_link(closing) or closing))
    return views


def slide_source(source: CardSource, view: SlideView) -> CardSource:
    from toolkit.cards.context import CardSource

    return CardSource(
        source.brand,
        source.locale,
        source.roots,
        {**source.context, "slide": view},
        source.present | {"slide"},
        source.origin,
    )


def render_carousel(
    campaign: Campaign,
    platform: CarouselPlatform,
    out_dir: Path | None = None,
    *,
    now: datetime,
    angle: str | None = None,
    photo: Backdrop | None = None,
) -> Carousel:
    """A post's carousel for ``platform``, written to ``out_dir`` (else kept in memory).

    Instagram: ``instagram-carousel-01.png`` … with an alt text ``.txt``
    beside each. LinkedIn: ``linkedin-carousel.pdf`` (one page per slide) and
    ``linkedin-carousel.txt`` (the pages' alt texts). ``now`` (or the post's
    planned time) and ``angle`` decide whether the event is over; ``photo``
    (else the brief's for the angle) is the cover's background.
    """
    from toolkit.cards.api import render_source
    from toolkit.cards.context import campaign_source

    if platform not in PLATFORMS:
        raise InputError(f"no carousels for '{platform}'", hint="carousels: instagram and linkedin")
    source = campaign_source(campaign, now=now, angle=angle, photo=photo)
    if not source.context["key_points"]:
        raise InputError(
            "a carousel needs the brief's key_points (one slide each)",
            location=campaign.brief_marks.at(()),
            hint="add key_points: [...] to the brief",
        )
    views = slide_views(source)
    stem = f"{platform}-carousel"
    if platform == "instagram":
        slides = tuple(
            render_source(
                slide_source(source, view),
                LAYOUT,
                SIZE,
                out_path=out_dir / f"{stem}-{view.number:02d}.png" if out_dir else None,
            )
            for view in views
        )
        return Carousel(platform, slides)
    pages, data = _document(source, views)
    made = Carousel(platform, pages, document_data=data)
    if out_dir is None:
        return made
    document = out_dir / f"{stem}.pdf"
    alt_file = alt_path(document)
    atomic_write(document, data)
    atomic_write(alt_file, made.alt_lines.encode("utf-8"))
    return Carousel(platform, pages, document, alt_file)


def _document(source: CardSource, views: list[SlideView]) -> tuple[tuple[RenderedCard, ...], bytes]:
    """Every slide drawn at ``PDF_SCALE`` × the Instagram size, as the pages of one PDF."""
    from toolkit.cards.alt import alt_text
    from toolkit.cards.api import RenderedCard, resolve
    from toolkit.cards.render import compose

    loaded, size = resolve(slide_source(source, views[0]), LAYOUT, SIZE)
    big = f"{size.width * PDF_SCALE}x{size.height * PDF_SCALE}"
    pages = []
    cards = []
    for view in views:
        slide = slide_source(source, view)
        _, resolved = resolve(slide, LAYOUT, big)
        drawn = compose(slide, loaded, resolved)
        pages.append(drawn.image)
        cards.append(
            RenderedCard(
                layout=loaded.name,
                size=resolved.name,
                width=resolved.width,
                height=resolved.height,
                format="jpeg",
                byte_size=0,
                alt_text=alt_text(slide, loaded, drawn.placed),
                contrast_warnings=tuple(str(w) for w in drawn.contrast),
                notes=drawn.notes,
                fonts=drawn.fonts,
                placed=drawn.placed,
            )
        )
    buffer = io.BytesIO()
    pages[0].save(
        buffer,
        "PDF",
        save_all=True,
        append_images=pages[1:],
        resolution=72.0 * PDF_SCALE,  # the page is 1080 × 1350 points: the slide's own size
        quality=PDF_QUALITY,
        title=str(source.context["campaign"]),
    )
    return tuple(cards), buffer.getvalue()


def carousel_platforms(campaign: Campaign) -> list[CarouselPlatform]:
    """The platforms whose posts carry a carousel: the brand's ``carousels`` the brief targets."""
    wanted = campaign.brand.config.carousels
    targets = campaign.brief.platforms
    return [p for p in PLATFORMS if p in wanted and (targets is None or p in targets)]

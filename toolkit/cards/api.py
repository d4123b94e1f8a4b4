"""Render one card: a layout at a size, for a brief or a one-off title, to bytes or a file."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.campaign.facts import PhotoRef
from toolkit.campaign.loader import Campaign
from toolkit.cards.alt import alt_text
from toolkit.cards.alt_path import alt_path
from toolkit.cards.context import (
    Backdrop,
    CardSource,
    StillPhoto,
    campaign_source,
    thumbnail_source,
)
from toolkit.cards.encode import ImageFormat, encode, format_for
from toolkit.cards.formats import FormatBook, Size, load_formats
from toolkit.cards.layout import LoadedLayout, layout_names, load_layout
from toolkit.cards.render import Drawn, Placed, compose, give_back
from toolkit.errors import InputError, Location
from toolkit.files.atomic import atomic_write
from toolkit.files.workspace import Workspace

if TYPE_CHECKING:  # the frame picker is only imported by a thumbnail from a video
    from toolkit.cards.video import FramePick

_REQUIRES_HINT = {
    "message": "message: …",
    "key_points": "key_points: [...]",
    "quote": "quote: {text: …, author: …}",
    "cta": "cta: …",
    "event": "event: {kind: webinar, starts: 2026-12-03T16:00}",
    "speakers": "event.speakers: [{name: …, title: …}]",
    "title": "title",
    "slide": "key_points: [...] (the layout draws carousel slides: use toolkit carousel)",
}


@dataclass(frozen=True)
class RenderedCard:
    """One card: where it went, what it is, its alt text and what to check."""

    layout: str
    size: str
    width: int
    height: int
    format: ImageFormat
    byte_size: int
    alt_text: str
    path: Path | None = None
    contrast_warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    fonts: tuple[str, ...] = ()
    placed: tuple[Placed, ...] = ()
    replaced: bool = False
    data: bytes | None = field(default=None, repr=False)
    frame: FramePick | None = None  # the video frame behind a thumbnail, and why

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path) if self.path else None,
            "alt_path": str(alt_path(self.path)) if self.path else None,
            "layout": self.layout,
            "size": self.size,
            "width": self.width,
            "height": self.height,
            "format": self.format,
            "bytes": self.byte_size,
            "alt_text": self.alt_text,
            "contrast_warnings": list(self.contrast_warnings),
            "notes": list(self.notes),
            "fonts": list(self.fonts),
            **({"frame": self.frame.to_json()} if self.frame else {}),
        }


def applicable_layouts(source: CardSource) -> list[str]:
    """The layouts whose required brief fields this source has (the default set)."""
    names = []
    for name in layout_names(source.roots):
        loaded = load_layout(source.roots, name)
        if all(field in source.present for field in loaded.layout.requires):
            names.append(name)
    return names


def size_names(source: CardSource) -> list[str]:
    return load_formats(source.roots).names()


def check_requires(source: CardSource, loaded: LoadedLayout) -> None:
    missing = [f for f in loaded.layout.requires if f not in source.present]
    if missing:
        raise InputError(
            f"layout '{loaded.name}' needs the brief's {' and '.join(missing)}",
            location=Location(Path(source.origin)) if source.origin != "thumbnail" else None,
            hint="add " + "; ".join(_REQUIRES_HINT[m] for m in missing) + " to the brief, "
            "or choose another layout",
        )


def resolve(
    source: CardSource, layout: str, size: str, max_bytes: int | None = None
) -> tuple[LoadedLayout, Size]:
    loaded, book = layout_and_formats(source.roots, layout)
    check_requires(source, loaded)
    return loaded, book.resolve(size, max_bytes=max_bytes)


# The layout and formats found for (roots, layout), with what the files and folders were
# then. Finding them checks every part of both paths for links (some 0.5 ms, on every
# card of a batch); unchanged folders and files (same inode, time and size, followed
# through any link) are the same files: a layout or formats file added, removed, edited,
# or a folder swapped for another, changes one of them.
_FOUND: dict[
    tuple[tuple[Path, ...], str],
    tuple[tuple[str, ...], tuple[object, ...], LoadedLayout, FormatBook],
] = {}


def _signature(paths: tuple[str, ...]) -> tuple[object, ...]:
    out: list[object] = []
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            out.append(None)
            continue
        out.append((info.st_ino, info.st_dev, info.st_mtime_ns, info.st_size))
    return tuple(out)


def layout_and_formats(roots: tuple[Path, ...], layout: str) -> tuple[LoadedLayout, FormatBook]:
    """The layout ``layout`` and the format book under ``roots``, as found for the last
    card that used them when their files and folders are unchanged (``_FOUND``)."""
    hit = _FOUND.get((roots, layout))
    if hit is not None:
        paths, stamps, loaded, book = hit
        if _signature(paths) == stamps:
            return loaded, book
    loaded = load_layout(roots, layout)
    book = load_formats(roots)
    if len(_FOUND) >= 64:
        _FOUND.clear()
    paths = (*(str(root / "cards") for root in roots), str(loaded.path), str(book.path))
    _FOUND[(roots, layout)] = (paths, _signature(paths), loaded, book)
    return loaded, book


def draw_card(source: CardSource, layout: str, size: str) -> tuple[Drawn, LoadedLayout, Size]:
    """The card's pixels (no encoding): for previews and benchmarks."""
    loaded, resolved = resolve(source, layout, size)
    return compose(source, loaded, resolved), loaded, resolved


def render_source(
    source: CardSource,
    layout: str,
    size: str,
    *,
    out_path: Path | None = None,
    fmt: ImageFormat | None = None,
    max_bytes: int | None = None,
) -> RenderedCard:
    """Draw, encode within the size's byte cap, and (with ``out_path``) write image and alt text."""
    loaded, resolved = resolve(source, layout, size, max_bytes)
    chosen: ImageFormat = fmt or (format_for(out_path) if out_path else None) or "png"
    # As a PNG, the first card over a base read back decodes only the rows it encodes.
    drawn = compose(source, loaded, resolved, lend=True, partial=chosen == "png")
    try:
        data = encode(
            drawn.image,
            chosen,
            resolved.max_bytes,
            drawn.base,
            drawn.drawn,
            drawn.overlaid,
            drawn.columns,
            drawn.whole,
        )
    finally:
        give_back(drawn)  # its pixels are encoded: the canvas is the next card's
    alt = alt_text(source, loaded, drawn.placed)
    replaced = False
    if out_path is not None:
        replaced = atomic_write(out_path, data)
        atomic_write(alt_path(out_path), (alt + "\n").encode("utf-8"))
    return RenderedCard(
        layout=loaded.name,
        size=resolved.name,
        width=resolved.width,
        height=resolved.height,
        format=chosen,
        byte_size=len(data),
        alt_text=alt,
        path=out_path,
        contrast_warnings=tuple(str(w) for w in drawn.contrast),
        notes=drawn.notes,
        fonts=drawn.fonts,
        placed=drawn.placed,
        replaced=replaced,
        data=None if out_path is not None else data,
    )


def render_card(
    campaign: Campaign,
    layout: str,
    size: str,
    *,
    now: datetime,
    angle: str | None = None,
    out_path: Path | None = None,
    fmt: ImageFormat | None = None,
    max_bytes: int | None = None,
) -> RenderedCard:
    """One card for a brief: ``layout`` (e.g. "event") at ``size`` (a name, alias or WxH).

    ``now`` is the clock, or the post's planned time (relative dates; after the
    event the cards point to the recording); ``angle`` is the post's angle
    ("replay" is after the event). ``max_bytes`` overrides the size's cap (a
    platform manifest's ``max_bytes``). Without ``out_path`` the encoded bytes
    are in ``RenderedCard.data``.
    """
    return render_source(
        campaign_source(campaign, now=now, angle=angle),
        layout,
        size,
        out_path=out_path,
        fmt=fmt,
        max_bytes=max_bytes,
    )


def photo_file(path: Path, focus: tuple[float, float] | None = None) -> PhotoRef:
    """A photo named on the command line (``--image``): any readable file of the user's."""
    if not path.is_file():
        raise InputError(
            "the image does not exist", location=Location(path), hint="give a PNG, JPEG or WebP"
        )
    return PhotoRef(str(path), path.resolve(), Location(path), focus)


def parse_focus(text: str) -> tuple[float, float]:
    """``--focus 0.3,0.4``: the point to keep in view, from 0 to 1 across and down."""
    try:
        x, y = (float(part) for part in text.replace(" ", "").split(","))
    except ValueError:
        raise InputError(f"--focus '{text}' is not X,Y", hint="e.g. --focus 0.3,0.4") from None
    if not (0 <= x <= 1 and 0 <= y <= 1):
        raise InputError(f"--focus '{text}' is outside 0..1", hint="0,0 is the top left corner")
    return x, y


def video_still(
    video: Path, at: float | None, cover: tuple[int, int], samples: int | None = None
) -> tuple[StillPhoto, FramePick]:
    """The frame at ``at`` seconds, or the best one, as a card background."""
    from toolkit.cards.video import grab_frame, pick_frame

    if at is not None:
        pick = grab_frame(video, at, cover=cover)
    else:
        pick = pick_frame(video, cover=cover, **({"samples": samples} if samples else {}))
    stamp = video.stat().st_mtime_ns
    return StillPhoto(f"{video.resolve()}@{pick.time:.3f}:{stamp}:{cover}", pick.image), pick


def render_thumbnail(
    title: str,
    *,
    now: datetime,
    subtitle: str | None = None,
    brand: str = "demo",
    locale: str | None = None,
    size: str = "youtube-thumbnail",
    layout: str = "thumbnail",
    out_path: Path | None = None,
    fmt: ImageFormat | None = None,
    cwd: Path | None = None,
    photo: Backdrop | None = None,
    video: Path | None = None,
    at: float | None = None,
) -> RenderedCard:
    """A one-off thumbnail without a brief: a title (and subtitle) in a brand's look.

    The background is the brand's, a ``photo`` (see ``photo_file``), or a frame
    of ``video``: the one at ``at`` seconds, else the best of a sample of its
    keyframes (``RenderedCard.frame`` says which and why).
    """
    workspace = Workspace.find(cwd or Path.cwd())
    pick = None
    if video is not None:
        resolved = load_formats(tuple(workspace.template_roots(brand))).resolve(size)
        photo, pick = video_still(video, at, (resolved.width, resolved.height))
    source = thumbnail_source(
        workspace, brand, title=title, subtitle=subtitle, locale=locale, now=now, photo=photo
    )
    card = render_source(source, layout, size, out_path=out_path, fmt=fmt)
    return replace(card, frame=pick) if pick is not None else card

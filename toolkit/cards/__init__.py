"""Branded image cards and video thumbnails, drawn with Pillow in any script.

    >>> from toolkit.cards import render_card
    >>> card = render_card(campaign, "event", "youtube-thumbnail", now=now, out_path=Path("e.png"))
    >>> card.alt_text, card.contrast_warnings

Layouts live in ``templates/cards/*.yaml``, sizes and safe zones in
``templates/cards/formats.yaml`` (see docs/cards.md).

The names below are imported on first use: a module of the package (the week's
look at a layout file, a size's name) can be imported without the drawing stack.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from toolkit.cards.api import (
        RenderedCard,
        applicable_layouts,
        draw_card,
        render_card,
        render_source,
        render_thumbnail,
    )
    from toolkit.cards.batch import CardJob, plan, render_batch
    from toolkit.cards.context import campaign_source, thumbnail_source

_HOMES = {
    "CardJob": "batch",
    "RenderedCard": "api",
    "applicable_layouts": "api",
    "campaign_source": "context",
    "draw_card": "api",
    "plan": "batch",
    "render_batch": "batch",
    "render_card": "api",
    "render_source": "api",
    "render_thumbnail": "api",
    "thumbnail_source": "context",
}

__all__ = [
    "CardJob",
    "RenderedCard",
    "applicable_layouts",
    "campaign_source",
    "draw_card",
    "plan",
    "render_batch",
    "render_card",
    "render_source",
    "render_thumbnail",
    "thumbnail_source",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'toolkit.cards' has no attribute '{name}'")
    value = getattr(import_module(f"toolkit.cards.{home}"), name)
    globals()[name] = value  # found once
    return value

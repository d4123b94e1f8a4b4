"""Branded image cards and video thumbnails, drawn with Pillow in any script.

    >>> from toolkit.cards import render_card
    >>> card = render_card(campaign, "event", "youtube-thumbnail", now=now, out_path=Path("e.png"))
    >>> card.alt_text, card.contrast_warnings

Layouts live in ``templates/cards/*.yaml``, sizes and safe zones in
``templates/cards/formats.yaml`` (see docs/cards.md).
"""

from __future__ import annotations

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

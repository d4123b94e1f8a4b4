"""Alt text for a card, written from the brief by the layout's ``alt`` template."""

from __future__ import annotations

from toolkit.cards.context import CardSource, render_text
from toolkit.cards.layout import LoadedLayout
from toolkit.cards.render import Placed


def alt_text(source: CardSource, layout: LoadedLayout, placed: tuple[Placed, ...]) -> str:
    """The layout's ``alt`` rendered for this brief; the card's own words when it is empty."""
    text = render_text(source, layout.layout.alt, layout.marks.at(("alt",)))
    text = " ".join(text.split())
    if not text:
        text = " ".join(" ".join(p.text.split()) for p in placed if p.kind == "text")
    return text

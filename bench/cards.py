"""Card timings per format and size: ``python bench/cards.py [--quick] [LANG]`` on its own.

The demo brief's thumbnail layout at three sizes (the 1280×720 YouTube
thumbnail, the 1080×1080 square and the 1080×1920 story) as PNG, JPEG and
WebP. "Warm": fonts, layouts and the static background are cached, as for
every card after the first in a batch; each card gets a new title, so text
fitting, drawing, encoding and alt text are measured every time (no file is
written). The floors (standalone only) are the bare encode of the same
finished thumbnail, the least any renderer must pay for those bytes.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if __package__ in (None, ""):  # run as a script: make ``bench`` and ``toolkit`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import MS, NOW, REPO, Config, Rows, at_most, seconds_per_call, table

if TYPE_CHECKING:
    from toolkit.cards.context import CardSource
    from toolkit.cards.encode import ImageFormat

LAYOUT = "thumbnail"
SIZES = ("youtube-thumbnail", "square", "story")
FORMATS: tuple[ImageFormat, ...] = ("jpeg", "png", "webp")


def _source(lang: str) -> CardSource:
    from toolkit.campaign.loader import load_campaign
    from toolkit.cards import campaign_source

    brief = REPO / "brand" / "demo" / "briefs" / f"{lang}.yaml"
    return campaign_source(load_campaign(brief), now=NOW)


def retitled(source: CardSource, i: int) -> CardSource:
    """The card source with another title (so nothing about the text is cached)."""
    from toolkit.cards.context import CardSource

    context = dict(source.context)
    context["title"] = f"{source.context['title']} #{i}"
    return CardSource(
        source.brand, source.locale, source.roots, context, source.present, source.origin
    )


def card_rows(cfg: Config, lang: str = "en", floors: bool = False) -> Rows:
    from toolkit.cards.api import draw_card, render_source
    from toolkit.cards.encode import attempts

    rows = Rows("cards")
    source = _source(lang)
    per_run, repeats = (4 if cfg.quick else 10), cfg.n(5)
    for size in SIZES:
        for fmt in FORMATS:
            first = render_source(source, LAYOUT, size, fmt=fmt)
            titles = iter(range(1, 10**9))

            def one(
                size: str = size, fmt: ImageFormat = fmt, titles: Iterator[int] = titles
            ) -> None:
                render_source(retitled(source, next(titles)), LAYOUT, size, fmt=fmt)

            samples = seconds_per_call(one, repeats, per_run)
            rows.add(
                f"{size} {first.width}×{first.height} {fmt.upper()}",
                [s * MS for s in samples],
                "ms/card",
                target=at_most(20) if (size, fmt) == (SIZES[0], "jpeg") else None,
                note=f"{first.byte_size / 1000:,.0f} kB",
            )
    if floors:
        finished = draw_card(source, LAYOUT, SIZES[0])[0].image
        for fmt in FORMATS:
            # The encoder's own first attempt: the options every card under its cap gets.
            name, options = fmt.upper(), attempts(fmt)[0]

            def bare(name: str = name, options: dict[str, object] = options) -> None:
                finished.save(io.BytesIO(), name, **options)

            samples = seconds_per_call(bare, repeats, per_run)
            rows.add(f"{SIZES[0]} bare {name} encode (floor)", [s * MS for s in samples], "ms/card")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lang", nargs="?", default="en", help="demo brief: en, fr, es, tr, ja")
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    print(table(card_rows(Config(quick=args.quick), args.lang, floors=True).rows))


if __name__ == "__main__":
    main()

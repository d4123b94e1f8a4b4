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
import random
import statistics
import sys
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

if __package__ in (None, ""):  # run as a script: make ``bench`` and ``toolkit`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import (
    MS,
    NOW,
    REPO,
    Config,
    Rows,
    at_most,
    paired_seconds,
    seconds_per_call,
    table,
)

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


# Words for distinct titles: each card's title is its own draw of three to seven of them,
# so no line of one title recurs in the next (a shared prefix would let the line-mask
# and measurement caches answer, which a real batch of titles would not).
WORDS = [
    "social",
    "media",
    "analytics",
    "proven",
    "growth",
    "audience",
    "reach",
    "engagement",
    "strategy",
    "content",
    "campaign",
    "brand",
    "launch",
    "metrics",
    "revenue",
    "insights",
    "playbook",
    "creators",
    "video",
    "short",
    "form",
    "stories",
    "community",
    "trust",
    "results",
    "budget",
    "funnel",
    "organic",
    "paid",
    "webinar",
    "live",
    "replay",
    "tactics",
    "benchmarks",
    "reporting",
    "dashboards",
    "teams",
    "workflow",
    "planning",
    "calendar",
    "trends",
    "experiments",
    "hooks",
    "captions",
    "formats",
    "reels",
    "threads",
    "newsletters",
    "partners",
]


def distinct_title(i: int) -> str:
    """Title number ``i``: three to seven words drawn with seed ``i``, then the number."""
    rng = random.Random(i)
    words = rng.sample(WORDS, rng.randint(3, 7))
    return " ".join([words[0].capitalize(), *words[1:], str(i)])


def retitled(source: CardSource, i: int) -> CardSource:
    """The card source with another title (so nothing about the text is cached)."""
    from toolkit.cards.context import CardSource

    context = dict(source.context)
    context["title"] = distinct_title(i)
    return CardSource(
        source.brand, source.locale, source.roots, context, source.present, source.origin
    )


def card_rows(cfg: Config, lang: str = "en", floors: bool = True) -> Rows:
    from toolkit.cards.api import render_source

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
        _floor_rows(rows, source, repeats, per_run)
    return rows


def _floor_rows(rows: Rows, source: CardSource, repeats: int, per_run: int) -> None:
    """The bare encodes of a finished thumbnail, and what drawing adds to them.

    Each ratio pairs the card (new titles) with the bare encode of one finished
    card's pixels, repeat by repeat: draw + PNG / bare PNG, draw / bare JPEG.
    """
    from toolkit.cards.api import draw_card, render_source
    from toolkit.cards.encode import encode

    finished = draw_card(source, LAYOUT, SIZES[0])[0].image
    titles = iter(range(10**6, 10**9))
    for fmt in FORMATS:
        samples = seconds_per_call(partial(encode, finished, fmt), repeats, per_run)
        rows.add(f"{SIZES[0]} bare {fmt.upper()} encode (floor)", [s * MS for s in samples], "ms")
    pillow = seconds_per_call(
        lambda: finished.save(io.BytesIO(), "PNG", compress_level=1), repeats, per_run
    )
    rows.add(
        f"{SIZES[0]} bare PNG encode, Pillow compress_level=1",
        [s * MS for s in pillow],
        "ms",
        note="Pillow's own encoder, for comparison",
    )
    card, png = paired_seconds(
        lambda: render_source(retitled(source, next(titles)), LAYOUT, SIZES[0], fmt="png"),
        lambda: encode(finished, "png"),
        repeats,
        (per_run, per_run),
    )
    rows.add(
        "draw + PNG / bare PNG encode, same pixels",
        [c / p for c, p in zip(card, png, strict=True)],
        "×",
        target=at_most(1.3),
        note="the target's row: toolkit's own PNG writer, what toolkit pays for the bytes",
    )
    card, slow = paired_seconds(
        lambda: render_source(retitled(source, next(titles)), LAYOUT, SIZES[0], fmt="png"),
        lambda: finished.save(io.BytesIO(), "PNG", compress_level=1),
        repeats,
        (per_run, per_run),
    )
    rows.add(
        "draw + PNG / bare PNG encode, Pillow compress_level=1",
        [c / p for c, p in zip(card, slow, strict=True)],
        "×",
        note="the encoder the issue's 1.3 was set against, for comparison",
    )
    drawn, jpeg = paired_seconds(
        lambda: draw_card(retitled(source, next(titles)), LAYOUT, SIZES[0]),
        lambda: encode(finished, "jpeg"),
        repeats,
        (per_run, per_run),
    )
    rows.add(
        "draw only / bare JPEG encode (4:4:4)",
        [d / j for d, j in zip(drawn, jpeg, strict=True)],
        "×",
        target=at_most(1.0),
        note=f"draw {statistics.median(drawn) * MS:.1f} ms, "
        f"encode {statistics.median(jpeg) * MS:.1f} ms",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lang", nargs="?", default="en", help="demo brief: en, fr, es, tr, ja")
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    print(table(card_rows(Config(quick=args.quick), args.lang).rows))


if __name__ == "__main__":
    main()

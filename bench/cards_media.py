"""Video thumbnails and carousel slides: ``python bench/cards_media.py [--quick]`` on its own.

* Frame pick + thumbnail: a 60-second 1080p H.264 clip (made once with PyAV
  and kept in the temporary folder), ``render_thumbnail(video=...)`` to a
  1280×720 JPEG: open, sample keyframes, score, check for cuts, convert the
  frame, draw the card, encode. Warm: the clip has been opened once before.
* Carousel slides: the demo's Instagram decks in five languages as PNG, in
  one process (one core), through ``render_source`` with the slide context;
  no file. Every call numbers the cover title and key points anew, so text
  drawn by an earlier call is never drawn again (the card stack caches line
  masks); a deck's own repeats (its footer) are drawn as a real deck does.

Both rows count this process's CPU time, not the wall clock: their targets
are per core, and the machine may be shared with other jobs.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``bench`` and ``toolkit`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import (
    MS,
    NOW,
    REPO,
    Config,
    Rows,
    at_least,
    at_most,
    seconds_per_call,
    table,
)

CLIP = [("black", 2.0), ("sharp", 20.0), ("blur", 8.0), ("other", 30.0)]
DECK_LANGS = ("en", "es", "fr", "ja", "tr")  # the demo briefs: Latin, Japanese, Turkish


def clip_1080p() -> Path:
    """The 60-second 1080p test clip (25 fps, a keyframe every 2 s), made on first use."""
    from tests.test_cards_video_support import write_clip

    path = Path(tempfile.gettempdir()) / "toolkit-bench-clip-1080p-60s.mp4"
    if not path.is_file():
        partial = path.with_suffix(".part.mp4")
        write_clip(partial, CLIP, size=(1920, 1080), fps=25, gop=50, hold=25)
        partial.replace(path)
    return path


def video_rows(cfg: Config) -> Rows:
    from toolkit.cards.api import render_thumbnail

    rows = Rows("cards")
    clip = clip_1080p()
    first = render_thumbnail("Social ROI, proven", now=NOW, video=clip, fmt="jpeg")
    titles = iter(range(1, 10**9))

    def one() -> None:
        render_thumbnail(f"Social ROI, proven {next(titles)}", now=NOW, video=clip, fmt="jpeg")

    samples = seconds_per_call(one, cfg.n(5), 1 if cfg.quick else 3, time.process_time)
    frame = first.frame
    rows.add(
        "frame pick + thumbnail, 60 s 1080p clip → 1280×720 JPEG",
        [s * MS for s in samples],
        "ms CPU",
        target=at_most(150),
        note=f"{len(frame.samples) if frame else 0} keyframes looked at; "
        f"chose {frame.time if frame else 0:.1f} s",
    )
    return rows


def carousel_rows(cfg: Config) -> Rows:
    from toolkit.campaign.loader import load_campaign
    from toolkit.cards.api import render_source
    from toolkit.cards.carousel import LAYOUT, SIZE, slide_source, slide_views
    from toolkit.cards.context import campaign_source

    rows = Rows("cards")
    sources = [
        campaign_source(load_campaign(REPO / "brand" / "demo" / "briefs" / f"{lang}.yaml"), now=NOW)
        for lang in DECK_LANGS
    ]
    numbers = iter(range(1, 10**9))

    def decks() -> int:
        """One deck per language, each slide's own words numbered anew (no line is
        drawn twice from one call to the next): the slides drawn."""
        count = 0
        for source in sources:
            n = next(numbers)
            for view in slide_views(source):
                if view.kind != "cta":
                    view = replace(view, text=f"{view.text} {n}")
                render_source(slide_source(source, view), LAYOUT, SIZE)
                count += 1
        return count

    per_call = decks()
    samples = seconds_per_call(decks, cfg.n(5), 1, time.process_time)
    rows.add(
        f"carousel slides 1080×1350 PNG, one core ({per_call} per call, "
        f"{len(DECK_LANGS)} languages)",
        [per_call / s for s in samples],
        "PNG/s CPU",
        target=at_least(50),
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    cfg = Config(quick=args.quick)
    print(table([*video_rows(cfg).rows, *carousel_rows(cfg).rows]))


if __name__ == "__main__":
    main()

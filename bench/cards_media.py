"""Video thumbnails and carousel slides: ``python bench/cards_media.py [--quick]`` on its own.

* Frame pick + thumbnail: a 60-second 1080p H.264 clip (made once with PyAV
  and kept in the temporary folder), ``render_thumbnail(video=...)`` to a
  1280×720 JPEG: open, sample keyframes, score, check for cuts, convert the
  frame, draw the card, encode. Warm: the clip has been opened once before.
* Carousel slides: the demo's six Instagram slides as PNG, in one process
  (one core), through ``render_source`` with the slide context; no file.

Both rows count this process's CPU time, not the wall clock: their targets
are per core, and the machine may be shared with other jobs.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
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
    source = campaign_source(load_campaign(REPO / "brand" / "demo" / "briefs" / "en.yaml"), now=NOW)
    slides = [slide_source(source, view) for view in slide_views(source)]
    for slide in slides:
        render_source(slide, LAYOUT, SIZE)

    def deck() -> None:
        for slide in slides:
            render_source(slide, LAYOUT, SIZE)

    samples = seconds_per_call(deck, cfg.n(5), 1 if cfg.quick else 3, time.process_time)
    rows.add(
        f"carousel slides 1080×1350 PNG, one core ({len(slides)} per deck)",
        [len(slides) / s for s in samples],
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

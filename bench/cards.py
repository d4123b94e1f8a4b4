"""Card benchmarks, run by hand: ``python bench/cards.py``. Prints a table; asserts nothing.

All on the 1280×720 YouTube thumbnail of the demo brief. "Warm": fonts,
layouts and the background are cached (as for every card after the first in
a batch); each card gets a different title, so text layout, fitting and
drawing are measured every time. The floor is the bare encode of the same
finished image. Batches: 200 cards written to a temporary folder with 1 and
2 worker processes (fork).
"""

from __future__ import annotations

import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from PIL import Image  # noqa: E402

from toolkit.campaign import load_campaign  # noqa: E402
from toolkit.cards import CardJob, campaign_source, render_batch  # noqa: E402
from toolkit.cards.api import draw_card  # noqa: E402
from toolkit.cards.context import CardSource  # noqa: E402
from toolkit.cards.encode import PNG_LEVEL, QUALITY, encode  # noqa: E402

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))
SIZE = "youtube-thumbnail"
N = 60
REPEATS = 5


def _with_title(source: CardSource, i: int) -> CardSource:
    context = dict(source.context)
    context["title"] = f"{source.context['title']} #{i}"
    return CardSource(
        source.brand, source.locale, source.roots, context, source.present, source.origin
    )


def per_card(func: Callable[[int], object]) -> tuple[float, float, float]:
    """Median, min and max milliseconds per call over REPEATS runs of N calls."""
    for i in range(5):
        func(i)
    samples = []
    for r in range(REPEATS):
        start = time.perf_counter()
        for i in range(N):
            func(1000 * r + i)
        samples.append((time.perf_counter() - start) / N * 1000)
    return statistics.median(samples), min(samples), max(samples)


def row(name: str, value: tuple[float, float, float], unit: str) -> str:
    med, lo, hi = value
    return f"| {name:<40} | {med:>9.1f} {unit:<7} | {lo:>8.1f}–{hi:<8.1f} |"


def main() -> None:
    lang = sys.argv[1] if len(sys.argv) > 1 else "en"
    campaign = load_campaign(REPO / "brand" / "demo" / "briefs" / f"{lang}.yaml")
    source = campaign_source(campaign, now=NOW)
    finished = draw_card(source, "thumbnail", SIZE)[0].image

    def draw(i: int) -> Image.Image:
        return draw_card(_with_title(source, i), "thumbnail", SIZE)[0].image

    def bare(fmt: str) -> Callable[[int], object]:
        def run(i: int) -> object:
            out = io.BytesIO()
            if fmt == "png":
                finished.save(out, "PNG", compress_level=PNG_LEVEL)
            else:
                finished.save(out, "JPEG", quality=QUALITY, subsampling=0)
            return out

        return run

    results = {
        "draw only": per_card(draw),
        "draw + JPEG": per_card(lambda i: encode(draw(i), "jpeg")),
        "draw + PNG": per_card(lambda i: encode(draw(i), "png")),
        "bare JPEG encode (floor)": per_card(bare("jpeg")),
        "bare PNG encode (floor)": per_card(bare("png")),
    }
    print(f"thumbnail {SIZE} (1280×720), brief {lang}, {N} cards × {REPEATS} runs")
    print(f"| {'benchmark':<40} | {'median':>17} | {'spread':>17} |")
    print(f"|{'-' * 42}|{'-' * 19}|{'-' * 19}|")
    for name, value in results.items():
        print(row(name, value, "ms/card"))

    rates: dict[int, tuple[float, float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for workers in (1, 2):
            samples = []
            for r in range(3):
                jobs = [
                    CardJob("thumbnail", SIZE, Path(tmp) / f"w{workers}-{r}-{i}.png")
                    for i in range(200)
                ]
                start = time.perf_counter()
                render_batch(source, jobs, workers=workers)
                samples.append(200 / (time.perf_counter() - start))
            rates[workers] = (statistics.median(samples), min(samples), max(samples))
            print(
                row(
                    f"200 cards, {workers} worker{'s' if workers > 1 else ''}",
                    rates[workers],
                    "cards/s",
                )
            )
    png, bare_png = results["draw + PNG"][0], results["bare PNG encode (floor)"][0]
    print()
    print(f"draw + JPEG: {results['draw + JPEG'][0]:.1f} ms (target ≤ 20)")
    print(f"draw + PNG / bare PNG: {png / bare_png:.2f}× (target ≤ 1.5)")
    print(f"2 workers / 1 worker: {rates[2][0] / rates[1][0]:.2f}× (target ≥ 1.7)")


if __name__ == "__main__":
    main()

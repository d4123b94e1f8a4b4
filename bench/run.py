"""Benchmarks, run by hand: ``python bench/run.py``. Prints a table; asserts nothing.

Each figure is the median of several repeats, with the spread (min–max).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import toolkit  # noqa: E402
from toolkit.counting import CountRules, count  # noqa: E402

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))
POSTS = {
    "en": "Prove the ROI of social media in 45 minutes 📊 Register: https://example.com/webinar "
    "?utm_source=x #SocialMedia #Analytics 👩🏽‍💻 " * 2,
    "fr": "Prouvez le ROI des réseaux sociaux en 45 minutes\u202f! Inscrivez-vous "
    "gratuitement → https://example.com/fr #RéseauxSociaux 🎯 " * 2,
    "ja": "SNS運用の成果を、45分で数字として示せるようになります。無料で申し込む "
    "https://example.com/ja #SNSマーケティング 🇯🇵 " * 2,
}


def timed(
    func: Callable[[], object], *, repeats: int = 7, inner: int = 1
) -> tuple[float, float, float]:
    """Median, min and max seconds per call."""
    func()  # warm
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(inner):
            func()
        samples.append((time.perf_counter() - start) / inner)
    return statistics.median(samples), min(samples), max(samples)


def row(name: str, result: tuple[float, float, float], unit: str = "µs") -> str:
    scale = {"µs": 1e6, "ms": 1e3, "s": 1.0}[unit]
    med, lo, hi = (x * scale for x in result)
    return f"| {name:<44} | {med:>10.1f} {unit:<2} | {lo:>9.1f}–{hi:<9.1f} |"


def main() -> None:
    print(f"| {'benchmark':<44} | {'median':>13} | {'spread':>19} |")
    print(f"|{'-' * 46}|{'-' * 15}|{'-' * 21}|")
    for method in ("weighted", "graphemes", "utf16", "threads", "mastodon", "chars"):
        rules = CountRules(method=method)  # type: ignore[arg-type]
        for lang, text in POSTS.items():
            print(
                row(
                    f"count {method} ({lang}, {len(text)} chars)",
                    timed(lambda t=text, r=rules: count(t, r), inner=2000),
                )
            )
    try:
        from twitter_text import parse_tweet

        text = POSTS["en"]
        print(
            row("twitter-text-parser parse_tweet (en)", timed(lambda: parse_tweet(text), inner=200))
        )
    except ImportError:
        print("| twitter-text-parser not installed                 |")
    campaign = toolkit.load_brief()
    print(row("load demo brief", timed(lambda: toolkit.load_brief(), repeats=5), "ms"))
    print(
        row(
            "generate demo (10 platforms × 3 angles)",
            timed(lambda: toolkit.generate(campaign, now=NOW), repeats=5),
            "ms",
        )
    )
    print(
        row(
            "generate demo (10 platforms × all angles)",
            timed(lambda: toolkit.generate(campaign, now=NOW, variants=10), repeats=5),
            "ms",
        )
    )
    cli = [sys.executable, "-m", "toolkit"]
    print(
        row(
            "cold CLI: toolkit --help",
            timed(
                lambda: subprocess.run([*cli, "--help"], capture_output=True, check=True), repeats=5
            ),
            "ms",
        )
    )
    print(
        row(
            "cold CLI: toolkit generate (demo)",
            timed(
                lambda: subprocess.run([*cli, "generate"], capture_output=True, check=True),
                repeats=5,
            ),
            "ms",
        )
    )


def bench_week() -> None:
    """Cold `toolkit week` on the demo, into a fresh folder each time."""
    import tempfile

    cli = [sys.executable, "-m", "toolkit", "week", "--now", "2026-11-21T10:00"]
    for label, extra in (("with cards", []), ("without cards", ["--no-cards"])):

        def run(extra: list[str] = extra) -> None:
            with tempfile.TemporaryDirectory() as tmp:
                subprocess.run([*cli, *extra, "--out", tmp], capture_output=True, check=True)

        print(row(f"cold CLI: toolkit week ({label})", timed(run, repeats=5), "ms"))


if __name__ == "__main__":
    main()
    bench_week()

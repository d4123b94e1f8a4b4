"""The benchmark suite, run by hand: ``python bench/suite.py [--quick] [--only SECTIONS]``.

Prints one table: for every row the median and the spread (min–max) of its
repeats, how many, and its target (✓/✗) or a note. Progress goes to stderr.
bench/README.md says what each row measures. Nothing here is asserted in tests
(tests/test_bench_smoke.py only checks that the fastest row still runs).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from functools import partial
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``bench`` and ``toolkit`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import (
    MS,
    NOW,
    REPO,
    US,
    Config,
    Row,
    Rows,
    at_least,
    busy_seconds,
    own_seconds,
    paired_seconds,
    per_second,
    seconds_per_call,
    table,
)

# X posts (links, hashtags, emoji; CJK weighs 2), as in the lead's first bench.
POSTS = {
    "en": "Prove the ROI of social media in 45 minutes 📊 Register: https://example.com/webinar "
    "?utm_source=x #SocialMedia #Analytics 👩🏽‍💻 " * 2,
    "fr": "Prouvez le ROI des réseaux sociaux en 45 minutes\u202f! Inscrivez-vous "
    "gratuitement → https://example.com/fr #RéseauxSociaux 🎯 " * 2,
    "ja": "SNS運用の成果を、45分で数字として示せるようになります。無料で申し込む "
    "https://example.com/ja #SNSマーケティング 🇯🇵 " * 2,
}


def x_count_rows(cfg: Config, langs: tuple[str, ...] = ("en", "fr", "ja"), inner: int = 0) -> Rows:
    """X's weighted count per post: toolkit against twitter-text-parser, on the same posts."""
    import toolkit
    from toolkit.text.counting import count

    rows = Rows("count")
    rules = toolkit.load_brief().platforms["x"].rules()
    inner_tk = inner or (300 if cfg.quick else 2000)
    try:
        from twitter_text import parse_tweet
    except ImportError:
        for lang in langs:
            samples = seconds_per_call(partial(count, POSTS[lang], rules), cfg.n(7), inner_tk)
            rows.add(f"X weighted count ({lang}), toolkit", [s * US for s in samples], "µs")
        rows.skip("X weighted count, twitter-text-parser", "twitter-text-parser is not installed")
        return rows
    for lang in langs:
        text = POSTS[lang]
        length, theirs_length = count(text, rules), parse_tweet(text).weightedLength
        ours, theirs = paired_seconds(
            partial(count, text, rules),
            partial(parse_tweet, text),
            cfg.n(7),
            (inner_tk, max(1, inner_tk // 10)),
        )
        agree = "✓" if theirs_length == length else "✗"
        rows.add(
            f"X weighted count ({lang}), toolkit",
            [s * US for s in ours],
            "µs",
            note=f"{len(text)} chars, length {length}, twitter-text {theirs_length} {agree}",
        )
        rows.add(f"X weighted count ({lang}), twitter-text-parser", [s * US for s in theirs], "µs")
        rows.add(
            f"twitter-text-parser / toolkit ({lang})",
            [t / o for t, o in zip(theirs, ours, strict=True)],
            "×",
            note="toolkit's speed-up",
        )
    return rows


def other_count_rows(cfg: Config) -> Rows:
    """The other counting methods, each with the rules of a platform that uses it."""
    import toolkit
    from toolkit.text.counting import count

    rows = Rows("count")
    campaign = toolkit.load_brief()
    text = POSTS["en"]
    for platform_id in ("bluesky", "tiktok", "threads", "mastodon", "linkedin"):
        rules = campaign.platforms[platform_id].rules()
        samples = seconds_per_call(
            partial(count, text, rules), cfg.n(7), 300 if cfg.quick else 2000
        )
        rows.add(f"{rules.method} count (en, {platform_id})", [s * US for s in samples], "µs")
    return rows


def lint_rows(cfg: Config) -> Rows:
    """Voice lint on bench/lint_corpus.py's distinct posts in five languages, one core.

    In process (CPU time per pass over the corpus), and through the CLI: 4,000 posts in
    one JSON file, a new process each run (wall clock, start-up included).
    """
    import tempfile

    from bench.lint import corpus_seconds, variants_file
    from bench.lint_corpus import mixed_posts
    from toolkit.voice import fix_text, load_guide

    rows = Rows("lint")
    guide = load_guide(REPO / "brand" / "demo")
    corpus = mixed_posts(500 if cfg.quick else 2500)
    rows.add(
        f"lint, {len(corpus):,} distinct posts, 5 languages",
        [1 / s for s in corpus_seconds(guide, corpus, repeats=cfg.n(5))],
        "posts/s",
        target=at_least(5000),
        note="one core, CPU time",
    )
    some = corpus[:200]

    def fix_some() -> None:
        for locale, platform_id, text in some:
            fix_text(text, guide, platform=platform_id, locale=locale)

    samples = seconds_per_call(fix_some, cfg.n(5))
    rows.add(f"lint --fix, {len(some)} posts", per_second(samples, len(some)), "posts/s")
    with tempfile.TemporaryDirectory() as tmp:
        big, count = variants_file(Path(tmp))
        env = {**os.environ, "XDG_CACHE_HOME": str(Path(tmp) / "cache")}
        command = [sys.executable, "-m", "toolkit", "lint", str(big), "-f", "json"]
        subprocess.run(command, env=env, capture_output=True, check=False)  # fills the cache
        walls = []
        for _ in range(cfg.n(3)):
            started = time.perf_counter()
            subprocess.run(command, env=env, capture_output=True, check=False)
            walls.append(time.perf_counter() - started)
        rows.add(
            "toolkit lint, 4,000 posts in one JSON",
            [count / w for w in walls],
            "posts/s",
            target=at_least(2500),
            note="a new process each run",
        )
    return rows


def generate_rows(cfg: Config) -> Rows:
    import toolkit

    rows = Rows("generate")
    campaign = toolkit.load_brief()
    rows.add(
        "load the demo brief",
        [s * MS for s in seconds_per_call(toolkit.load_brief, cfg.n(5))],
        "ms",
    )
    for label, variants in (("3 angles", None), ("all angles", 10)):
        samples = seconds_per_call(
            partial(toolkit.generate, campaign, now=NOW, variants=variants), cfg.n(5)
        )
        rows.add(f"generate demo, 10 platforms × {label}", [s * MS for s in samples], "ms")
    return rows


def _cards(cfg: Config) -> Rows:
    from bench.cards import card_rows
    from bench.cards_media import carousel_rows, video_rows

    rows = card_rows(cfg)
    rows.rows += video_rows(cfg).rows + carousel_rows(cfg).rows
    return rows


def _peer(cfg: Config) -> Rows:
    from bench.peer import peer_rows

    return peer_rows(cfg)


def _scaling(cfg: Config) -> Rows:
    from bench.scaling import scaling_rows

    return scaling_rows(cfg)


def _cold_starts(cfg: Config) -> Rows:
    from bench.cold import cold_rows

    return cold_rows(cfg)


SECTIONS: dict[str, Callable[[Config], Rows]] = {
    "cold": _cold_starts,
    "count": lambda cfg: Rows("count", [*x_count_rows(cfg).rows, *other_count_rows(cfg).rows]),
    "lint": lint_rows,
    "generate": generate_rows,
    "cards": _cards,
    "peer": _peer,
    "scaling": _scaling,
}


def smoke() -> str:
    """The fastest row, once (for tests/test_bench_smoke.py): X count of one post."""
    rows = x_count_rows(Config(repeats=1), ("en",), inner=1).rows[:1]
    return table(rows)


def run(sections: list[str], cfg: Config) -> list[Row]:
    rows: list[Row] = []
    for name in sections:
        started = time.perf_counter()
        print(f"measuring {name}…", file=sys.stderr, flush=True)
        try:
            rows.extend(SECTIONS[name](cfg).rows)
        except Exception as exc:  # one broken section (work in progress elsewhere) is a row
            traceback.print_exc()
            last = str(exc).strip().splitlines()[-1:] or [""]
            rows.append(Rows(name).skip("the whole section", f"{type(exc).__name__}: {last[0]}"))
        print(f"  {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and smaller batches")
    parser.add_argument("--repeats", type=int, help="repeats for every row (overrides --quick)")
    parser.add_argument(
        "--only", help=f"comma-separated sections (default all): {','.join(SECTIONS)}"
    )
    parser.add_argument("--keep", type=Path, help="save the peer comparison's two JPEGs here")
    args = parser.parse_args(argv)
    sections = args.only.split(",") if args.only else list(SECTIONS)
    unknown = [s for s in sections if s not in SECTIONS]
    if unknown:
        parser.error(f"unknown section {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    cfg = Config(quick=args.quick, repeats=args.repeats, keep=args.keep)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    busy, own, started = busy_seconds(), own_seconds(), time.perf_counter()
    rows = run(sections, cfg)
    wall = time.perf_counter() - started
    others = ""
    if busy is not None and (now_busy := busy_seconds()) is not None:
        other = max(0.0, (now_busy - busy) - (own_seconds() - own))
        others = f"; other processes used about {other / wall:.2f} CPUs meanwhile"
    print(
        f"toolkit bench: Python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs, load average {load:.2f} at the start{others}; "
        f"{'quick' if args.quick else 'full'} run, {wall:.0f} s"
    )
    print(table(rows))


if __name__ == "__main__":
    main()

"""How card cost grows: cards per second at 10 to 1,000 cards, with 1 and 2 workers.

Honest cases: every card of a batch has its own title and its own size (the
platform sizes, each stepped a few pixels wider and taller, or narrower and
shorter, per round), so no card reuses another's text layout or per-size
layers. Each batch runs in a fresh Python process (``python -m bench.scaling
N W``; W 0 lets ``render_batch`` size its pool) so its peak memory is its
own: the parent's from ``/proc`` (``VmHWM``, else ``RUSAGE_SELF``) and the
largest worker's. The process loads the demo brief and draws one card first
at a size no batch uses (imports and fonts are not the batch's cost), then
times ``toolkit.cards.batch.render_batch`` writing N JPEG thumbnails to a
temporary folder. Runs of the same size are spread over the repeats, so a
busy machine slows all of them alike. Each batch also gets an empty user cache
(``XDG_CACHE_HOME``): the layers toolkit keeps between runs for the platform
sizes (the first round of sizes, 7 cards of each batch) would otherwise make
the second run of a 100-card batch some 10 ms a card cheaper than its first,
and a 1,000-card batch only 1 ms: the time-per-card rows would measure the
cache, not how cost grows with the batch.

The machine check runs the same pure-Python loop in 1 and then 2 processes:
on a machine whose second core is really free it is 2×; whatever it shows
is the best the 2-worker rows can do at that moment.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Literal

from .harness import MS, NOW, REPO, Config, Rows, at_least, at_most

SIZES = (10, 50, 100, 300, 1000)
WORKERS = (1, 2)
AUTO = 0  # ``workers=None``: render_batch decides
MEMORY = (100, 1000)  # batch sizes whose peak memory is shown
LAYOUT, WARM_SIZE = "thumbnail", "640x360"
FORMAT: Literal["jpeg"] = "jpeg"
# The platform sizes a batch's sizes are varied around (landscape to story).
BASES = ((1280, 720), (1200, 675), (1200, 630), (1080, 1080), (1080, 1350), (1000, 1500),
         (1080, 1920))  # fmt: skip
TOPICS = (
    "Prove the ROI of social media", "Five metrics that tie posts to revenue",
    "Live dashboard teardown", "UTM naming that survives the scheduler",
    "Why your reach fell in March", "A reporting template your CFO reads",
    "Ask us anything: analytics edition", "From vanity metrics to pipeline",
)  # fmt: skip


def card_size(i: int) -> str:
    """The ``i``-th card's size, distinct for every ``i``: a platform size stepped by
    2 px per round, alternately larger and smaller (0, +2, −2, +4, −4 … px)."""
    width, height = BASES[i % len(BASES)]
    rounds = i // len(BASES)
    step = 2 * ((rounds + 1) // 2) * (1 if rounds % 2 else -1)
    return f"{width + step}x{height + step}"


def card_title(i: int) -> str:
    """The ``i``-th card's title, distinct for every ``i`` (and of varied length)."""
    words = TOPICS[i % len(TOPICS)].split()
    return " ".join(words[: 2 + i % (len(words) - 1)]) + f", part {i + 1}"


def _memory(pid: int | str) -> tuple[float, float]:
    """Current and peak resident memory of a process, in MB (Linux ``/proc``; else 0)."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return 0.0, 0.0
    kb = {k: int(v.split()[0]) for k, _, v in (line.partition(":") for line in lines)
          if k in ("VmRSS", "VmHWM")}  # fmt: skip
    return kb.get("VmRSS", 0) / 1024, kb.get("VmHWM", 0) / 1024


class MemoryProbe:
    """A ``render_batch`` progress callback: memory of the parent and workers at 10 % and 100 %."""

    def __init__(self, total: int) -> None:
        self.marks = {max(1, total // 10): "early", total: "end"}
        self.seen: dict[str, float] = {}

    def __call__(self, done: int, total: int, card: object) -> None:
        mark = self.marks.get(done)
        if mark is None:
            return
        rss, peak = _memory("self")
        workers = [_memory(p.pid) for p in multiprocessing.active_children() if p.pid]
        self.seen[f"parent_{mark}"] = rss
        self.seen["parent_peak"] = peak
        self.seen[f"worker_{mark}"] = max((w[0] for w in workers), default=0.0)
        self.seen["worker_peak"] = max((w[1] for w in workers), default=0.0)


def batch(cards: int, workers: int) -> dict[str, float]:
    """One timed batch in this process (run by the child): seconds and memory in MB."""
    import dataclasses

    from toolkit.campaign.loader import load_campaign
    from toolkit.cards import CardJob, campaign_source, render_batch
    from toolkit.cards.api import render_source
    from toolkit.cards.batch import default_workers

    source = campaign_source(load_campaign(None), now=NOW)
    render_source(source, LAYOUT, WARM_SIZE, fmt=FORMAT)
    probe = MemoryProbe(cards)
    with tempfile.TemporaryDirectory() as tmp:
        jobs = [
            CardJob(LAYOUT, card_size(i), Path(tmp) / f"{i}.jpg", FORMAT,
                    source=dataclasses.replace(
                        source, context={**source.context, "title": card_title(i)}))
            for i in range(cards)
        ]  # fmt: skip
        own, kids = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        render_batch(source, jobs, workers=workers or None, progress=probe)
        seconds = time.perf_counter() - start
        own, kids = _cpu(resource.RUSAGE_SELF) - own, _cpu(resource.RUSAGE_CHILDREN) - kids
    if not probe.seen.get("parent_peak"):  # no /proc: the peak from getrusage (KB on Linux)
        probe.seen["parent_peak"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    used = float(workers or default_workers(cards))
    return {"seconds": seconds, "parent_cpu": own, "worker_cpu": kids, "workers": used,
            **probe.seen}  # fmt: skip


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _child(cards: int, workers: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="toolkit-bench-cache-") as cache:
        env = {**os.environ, "PYTHONPATH": str(REPO), "XDG_CACHE_HOME": cache}
        done = subprocess.run(
            [sys.executable, "-m", "bench.scaling", str(cards), str(workers)],
            capture_output=True,
            text=True,
            cwd=REPO,
            env=env,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"{cards} cards, {workers} workers failed:\n{done.stderr.strip()}")
    result: dict[str, float] = json.loads(done.stdout)
    return result


def _loop(n: int) -> int:
    total = 0
    for i in range(n):
        total += i
    return total


def machine_check(repeats: int, n: int = 3_000_000) -> list[float]:
    """How much faster 2 processes run a CPU-bound loop than 1 (2.0 = two free cores)."""
    ctx = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    ratios = []
    with ctx.Pool(2) as pool:
        pool.map(_loop, [1000, 1000])  # both started
        for _ in range(repeats):
            start = time.perf_counter()
            _loop(n)
            _loop(n)
            one = time.perf_counter() - start
            start = time.perf_counter()
            pool.map(_loop, [n, n], chunksize=1)
            ratios.append(one / (time.perf_counter() - start))
    return ratios


def _cpu_of(run: dict[str, float]) -> float:
    return run["parent_cpu"] + run["worker_cpu"]


def _plural(workers: int) -> str:
    return f"{workers} worker{'s' if workers > 1 else ''}"


def scaling_rows(cfg: Config) -> Rows:
    from toolkit.cards.batch import default_workers

    rows = Rows("scaling")
    repeats = cfg.n(3, quick=1)
    sizes = (10, 50, 100) if cfg.quick else SIZES
    check: list[float] = []
    runs: dict[tuple[int, int], list[dict[str, float]]] = {}
    for _ in range(repeats):
        check.extend(machine_check(2))
        for cards in sizes:
            for workers in (*WORKERS, AUTO) if cards == sizes[0] else WORKERS:
                runs.setdefault((cards, workers), []).append(_child(cards, workers))
    machine = statistics.median(check)
    rows.add(
        "machine check: 2 processes / 1, CPU loop",
        check,
        "×",
        note="between the batches; 2.00 = two free cores",
    )
    for cards in sizes:
        for workers in WORKERS:
            rows.add(
                f"{cards:,} cards, {_plural(workers)}",
                [cards / r["seconds"] for r in runs[(cards, workers)]],
                "cards/s",
                note="includes starting the pool" if workers > 1 else "",
            )
    for cards in sizes:
        speedup = [
            one["seconds"] / two["seconds"]
            for one, two in zip(runs[(cards, 1)], runs[(cards, 2)], strict=True)
        ]
        busy = ""
        if statistics.median(speedup) < 1.7 and machine < 1.8:
            busy = f"; the machine itself gave only {machine:.2f}× meanwhile"
        rows.add(
            f"speed-up, 2 workers / 1, {cards:,} cards",
            speedup,
            "×",
            target=at_least(1.7) if cards >= 50 else None,
            note=f"render_batch would use {_plural(default_workers(cards))}{busy}",
        )
    small = sizes[0]
    chosen = int(runs[(small, AUTO)][0]["workers"])
    rows.add(
        f"{small:,} cards, pool sized by render_batch / best of 1 and 2 workers",
        [
            min(one["seconds"], two["seconds"]) / auto["seconds"]
            for one, two, auto in zip(
                runs[(small, 1)], runs[(small, 2)], runs[(small, AUTO)], strict=True
            )
        ],
        "×",
        target=at_least(0.9),
        note=f"it chose {_plural(chosen)}; 1.00 = the better choice",
    )
    big, mid = sizes[-1], 100
    for workers in WORKERS:
        per_card = [
            (b["seconds"] / big) / (m["seconds"] / mid)
            for b, m in zip(runs[(big, workers)], runs[(mid, workers)], strict=True)
        ]
        if big != mid:
            rows.add(
                f"time per card, {big:,} / {mid:,} cards, {_plural(workers)}",
                per_card,
                "×",
                target=at_most(1.1),
                note="1.00 = linear in cards",
            )
            # The same ratio in CPU time (parent plus workers): what the cards themselves
            # cost, whatever else the machine ran meanwhile.
            rows.add(
                f"CPU time per card, {big:,} / {mid:,} cards, {_plural(workers)}",
                [
                    (_cpu_of(b) / big) / (_cpu_of(m) / mid)
                    for b, m in zip(runs[(big, workers)], runs[(mid, workers)], strict=True)
                ],
                "×",
                note="parent and workers; 1.00 = linear in cards",
            )
    for workers in WORKERS:
        results = runs[(big, workers)]
        parent = statistics.median(r["parent_cpu"] / big * MS for r in results)
        rows.add(
            f"CPU time per card, {big:,} cards, {_plural(workers)}",
            [(r["parent_cpu"] + r["worker_cpu"]) / big * MS for r in results],
            "ms",
            note=f"parent {parent:.2f} ms of it (it draws its share)" if workers > 1 else "",
        )
    for workers in WORKERS:
        for cards in (c for c in MEMORY if c in sizes):
            results = runs[(cards, workers)]
            label = f"{cards:,} cards, {_plural(workers)}"
            who = ("parent", "largest worker") if workers > 1 else ("parent",)
            for name, key in zip(who, ("parent", "worker"), strict=False):
                growth = statistics.median(r[f"{key}_end"] - r[f"{key}_early"] for r in results)
                rows.add(
                    f"peak RSS, {label}: {name}",
                    [r[f"{key}_peak"] for r in results],
                    "MB",
                    target=at_most(150),
                    note=f"RSS {growth:+.1f} MB from 10 % of the batch to its end",
                )
    return rows


if __name__ == "__main__":
    print(json.dumps(batch(int(sys.argv[1]), int(sys.argv[2]))))

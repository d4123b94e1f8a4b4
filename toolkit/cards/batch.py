"""Many cards at once: every layout × size, in parallel across processes.

The first card is drawn in the calling process: bad input fails there, with
its clear message, before any worker starts, and the font and layout caches
are warm when the workers fork from it. The core never prints: progress goes
to a callback.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from toolkit.cards.api import RenderedCard, applicable_layouts, render_source, resolve, size_names
from toolkit.cards.context import CardSource
from toolkit.cards.encode import EXTENSIONS, ImageFormat

Progress = Callable[[int, int, RenderedCard], None]


@dataclass(frozen=True)
class CardJob:
    layout: str
    size: str
    out_path: Path
    fmt: ImageFormat = "png"
    max_bytes: int | None = None


def plan(
    source: CardSource,
    out_dir: Path,
    *,
    layouts: Sequence[str] | None = None,
    sizes: Sequence[str] | None = None,
    fmt: ImageFormat = "png",
) -> list[CardJob]:
    """Jobs for every layout × size, each checked (unknown names get a did-you-mean).

    No layouts means every layout the brief has the fields for; no sizes, every size.
    """
    chosen_layouts = list(dict.fromkeys(layouts)) if layouts else applicable_layouts(source)
    chosen_sizes = list(dict.fromkeys(sizes)) if sizes else size_names(source)
    jobs: list[CardJob] = []
    for layout in chosen_layouts:
        for size in chosen_sizes:
            loaded, resolved = resolve(source, layout, size)
            name = f"{loaded.name}-{resolved.name}{EXTENSIONS[fmt]}"
            jobs.append(CardJob(loaded.name, size, out_dir / name, fmt))
    return jobs


_SOURCE: CardSource | None = None


def _init(source: CardSource) -> None:
    global _SOURCE
    _SOURCE = source


def _run(job: CardJob) -> RenderedCard:
    assert _SOURCE is not None
    return _one(_SOURCE, job)


def _one(source: CardSource, job: CardJob) -> RenderedCard:
    return render_source(
        source, job.layout, job.size, out_path=job.out_path, fmt=job.fmt, max_bytes=job.max_bytes
    )


def default_workers(jobs: int) -> int:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cpus or 1, jobs // 4 or 1))


def _context() -> multiprocessing.context.BaseContext:
    # fork shares the warm caches; elsewhere (macOS, Windows) spawn is the safe choice.
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def render_batch(
    source: CardSource,
    jobs: Sequence[CardJob],
    *,
    workers: int | None = None,
    progress: Progress | None = None,
) -> list[RenderedCard]:
    """Render ``jobs`` (in parallel when ``workers`` > 1); results in the jobs' order."""
    total = len(jobs)
    if total == 0:
        return []
    count = default_workers(total) if workers is None else max(1, workers)
    results: list[RenderedCard | None] = [None] * total
    first = _one(source, jobs[0])
    results[0] = first
    if progress:
        progress(1, total, first)
    if count == 1 or total == 1:
        for i in range(1, total):
            results[i] = _one(source, jobs[i])
            if progress:
                progress(i + 1, total, results[i])  # type: ignore[arg-type]
        return [r for r in results if r is not None]
    done = 1
    with ProcessPoolExecutor(
        max_workers=min(count, total - 1),
        mp_context=_context(),
        initializer=_init,
        initargs=(source,),
    ) as pool:
        pending: dict[Future[RenderedCard], int] = {
            pool.submit(_run, job): i for i, job in enumerate(jobs) if i > 0
        }
        while pending:
            finished, _ = wait(pending, return_when=FIRST_EXCEPTION)
            for future in finished:
                index = pending.pop(future)
                error = future.exception()
                if error is not None:
                    for other in pending:
                        other.cancel()
                    raise error
                card = future.result()
                results[index] = card
                done += 1
                if progress:
                    progress(done, total, card)
    return [r for r in results if r is not None]


def render_brief(
    brief: Path | None,
    out_dir: Path,
    *,
    now: datetime,
    layouts: Sequence[str] | None = None,
    sizes: Sequence[str] | None = None,
    fmt: ImageFormat = "png",
    workers: int | None = None,
    progress: Progress | None = None,
) -> list[RenderedCard]:
    """``toolkit render``: load the brief (the demo when None), plan and render every card."""
    from toolkit.campaign.loader import load_campaign
    from toolkit.cards.context import campaign_source

    source = campaign_source(load_campaign(brief), now=now)
    jobs = plan(source, out_dir, layouts=layouts, sizes=sizes, fmt=fmt)
    return render_batch(source, jobs, workers=workers, progress=progress)

"""Many cards at once: every layout × size, in parallel across processes.

The first card is drawn in the calling process: bad input fails there, with
its clear message, before any worker starts, and the font and layout caches
are warm when the workers fork from it. It then draws its share alongside them
(``workers`` counts it). The core never prints: progress goes to a callback.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.cards import glyphs
from toolkit.cards.api import RenderedCard, applicable_layouts, render_source, resolve, size_names
from toolkit.cards.context import Backdrop, CardSource
from toolkit.cards.encode import EXTENSIONS, ImageFormat
from toolkit.cards.procs import context, cpu_count
from toolkit.errors import ToolkitError
from toolkit.files.paths import inside

if TYPE_CHECKING:
    # The pool is imported where it starts: a week's card worker draws with ``attempt``
    # and needs none of it (nor the logging and queue modules it brings).
    from concurrent.futures import Future

Progress = Callable[[int, int, RenderedCard], None]


@dataclass(frozen=True)
class CardJob:
    layout: str
    size: str
    out_path: Path | None  # None: the image stays in memory (RenderedCard.data)
    fmt: ImageFormat = "png"
    max_bytes: int | None = None
    source: CardSource | None = None  # this card's own context, else the batch's


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
            out_path = inside(out_dir, name, what="card file")
            jobs.append(CardJob(loaded.name, size, out_path, fmt))
    return jobs


_SOURCE: CardSource | None = None
_COLLECT = False
# Below this many cards per worker, starting the worker (a fork, and its first
# card of each size drawn cold) costs more than the cards it takes over save.
# Measured (bench/suite.py --only scaling): at 10 cards two workers are 1.6× one.
MIN_JOBS_PER_WORKER = 4
# Jobs travel to the workers in chunks (fewer round trips for the parent), small
# enough that the last chunks still even out the workers' finishing times.
MAX_CHUNK = 8
# Chunks sent ahead to each helper: one drawing, one waiting while this process draws.
AHEAD = 2


def _init(source: CardSource, collect: bool, keep_glyphs: bool) -> None:
    global _SOURCE, _COLLECT
    _SOURCE, _COLLECT = source, collect
    if keep_glyphs:  # a spawned worker does not inherit the setting
        glyphs.keep_on_disk()


def _run(jobs: Sequence[CardJob]) -> list[RenderedCard | str]:
    assert _SOURCE is not None
    done = [_attempt(_SOURCE, job, _COLLECT) for job in jobs]
    glyphs.save()  # with keep_on_disk, the chunk's new glyphs (else nothing)
    return done


def _one(source: CardSource, job: CardJob) -> RenderedCard:
    return render_source(
        job.source or source, job.layout, job.size, out_path=job.out_path, fmt=job.fmt,
        max_bytes=job.max_bytes,
    )  # fmt: skip


def attempt(job: CardJob) -> RenderedCard | str:
    """A job that carries its own source: its card, or its user error as text."""
    assert job.source is not None
    return _attempt(job.source, job, collect=True)


def _attempt(source: CardSource, job: CardJob, collect: bool) -> RenderedCard | str:
    """The card, or (collecting) its user error as text: a worker's exception with
    keyword arguments does not always survive the trip back between processes."""
    if not collect:
        return _one(source, job)
    try:
        return _one(source, job)
    except ToolkitError as exc:
        return str(exc)


def default_workers(jobs: int, cpus: int | None = None) -> int:
    """One worker per CPU, but no more than the batch keeps busy: each worker gets at
    least ``MIN_JOBS_PER_WORKER`` cards, so a small batch stays in one process."""
    return max(1, min(cpus or cpu_count(), jobs // MIN_JOBS_PER_WORKER))


def chunk_size(jobs: int, workers: int) -> int:
    """Cards per task: about 16 tasks per worker, at most ``MAX_CHUNK`` cards each."""
    return max(1, min(MAX_CHUNK, jobs // (workers * 16)))


def render_batch(
    source: CardSource,
    jobs: Sequence[CardJob],
    *,
    workers: int | None = None,
    progress: Progress | None = None,
) -> list[RenderedCard]:
    """Render ``jobs`` (in parallel when ``workers`` > 1); results in the jobs' order.

    ``workers`` None sizes the pool to the batch (``default_workers``). The first
    user error stops the batch and is raised.
    """
    cards = _execute(source, jobs, workers=workers, progress=progress)
    return [c for c in cards if isinstance(c, RenderedCard)]


def _execute(
    source: CardSource,
    jobs: Sequence[CardJob],
    *,
    workers: int | None,
    progress: Progress | None,
) -> list[RenderedCard | str]:
    total = len(jobs)
    if total == 0:
        return []
    count = default_workers(total) if workers is None else max(1, workers)
    results: list[RenderedCard | str | None] = [None] * total
    done = 0

    def finished(index: int, card: RenderedCard | str) -> None:
        nonlocal done
        done += 1
        results[index] = card
        if progress and isinstance(card, RenderedCard):
            progress(done, total, card)

    # The first card is drawn here: bad input fails with its message before any worker
    # starts, and the workers fork with warm font and layout caches.
    finished(0, _attempt(source, jobs[0], collect=False))
    order = _by_shape(source, jobs)
    # This process draws too: ``count`` processes draw, this one and ``count - 1`` forked
    # helpers. It would otherwise wait while its helpers draw, so one helper fewer is
    # one fork, one process's cold caches and its copy-on-write faults fewer, and the
    # cards this process draws use the caches its first card (and any before the batch)
    # warmed.
    helpers = min(count, total - 1) - 1
    if helpers <= 0:
        for i in order:
            finished(i, _attempt(source, jobs[i], collect=False))
        glyphs.save()
        return [r for r in results if r is not None]
    from collections import deque
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    size = chunk_size(total - 1, helpers + 1)
    chunks = deque(order[first : first + size] for first in range(0, len(order), size))
    init = (source, False, glyphs.keeps_on_disk())
    # Only paths and small metadata come back (``out_path`` jobs): this process holds one
    # image at a time, as each helper does.
    pending: dict[Future[list[RenderedCard | str]], list[int]] = {}
    with ProcessPoolExecutor(
        max_workers=helpers, mp_context=context(), initializer=_init, initargs=init
    ) as pool:
        try:
            while chunks or pending:
                for future in [f for f in pending if f.done()]:
                    chunk = pending.pop(future)
                    error = future.exception()
                    if error is not None:
                        raise error
                    for index, card in zip(chunk, future.result(), strict=True):
                        finished(index, card)
                # Each helper has its next chunk queued while this process draws one.
                while chunks and len(pending) < AHEAD * helpers:
                    chunk = chunks.popleft()
                    pending[pool.submit(_run, [jobs[i] for i in chunk])] = chunk
                if chunks:  # this process's share: from the end, the helpers' from the front
                    for i in chunks.pop():
                        finished(i, _attempt(source, jobs[i], collect=False))
                elif pending:
                    wait(pending, return_when=FIRST_COMPLETED)
        except BaseException:
            for future in pending:
                future.cancel()
            raise
    glyphs.save()  # this process's new glyphs
    return [r for r in results if r is not None]


def _by_shape(source: CardSource, jobs: Sequence[CardJob]) -> list[int]:
    """The jobs after the first, in the order they are drawn: by their canvas's shape,
    then its size, the tallest and largest first. Cards of one shape set their text at
    about the same sizes, so drawn one after another they find those sizes' glyphs
    (``glyphs``, bounded) still cached, and in parallel each process keeps to its own
    shapes (the helpers take chunks from the front, the calling process from the back)
    instead of rasterizing every shape's glyphs again: about 4 % less CPU in one process,
    6 % in two, on cards of distinct sizes. The largest canvases come first so that a
    process's memory peaks early and stays flat. Results keep the jobs' order."""

    def shape(i: int) -> tuple[float, int, int]:
        job = jobs[i]
        try:
            _, size = resolve(job.source or source, job.layout, job.size, job.max_bytes)
        except ToolkitError:  # drawing it will say why
            return (float("inf"), 0, i)
        return (-round(size.height / size.width, 2), -size.width * size.height, i)

    return sorted(range(1, len(jobs)), key=shape)


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
    photo: Backdrop | None = None,
) -> list[RenderedCard]:
    """``toolkit render``: load the brief (the demo when None), plan and render every card.

    ``photo`` is the background of every card (else the brief's ``photo``).
    """
    from toolkit.campaign.loader import load_campaign
    from toolkit.cards.context import campaign_source

    source = campaign_source(load_campaign(brief, now=now), now=now, photo=photo)
    jobs = plan(source, out_dir, layouts=layouts, sizes=sizes, fmt=fmt)
    glyphs.keep_on_disk()  # a brand's cards at its usual sizes: their glyphs come back
    return render_batch(source, jobs, workers=workers, progress=progress)

"""The week's image cards: one per post, each showing what its post says, rendered in parallel.

The workers fork with the week (``WeekCards.start``), before the posts are
planned. The first imports the card stack, loads the layouts, fonts and the
layouts' compiled fields, draws its first card, then forks the others from
itself: all of that is done once, on a core the planner leaves free, and this
process never imports the drawing stack. It only names each
card (``look_for``), sends it, and gets back its bytes. Each card goes to the
workers as soon as the copy says what it shows (``submit``), while the rest of
the copy is written. Each image size has a home worker (its cards share the size's
cached layers there); a worker with nothing left takes over another's queue.

Which layout goes with which angle is data (``card`` in templates/angles.yaml,
``card`` in a platform manifest overrides it, e.g. YouTube's thumbnail); the
size is the platform's first image size. A card shows its post's moment (after
the event: the recording, never the date and "Register") and its post's key
point or quote; posts that look the same share one file. Cards go through the same safe
writer as the drafts, so an edited card is never overwritten silently.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.campaign.facts import ends_at, event_view, quotes
from toolkit.campaign.loader import Campaign
from toolkit.cards.alt_path import alt_path
from toolkit.errors import ToolkitError
from toolkit.week.early import MAX_WORKERS, EarlyWorkers
from toolkit.week.planner import PlannedPost

if TYPE_CHECKING:
    # multiprocessing is imported where the workers start: `week --no-cards` needs none of it.
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

    from toolkit.cards.batch import CardJob
    from toolkit.cards.context import CardSource
    from toolkit.cards.formats import Shape
    from toolkit.cards.layout import LoadedLayout
    from toolkit.sandbox.environment import CopyEnvironment

Progress = Callable[[int, int], None]
# Tasks sent ahead to each worker: its next card is waiting in its pipe when it finishes
# one, even while this process is busy writing copy; more would leave less to take over.
IN_FLIGHT = 2
# Once the copy is written this process only waits on the workers and answers each at
# once: one task ahead is enough, and the last cards go to whichever worker is free
# first, not to one that has another still queued in its pipe.
IN_FLIGHT_WAITING = 1
CAROUSEL_WEIGHT = 6  # a carousel costs about as much as six cards (its slides)
# A byte cap no card reaches: the encoder keeps its first attempt (see ``_Studio.render``).
NO_CAP = 1 << 62


@dataclass(frozen=True)
class CardLook:
    """What a card shows; posts with the same look share one file."""

    layout: str
    size: str
    max_bytes: int | None
    after_event: bool
    # The post's own key point or quote, for layouts that show one ("key_point", "quote").
    focus: tuple[str, str] | None = None

    @property
    def path(self) -> str:
        name = f"{self.layout}-{self.size}"
        if self.after_event:
            name += "-after"
        if self.focus is not None:
            name += f"-{_slug(self.focus[1])}"
        return f"cards/{name}.png"


@dataclass(frozen=True)
class WeekCard:
    path: str  # relative to the week folder
    alt_text: str
    data: bytes
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class _Task:
    """One task for a worker: a post's carousel, or cards (the worker makes their jobs)."""

    post: PlannedPost | None = None
    cards: Sequence[CardLook] = field(default=())


def _slug(text: str) -> str:
    words = re.findall(r"\w+", text.lower())[:4]
    return "-".join(words)[:40] or "point"


@cache
def _reads(path: Path, name: str) -> bool:
    """Whether a layout file uses ``name`` from the context (a card that never shows the
    key point does not need one image per key point)."""
    return re.search(rf"\b{re.escape(name)}\b", path.read_text(encoding="utf-8")) is not None


@cache
def _layout_file(roots: tuple[Path, ...], name: str) -> Path | None:
    """The layout's file, found as ``load_layout`` finds it, without reading it (that is
    the workers' job); None when there is none (rendering it will say what is wrong)."""
    from toolkit.cards.layout_files import layout_file

    try:
        return layout_file(roots, name)
    except ToolkitError:
        return None


def _sizes(campaign: Campaign) -> dict[str, list[str]]:
    """The image sizes the week's cards may use (each platform's first image), each with
    the layouts that may be drawn at it, the likeliest first."""
    layouts = [a.card for a in campaign.angles.values() if a.card]
    out: dict[str, list[str]] = {}
    for platform in campaign.platforms.values():
        if platform.images:
            wanted = [platform.card] if platform.card else layouts
            out.setdefault(platform.images[0].name, []).extend(wanted)
    return {size: sorted(set(names), key=names.index) for size, names in out.items()}


# What each worker's cards import (each drawn with ``batch.attempt``, new glyphs kept by
# ``glyph_store``, the logo and photos opened by Pillow's PNG and JPEG plugins: Pillow
# imports only the plugin a file's extension names, so the others, which
# ``Image.preinit`` imported too, are left for a card that needs them).
IMPORTS = ("toolkit.cards.api", "toolkit.cards.batch", "toolkit.cards.glyph_store",
           "PIL.PngImagePlugin", "PIL.JpegImagePlugin")  # fmt: skip


def _imports() -> None:
    """Import what each worker's cards use (``IMPORTS``), once, in the first worker; it
    needs no campaign, so an early worker does it while the week loads one."""
    from importlib import import_module

    for name in IMPORTS:
        import_module(name)


def _prepare(campaign: Campaign, now: datetime) -> None:
    """What every worker needs before its first card, done once by the first worker
    (before it forks the others): the card stack, the layouts parsed and their fields
    compiled, the brand's fonts with their character maps and fontconfig's fallbacks."""
    _imports()
    from toolkit.cards.api import layout_and_formats
    from toolkit.cards.assets import prepare_fonts
    from toolkit.cards.formats import load_formats
    from toolkit.cards.glyphs import keep_on_disk

    roots = campaign.template_roots
    with suppress(ToolkitError):  # rendering will say what is wrong
        env = _environment(campaign, now)
        formats = load_formats(roots)
        shapes: dict[str, set[Shape]] = {}  # layout → the shapes of the sizes it is drawn at
        for size, layouts in _sizes(campaign).items():
            with suppress(ToolkitError):
                shape = formats.resolve(size).shape
                for name in layouts:
                    shapes.setdefault(name, set()).add(shape)
        macros = False
        for name, wanted in shapes.items():
            with suppress(ToolkitError):
                # As its cards find it: each worker's first card of it finds it found.
                macros |= _compile_fields(env, layout_and_formats(roots, name)[0], wanted)
        if macros:
            _read_macros(env)
        from toolkit.cards.names_cache import keep_fields

        keep_fields()  # the next week's first worker reads these analyses back
    with suppress(ToolkitError):
        prepare_fonts(campaign.brand, campaign.brief.locale)
    keep_on_disk()  # the brand's glyphs at its layouts' sizes come back every week
    # The locale's data for the cards' dates, read once here rather than by each worker.
    with suppress(Exception):
        from babel.dates import format_date

        from toolkit.sandbox.locale_data import warm

        name = campaign.brief.locale.replace("-", "_")
        warm(name)  # merged in an earlier run, kept in the user cache
        format_date(now, "medium", locale=name)


def _environment(campaign: Campaign, now: datetime) -> CopyEnvironment:
    from toolkit.cards.context import campaign_source, card_environment

    return card_environment(campaign_source(campaign, now=now))


def _read_macros(env: CopyEnvironment) -> None:
    """Find which names the copy's macros read (``m.`` in a field), once, before the
    other workers fork: parsing the macros' source and walking it costs ~100 ms of CPU,
    which every worker paid again on its first card that says ``m.``."""
    from toolkit.cards.context import MACROS, _free_names

    with suppress(Exception):  # the card that uses them will say what is wrong
        _free_names(env, env.get_template(MACROS))


def _compile_fields(env: CopyEnvironment, loaded: LoadedLayout, shapes: set[Shape]) -> bool:
    """Compile a layout's fields (text templates, ``when`` and ``image`` expressions, its
    alt text) for the variants of ``shapes`` into the caches its cards look them up in;
    whether any of them uses the copy's macros."""
    import jinja2

    from toolkit.cards.context import prepare_expression, prepare_field
    from toolkit.cards.layout import Background, Photo, Text

    templates = [loaded.layout.alt]
    expressions: list[str] = []
    for variant in {id(v): v for v in (loaded.variant(shape)[1] for shape in shapes)}.values():
        for layer in variant.layers:
            if layer.when is not None:
                expressions.append(layer.when)
            if isinstance(layer, Text):
                templates.append(layer.text)
            elif isinstance(layer, Background) and layer.image is not None:
                expressions.append(layer.image)
            elif isinstance(layer, Photo):
                expressions.append(layer.image)
                if layer.initials is not None:
                    templates.append(layer.initials)
    macros = False
    for text in templates:
        with suppress(jinja2.TemplateError):  # the card will say what is wrong, where
            macros |= prepare_field(env, text)
    for text in expressions:
        with suppress(jinja2.TemplateError):
            prepare_expression(env, text)
    return macros


class _Studio:
    """A worker's side of the cards: each look's job, rendered, as the week's file."""

    def __init__(self, campaign: Campaign, now: datetime) -> None:
        self.campaign = campaign
        self.now = now
        self.quotes = {q.text: q for q in quotes(campaign.brief)}
        self.sources: dict[bool, CardSource] = {}  # before / after the event
        # Each card drawn, by what its pixels and alt text come from: platforms' names for
        # one format (x-single, bluesky-landscape, mastodon-landscape) make one card.
        self.drawn: dict[tuple[object, ...], WeekCard | str] = {}

    def job(self, look: CardLook) -> CardJob:
        from toolkit.cards.batch import CardJob
        from toolkit.cards.context import campaign_source

        key = look.after_event
        if key not in self.sources:
            # After the event the card's context has the recording's link, or none.
            angle = "replay" if look.after_event else None
            self.sources[key] = campaign_source(self.campaign, now=self.now, angle=angle)
        source = self.sources[key]
        if look.focus is not None:
            name, text = look.focus
            shown = self.quotes[text] if name == "quote" else text
            source = replace(source, context={**source.context, name: shown})
        return CardJob(look.layout, look.size, None, "png", look.max_bytes, source)

    def render(self, looks: Sequence[CardLook]) -> list[WeekCard | str]:
        """The cards, each its file or its error message."""
        out: list[WeekCard | str] = []
        for look in looks:
            job = self.job(look)
            same = self._same(job, look)
            if same is None:
                out.append(self._draw(job, look))
                continue
            key, cap = same
            made = self.drawn.get(key)
            if made is None:
                # Drawn under no cap: the same bytes as under any cap they fit in (the
                # encoder's first attempt), so one drawing serves every name of the format.
                made = self.drawn[key] = self._draw(replace(job, max_bytes=NO_CAP), look)
            if not isinstance(made, str) and cap is not None and len(made.data) > cap:
                made = self._draw(job, look)  # over this platform's cap: re-encoded smaller
            out.append(made if isinstance(made, str) else replace(made, path=look.path))
        return out

    def _same(self, job: CardJob, look: CardLook) -> tuple[tuple[object, ...], int | None] | None:
        """What the card's pixels and alt text come from besides its source (the same for
        the same ``look``): the layout and the resolved size (the format's name, pixels and
        safe zone, whichever of its names the platform used), and apart, the size's byte
        cap. None when they cannot be resolved (drawing the card says why)."""
        from toolkit.cards.api import resolve

        assert job.source is not None
        try:
            loaded, size = resolve(job.source, job.layout, job.size, job.max_bytes)
        except ToolkitError:
            return None
        drawn = replace(size, max_bytes=None)
        return (loaded.name, loaded.path, drawn, look.after_event, look.focus), size.max_bytes

    @staticmethod
    def _draw(job: CardJob, look: CardLook) -> WeekCard | str:
        from toolkit.cards.batch import attempt

        made = attempt(job)
        if isinstance(made, str):
            return made
        assert made.data is not None
        return WeekCard(look.path, made.alt_text, made.data, made.contrast_warnings)


def _carousel(campaign: Campaign, post: PlannedPost) -> dict[str, bytes] | str:
    """In a worker: a post's carousel files, or the error that cost it."""
    problems: dict[str, list[str]] = {}
    files = carousel_files(campaign, post, problems)
    return next(iter(problems), files)


def _keep_glyphs() -> None:
    import sys

    glyphs = sys.modules.get("toolkit.cards.glyphs")  # not imported: no glyph to keep
    if glyphs is not None:
        glyphs.save()  # an unwritable cache costs only the saving


def _keep_code() -> None:
    """The code the card stack's imports compiled (its dataclasses), for the next week's
    first worker (``files/code_cache``: nothing when the command line did not install it)."""
    from toolkit.files import code_cache

    code_cache.save()


# A worker's malloc keeps what it frees up to this size in its heap (glibc, Linux): each
# card's buffers of a few MB (a base read back from the user cache, its pixels, the PNG)
# were mapped fresh and unmapped again, some 16,000 page faults a week's 25 cards and
# ~40 ms of system time; the heap then holds the largest card's, a few MB more RSS.
KEEP_FREED = 64 << 20
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # mallopt's parameters (malloc.h)


def _keep_freed_memory() -> None:
    """Have this worker's malloc reuse its freed blocks instead of returning them to the
    system after each card (glibc only; elsewhere nothing changes)."""
    import sys

    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt  # absent from musl
    except (OSError, AttributeError):
        return
    mallopt(_M_MMAP_THRESHOLD, KEEP_FREED)
    mallopt(_M_TRIM_THRESHOLD, 2 * KEEP_FREED)


@dataclass(frozen=True)
class _Setup:
    """What an early worker waits for: the week's campaign and clock, and how many other
    workers to start (None: the week stopped)."""

    campaign: Campaign | None
    now: datetime | None
    others: int


@dataclass(frozen=True)
class _Crash:
    """A worker's unexpected exception (a bug, not the user's input), as text."""

    trace: str


def serve(
    conn: Connection,
    campaign: Campaign | None,
    now: datetime | None,
    closing: Sequence[Connection],
    later: Sequence[Connection],
    prepare: bool,
) -> None:
    """A worker: ``prepare``, then one task at a time from ``conn`` until it closes;
    after the first, it starts a worker for each pipe in ``later``.

    Started early (``campaign`` None), it imports the card stack, then waits for the
    campaign, the clock and how many of ``later`` to start (``_Setup``).
    """
    # Pipe ends this process got with the fork but does not use (the week's, the other
    # workers'): closed, so that each pipe closes when its two users close it (and a
    # worker's pending send then fails, not hangs).
    for end in closing:
        end.close()
    _keep_freed_memory()
    if campaign is None or now is None:
        with suppress(Exception):  # as for _prepare: the cards will say what is wrong
            _imports()
        try:
            setup: _Setup = conn.recv()
        except EOFError:  # the week stopped before its campaign was loaded
            setup = _Setup(None, None, 0)
        campaign, now = setup.campaign, setup.now
        for end in later[setup.others :]:  # pipes of workers this week does not need
            end.close()
        later = later[: setup.others]
        if campaign is None or now is None:
            for end in later:
                end.close()
            conn.close()
            return
    if prepare:
        # A head start must never break the pool: the cards themselves will say what is
        # wrong, in the week's notes.
        with suppress(Exception):
            _prepare(campaign, now)
    studio = _Studio(campaign, now)
    started: list[BaseProcess] = []
    try:
        # The others fork once this worker has drawn its first card: they start with
        # what it loaded for it (fonts' glyph widths, glyph masks, the fields rendered),
        # and meanwhile the week's copy has the other core to itself.
        if later and not _answer(conn, studio, campaign):
            return
        started, later = _fork_others(conn, campaign, now, later), []
        while _answer(conn, studio, campaign):
            pass
    finally:
        for other in later:  # never started: their pipes close with this worker
            other.close()
        conn.close()
        for process in started:  # they stop when the week closes their pipes
            process.join()


def _fork_others(
    conn: Connection, campaign: Campaign, now: datetime, later: Sequence[Connection]
) -> list[BaseProcess]:
    """A worker for each pipe in ``later``, forked from this one."""
    from toolkit.cards.procs import context

    started: list[BaseProcess] = []
    for other in later:
        ours = [conn, *(end for end in later if end is not other)]
        args = (other, campaign, now, ours, (), False)
        process = context().Process(target=serve, args=args, daemon=False)
        process.start()
        started.append(process)
    for other in later:
        other.close()
    return started


def _answer(conn: Connection, studio: _Studio, campaign: Campaign) -> bool:
    """Do the next task from ``conn`` and send its result; False once there is none
    (the week has every card, or stopped listening)."""
    if not conn.poll():
        # Idle: the glyphs rasterized so far go to the user cache now, not while the
        # week waits for a card.
        _keep_glyphs()
    try:
        task: _Task | None = conn.recv()
    except EOFError:
        return False
    if task is None:  # the week has every card: keep what is new, and stop
        _keep_glyphs()
        _keep_code()
        return False
    result: object
    try:
        if task.post is not None:
            result = _carousel(campaign, task.post)
        else:
            result = studio.render(task.cards)
    except ToolkitError as error:  # the user's input (a photo outside the workspace…)
        result = error
    except Exception:
        result = _Crash(traceback.format_exc())
    try:
        conn.send(result)
    except OSError:  # the week stopped listening (it failed, or was interrupted)
        return False
    return True


class WeekCards:
    """Decides each post's card, then renders every distinct card once, in worker
    processes started (``start``) before the week is planned."""

    def __init__(
        self, campaign: Campaign, now: datetime, arrived: Callable[[str, bytes], None] | None = None
    ) -> None:
        self.campaign = campaign
        self.now = now  # the week's clock: what the cards say about the event
        # Called with each file of a card or carousel as it comes back from the workers
        # (the week writes it ahead while it waits for the others: ``output_folder.Ahead``).
        self.arrived = arrived
        view = event_view(campaign)
        self.event_over = ends_at(view) if view is not None else None
        self.quotes = {q.text for q in quotes(campaign.brief)}
        self.cards: dict[CardLook, WeekCard | None] = {}
        self.carousels: dict[int, dict[str, bytes]] = {}  # id(post) → its carousel files
        self.failures: dict[str, list[str]] = {}  # error → cards it cost
        self.workers: list[Connection] = []  # each worker's pipe
        self.processes: list[BaseProcess] = []  # those started here (the others' parent)
        self.homes: dict[tuple[int, int] | str, int] = {}  # pixel size → its home worker
        self.pixels: dict[str, tuple[int, int]] = {}  # a size as platforms name it → its pixels
        self.loads: list[int] = []  # cards sent to each worker so far
        self.queues: list[list[_Task]] = []  # each worker's tasks not sent yet
        self.running: dict[int, list[_Task]] = {}  # worker → tasks sent, oldest first
        self.in_flight = IN_FLIGHT  # tasks sent ahead to each worker
        self.order: list[CardLook] = []  # cards queued, in the order asked for
        self.made: dict[CardLook, WeekCard | str] = {}
        self.decks: dict[int, dict[str, bytes] | str] = {}

    def start(self, workers: int | None = None, early: EarlyWorkers | None = None) -> None:
        """Start the workers now: they prepare while the caller plans the week (with
        ``early``, hand them the campaign: they were started before it was loaded).

        Each worker has a queue of its own, so that each image size has a home: its
        cards go to the same worker, and share its cached layers there.
        """
        from toolkit.cards.procs import context, cpu_count

        groups: dict[tuple[int, int] | str, list[str]] = {}  # pixel size → its names
        for alias in _sizes(self.campaign):
            groups.setdefault(self._canonical(alias), []).append(alias)
        count = workers or max(1, min(cpu_count(), MAX_WORKERS, len(groups)))
        if early is not None:  # its first worker is importing the card stack already
            count = min(count, len(early.workers))
            self.workers, self.processes = early.workers[:count], [early.process]
            for unused in early.workers[count:]:
                unused.close()
            early.taken = True
            self.workers[0].send(_Setup(self.campaign, self.now, count - 1))
            self._plan_homes(groups, count)
            return
        self._plan_homes(groups, count)
        # Plain processes with a pipe each (not a pool), each with its own queue. With
        # fork, only the first is started here (before any helper thread exists): once
        # prepared and its first card drawn, it forks the others, which start with all
        # it loaded.
        ctx = context()
        pipes = [ctx.Pipe() for _ in range(count)]
        self.workers = [mine for mine, _ in pipes]
        if ctx.get_start_method() == "fork":
            later = [theirs for _, theirs in pipes[1:]]
            args = (pipes[0][1], self.campaign, self.now, self.workers, later, True)
            # Not a daemon: it starts workers of its own (and waits for them).
            self.processes = [ctx.Process(target=serve, args=args, daemon=False)]
        else:  # spawned workers have no copies of this process: each prepares itself
            alone = [(theirs, self.campaign, self.now, (), (), True) for _, theirs in pipes]
            self.processes = [ctx.Process(target=serve, args=a, daemon=True) for a in alone]
        for process in self.processes:
            process.start()
        for _, theirs in pipes:
            theirs.close()

    def _plan_homes(self, groups: dict[tuple[int, int] | str, list[str]], count: int) -> None:
        """The sizes most platforms share first, each to the least loaded worker."""
        self.loads = [0] * count
        self.queues = [[] for _ in range(count)]
        for size, members in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            home = self.loads.index(min(self.loads))
            self.loads[home] += len(members)
            self.homes[size] = home

    def _canonical(self, size: str) -> tuple[int, int] | str:
        """The size's pixels (platforms' names for one pixel size share a worker), as the
        platforms give them: the format book is the workers' to read."""
        if not self.pixels:
            for platform in self.campaign.platforms.values():
                for image in platform.images[:1]:
                    self.pixels.setdefault(image.name, (image.width, image.height))
        return self.pixels.get(size, size)

    def _home(self, size: tuple[int, int] | str | None, weight: int) -> int:
        """The worker that is home to ``size``, else (and for a carousel) the least loaded."""
        home = self.homes.get(size) if size is not None else None
        if home is None:
            home = self.loads.index(min(self.loads))
            if size is not None:
                self.homes[size] = home
        self.loads[home] += weight
        return home

    def release(self) -> None:
        """Tell the workers to stop, without waiting for them: once the week has its cards
        they exit (the glyphs they rasterized kept) while this process writes the week,
        rather than after it. ``close`` waits for them."""
        for conn in self.workers:
            with suppress(OSError):  # it is gone already
                conn.send(None)
            conn.close()
        self.workers, self.running = [], {}

    def close(self) -> None:
        """Stop the workers (each finishes the task it is on)."""
        for conn in self.workers:
            with suppress(OSError):  # it is gone already
                conn.send(None)
            # Closed, the pipe also frees a worker blocked on sending a result that is
            # no longer wanted (the week failed).
            conn.close()
        for process in self.processes:
            process.join(timeout=10)
            if process.is_alive():
                process.terminate()
                process.join()
        self.workers, self.processes, self.running = [], [], {}

    def look_for(self, post: PlannedPost, focus: str | None) -> CardLook | None:
        """The card of ``post``, whose copy leads with ``focus`` (a key point, a quote…)."""
        platform = self.campaign.platforms[post.platform]
        layout = platform.card or self.campaign.angles[post.angle].card
        if layout is None or not platform.images:
            return None
        image = platform.images[0]
        after = post.angle == "replay" or (
            self.event_over is not None and post.at >= self.event_over
        )
        path = _layout_file(self.campaign.template_roots, layout)
        shown = None
        if focus is not None and path is not None:
            if focus in self.quotes and _reads(path, "quote"):
                shown = ("quote", focus)
            elif focus not in self.quotes and _reads(path, "key_point"):
                shown = ("key_point", focus)
        return CardLook(layout, image.name, image.max_bytes, after, shown)

    def submit(self, post: PlannedPost, focus: str | None) -> CardLook | None:
        """The post's card (see ``look_for``), queued for the workers at once: cards render
        while the rest of the week's copy is written."""
        look = self.look_for(post, focus)
        if look is not None and look not in self.cards and look not in self.order:
            if not self.workers:
                self.start()
            self.order.append(look)
            home = self._home(self._canonical(look.size), 1)
            self.queues[home].append(_Task(cards=(look,)))
            self._pump(block=False)
        return look

    def _pump(self, *, block: bool) -> int:
        """Collect what the workers finished (waiting for one when ``block``) and give each
        idle worker its next task; how many results came in."""
        from multiprocessing.connection import wait

        came = 0
        files: dict[str, bytes] = {}  # what came back, for ``arrived``
        conns = {self.workers[w]: w for w, sent in self.running.items() if sent}
        for ready in wait(list(conns), timeout=None if block else 0):
            worker = conns[ready]  # type: ignore[index]
            task = self.running[worker].pop(0)
            try:
                result: Any = self.workers[worker].recv()
            except EOFError:
                raise RuntimeError("a card worker stopped unexpectedly") from None
            if isinstance(result, ToolkitError):
                raise result  # as the main process would have: file:line:col and a hint
            if isinstance(result, _Crash):
                raise RuntimeError(f"a card worker failed:\n{result.trace}")
            if task.post is not None:
                self.decks[id(task.post)] = result
                came += 1
                files.update(result if isinstance(result, dict) else {})
            else:
                self.made.update(zip(task.cards, result, strict=True))
                came += len(task.cards)
                for card in result:
                    files.update(_card_files(card) if isinstance(card, WeekCard) else {})
        for worker, conn in enumerate(self.workers):
            sent = self.running.setdefault(worker, [])
            while len(sent) < self.in_flight:
                # With none of its own left, a worker takes the last task of the longest
                # queue: done early, it takes over cold cards rather than sit idle. (So
                # the first worker, first here, gets the week's first task: the others
                # fork only once it has drawn one.)
                own = self.queues[worker]
                queue = own or max(self.queues, key=len)
                if not queue:
                    break
                task = queue.pop(0) if own else queue.pop()
                conn.send(task)
                sent.append(task)
        if self.arrived is not None:  # once the workers have their next tasks
            for rel, data in files.items():
                self.arrived(rel, data)
        return came

    def render(
        self,
        looks: Sequence[CardLook] = (),
        *,
        progress: Progress | None = None,
        carousels: Sequence[PlannedPost] = (),
        idle: Callable[[], bool] | None = None,
    ) -> None:
        """Render every look not rendered yet (those ``submit`` queued, and ``looks``) and
        the posts' ``carousels``, in parallel; failures become notes. While the workers
        draw and none has a result, ``idle()`` does one small piece of the caller's work
        (``card`` and ``carousel`` give what came back so far) and says whether it had
        any; with none left this waits. The workers are then told to stop (``release``):
        a later call starts new ones."""
        if not self.workers:
            self.start()
        for look in dict.fromkeys(looks):
            if look not in self.cards and look not in self.order:
                self.order.append(look)
                home = self._home(self._canonical(look.size), 1)
                self.queues[home].append(_Task(cards=(look,)))
        posts = [post for post in carousels if id(post) not in self.carousels]
        for post in posts:  # several slides each: first in their worker's queue
            self.queues[self._home(None, CAROUSEL_WEIGHT)].insert(0, _Task(post=post))
        self.in_flight = IN_FLIGHT_WAITING
        wanted = [look for look in self.order if look not in self.cards]
        total = len(wanted) + len(posts)
        done = sum(1 for look in wanted if look in self.made)
        done += self._pump(block=False)
        if progress is not None and total:
            progress(done, total)  # some may have finished while the copy was written
        while any(self.running.values()):
            # Each result is answered with the worker's next task at once: the caller's
            # work comes in pieces short enough not to leave a worker waiting on it.
            came = self._pump(block=False)
            if not came and (idle is None or not idle()):
                came = self._pump(block=True)
            done += came
            if came and progress is not None:
                progress(done, total)
        # In the order asked for, whatever order they finished in: the notes that name
        # failed cards come out the same every time.
        for look in wanted:
            self._card_done(look, self.made.pop(look))
        for post in posts:
            self._carousel_done(post, self.decks.pop(id(post)))
        self.order = []
        self.release()

    def _card_done(self, look: CardLook, result: WeekCard | str) -> None:
        if isinstance(result, str):
            # A missing font or a broken logo costs the card, not the week of drafts.
            name = look.path.removeprefix("cards/").removesuffix(".png")
            self.failures.setdefault(result, []).append(name)
            self.cards[look] = None
            return
        self.cards[look] = result

    def _carousel_done(self, post: PlannedPost, result: dict[str, bytes] | str) -> None:
        if isinstance(result, str):
            self.failures.setdefault(result, []).append(f"carousel-{post.platform}")
            result = {}
        self.carousels[id(post)] = result

    def has_card(self, look: CardLook | None) -> bool:
        """Whether ``look``'s card is back (rendered or failed), or there is none."""
        return look is None or look in self.cards or look in self.made

    def has_carousel(self, post: PlannedPost) -> bool:
        """Whether the post's carousel is back (rendered or failed)."""
        return id(post) in self.carousels or id(post) in self.decks

    def carousel(self, post: PlannedPost) -> dict[str, bytes]:
        """The post's carousel files (once back: ``render``), none if it has none."""
        deck = self.carousels.get(id(post), self.decks.get(id(post)))
        return deck if isinstance(deck, dict) else {}

    def card(self, look: CardLook | None) -> WeekCard | None:
        """The look's card (once back: ``render``), None if it has none or failed."""
        if look is None:
            return None
        made = self.cards[look] if look in self.cards else self.made.get(look)
        return made if isinstance(made, WeekCard) else None

    @property
    def problems(self) -> list[str]:
        """One note per distinct error, naming the cards it cost."""
        return [
            f"{len(cards)} card(s) not rendered ({', '.join(cards)}): {error}"
            for error, cards in self.failures.items()
        ]

    def files(self) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        for card in self.cards.values():
            if card is not None:
                out.update(_card_files(card))
        return out


def _card_files(card: WeekCard) -> dict[str, bytes]:
    """A card's image and its alt text beside it."""
    alt = (card.alt_text + "\n").encode("utf-8")
    return {card.path: card.data, alt_path(card.path): alt}


def carousel_files(
    campaign: Campaign, post: PlannedPost, problems: dict[str, list[str]]
) -> dict[str, bytes]:
    """The post's carousel (Instagram slides or LinkedIn's PDF) with alt texts, in memory."""
    from toolkit.cards.carousel import render_carousel

    platform = post.platform
    try:
        made = render_carousel(campaign, platform, None, now=post.at, angle=post.angle)  # type: ignore[arg-type]
    except ToolkitError as exc:
        problems.setdefault(str(exc), []).append(f"carousel-{platform}")
        return {}
    base = f"cards/carousel-{platform}"
    if made.document_data is not None:
        document = f"{base}.pdf"
        return {document: made.document_data, alt_path(document): made.alt_lines.encode("utf-8")}
    files: dict[str, bytes] = {}
    for i, slide in enumerate(made.slides, 1):
        assert slide.data is not None
        image = f"{base}-{i:02d}.png"
        files[image] = slide.data
        files[alt_path(image)] = (slide.alt_text + "\n").encode("utf-8")
    return files

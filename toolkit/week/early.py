"""The week's first card worker, forked before the week loads its campaign.

The worker is on the week's critical path: its cards can start only once it has
imported the drawing stack, has the campaign and has prepared (layouts, fonts),
and the copy waits for nothing. ``build_week`` (``toolkit.week.run``) forks it
once the campaign's modules are imported (pydantic, the campaign's models) and
loads the campaign before it imports the copy's (Jinja's compiler, the voice
guide, the planner, the exporters): the worker imports the drawing stack
meanwhile and gets the campaign about a tenth of a second sooner than when it
forked after all of the week's imports. Forking it earlier still, before the
command line is parsed, made it import the campaign's modules again: 0.13 s more
CPU for the same wall-clock time (30 paired runs).

Apart from the drawing stack (it imports only ``multiprocessing``, and that when
it starts a worker), so that a week without cards pays nothing for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

# More workers than this would each pay their first cards' cold caches for a week's two
# or three dozen cards.
MAX_WORKERS = 4


@dataclass
class EarlyWorkers:
    """The week's first card worker, started (``start_early``) before its campaign is
    loaded, with a pipe for each worker it may start once it has the campaign."""

    workers: list[Connection]
    process: BaseProcess
    # No longer this object's to stop: the week's cards took it over (``WeekCards.start``),
    # or it was stopped already.
    taken: bool = False

    def close(self) -> None:
        """Stop it, unless the week's cards took it over (then they stop it)."""
        if self.taken:
            return
        self.taken = True
        for conn in self.workers:
            conn.close()  # it sees the end of its pipe, and stops
        self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()


def start_early() -> EarlyWorkers | None:
    """Fork the first card worker now, before the week loads its campaign: it imports
    the drawing stack while this process loads the campaign. None where workers are
    spawned (they cannot start without the campaign)."""
    from toolkit.cards.procs import context, cpu_count

    ctx = context()
    if ctx.get_start_method() != "fork":
        return None
    pipes = [ctx.Pipe() for _ in range(max(1, min(cpu_count(), MAX_WORKERS)))]
    mine = [end for end, _ in pipes]
    later = [theirs for _, theirs in pipes[1:]]
    args = (pipes[0][1], None, None, mine, later, True)
    process = ctx.Process(target=_serve, args=args, daemon=False)  # it starts others
    process.start()
    for _, theirs in pipes:
        theirs.close()
    return EarlyWorkers(mine, process)


def _serve(*args: Any) -> None:
    """The worker's life (``toolkit.week.cards.serve``), imported in the worker."""
    from toolkit.week.cards import serve

    serve(*args)

"""The week's first card worker, forked before the week loads its campaign.

``build_week`` forks it once the week's own modules are imported (pydantic,
Jinja, the campaign's and the planner's models, a third of a second of one
core): the worker inherits them, imports only the drawing stack (about a tenth
of a second) while this process loads the campaign and starts on the copy, and
is ready about when it would be had it been forked before those imports and
imported them again itself (the week's command used to do that; the worker
then waited for the campaign anyway, and the two processes' imports cost the
week some 0.2 s of CPU more, taken from the copy and the cards).

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

"""The week's first card worker, forked as early as a week with cards is asked for.

Apart from the week's modules (it imports only ``multiprocessing``, and that when
it starts a worker), so that ``toolkit week`` can fork the worker before importing
the week itself: the worker then imports the card stack on the core the week's
own imports leave idle, and is ready when the campaign is loaded.
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
    the card stack on a core this process leaves idle meanwhile. None where workers
    are spawned (they cannot start without the campaign)."""
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

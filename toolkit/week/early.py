"""The week's first card worker, forked before the week loads its campaign.

The worker is on the week's critical path: its cards can start only once it has
imported the drawing stack, has the campaign and has prepared (layouts, fonts),
and the copy waits for nothing. So the command line forks it first
(``fork_ahead``, before it parses the options), and ``build_week`` loads the
campaign before it imports the copy's modules (pydantic, Jinja, the campaign's
models, then the copy, a third of a second of one core). The worker imports what
it needs on the core the week leaves idle meanwhile, and gets the campaign about
a tenth of a second sooner than when it forked after the week's imports (they
were the copy's, which it does not need, and it waited for the campaign anyway).

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


# The worker the command line forked (``fork_ahead``) and no week has taken yet.
_AHEAD: list[EarlyWorkers] = []


def fork_ahead() -> None:
    """Fork the week's first card worker now, before the command line is parsed (the
    command asks for ``toolkit week`` with cards): ``start_early`` hands it to the week.
    ``discard_ahead`` stops it if no week took it (bad options, ``--help``)."""
    discard_ahead()
    early = _fork()
    if early is not None:
        _AHEAD.append(early)


def discard_ahead() -> None:
    """Stop the worker ``fork_ahead`` started, if no week took it."""
    while _AHEAD:
        _AHEAD.pop().close()


def start_early() -> EarlyWorkers | None:
    """The first card worker, forked before the week loads its campaign (by
    ``fork_ahead``, else now): it imports the drawing stack while this process loads
    the campaign. None where workers are spawned (they cannot start without the
    campaign)."""
    return _AHEAD.pop() if _AHEAD else _fork()


def _fork() -> EarlyWorkers | None:
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

"""Work on a large batch split between this process and forked children.

The batch is cut into numbered chunks. This process and ``workers - 1``
children forked from it (with everything it has loaded: the guide, the posts,
warm caches; nothing is pickled on the way in) take chunk numbers from one
pipe until none is left, so a child that gets less CPU simply does fewer.
Each child sends each chunk's result back as soon as it is done, and this
process reads them between its own chunks (their unpickling is shared out
like the rest of the work); every chunk goes back in its place, so the result
is the one a single process gives.

A chunk a child did not deliver (it raised, was killed, or sent something
unreadable) is done again here: a deterministic error is then raised by this
process, with its real traceback, as if there had been no children. Children
are always reaped (no zombies) and killed first if this process stops early
(an error, Ctrl-C).

Fork only (Linux): elsewhere the work runs in this process, as it would with
one worker.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterator
from typing import Any, NoReturn, TypeVar

R = TypeVar("R")

_INDEX = 4  # bytes of a chunk number on the tasks pipe
_LENGTH = 8  # bytes of a message's length on a results pipe
PIPE_BYTES = 1 << 20  # Linux lets any process grow a pipe to 1 MiB
# Every chunk number is written to the pipe before any process reads it: the pipe's
# buffer (64 KiB on Linux, 4 KiB guaranteed) must hold them all.
MAX_CHUNKS = 1024


def can_fork() -> bool:
    """Fork is the system's own way only on Linux: elsewhere a forked child of a
    process that loaded system frameworks may crash."""
    return sys.platform.startswith("linux")


def run_chunks(
    work: Callable[[int], R],
    chunks: int,
    workers: int,
    *,
    pack: Callable[[R], Any] | None = None,
    unpack: Callable[[int, Any], R] | None = None,
) -> list[R]:
    """``[work(0), ..., work(chunks - 1)]``, computed by ``workers`` processes.

    ``pack`` turns a child's result into something cheaper to pickle and
    ``unpack(index, packed)`` turns it back (results this process computed
    itself are used as they are).
    """
    if workers <= 1 or chunks <= 1 or not can_fork():
        return [work(i) for i in range(chunks)]
    if chunks > MAX_CHUNKS:
        raise ValueError(f"at most {MAX_CHUNKS} chunks, not {chunks}")
    tasks, feed = os.pipe()
    os.write(feed, b"".join(i.to_bytes(_INDEX, "little") for i in range(chunks)))
    os.close(feed)  # an empty pipe now reads as the end: no chunk left
    children: list[_Child] = []
    done: dict[int, R] = {}

    def take(child: _Child, *, wait: bool) -> None:
        for index, packed in child.results(wait=wait):
            done[index] = unpack(index, packed) if unpack is not None else packed

    try:
        for _ in range(min(workers, chunks) - 1):
            children.append(_Child.start(work, tasks, pack, children))
        for index in _claims(tasks):
            done[index] = work(index)
            for child in children:  # what they sent meanwhile, so their pipes never fill
                take(child, wait=False)
        for child in children:
            take(child, wait=True)
    finally:
        os.close(tasks)
        for child in children:
            child.stop()
    # What a child did not deliver, in order: the first error is the batch's first.
    return [done[i] if i in done else work(i) for i in range(chunks)]


def _claims(tasks: int) -> Iterator[int]:
    """Take chunk numbers, one at a time, until none is left (pipe reads of 4 bytes are
    atomic: each number goes to one process)."""
    while data := os.read(tasks, _INDEX):
        yield int.from_bytes(data, "little")


class _Child:
    """A forked worker, and the results it sends: each chunk's as soon as it is done,
    as a length-prefixed pickle of ``(index, packed result)``."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid, self.fd = pid, fd
        self.buffer = bytearray()
        self.reaped = False

    @classmethod
    def start(
        cls,
        work: Callable[[int], R],
        tasks: int,
        pack: Callable[[R], Any] | None,
        siblings: list[_Child],
    ) -> _Child:
        import fcntl  # Linux only, as fork is here

        read_end, write_end = os.pipe()
        with contextlib.suppress(OSError):  # a larger pipe: a child waits less on its parent
            fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        try:
            pid = os.fork()
        except OSError:  # no process to be had: the pipe goes, the parent's finally stops the rest
            os.close(read_end)
            os.close(write_end)
            raise
        if pid == 0:  # what this process had buffered for stdout is never written here: _exit
            os.close(read_end)
            for sibling in siblings:
                os.close(sibling.fd)
            _work_in_child(work, tasks, write_end, pack)
        os.close(write_end)
        os.set_blocking(read_end, False)
        return cls(pid, read_end)

    def results(self, *, wait: bool) -> list[tuple[int, Any]]:
        """The chunks received whole so far; with ``wait``, all of them, the child reaped."""
        if wait:
            os.set_blocking(self.fd, True)
        while True:
            try:
                data = os.read(self.fd, PIPE_BYTES)
            except BlockingIOError:
                break  # nothing more for now
            if not data:
                self._reap()
                break
            self.buffer += data
        import pickle

        found = []
        view, at = self.buffer, 0
        while len(view) - at >= _LENGTH:
            size = int.from_bytes(view[at : at + _LENGTH], "little")
            if len(view) - at - _LENGTH < size:
                break  # the rest of this one is still on its way
            start = at + _LENGTH
            with contextlib.suppress(Exception):  # never expected: the chunk is redone
                found.append(pickle.loads(view[start : start + size]))
            at = start + size
        del self.buffer[:at]
        return found

    def _reap(self) -> None:
        if not self.reaped:
            os.waitpid(self.pid, 0)
            self.reaped = True

    def stop(self) -> None:
        """Kill the child if it still runs (this process stopped early), and reap it."""
        os.close(self.fd)
        if not self.reaped:
            os.kill(self.pid, signal.SIGKILL)  # not reaped: the pid is still this child's
            self._reap()


def _work_in_child(
    work: Callable[[int], R], tasks: int, out: int, pack: Callable[[R], Any] | None
) -> NoReturn:
    # Ctrl-C reaches the whole process group: a child just ends (its parent, told too,
    # reaps it), with no traceback of its own.
    import pickle  # only where there are workers: one draft's lint does without

    signal.signal(signal.SIGINT, signal.SIG_DFL)
    code = 1
    try:
        for index in _claims(tasks):
            result = work(index)
            message = pickle.dumps(
                (index, pack(result) if pack is not None else result),
                protocol=pickle.HIGHEST_PROTOCOL,
            )
            payload = memoryview(len(message).to_bytes(_LENGTH, "little") + message)
            while payload:
                payload = payload[os.write(out, payload) :]
        code = 0
    except BaseException:  # the parent redoes the chunk, and raises the error
        pass
    finally:
        # Never return into the parent's code, flush its buffers or run its exit hooks.
        os._exit(code)

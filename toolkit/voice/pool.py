"""Work on a large batch split between this process and forked children.

The batch is cut into numbered chunks. This process and ``workers - 1``
children forked from it (with everything it has loaded: the guide, the posts,
warm caches; nothing is pickled on the way in) take chunk numbers from one
pipe until none is left, so a child that gets less CPU simply does fewer.
Each child sends its results back once, at the end, as one pickle; this
process puts every chunk back in its place, so the result is the one a single
process gives.

A chunk a child did not deliver (it raised, was killed, or sent something
unreadable) is done again here: a deterministic error is then raised by this
process, with its real traceback, as if there had been no children. Children
are always reaped (no zombies) and killed first if this process stops early
(an error, Ctrl-C).

Fork only (Linux): elsewhere the work runs in this process, as it would with
one worker.
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
import sys
from collections.abc import Callable, Iterator
from typing import Any, NoReturn, TypeVar

R = TypeVar("R")

_INDEX = struct.Struct("<I")
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
    os.write(feed, b"".join(_INDEX.pack(i) for i in range(chunks)))
    os.close(feed)  # an empty pipe now reads as the end: no chunk left
    children: dict[int, int] = {}  # pid: the read end of its results, until reaped
    try:
        for _ in range(min(workers, chunks) - 1):
            read_end, write_end = os.pipe()
            sys.stdout.flush()  # nothing buffered here is written twice (children _exit)
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                os.close(read_end)
                for other in children.values():
                    os.close(other)
                _child(work, tasks, write_end, pack)
            os.close(write_end)
            children[pid] = read_end
        done: dict[int, R] = {i: work(i) for i in _claims(tasks)}
        for pid, read_end in list(children.items()):
            data = _read_all(read_end)  # to the end: the child has ended or is ending
            _, status = os.waitpid(pid, 0)
            del children[pid]
            os.close(read_end)
            for index, packed in _delivered(status, data):
                done[index] = unpack(index, packed) if unpack is not None else packed
    finally:
        os.close(tasks)
        for pid, read_end in children.items():
            _stop(pid, read_end)
    # What a child did not deliver, in order: the first error is the batch's first.
    return [done[i] if i in done else work(i) for i in range(chunks)]


def _claims(tasks: int) -> Iterator[int]:
    """Take chunk numbers, one at a time, until none is left (pipe reads of 4 bytes are
    atomic: each number goes to one process)."""
    while data := os.read(tasks, _INDEX.size):
        yield _INDEX.unpack(data)[0]


def _child(
    work: Callable[[int], R], tasks: int, out: int, pack: Callable[[R], Any] | None
) -> NoReturn:
    # Ctrl-C reaches the whole process group: a child just ends (its parent, told too,
    # reaps it), with no traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    code = 1
    try:
        results = []
        for index in _claims(tasks):
            result = work(index)
            results.append((index, pack(result) if pack is not None else result))
        payload = memoryview(pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL))
        while payload:
            payload = payload[os.write(out, payload) :]
        code = 0
    except BaseException:  # the parent redoes the chunk, and raises the error
        pass
    finally:
        # Never return into the parent's code, flush its buffers or run its exit hooks.
        os._exit(code)


def _read_all(fd: int) -> bytes:
    parts = []
    while data := os.read(fd, 1 << 20):
        parts.append(data)
    return b"".join(parts)


def _delivered(status: int, data: bytes) -> list[tuple[int, Any]]:
    """What a child sent if it ended well, else nothing (its chunks are redone)."""
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        return []
    try:
        results: list[tuple[int, Any]] = pickle.loads(data)
    except Exception:  # a torn message: its chunks are redone
        return []
    return results


def _stop(pid: int, read_end: int) -> None:
    """Kill a child not yet reaped (this process stopped early), and reap it."""
    os.close(read_end)
    os.kill(pid, signal.SIGKILL)  # not reaped yet, so the pid is still this child's
    os.waitpid(pid, 0)

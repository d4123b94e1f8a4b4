"""The processes cards are drawn in: how they start, and how many CPUs there are
(which ``toolkit lint`` asks too, for its workers).

Apart from the drawing stack, so that a process that only starts card workers
(the week) imports none of it.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import multiprocessing.context


def cpu_count() -> int:
    """The CPUs this process may run on (its affinity, not the machine's count)."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return cpus or 1


def context() -> multiprocessing.context.ForkContext | multiprocessing.context.SpawnContext:
    """fork on Linux: workers start with the parent's imports and warm caches (no
    re-import, no pickled state); elsewhere (macOS, Windows) spawn is the safe choice.
    (multiprocessing is imported here: a process that only counts CPUs needs none of it.)"""
    import multiprocessing

    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")

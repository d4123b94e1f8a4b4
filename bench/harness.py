"""What every benchmark shares: repeats, timing, one row per figure, and the table.

A row keeps all its samples (already in the unit it is shown in); the table
shows their median and their spread (min–max), how many there were, and the
row's target with ✓ or ✗ when it has one. A row with no samples was skipped
and says why.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))
MS = 1e3
US = 1e6


@dataclass(frozen=True)
class Config:
    """How hard to measure: ``quick`` uses fewer repeats and smaller batches."""

    quick: bool = False
    repeats: int | None = None  # overrides every row's repeat count
    keep: Path | None = None  # where to save sample images (the peer comparison's)

    def n(self, full: int, quick: int = 3) -> int:
        """Repeats for a row that takes ``full`` repeats normally."""
        if self.repeats is not None:
            return self.repeats
        return min(full, quick) if self.quick else full


@dataclass(frozen=True)
class Target:
    """``median <= value`` (``at_most``) or ``median >= value``."""

    value: float
    at_most: bool

    def met(self, median: float) -> bool:
        return median <= self.value if self.at_most else median >= self.value

    def __str__(self) -> str:
        return f"{'≤' if self.at_most else '≥'} {self.value:g}"


def at_most(value: float) -> Target:
    return Target(value, True)


def at_least(value: float) -> Target:
    return Target(value, False)


@dataclass(frozen=True)
class Row:
    section: str
    name: str
    samples: tuple[float, ...]
    unit: str
    target: Target | None = None
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def skipped(self) -> bool:
        return not self.samples

    def cells(self) -> list[str]:
        if self.skipped:
            return [self.section, self.name, "skipped", "", "", self.note]
        med = f"{number(self.median)} {self.unit}"
        spread = f"{number(min(self.samples))}–{number(max(self.samples))}"
        verdict = ""
        if self.target is not None:
            verdict = f"target {self.target} {'✓' if self.target.met(self.median) else '✗'}"
        note = "; ".join(part for part in (verdict, self.note) if part)
        return [self.section, self.name, med, spread, str(len(self.samples)), note]


@dataclass
class Rows:
    """Rows of one section, added as they are measured."""

    section: str
    rows: list[Row] = field(default_factory=list)

    def add(
        self,
        name: str,
        samples: list[float] | tuple[float, ...],
        unit: str,
        *,
        target: Target | None = None,
        note: str = "",
    ) -> Row:
        row = Row(self.section, name, tuple(samples), unit, target, note)
        self.rows.append(row)
        return row

    def skip(self, name: str, why: str) -> Row:
        return self.add(name, (), "", note=why)


def busy_seconds() -> float | None:
    """CPU seconds every process on the machine has used so far (Linux), else None."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def own_seconds() -> float:
    """CPU seconds this process and its finished children have used."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def number(value: float) -> str:
    """A figure with as many decimals as its size deserves."""
    size = abs(value)
    if size >= 100:
        return f"{value:,.0f}"
    if size >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def seconds_per_call(
    func: Callable[[], object],
    repeats: int,
    inner: int = 1,
    clock: Callable[[], float] = time.perf_counter,
) -> list[float]:
    """Seconds per call of ``func`` for each of ``repeats`` runs of ``inner`` calls (warmed).

    ``clock``: the wall clock, or ``time.process_time`` for this process's CPU time
    (what a per-core target means on a machine shared with other jobs).
    """
    func()
    samples = []
    for _ in range(repeats):
        start = clock()
        for _ in range(inner):
            func()
        samples.append((clock() - start) / inner)
    return samples


def paired_seconds(
    first: Callable[[], object],
    second: Callable[[], object],
    repeats: int,
    inner: tuple[int, int] = (1, 1),
) -> tuple[list[float], list[float]]:
    """Like ``seconds_per_call`` for two functions timed in turn, repeat by repeat.

    Sample i of one and sample i of the other ran back to back, so their ratio
    is fair even when the machine's speed drifts.
    """
    a: list[float] = []
    b: list[float] = []
    for _ in range(repeats):
        a.extend(seconds_per_call(first, 1, inner[0]))
        b.extend(seconds_per_call(second, 1, inner[1]))
    return a, b


def scaled(samples: list[float], factor: float) -> list[float]:
    return [s * factor for s in samples]


def per_second(samples: list[float], items: float = 1.0) -> list[float]:
    """Seconds per call → items per second."""
    return [items / s for s in samples]


HEADER = ["section", "benchmark", "median", "spread (min–max)", "n", "target / note"]


def table(rows: list[Row]) -> str:
    """One Markdown table (readable as text) of every row."""
    cells = [HEADER, *(row.cells() for row in rows)]
    widths = [max(len(line[i]) for line in cells) for i in range(len(HEADER))]
    right = {2, 3, 4}

    def line(values: list[str]) -> str:
        padded = [
            v.rjust(widths[i]) if i in right else v.ljust(widths[i]) for i, v in enumerate(values)
        ]
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(cells[0]), rule, *(line(c) for c in cells[1:])])

"""Cold starts: fresh ``toolkit`` processes against the cost of importing what they need.

Each repeat runs the dependency floor and then each command, in turn, so a drift in the
machine's load touches both sides of a ratio alike. The first round is not counted (the
disk cache and the user cache are warmed by it). Run with the package's ``.pyc`` files
(what ``pip install .`` leaves) and, for one row each, without them (an editable install
with ``PYTHONDONTWRITEBYTECODE`` set, as the README's test command makes).
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench.harness import MS, REPO, Config, Rows, at_most

# What every command of the week's path imports anyway (issue #16's floor).
FLOOR = "import pydantic, jinja2, babel.dates, PIL.Image, yaml, regex, emoji, typer"
WEEK_NOW = "2026-11-21T10:00"
# The user-cache folders of the cards' kept layers, photo crops and small shape masks
# (toolkit/cards/base_cache.py) and rasterized glyphs (toolkit/cards/glyph_store.py),
# emptied before the run that shows what a week costs without them.
CARD_LAYERS = ("bases", "covers", "shapes", "masks")
UNKEPT = "week, card layers not kept"
CPU = " (CPU)"  # a command's CPU seconds, beside its wall-clock ones
ONE_DRAFT = (
    "Prove the ROI of social media in 45 minutes. Register: https://example.com #SocialMedia\n"
)


def _toolkit() -> list[str]:
    """The ``toolkit`` command a user runs (the venv's script), else ``python -m toolkit``."""
    script = Path(sys.executable).with_name("toolkit")
    return [str(script)] if script.exists() else [sys.executable, "-m", "toolkit"]


def _seconds(command: Sequence[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock seconds of the command, and its CPU seconds (user + system, with every
    worker it waited for): the CPU is what a busy host leaves comparable."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, stderr = process.communicate()
    took = time.perf_counter() - started
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command, stderr=stderr)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return took, usage.ru_utime + usage.ru_stime


def _commands(work: Path) -> dict[str, list[str]]:
    draft = work / "draft.md"
    draft.write_text(ONE_DRAFT, encoding="utf-8")
    week = ["week", "--now", WEEK_NOW, "--out"]
    return {
        "floor": [sys.executable, "-c", FLOOR],
        "help": [*_toolkit(), "--help"],
        "generate": [*_toolkit(), "generate"],
        "week --no-cards": [*_toolkit(), *week, "{out}", "--no-cards"],
        "week": [*_toolkit(), *week, "{out}"],
        UNKEPT: [*_toolkit(), *week, "{out}"],
        "lint one draft": [*_toolkit(), "lint", str(draft)],
    }


def _without_pyc(work: Path) -> dict[str, str]:
    """An environment whose ``toolkit`` is a copy of the package with no bytecode."""
    copy = work / "nopyc"
    shutil.copytree(
        REPO / "toolkit", copy / "toolkit", ignore=shutil.ignore_patterns("__pycache__")
    )
    for data in ("templates", "brand"):  # found beside the package, as in the repository
        shutil.copytree(REPO / data, copy / data)
    return {**os.environ, "PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"}


def _round(
    commands: dict[str, list[str]], names: Sequence[str], work: Path, env: dict[str, str]
) -> dict[str, float]:
    """Each command's wall-clock seconds, and its CPU seconds under ``name + CPU``."""
    took: dict[str, float] = {}
    for name in names:
        if name == UNKEPT:
            for folder in CARD_LAYERS:
                shutil.rmtree(Path(env["XDG_CACHE_HOME"]) / "toolkit" / folder, ignore_errors=True)
        out = Path(tempfile.mkdtemp(dir=work)) / "week"
        command = [str(out) if arg == "{out}" else arg for arg in commands[name]]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        took[name], after = _seconds(command, work, env)
        took[name + CPU] = after - (before.ru_utime + before.ru_stime)
        shutil.rmtree(out.parent, ignore_errors=True)
    return took


def cold_rows(cfg: Config) -> Rows:
    rows = Rows("cold")
    repeats = cfg.n(7)
    subprocess.run(  # the package's .pyc files, as a regular install has them
        [sys.executable, "-m", "compileall", "-q", str(REPO / "toolkit")],
        check=True,
        capture_output=True,
    )
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        commands = _commands(work)
        env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache")}
        nopyc = {**_without_pyc(work), "XDG_CACHE_HOME": str(work / "cache")}
        names = list(commands)
        runs: list[dict[str, float]] = []
        bare: list[dict[str, float]] = []
        for i in range(repeats + 1):
            took = _round(commands, names, work, env)
            plain = _round(commands, ["floor", "generate", "week --no-cards"], work, nopyc)
            if i:  # the first round fills the caches
                runs.append(took)
                bare.append(plain)

    def ms(name: str, source: list[dict[str, float]] = runs) -> list[float]:
        return [r[name] * MS for r in source]

    def ratio(a: str, b: str, source: list[dict[str, float]] = runs) -> list[float]:
        return [r[a] / r[b] for r in source]

    floor = statistics.median(ms("floor"))
    rows.add("dependency floor: python -c 'import …'", ms("floor"), "ms", note=FLOOR[7:])
    rows.add("toolkit --help", ms("help"), "ms", target=at_most(300))
    rows.add("toolkit generate (demo)", ms("generate"), "ms")
    rows.add("generate / floor", ratio("generate", "floor"), "×", target=at_most(2.5))
    rows.add("toolkit week --no-cards (demo)", ms("week --no-cards"), "ms", target=at_most(1000))
    rows.add("week --no-cards / floor", ratio("week --no-cards", "floor"), "×", target=at_most(2.5))
    rows.add("toolkit week, with cards (demo)", ms("week"), "ms", target=at_most(3000))
    rows.add(
        "week with cards / without", ratio("week", "week --no-cards"), "×", target=at_most(1.4)
    )
    rows.add(
        "toolkit week, with cards, card layers not kept",
        ms(UNKEPT),
        "ms",
        note="their user-cache entries deleted before each run",
    )
    rows.add("… with cards not kept / without", ratio(UNKEPT, "week --no-cards"), "×")
    rows.add("toolkit lint one-draft.md", ms("lint one draft"), "ms", target=at_most(400))
    cpu_note = "CPU time (user + system, workers included): what a busy host leaves comparable"
    rows.add(
        "CPU: week --no-cards / floor", ratio("week --no-cards" + CPU, "floor" + CPU), "×",
        note=cpu_note,
    )  # fmt: skip
    rows.add("CPU: week with cards / without", ratio("week" + CPU, "week --no-cards" + CPU), "×")
    # What the cards themselves cost, apart from how fast the rest of the week is: the
    # ratio above grows whenever the week without cards gets faster.
    rows.add(
        "CPU: the cards' own (with − without)",
        [(r["week" + CPU] - r["week --no-cards" + CPU]) * MS for r in runs],
        "ms",
        note="workers and the week's own card work",
    )
    rows.add("week with cards / floor", ratio("week", "floor"), "×")
    rows.add(
        "without toolkit's .pyc: generate / floor",
        ratio("generate", "floor", bare),
        "×",
        note=f"editable install, PYTHONDONTWRITEBYTECODE; floor {floor:.0f} ms",
    )
    rows.add(
        "without toolkit's .pyc: week --no-cards / floor",
        ratio("week --no-cards", "floor", bare),
        "×",
    )
    return rows

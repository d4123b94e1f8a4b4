"""Instructions per linted post, by callgrind: ``python bench/lint_instructions.py [CHECKOUT ...]``.

CPU time on a shared machine moves by ±10 % with the load, more than most changes to
the linter; instruction counts do not. For each checkout (default: this one), a process
lints the first 500 posts of :mod:`bench.lint_corpus` (100 in each of the five
languages: the corpus takes them in turn, so every fifth post would all be English) once
to warm up, then twice more inside ``functools.reduce``, and callgrind counts only what
runs inside it (``--toggle-collect=functools_reduce``): imports, loading the guide and
the warm-up are left out. The corpus and the guide are this checkout's; only the
``toolkit`` package differs. Needs ``valgrind``; a few minutes a checkout (callgrind
runs some 50× slower). Prints; asserts nothing.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):  # run as a script: the repo root holds ``bench``
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.lint import CHILD_SETUP

REPO = Path(__file__).resolve().parents[1]
POSTS, PASSES = 500, 2

_CHILD = (
    CHILD_SETUP
    + """
import functools
corpus = corpus_module.mixed_posts(2500)[:500]
for locale, platform, text in corpus:
    lint_text(text, guide, platform=platform, locale=locale)
def one(_, post):
    lint_text(post[2], guide, platform=post[1], locale=post[0])
for _ in range(int(sys.argv[2])):
    functools.reduce(one, corpus, None)  # what callgrind counts
"""
)


def _instructions(checkout: Path, passes: int, env: dict[str, str]) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                "--toggle-collect=functools_reduce",
                f"--callgrind-out-file={tmp}/out",
                sys.executable,
                "-c",
                _CHILD,
                str(REPO),
                str(passes),
            ],
            env={**env, "PYTHONPATH": str(checkout)},
            capture_output=True,
            text=True,
            check=True,
            cwd=tmp,
        )
    found = re.search(r"refs:\s*([\d,]+)", done.stderr)
    if found is None:
        raise SystemExit(f"{checkout}: no instruction count from callgrind:\n{done.stderr}")
    return int(found.group(1).replace(",", ""))


def per_post(checkout: Path) -> float:
    """Instructions per linted post of ``checkout``'s ``toolkit``."""
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "XDG_CACHE_HOME": cache}
        return _instructions(checkout, PASSES, env) / (PASSES * POSTS)


def main(checkouts: list[Path]) -> None:
    for checkout in checkouts:
        print(f"{checkout}: {per_post(checkout):,.0f} instructions per post", flush=True)


if __name__ == "__main__":
    main([Path(p).resolve() for p in sys.argv[1:]] or [REPO])

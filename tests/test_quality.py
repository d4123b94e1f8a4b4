"""The code stays ruff- and mypy-clean: part of the one test command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, check=False
    )


def test_ruff_clean() -> None:
    lint = _run("ruff", "check", "toolkit", "tests", "bench")
    assert lint.returncode == 0, lint.stdout + lint.stderr
    fmt = _run("ruff", "format", "--check", "toolkit", "tests", "bench")
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_mypy_clean() -> None:
    result = _run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_dead_code() -> None:
    # tests/vulture_allowlist.py lists what frameworks use (pydantic, Jinja, Click…).
    result = _run("vulture", "toolkit", "tests/vulture_allowlist.py", "--min-confidence", "60")
    assert result.returncode == 0, result.stdout + result.stderr

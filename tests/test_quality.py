"""The code stays ruff- and mypy-clean, and the tests quick to start: part of the one test
command."""

from __future__ import annotations

import ast
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


def test_hypothesis_text_names_its_alphabet() -> None:
    """``st.text()`` on Hypothesis's default alphabet makes a table of the characters UTF-8
    can encode (~3 s of CPU in each test worker of a fresh clone): the tests draw from
    ``conftest.utf8_text``, the same strings without the table."""
    defaults = []
    for path in sorted(Path(__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "text"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "st"
                and not node.args
                and all(k.arg != "alphabet" for k in node.keywords)
            ):
                defaults.append(f"{path.name}:{node.lineno}")
    assert not defaults, f"st.text() without an alphabet: {defaults} (use conftest.utf8_text)"

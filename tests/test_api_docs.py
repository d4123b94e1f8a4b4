"""docs/api.md's example runs as written, against the public API only."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import toolkit

REPO = Path(__file__).resolve().parents[1]


def _example() -> str:
    text = (REPO / "docs" / "api.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert len(blocks) == 1
    return blocks[0]


def test_the_documented_example_runs_and_writes_a_week(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-c", _example()], cwd=tmp_path, env=env,
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "posts from" in result.stdout
    assert list((tmp_path / "my-week" / "drafts").glob("*.md"))
    assert "'platform': 'x'" in result.stdout


def test_every_public_name_is_documented_and_importable() -> None:
    doc = (REPO / "docs" / "api.md").read_text(encoding="utf-8")
    for name in toolkit.__all__:
        assert getattr(toolkit, name) is not None
    for name in ("load_brief", "generate", "plan_week", "build_week", "export_week",
                 "render_card", "lint_text", "fix_text", "load_guide", "count"):  # fmt: skip
        assert f"`{name}(" in doc, name


def test_the_package_re_exports_exactly_the_api() -> None:
    # The two lists are written out twice on purpose (toolkit's is lazy, so `toolkit
    # --help` never imports the API); this keeps them from drifting apart.
    import toolkit.api

    assert toolkit.__all__ == toolkit.api.__all__
    for name in toolkit.api.__all__:
        assert getattr(toolkit, name) is getattr(toolkit.api, name), name


def test_the_package_is_typed() -> None:
    assert (REPO / "toolkit" / "py.typed").is_file()


def test_the_voice_packages_names_load_when_used() -> None:
    """``toolkit.voice`` exports its API lazily (a card worker needs only its models):
    every exported name resolves, and an unknown one is an AttributeError."""
    from importlib import import_module

    import toolkit.voice as voice

    for name in voice.__all__:
        home = import_module(f"toolkit.voice.{voice._HOME[name]}")
        assert getattr(voice, name) is getattr(home, name)
    with pytest.raises(AttributeError, match="no attribute 'lint'"):
        _ = voice.lint  # type: ignore[attr-defined]

"""A mistake in the brief that only the card workers meet is still the user's mistake:
``path:line:col`` and a hint, exit 2, and nothing written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import DEMO_BRIEFS
from toolkit.cli import app

NOW = "2026-11-21T10:00"


@pytest.fixture
def brief(tmp_path: Path) -> Path:
    """The demo brief as is, moved out of the demo brand: its speakers' photos
    (../assets/speakers/…) now point outside the brief's folder."""
    return Path(shutil.copy(DEMO_BRIEFS / "en.yaml", tmp_path))


def test_a_speaker_photo_outside_the_workspace_is_reported_not_crashed_on(
    tmp_path: Path, brief: Path
) -> None:
    out = tmp_path / "week"
    result = CliRunner().invoke(app, ["week", str(brief), "--out", str(out), "--now", NOW])
    assert result.exit_code == 2, result.output
    first = result.output.strip().splitlines()[0]
    assert first.startswith(f"{brief}:") and "photo" in first and "outside" in first, first
    assert "hint:" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()  # the week stopped before writing anything


def test_the_same_brief_plans_its_week_without_cards(tmp_path: Path, brief: Path) -> None:
    # Only the cards read photos: --no-cards is the user's way through meanwhile.
    out = tmp_path / "week"
    args = ["week", str(brief), "--out", str(out), "--now", NOW, "--no-cards"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert any((out / "drafts").iterdir())

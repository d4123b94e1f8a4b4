"""Every malformed brief gets `path:line:col: message`, a hint where one helps, exit 2."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from toolkit.cli import app

from .conftest import yaml_data

CASES: list[dict[str, Any]] = yaml_data(
    (Path(__file__).parent / "data" / "bad_briefs.yaml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_bad_brief_is_a_located_error(case: dict[str, Any], tmp_path: Path) -> None:
    brief = tmp_path / "brief.yaml"
    brief.write_text(case["brief"], encoding="utf-8")
    result = CliRunner().invoke(app, ["generate", str(brief), "--now", "2026-11-23T09:00"])
    output = result.output
    assert result.exit_code == 2, output
    assert "Traceback" not in output
    # pydantic's and Python's own wording never reaches the user.
    for leak in ("Input should", "valid dictionary", "instance of", "Field required", "Errno"):
        assert leak not in output, output
    first = output.splitlines()[0]
    assert first.startswith(f"{brief}:{case['where']}"), first
    assert case["says"] in first
    if "hint" in case:
        assert f"hint: {case['hint']}" in output


def test_non_utf8_brief(tmp_path: Path) -> None:
    brief = tmp_path / "brief.yaml"
    brief.write_bytes(b"campaign: Launch\nmessage: caf\xe9\n")
    result = CliRunner().invoke(app, ["generate", str(brief)])
    assert result.exit_code == 2
    assert result.output.startswith(f"{brief}:2:13: not valid UTF-8")


def test_bom_is_accepted(tmp_path: Path) -> None:
    brief = tmp_path / "brief.yaml"
    brief.write_bytes("\ufeffcampaign: Launch\nmessage: Hello\nplatforms: [x]\n".encode())
    result = CliRunner().invoke(app, ["generate", str(brief), "--now", "2026-11-23T09:00"])
    assert result.exit_code == 0, result.output


def test_missing_brief_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["generate", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "file not found" in result.output


def test_a_mistyped_brief_name_is_named_right(tmp_path: Path) -> None:
    (tmp_path / "launch.yaml").write_text("campaign: Launch\n", encoding="utf-8")
    typo = CliRunner().invoke(app, ["generate", str(tmp_path / "lanuch.yaml")])
    assert typo.exit_code == 2
    assert "file not found" in typo.output
    assert f"did you mean '{tmp_path / 'launch.yaml'}'?" in typo.output
    nowhere = CliRunner().invoke(app, ["generate", str(tmp_path / "gone" / "launch.yaml")])
    assert nowhere.exit_code == 2
    assert f"there is no folder '{tmp_path / 'gone'}' either" in nowhere.output
    # No file beside it is close: the hint says to check the path, and lists no
    # unrelated file as if it were a choice.
    (tmp_path / "toolkit.yaml").write_text("", encoding="utf-8")
    unrelated = CliRunner().invoke(app, ["generate", str(tmp_path / "nothere.yaml")])
    assert unrelated.exit_code == 2
    assert "check the path" in unrelated.output
    assert "toolkit.yaml" not in unrelated.output

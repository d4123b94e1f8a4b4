"""Forgiving names: platform aliases in any case, did-you-mean, errors at their real line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from toolkit.cli import app

from .conftest import copy_demo_brief, yaml_data

DATA: dict[str, Any] = yaml_data(
    (Path(__file__).parent / "data" / "cli.yaml").read_text(encoding="utf-8")
)
runner = CliRunner()
NOW = "2026-11-23T09:00"


@pytest.mark.parametrize("case", DATA["platform_names"], ids=lambda c: c["typed"])
def test_a_platform_by_any_name_it_goes_by(case: dict[str, str]) -> None:
    result = runner.invoke(app, ["count", "-p", case["typed"], "-f", "json", "Hello"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["platform"] == case["id"]


@pytest.mark.parametrize("case", DATA["unknown_platforms"], ids=lambda c: c["typed"])
def test_an_unknown_platform_gets_a_suggestion(case: dict[str, str]) -> None:
    for args in (["count", "-p", case["typed"], "hi"], ["generate", "-p", case["typed"]]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2
        assert f"unknown platform '{case['typed']}'" in result.output
        assert f"hint: {case['hint']}\n" in result.output


def test_a_brief_may_name_platforms_by_alias(tmp_path: Path) -> None:
    brief = copy_demo_brief(tmp_path, "en")
    text = brief.read_text(encoding="utf-8")
    start = text.index("platforms:")
    end = text.index("\n", start)
    brief.write_text(text[:start] + "platforms: [Twitter, IG, LinkedIn]" + text[end:], "utf-8")
    result = runner.invoke(app, ["generate", str(brief), "-n", "1", "--now", NOW, "-f", "json"])
    assert result.exit_code == 0, result.output
    assert [v["platform"] for v in json.loads(result.output)] == ["x", "instagram", "linkedin"]


DRAFT = "---\nid: a\nlocale: en-US\nplatform: {platform}\n---\nRegister: https://example.com\n"


def test_a_bad_platform_in_front_matter_points_at_its_line(tmp_path: Path) -> None:
    # Persona and brand: tests/test_lint_cli.py::test_bad_front_matter_exits_2.
    draft = tmp_path / "draft.md"
    draft.write_text(DRAFT.format(platform="twiter"), encoding="utf-8")
    result = runner.invoke(app, ["lint", str(draft)])
    assert result.exit_code == 2
    assert result.output.startswith(f"{draft}:4:11: unknown platform 'twiter'"), result.output
    assert "hint: did you mean 'x' (twitter)?" in result.output


def test_a_draft_may_name_its_platform_by_alias(tmp_path: Path) -> None:
    draft = tmp_path / "draft.md"
    # 'Linkedin' is an error on every platform; the alias must select X's rules, not fail.
    draft.write_text(DRAFT.format(platform="Twitter") + "Linkedin\n", "utf-8")
    result = runner.invoke(app, ["lint", str(draft), "-f", "json"])
    assert result.exit_code == 1, result.output
    assert {f["rule"] for f in json.loads(result.output)} >= {"term.names"}


def test_lint_with_nothing_to_lint_says_so(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "card.png").write_bytes(b"\x89PNG")
    for folder in ("empty", "images"):
        result = runner.invoke(app, ["lint", str(tmp_path / folder)])
        assert result.exit_code == 2
        assert f"error: nothing to lint in {tmp_path / folder}" in result.output
        assert "hint: lint reads .md, .markdown, .txt and .json files" in result.output


def test_an_edited_draft_with_an_unknown_platform_points_at_its_line(tmp_path: Path) -> None:
    out = tmp_path / "week"
    made = runner.invoke(app, ["week", "--no-cards", "--now", NOW, "-o", str(out)])
    assert made.exit_code == 0, made.output
    draft = sorted((out / "drafts").glob("*_x_*.md"))[0]
    lines = draft.read_text(encoding="utf-8").splitlines(keepends=True)
    line = next(i for i, text in enumerate(lines) if text.startswith("platform: "))
    lines[line] = "platform: twiter\n"
    draft.write_text("".join(lines), encoding="utf-8")
    result = runner.invoke(app, ["export", str(out)])
    assert result.exit_code == 2
    assert result.output.startswith(f"{draft}:{line + 1}:11: unknown platform 'twiter'")

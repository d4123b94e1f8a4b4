"""`toolkit lint` where writers and reviewers work: editors, Actions, code scanning, reviewdog."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app

from .conftest import yaml_data

runner = CliRunner()
# Two emoji before the misspelling: 2 code points, 4 UTF-16 units, 8 UTF-8 bytes.
DRAFT = (
    "---\nplatform: instagram\nlocale: en-US\n---\n"
    "🎉🎉 Follow us on Linkedin. Register now #Northwind\n"
)
WHERE = {"codepoint": 17, "utf16": 19, "byte": 23}  # where "Linkedin" starts on line 5


@pytest.fixture
def draft(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "post.md"
    path.write_text(DRAFT, encoding="utf-8")
    return path


def lint(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["lint", *args])
    return result.exit_code, result.stdout, result.stderr


def term_finding(records: list[dict[str, object]]) -> dict[str, object]:
    (found,) = [r for r in records if r["rule"] == "term.names"]
    return found


@pytest.mark.parametrize("unit", ["codepoint", "utf16", "byte"])
def test_json_states_its_column_unit(draft: Path, unit: str) -> None:
    code, out, _ = lint("post.md", "-f", "json", "--columns", unit)
    assert code == 1
    found = term_finding(json.loads(out))
    assert found["column_unit"] == unit
    assert (found["line"], found["column"]) == (5, WHERE[unit])
    assert found["end_column"] == WHERE[unit] + len("Linkedin")
    assert found["fixable"] is True and found["suggested_fix"] is False


def test_text_columns_follow_the_unit_too(draft: Path) -> None:
    _, out, _ = lint("post.md", "--columns", "utf16")
    assert f"post.md:5:{WHERE['utf16']}: error term.names:" in out


def test_github_annotations(draft: Path) -> None:
    code, out, _ = lint("post.md", "-f", "github")
    assert code == 1
    line = next(x for x in out.splitlines() if "title=term.names" in x)
    assert line.startswith(f"::error file=post.md,line=5,col={WHERE['codepoint']},")
    assert line.endswith("::Write 'LinkedIn', not 'Linkedin'. ('LinkedIn')")
    assert all(re.match(r"^::(error|warning|notice) file=", x) for x in out.splitlines())


def test_sarif_for_code_scanning(draft: Path) -> None:
    _, out, _ = lint("post.md", "-f", "sarif", "--columns", "utf16")
    log = json.loads(out)
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    assert run["columnKind"] == "utf16CodeUnits"
    rule_ids = {r["id"] for r in run["tool"]["driver"]["rules"]}
    result = next(r for r in run["results"] if r["ruleId"] == "term.names")
    assert result["ruleId"] in rule_ids and result["level"] == "error"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "post.md"
    assert location["region"]["startLine"] == 5
    assert location["region"]["startColumn"] == WHERE["utf16"]


def test_sarif_refuses_byte_columns(draft: Path) -> None:
    code, _, err = lint("post.md", "-f", "sarif", "--columns", "byte")
    assert code == 2
    assert "SARIF counts columns in code points or UTF-16 units" in err
    assert "Traceback" not in err


def test_rdjson_for_reviewdog_counts_bytes(draft: Path) -> None:
    _, out, _ = lint("post.md", "-f", "rdjson")
    report = json.loads(out)
    assert report["source"]["name"] == "toolkit lint"
    found = next(d for d in report["diagnostics"] if d["code"]["value"] == "term.names")
    assert found["severity"] == "ERROR"
    assert found["location"]["path"] == "post.md"
    assert found["location"]["range"]["start"] == {"line": 5, "column": WHERE["byte"]}


def test_pre_commit_hook_definition_runs_lint() -> None:
    hooks = yaml_data((Path(__file__).parents[1] / ".pre-commit-hooks.yaml").read_text())
    (hook,) = [h for h in hooks if h["id"] == "toolkit-lint"]
    assert hook["entry"].split()[:2] == ["toolkit", "lint"]
    assert hook["language"] == "python"
    assert set(hook["types_or"]) >= {"markdown"}

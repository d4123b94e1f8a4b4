"""Hostile workspaces and hand-edited drafts: refused with the user's file:line, or made harmless.

Each case of tests/data/hostile_workspaces.yaml runs in a fresh workspace with a
victim file, a secret and an empty folder beside it; whatever the case does, they
stay as they were (issue #13).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import icalendar
import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.week.exporters import formula_like

from .conftest import REPO, yaml_data

DATA = Path(__file__).parent / "data" / "hostile_workspaces.yaml"
SECTIONS: dict[str, list[dict[str, Any]]] = yaml_data(DATA.read_text(encoding="utf-8"))
CASES = {case["id"]: case for cases in SECTIONS.values() for case in cases}
NOW = "2026-11-23T09:00"
SECRET = "SECRETc0ffee42WORKSPACE"
VICTIM = "the victim's own words\n"
# A refusal is quick and small (docs/security.md). Processor time, not wall time, so a
# busy machine does not fail the suite; Python's allocations, measured by tracemalloc.
MAX_REFUSAL_CPU_SECONDS = 2.0
MAX_REFUSAL_PEAK_BYTES = 300 * 1024 * 1024
runner = CliRunner()


@dataclass(frozen=True)
class Sandbox:
    outside: Path

    @property
    def root(self) -> Path:
        return self.outside / "ws"

    @property
    def out(self) -> Path:
        return self.outside / "week"

    @property
    def brief(self) -> Path:
        return self.root / "briefs" / "example.yaml"

    def text(self, value: str) -> str:
        value = re.sub(r"<<(\d+)\*(.*?)>>", lambda m: m[2] * int(m[1]), value, flags=re.S)
        return (
            value.replace("{brief}", str(self.brief))
            .replace("{out}", str(self.out))
            .replace("{outside}", str(self.outside))
            .replace("{now}", NOW)
            .replace("{secret}", SECRET)
        )

    def path(self, value: str) -> Path:
        path = Path(self.text(value))
        path = path if path.is_absolute() else self.root / path
        if "*" in path.name:
            matches = sorted(path.parent.glob(path.name))
            assert matches, f"no file matches {path}"
            return matches[0]
        return path

    def outside_listing(self) -> dict[str, bytes]:
        """Everything beside the workspace and the week folder, with its content."""
        found: dict[str, bytes] = {}
        for path in sorted(self.outside.rglob("*")):
            rel = path.relative_to(self.outside)
            if rel.parts[0] in ("ws", "week") or path.is_dir():
                continue
            found[rel.as_posix()] = path.read_bytes()
        return found


@pytest.fixture(scope="module", autouse=True)
def warm(tmp_path_factory: pytest.TempPathFactory, acme_workspace: Callable[[Path], Path]) -> None:
    """Imports and caches before any case is measured."""
    box = make_sandbox(tmp_path_factory.mktemp("warm"), acme_workspace)
    result = runner.invoke(app, ["generate", str(box.brief), "-p", "x", "-n", "2", "--now", NOW])
    assert result.exit_code == 0, result.output


def make_sandbox(outside: Path, acme_workspace: Callable[[Path], Path]) -> Sandbox:
    """A fresh ``toolkit init`` workspace (a copy of one), the secret and the victim."""
    box = Sandbox(outside)
    acme_workspace(box.root)
    (outside / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    (outside / "victim.txt").write_text(VICTIM, encoding="utf-8")
    (outside / "elsewhere").mkdir()
    return box


def apply(box: Sandbox, step: dict[str, Any]) -> Any:
    ((action, spec),) = step.items()
    if action == "run":
        return runner.invoke(app, [box.text(arg) for arg in spec])
    for key, value in spec.items():
        if action == "manifest":
            manifest_path = box.out / ".toolkit" / "manifest.json"
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            digest = hashlib.sha256(box.path(value).read_bytes()).hexdigest()
            manifest["files"][box.text(key)] = [digest]
            manifest_path.write_text(json.dumps(manifest, indent=1), encoding="utf-8")
            continue
        path = box.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        if action == "copy":
            shutil.copyfile(REPO / value, path)
        elif action == "write":
            path.write_text(box.text(value), encoding="utf-8")
        elif action == "append":
            with path.open("a", encoding="utf-8") as fh:
                fh.write(box.text(value))
        elif action == "edit":
            content = path.read_text(encoding="utf-8")
            for old, new in value:
                assert old in content, f"{path} has no {old!r}"
                content = content.replace(old, box.text(new), 1)
            path.write_text(content, encoding="utf-8")
        elif action == "link":
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            elif path.exists() or path.is_symlink():
                path.unlink()
            path.symlink_to(Path(box.text(value)))
        else:
            raise AssertionError(f"unknown step {action}")
    return None


def run_case(box: Sandbox, case: dict[str, Any]) -> tuple[Any, float, int, dict[str, bytes]]:
    """The case's last run, its processor time and peak memory, and what lay outside before."""
    steps = case["steps"]
    last = max(i for i, step in enumerate(steps) if "run" in step)
    for step in steps[:last]:
        result = apply(box, step)
        if result is not None:
            assert result.exit_code == 0, result.output
    before = box.outside_listing()
    # Memory is measured where a case is about memory: tracemalloc slows everything down.
    bounded = case["expect"].get("bounded", False)
    if bounded:
        tracemalloc.start()
    started = time.process_time()
    try:
        result = apply(box, steps[last])
        cpu = time.process_time() - started
        peak = tracemalloc.get_traced_memory()[1] if bounded else 0
    finally:
        if bounded:
            tracemalloc.stop()
    return result, cpu, peak, before


@pytest.mark.parametrize("case_id", list(CASES))
def test_hostile_workspace(
    case_id: str, tmp_path: Path, acme_workspace: Callable[[Path], Path]
) -> None:
    case = CASES[case_id]
    expect = case["expect"]
    box = make_sandbox(tmp_path, acme_workspace)
    result, cpu, peak, before = run_case(box, case)
    output = result.output
    assert "Traceback" not in output
    assert result.exit_code == expect["exit"], output[-2000:]
    assert box.outside_listing() == before, "something outside the workspace changed"
    assert (tmp_path / "victim.txt").read_text(encoding="utf-8") == VICTIM
    assert SECRET not in output
    if box.out.is_dir():
        for path in box.out.rglob("*"):
            if path.is_file() and not path.is_symlink():
                assert SECRET.encode() not in path.read_bytes(), path
    if expect["exit"] == 2:
        first = output.splitlines()[0]
        if expect["at"] == "error:":  # a command-line option has no file
            assert first.startswith("error: "), first
        else:
            where = str(box.path(expect["at"].split(":")[0]))
            suffix = expect["at"][len(expect["at"].split(":")[0]) :]
            line = "" if expect.get("line", True) is False else r":\d"
            pattern = re.escape(where + suffix) + line
            assert re.match(pattern, first), f"expected {where}{suffix}…, got: {first}"
        assert expect["says"] in output, output
        assert "hint:" in output, output
        if "hint" in expect:
            assert expect["hint"] in output.split("hint:", 1)[1], output
    if expect["exit"] == 2:
        assert cpu <= MAX_REFUSAL_CPU_SECONDS, f"{cpu:.2f} s of processor time"
    if expect.get("bounded"):
        assert peak <= MAX_REFUSAL_PEAK_BYTES, f"peak {peak / 2**20:.0f} MiB"
    for text in expect.get("output", []):
        assert box.text(text) in output, output
    for check in expect.get("checks", []):
        CHECKS[check](box)


def _posts_csv_inert(box: Sandbox) -> None:
    """Made for spreadsheets: no cell of posts.csv runs as a formula."""
    text = (box.out / "bulk" / "posts.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) > 1
    risky = [cell for row in rows for cell in row if formula_like(cell)]
    assert not risky, risky[:3]
    assert any(cell.startswith("'") for row in rows for cell in row), "nothing was neutralised"


def _formulas_noted(box: Sandbox) -> None:
    """The scheduler files keep the copy as posted; the run names each risky draft."""
    plan = json.loads((box.out / "plan.json").read_text(encoding="utf-8"))
    risky = [p for p in plan["posts"] if formula_like(p["text"])]
    assert risky
    for name in box.out.glob("bulk/hootsuite-*.csv"):
        text = name.read_text(encoding="utf-8")
        assert any(row and formula_like(row[1]) for row in csv.reader(io.StringIO(text))) or not (
            any(p["platform"] in name.name for p in risky)
        )
    notes = "\n".join(plan["notes"])
    for post in risky:
        assert f"{post['draft']}: the copy starts with" in notes


def _calendar_clean(box: Sandbox) -> None:
    raw = (box.out / "calendar.ics").read_bytes()
    assert re.search(rb"\r(?!\n)", raw) is None, "a bare CR"
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert not re.search(rb"^(ATTENDEE|X-INJECTED)", raw, re.M)
    calendar = icalendar.Calendar.from_ical(raw)
    names = {prop for component in calendar.walk() for prop in component}
    assert not any(n.startswith("X-INJECTED") or n == "ATTENDEE" for n in names)


def _no_control_characters(box: Sandbox) -> None:
    control = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
    for rel in ("calendar.ics", "index.html", "plan.json", "bulk/posts.csv", "bulk/sprout.csv"):
        data = (box.out / rel).read_bytes()
        assert control.search(data) is None, rel
    for path in box.out.glob("bulk/hootsuite-*.csv"):
        assert control.search(path.read_bytes()) is None, path


def _both_edits_backed_up(box: Sandbox) -> None:
    backups = sorted((box.out / ".toolkit" / "backup").rglob("*_linkedin_1.md"))
    texts = [p.read_text(encoding="utf-8") for p in backups]
    assert len(backups) == 2, backups
    assert any(t.endswith("first edit\n") for t in texts)
    assert any(t.endswith("second edit\n") for t in texts)


CHECKS = {
    "posts-csv-inert": _posts_csv_inert,
    "formulas-noted": _formulas_noted,
    "calendar-clean": _calendar_clean,
    "no-control-characters": _no_control_characters,
    "both-edits-backed-up": _both_edits_backed_up,
}


def test_every_named_check_is_used() -> None:
    used = {check for case in CASES.values() for check in case["expect"].get("checks", [])}
    assert used == set(CHECKS)

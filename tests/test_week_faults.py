"""Faults: a `week` killed at any moment leaves no half-written or lost file.

The kill is placed by counting the run's own file writes, not by sleeping: the same
write is interrupted on an idle laptop and on a busy CI machine.
"""

from __future__ import annotations

import csv
import io
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import icalendar
import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.week.drafts import read_drafts

NOW = "2026-11-21T10:00"


# Runs `toolkit week`, sending itself ``sig`` as it is about to put its ``n``-th written
# file in place (the rename that makes a file visible, manifests included).
_KILLER = """
import os, signal, sys
# Ctrl-C as a user's shell delivers it (a test runner's worker may ignore SIGINT, and a
# child inherits that).
signal.signal(signal.SIGINT, signal.default_int_handler)
sig, n = int(sys.argv[1]), int(sys.argv[2])
real, calls = os.replace, [0]
def replace(src, dst, **kwargs):
    calls[0] += 1
    if calls[0] == n:
        os.kill(os.getpid(), sig)
    real(src, dst, **kwargs)
os.replace = replace
sys.argv = ["toolkit", *sys.argv[3:]]
from toolkit.cli import main
main()
"""


def _week(out: Path) -> list[str]:
    # Cards go through the same writer as every other file: leaving them out keeps the
    # many runs here quick without skipping any write path.
    return ["week", "--out", str(out), "--now", NOW, "--no-cards"]


def _run(out: Path, *, kill: tuple[signal.Signals, int] | None = None) -> subprocess.Popen[bytes]:
    week = _week(out)
    command = [sys.executable, "-m", "toolkit", *week]
    if kill is not None:
        command = [sys.executable, "-c", _KILLER, str(int(kill[0])), str(kill[1]), *week]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _assert_whole(out: Path) -> None:
    """Every file present parses completely; no temporary file is visible as output."""
    if (out / "drafts").is_dir():
        read_drafts(out / "drafts")
    if (out / "calendar.ics").exists():
        icalendar.Calendar.from_ical((out / "calendar.ics").read_bytes())
    for path in (out / "bulk").glob("*.csv") if (out / "bulk").is_dir() else []:
        list(csv.reader(io.StringIO(path.read_text("utf-8-sig"))))


@pytest.fixture(scope="module")
def finished_week(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("finished") / "week"
    assert _run(out).wait(timeout=120) == 0
    return out


@pytest.mark.parametrize("nth_write", [2, 20])
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_interrupted_week_recovers(
    tmp_path: Path, finished_week: Path, nth_write: int, sig: signal.Signals
) -> None:
    # A finished week first, with one draft edited by hand: it must survive everything.
    out = tmp_path / "week"
    shutil.copytree(finished_week, out)
    edited = sorted((out / "drafts").glob("*.md"))[3]
    edited.write_text(edited.read_text(encoding="utf-8") + "Hand edit.\n", encoding="utf-8")
    before = edited.read_bytes()
    # Change the plan so the next run rewrites many files, then interrupt it.
    for draft in (out / "drafts").glob("*.md"):
        if draft != edited:
            draft.unlink()
    victim = _run(out, kill=(sig, nth_write))
    assert victim.wait(timeout=120) != 0, "the run was not interrupted"
    _assert_whole(out)
    assert edited.read_bytes() == before
    # The next run finishes the job and takes nothing it wrote for a person's edit. It
    # runs in this process: only the interrupted run needs a process of its own.
    again = CliRunner().invoke(app, _week(out))
    assert again.exit_code == 0, again.output
    kept = [line for line in again.stdout.splitlines() if line.startswith("kept ")]
    assert kept == [f"kept {edited} (edited by hand; --force replaces it after a backup)"]
    assert edited.read_bytes() == before
    assert not list(out.rglob("*.tmp"))
    _assert_whole(out)

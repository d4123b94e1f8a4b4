"""Faults: a `week` killed at any moment leaves no half-written or lost file."""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import icalendar
import pytest

from toolkit.week.drafts import read_drafts

NOW = "2026-11-21T10:00"


def _run(out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "toolkit", "week", "--out", str(out), "--now", NOW],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _assert_whole(out: Path) -> None:
    """Every file present parses completely; no temporary file is visible as output."""
    if (out / "drafts").is_dir():
        read_drafts(out / "drafts")
    if (out / "calendar.ics").exists():
        icalendar.Calendar.from_ical((out / "calendar.ics").read_bytes())
    for path in (out / "bulk").glob("*.csv") if (out / "bulk").is_dir() else []:
        list(csv.reader(io.StringIO(path.read_text("utf-8-sig"))))


@pytest.mark.parametrize("delay", [0.6, 0.9, 1.2])
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_interrupted_week_recovers(tmp_path: Path, delay: float, sig: signal.Signals) -> None:
    out = tmp_path / "week"
    # A finished week first, with one draft edited by hand: it must survive everything.
    first = _run(out)
    assert first.wait(timeout=60) == 0
    edited = sorted((out / "drafts").glob("*.md"))[3]
    edited.write_text(edited.read_text(encoding="utf-8") + "Hand edit.\n", encoding="utf-8")
    before = edited.read_bytes()
    # Change the plan so the next run rewrites many files, then interrupt it.
    for draft in (out / "drafts").glob("*.md"):
        if draft != edited:
            draft.unlink()
    victim = _run(out)
    time.sleep(delay)
    if victim.poll() is None:
        os.kill(victim.pid, sig)
    victim.wait(timeout=60)
    _assert_whole(out)
    assert edited.read_bytes() == before
    # The next run finishes the job and takes nothing it wrote for a person's edit.
    again = _run(out)
    stdout, stderr = again.communicate(timeout=60)
    assert again.returncode == 0, stderr.decode()
    kept = [line for line in stdout.decode().splitlines() if line.startswith("kept ")]
    assert kept == [f"kept {edited} (edited by hand; --force replaces it after a backup)"]
    assert edited.read_bytes() == before
    assert not list(out.rglob("*.tmp"))
    _assert_whole(out)

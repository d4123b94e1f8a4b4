"""A full disk fails cleanly: a clear error, every file whole, nothing a person wrote lost."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.week.drafts import read_drafts

runner = CliRunner()
NOW = "2026-11-21T10:00"


def _mount(target: Path, size: str, *, remount: bool = False) -> bool:
    options = f"size={size}" + (",remount" if remount else "")
    args = ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)]
    if remount:
        args = ["mount", "-o", options, str(target)]
    return subprocess.run(args, capture_output=True, check=False).returncode == 0


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    target = tmp_path / "disk"
    target.mkdir()
    if shutil.which("mount") is None or not _mount(target, "4m"):
        pytest.skip("cannot mount a small tmpfs here (needs root): the full-disk test is skipped")
    try:
        yield target
    finally:
        subprocess.run(["umount", "-l", str(target)], capture_output=True, check=False)


def _used(folder: Path) -> int:
    """Bytes the file system holds (tmpfs counts whole pages, not file sizes)."""
    import os

    stat = os.statvfs(folder)
    return (stat.f_blocks - stat.f_bfree) * stat.f_frsize


def test_full_disk_fails_cleanly_and_loses_nothing(small_disk: Path) -> None:
    out = small_disk / "week"
    first = runner.invoke(app, ["week", "--out", str(out), "--now", NOW, "--no-cards"])
    assert first.exit_code == 0, first.output
    edited = sorted((out / "drafts").glob("*.md"))[2]
    content = edited.read_text(encoding="utf-8") + "Ana's edit.\n"
    edited.write_text(content, encoding="utf-8")
    # Leave room for a few kilobytes only, then ask for the cards too.
    room = (_used(small_disk) // 1024) + 48
    assert _mount(small_disk, f"{room}k", remount=True)
    full = runner.invoke(app, ["week", "--out", str(out), "--now", NOW, "--start", "2026-11-30"])
    assert full.exit_code == 2, full.output
    assert "disk is full" in full.output and "Traceback" not in full.output
    assert edited.read_text(encoding="utf-8") == content
    read_drafts(out / "drafts")  # every draft still parses: none half-written
    assert not list(out.rglob("*.tmp"))
    # With room again, the next run finishes and still keeps the edit.
    assert _mount(small_disk, "32m", remount=True)
    again = runner.invoke(app, ["week", "--out", str(out), "--now", NOW, "--start", "2026-11-30"])
    assert again.exit_code == 0, again.output
    assert edited.read_text(encoding="utf-8") == content
    assert f"kept {edited}" in again.output


def test_read_only_output_fails_clearly(small_disk: Path) -> None:
    out = small_disk / "week"
    assert (
        runner.invoke(app, ["week", "--out", str(out), "--now", NOW, "--no-cards"]).exit_code == 0
    )
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert (
        subprocess.run(
            ["mount", "-o", "remount,ro", str(small_disk)], capture_output=True, check=False
        ).returncode
        == 0
    )
    result = runner.invoke(app, ["week", "--out", str(out), "--now", NOW, "--start", "2026-11-30"])
    assert result.exit_code == 2, result.output
    assert "cannot write here (read-only or no permission)" in result.output
    assert "Traceback" not in result.output
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before

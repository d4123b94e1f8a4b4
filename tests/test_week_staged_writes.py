"""The week's card files are written ahead, while it waits for the other cards
(``files.atomic.Staging``, ``output_folder.Ahead``), and its single write then renames
them: the same files, still atomic, and nothing staged is ever left behind."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from toolkit.files import atomic
from toolkit.files.atomic import Staging, atomic_write_many, temp_path
from toolkit.files.output_folder import Ahead, write_outputs
from toolkit.week.run import build_week

NOW = datetime(2026, 11, 21, 10, tzinfo=UTC)


def _temps(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if atomic.TEMP_NAME.match(p.name)]


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "lock"
    }


def test_a_week_with_cards_written_ahead_is_the_week_written_at_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    staged: list[Path] = []
    keep = Staging.stage

    def spy(self: Staging, path: Path, data: bytes) -> None:
        keep(self, path, data)
        if temp_path(path).exists():
            staged.append(path)

    monkeypatch.setattr(Staging, "stage", spy)
    ahead = build_week(None, out_dir=tmp_path / "ahead", now=NOW)
    assert any(p.suffix == ".png" for p in staged)
    assert all(p.is_relative_to(tmp_path / "ahead" / "cards") for p in staged)
    monkeypatch.setattr(Staging, "stage", lambda self, path, data: None)
    at_end = build_week(None, out_dir=tmp_path / "end", now=NOW)
    assert ahead.report.written == at_end.report.written
    assert _tree(tmp_path / "ahead") == _tree(tmp_path / "end")
    assert _temps(tmp_path) == []
    # Again into the same folder: nothing is new, so nothing is staged or rewritten.
    staged.clear()
    monkeypatch.setattr(Staging, "stage", spy)
    again = build_week(None, out_dir=tmp_path / "ahead", now=NOW)
    assert staged == [] and again.report.written == ()
    assert _temps(tmp_path) == []


def test_a_staged_file_is_renamed_not_written_again(tmp_path: Path) -> None:
    staging = Staging()
    target = tmp_path / "cards" / "a.png"
    staging.stage(target, b"card")
    inode = os.stat(temp_path(target)).st_ino
    atomic_write_many([(target, b"card")], staging)
    assert target.read_bytes() == b"card"
    assert os.stat(target).st_ino == inode  # the staged file itself, renamed
    staging.close()
    assert _temps(tmp_path) == []


@pytest.mark.parametrize("change", ["other data", "temp removed", "temp truncated"])
def test_a_staged_file_that_no_longer_matches_is_written_as_usual(
    tmp_path: Path, change: str
) -> None:
    staging = Staging()
    target = tmp_path / "a.png"
    staging.stage(target, b"staged")
    data = b"staged"
    if change == "other data":
        data = b"final"
    elif change == "temp removed":  # another run in the folder took it for a killed run's
        staging._files[target][1].result()
        temp_path(target).unlink()
    else:
        staging._files[target][1].result()
        temp_path(target).write_bytes(b"sta")
    atomic_write_many([(target, data)], staging)
    assert target.read_bytes() == data
    staging.close()
    assert _temps(tmp_path) == []


def test_what_is_staged_and_not_taken_is_removed(tmp_path: Path) -> None:
    staging = Staging()
    for name in ("a.png", "b.png"):
        staging.stage(tmp_path / "cards" / name, b"x")
    assert len(_temps(tmp_path)) == 2
    staging.close()
    assert _temps(tmp_path) == []
    assert not (tmp_path / "cards" / "a.png").exists()


def test_only_new_files_are_staged(tmp_path: Path) -> None:
    existing = tmp_path / "edited.png"
    existing.write_bytes(b"a person's")
    staging = Staging()
    staging.stage(existing, b"generated")
    assert _temps(tmp_path) == []
    staging.close()
    assert existing.read_bytes() == b"a person's"


def test_the_writer_keeps_its_own_staged_files_and_removes_a_killed_runs(
    tmp_path: Path,
) -> None:
    out = tmp_path / "week"
    killed = out / "cards" / ".old.png.99999999.tmp"
    killed.parent.mkdir(parents=True)
    killed.write_bytes(b"half")
    ahead = Ahead(out)
    ahead.stage("cards/new.png", b"new card")
    ahead.stage("../escaped.png", b"refused")  # outside: never staged
    assert not any("escaped" in p.name for p in tmp_path.rglob("*"))
    report = write_outputs(out, {"cards/new.png": b"new card"}, stamp="s", staged=ahead)
    ahead.close()
    assert report.written == ("cards/new.png",)
    assert (out / "cards" / "new.png").read_bytes() == b"new card"
    assert not killed.exists()
    assert _temps(tmp_path) == []

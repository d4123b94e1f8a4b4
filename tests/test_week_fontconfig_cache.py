"""fontconfig's answers kept in the user cache (toolkit/cards/fc_cache.py): the same
answer without running fc-match again; a changed configuration, font folder or
environment is a new key; a deleted or damaged entry is made again silently."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from toolkit.cards import fc_cache, fonts

ARGS = ["-s", "--format=%{file}\\n", "sans-serif:lang=en:weight=bold"]
ANSWER = "/fonts/a.ttf|0|A|Bold|20-7e\n"


@pytest.fixture
def runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[list[str]]]:
    """fc-match replaced by a fake that counts its runs; fontconfig's places under
    ``tmp_path`` (a configuration file, a font folder), the user cache there too."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    conf = tmp_path / "fonts.conf"
    conf.write_text("<fontconfig/>\n", encoding="utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    (tmp_path / "data" / "fonts").mkdir(parents=True)
    program = tmp_path / "fc-match"
    program.write_text("#!/bin/sh\n", encoding="utf-8")
    monkeypatch.setattr(fonts.shutil, "which", lambda name: str(program))
    seen: list[list[str]] = []

    def fake(args: list[str]) -> str:
        seen.append(args)
        return ANSWER

    monkeypatch.setattr(fonts, "_run_fc", fake)
    fc_cache.stamp.cache_clear()
    yield seen
    fc_cache.stamp.cache_clear()


def _again() -> str:
    """The answer as a new process would get it (the per-process stamp forgotten)."""
    fc_cache.stamp.cache_clear()
    return fonts._fc(ARGS)


def _entries(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / "toolkit" / fc_cache.FOLDER).glob("*.fc"))


def _touch_later(path: Path) -> None:
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))


def test_the_answer_is_kept(runs: list[list[str]], tmp_path: Path) -> None:
    assert fonts._fc(ARGS) == ANSWER
    assert _again() == ANSWER
    assert runs == [ARGS]
    assert len(_entries(tmp_path)) == 1
    # Other arguments are another question.
    assert fonts._fc([*ARGS[:-1], "sans-serif:lang=ja:weight=bold"]) == ANSWER
    assert len(runs) == 2


def test_an_edited_configuration_is_a_new_key(runs: list[list[str]], tmp_path: Path) -> None:
    fonts._fc(ARGS)
    _touch_later(tmp_path / "fonts.conf")
    assert _again() == ANSWER
    assert len(runs) == 2


def test_a_font_added_is_a_new_key(runs: list[list[str]], tmp_path: Path) -> None:
    fonts._fc(ARGS)
    (tmp_path / "data" / "fonts" / "new").mkdir()  # a font's folder installed
    assert _again() == ANSWER
    assert len(runs) == 2
    _touch_later(tmp_path / "data" / "fonts" / "new")  # a font added to it
    assert _again() == ANSWER
    assert len(runs) == 3
    assert _again() == ANSWER
    assert len(runs) == 3


def test_another_environment_is_a_new_key(
    runs: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    fonts._fc(ARGS)
    monkeypatch.setenv("FC_LANG", "ja")
    assert _again() == ANSWER
    assert len(runs) == 2


def test_a_deleted_or_damaged_entry_is_made_again(runs: list[list[str]], tmp_path: Path) -> None:
    fonts._fc(ARGS)
    (entry,) = _entries(tmp_path)
    entry.write_bytes(entry.read_bytes()[:-3] + b"xyz")  # damaged: its digest fails
    assert _again() == ANSWER
    assert len(runs) == 2
    assert _again() == ANSWER
    assert len(runs) == 2  # rewritten whole
    entry.unlink()
    assert _again() == ANSWER
    assert len(runs) == 3
    assert len(_entries(tmp_path)) == 1


def test_a_failed_run_is_not_kept(
    runs: list[list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fonts, "_run_fc", lambda args: "")
    assert fonts._fc(ARGS) == ""
    assert _entries(tmp_path) == []


def test_an_unwritable_cache_costs_only_the_run(
    runs: list[list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert fonts._fc(ARGS) == ANSWER
    assert _again() == ANSWER
    assert len(runs) == 2


def test_the_real_fc_match_gives_the_same_answer_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not fonts.fontconfig_available():
        pytest.skip("no fontconfig")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    fc_cache.stamp.cache_clear()
    args = ["--format=%{file}|%{family[0]}", "sans-serif:lang=en"]
    first = fonts._fc(args)
    assert first == fonts._run_fc(args)
    assert len(_entries(tmp_path)) == (1 if first else 0)
    fc_cache.stamp.cache_clear()
    assert fonts._fc(args) == first


def test_no_home_folder_costs_only_the_run(
    runs: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    def nowhere() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(fc_cache.Path, "home", staticmethod(nowhere))
    assert _again() == ANSWER
    assert _again() == ANSWER
    assert len(runs) == 2

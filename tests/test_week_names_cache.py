"""The names the copy's macros read, kept in the user cache (toolkit/cards/names_cache.py,
used by ``cards.context._free_names``): the same answer as parsing; an edited source or
other syntax is a new key; a deleted or damaged entry is made again silently."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jinja2
import pytest

from toolkit.cards import context, names_cache
from toolkit.files.user_cache import write_entry

MACROS = "{% macro kind() %}{{ event.kind if event else generic }}{% endmacro %}{{ lang }}"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "macros.j2").write_text(MACROS, encoding="utf-8")
    return tmp_path


def _names(folder: Path, **options: Any) -> tuple[str, ...] | None:
    """The names as a new process finds them (a new environment: nothing kept in memory)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folder / "t"), **options)
    return context._free_names(env, env.get_template("macros.j2"))  # type: ignore[arg-type]


def _entries(folder: Path) -> list[Path]:
    return sorted((folder / "cache" / "toolkit" / names_cache.FOLDER).glob("*.names"))


def test_the_names_are_kept_and_read_back(folder: Path) -> None:
    assert _names(folder) == ("event", "generic", "lang")
    (entry,) = _entries(folder)
    key = json.loads(entry.read_bytes()[32:])[0]
    # A kept answer is what a new process gets (here one no parse would give).
    write_entry(entry, json.dumps([key, ["kept"]]).encode(), names_cache.KEEP)
    assert _names(folder) == ("kept",)


def test_an_edited_source_or_other_syntax_is_a_new_key(folder: Path) -> None:
    assert _names(folder) == ("event", "generic", "lang")
    (folder / "t" / "macros.j2").write_text(MACROS + "{{ zone }}", encoding="utf-8")
    assert _names(folder) == ("event", "generic", "lang", "zone")
    assert len(_entries(folder)) == 2
    # Other delimiters parse the same text otherwise: no "{{ }}" is a variable now.
    assert _names(folder, variable_start_string="[[", variable_end_string="]]") == ()
    assert len(_entries(folder)) == 3


def test_a_deleted_or_damaged_entry_is_made_again(folder: Path) -> None:
    assert _names(folder) == ("event", "generic", "lang")
    (entry,) = _entries(folder)
    entry.write_bytes(entry.read_bytes()[:-4] + b"oops")  # its digest fails
    assert _names(folder) == ("event", "generic", "lang")
    assert json.loads(entry.read_bytes()[32:])[1] == ["event", "generic", "lang"]
    entry.unlink()
    assert _names(folder) == ("event", "generic", "lang")
    assert len(_entries(folder)) == 1


def test_an_entry_of_another_shape_is_ignored(folder: Path) -> None:
    assert _names(folder) == ("event", "generic", "lang")
    (entry,) = _entries(folder)
    write_entry(entry, b'{"not": "a pair"}', names_cache.KEEP)
    assert _names(folder) == ("event", "generic", "lang")


def test_an_unwritable_cache_costs_only_the_parse(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = folder / "blocked"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert _names(folder) == ("event", "generic", "lang")
    assert _names(folder) == ("event", "generic", "lang")


def test_a_template_that_imports_another_is_not_told(folder: Path) -> None:
    (folder / "t" / "macros.j2").write_text('{% import "x.j2" as x %}{{ a }}', encoding="utf-8")
    assert _names(folder) is None
    assert _entries(folder) == []

"""Card fields' analyses (which names each reads, its parts' code) kept in the user cache
between runs (``names_cache.FieldTable``, used by ``field_cache``): a new process reads
them back instead of parsing; the fields render the same either way; other settings are
another table; a damaged, foreign or unwritable table costs only the parse."""

from __future__ import annotations

import marshal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import pytest

from toolkit.cards import field_cache, names_cache
from toolkit.files.user_cache import write_entry
from toolkit.sandbox.environment import CopyEnvironment

SPLIT = "{{ title }} · {% if event %}{{ event.name }}{% endif %}"  # two parts
WHOLE = "{{ title | upper }}"  # one part
CONTEXT = {"title": "Launch", "event": {"name": "Social ROI Live"}}


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(names_cache, "_TABLES", {})
    _new_process()
    yield tmp_path / "cache" / "toolkit" / names_cache.FOLDER
    _new_process()


def _new_process() -> None:
    """Forget what this process analysed, as a new process starts."""
    names_cache._TABLES.clear()
    names_cache.field_table.cache_clear()
    field_cache._analysis.cache_clear()
    field_cache.field_parts.cache_clear()


def _env(**options: Any) -> CopyEnvironment:
    return CopyEnvironment(undefined=jinja2.StrictUndefined, **options)


def _rendered(env: CopyEnvironment, text: str) -> str:
    parts = field_cache.field_parts(env, text)
    assert parts is not None
    return "".join(template.render(CONTEXT) for template, _, _ in parts)


def _tables(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.fields"))


def test_a_new_process_reads_the_analyses_back(cache: Path) -> None:
    env = _env()
    assert field_cache.field_names(env, SPLIT) == ("event", "title")
    assert _rendered(env, SPLIT) == "Launch · Social ROI Live"
    assert field_cache.field_parts(env, WHOLE) is None
    names_cache.keep_fields()
    (table,) = _tables(cache)
    signature, known = marshal.loads(table.read_bytes()[32:])
    assert set(known) == {SPLIT, WHOLE}
    # A kept answer is what a new process gets (here one no parse would give).
    parts = known[SPLIT][1]
    write_entry(table, marshal.dumps((signature, {SPLIT: (("kept",), parts)})), names_cache.KEEP)
    _new_process()
    env = _env()
    assert field_cache.field_names(env, SPLIT) == ("kept",)
    # Its parts come from their kept code, and print what the parsed ones printed.
    assert _rendered(env, SPLIT) == "Launch · Social ROI Live"
    assert [names for _, names, _ in field_cache.field_parts(env, SPLIT) or ()] == [
        ("title",),
        ("event",),
    ]


def test_other_settings_are_another_table(cache: Path) -> None:
    field_cache.field_names(_env(), SPLIT)
    names_cache.keep_fields()
    _new_process()
    # Other delimiters parse the same text otherwise: no "{{ }}" is a variable now.
    other = _env(variable_start_string="[[", variable_end_string="]]")
    assert field_cache.field_names(other, SPLIT) == ("event",)
    names_cache.keep_fields()
    assert len(_tables(cache)) == 2


def test_a_damaged_or_foreign_table_is_analysed_again(cache: Path) -> None:
    field_cache.field_names(_env(), SPLIT)
    names_cache.keep_fields()
    (table,) = _tables(cache)
    table.write_bytes(table.read_bytes()[:-4] + b"oops")  # its digest fails
    _new_process()
    env = _env()
    assert field_cache.field_names(env, SPLIT) == ("event", "title")
    assert _rendered(env, SPLIT) == "Launch · Social ROI Live"
    names_cache.keep_fields()  # made again
    assert marshal.loads(table.read_bytes()[32:])[1][SPLIT][0] == ("event", "title")
    for body in (marshal.dumps(("another signature", {})), marshal.dumps(["not", "a table"])):
        write_entry(table, body, names_cache.KEEP)
        _new_process()
        assert field_cache.field_names(_env(), SPLIT) == ("event", "title")
    table.unlink()
    _new_process()
    assert field_cache.field_names(_env(), SPLIT) == ("event", "title")


def test_an_unwritable_cache_costs_only_the_parse(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    env = _env()
    assert _rendered(env, SPLIT) == "Launch · Social ROI Live"
    names_cache.keep_fields()
    _new_process()
    assert _rendered(_env(), SPLIT) == "Launch · Social ROI Live"


def test_a_field_whose_output_may_vary_is_kept_as_never_kept(cache: Path) -> None:
    varying = "{{ title }}{{ [1, 2] | random }}"
    assert field_cache.field_names(_env(), varying) is None
    names_cache.keep_fields()
    _new_process()
    assert field_cache.field_names(_env(), varying) is None
    assert field_cache.field_parts(_env(), varying) is None

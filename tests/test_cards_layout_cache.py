"""Parsed layouts kept in the user cache (``toolkit.cards.layout_cache``): a later process gets
the same layout without parsing it; an edited layout is parsed again; a damaged, missing or
unwritable entry only costs the parsing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from toolkit.cards import layout, layout_cache
from toolkit.errors import ToolkitError

LAYOUT = """\
description: A test layout.
alt: "{{ campaign }}"
variants:
  landscape:
    design: [1280, 720]
    layers:
      - {type: background, gradient: {start: primary, end: secondary, angle: 35}}
      - {name: title, type: text, text: "{{ campaign }}", box: [72, 200, 900, 300],
         font: heading, colour: white, min_size: 30, max_size: 70}
"""


@pytest.fixture
def roots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, ...]]:
    """A template folder with one layout, a user cache of its own, nothing parsed in memory."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "templates" / "cards"
    folder.mkdir(parents=True)
    (folder / "stage.yaml").write_text(LAYOUT, encoding="utf-8")
    layout._parse.cache_clear()  # what a new process has in memory
    yield (tmp_path / "templates",)
    layout._parse.cache_clear()


def _entries(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / "toolkit" / layout_cache.FOLDER).glob("*.layout"))


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(text: str, path: Path | None = None) -> None:
        raise AssertionError("a kept layout was parsed again")

    monkeypatch.setattr(layout, "parse_yaml", refuse)


def _fresh(roots: tuple[Path, ...]) -> layout.LoadedLayout:
    layout._parse.cache_clear()
    return layout.load_layout(roots, "stage")


def test_a_later_process_gets_the_same_layout_without_parsing_it(
    roots: tuple[Path, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = layout.load_layout(roots, "stage")
    assert len(_entries(tmp_path)) == 1
    with monkeypatch.context() as m:
        _no_parsing(m)
        kept = _fresh(roots)
    assert kept == first
    assert kept.layout == first.layout and kept.marks == first.marks
    # What cards key their kept bases by, and where messages point, is unchanged.
    assert repr(kept.variant("landscape")) == repr(first.variant("landscape"))
    assert kept.layer_location("landscape", 1, "text") == first.layer_location(
        "landscape", 1, "text"
    )


def test_an_edited_layout_is_parsed_again(roots: tuple[Path, ...], tmp_path: Path) -> None:
    first = layout.load_layout(roots, "stage")
    path = roots[0] / "cards" / "stage.yaml"
    path.write_text(LAYOUT.replace("A test layout.", "Edited."), encoding="utf-8")
    edited = _fresh(roots)
    assert edited.layout.description == "Edited."
    assert first.layout.description == "A test layout."
    assert len(_entries(tmp_path)) == 2  # a new key, the old entry untouched


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "delete"])
def test_a_damaged_or_missing_entry_is_rebuilt_silently(
    roots: tuple[Path, ...], tmp_path: Path, damage: str
) -> None:
    first = layout.load_layout(roots, "stage")
    (entry,) = _entries(tmp_path)
    blob = entry.read_bytes()
    if damage == "truncate":
        entry.write_bytes(blob[: len(blob) // 2])
    elif damage == "flip":
        entry.write_bytes(blob[:-10] + bytes(b ^ 0xFF for b in blob[-10:]))
    elif damage == "garbage":
        import hashlib

        body = b"not a pickle"
        entry.write_bytes(hashlib.sha256(body).digest() + body)
    else:
        entry.unlink()
    assert layout_cache.load(_key(roots)) is None
    assert _fresh(roots) == first
    # Rebuilt: the next process reads it from the cache again.
    assert _entries(tmp_path) == [entry]
    assert layout_cache.load(_key(roots)) == first


def _key(roots: tuple[Path, ...]) -> str:
    path = (roots[0] / "cards" / "stage.yaml").resolve()
    return layout_cache.key_of(path, path.read_bytes())


def test_an_entry_under_another_key_is_not_taken(roots: tuple[Path, ...], tmp_path: Path) -> None:
    layout.load_layout(roots, "stage")
    (entry,) = _entries(tmp_path)
    other = "0" * 64
    moved = entry.with_name(f"{other[:40]}.layout")
    entry.rename(moved)
    assert layout_cache.load(other) is None  # it says which key it was kept under


def test_an_unwritable_cache_only_costs_the_parsing(
    roots: tuple[Path, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    first = layout.load_layout(roots, "stage")
    assert _fresh(roots) == first


def test_a_broken_layout_is_not_kept(roots: tuple[Path, ...], tmp_path: Path) -> None:
    path = roots[0] / "cards" / "stage.yaml"
    path.write_text(LAYOUT.replace("design: [1280, 720]", "design: [1280]"), encoding="utf-8")
    for _ in range(2):  # the same message the second time: parsed again, not kept
        layout._parse.cache_clear()
        with pytest.raises(ToolkitError) as error:
            layout.load_layout(roots, "stage")
        assert "design" in str(error.value)
    assert _entries(tmp_path) == []

"""The brand's logo found once and kept (``assets._LOGOS``) only while every part of the
way to it is as it was: an edit, a removal, or a part swapped for a link out of the
brand's folder is seen on the next card, as finding it afresh would see it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.test_cards_support import demo_sources
from toolkit.cards import assets
from toolkit.cards.context import CardSource
from toolkit.errors import InputError

from .conftest import FIXED_NOW


@pytest.fixture
def source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CardSource:
    monkeypatch.setattr(assets, "_LOGOS", {})
    return demo_sources(tmp_path / "ws", FIXED_NOW, ("en",))["en"]


def _found(source: CardSource) -> Path:
    found = assets.logo_file(source.brand)
    assert found is not None
    return found[0]


def test_the_logo_is_kept_and_found_again_when_edited(source: CardSource) -> None:
    first = _found(source)
    assert _found(source) == first and len(assets._LOGOS) == 1
    os.utime(first, ns=(1, 1))
    assert _found(source) == first  # found again (its state changed): the same file


def test_a_removed_logo_is_refused_again(source: CardSource) -> None:
    first = _found(source)
    first.unlink()
    with pytest.raises(InputError, match="does not exist"):
        assets.logo_file(source.brand)


def test_a_logo_swapped_for_a_link_out_of_the_brand_is_refused(
    source: CardSource, tmp_path: Path
) -> None:
    first = _found(source)
    outside = tmp_path / "elsewhere.png"
    shutil.copy(first, outside)
    first.unlink()
    first.symlink_to(outside)
    with pytest.raises(InputError, match="outside"):
        assets.logo_file(source.brand)


def test_a_folder_swapped_for_a_link_out_of_the_brand_is_refused(
    source: CardSource, tmp_path: Path
) -> None:
    first = _found(source)
    folder = first.parent
    moved = tmp_path / "moved"
    shutil.move(folder, moved)
    folder.symlink_to(moved, target_is_directory=True)
    with pytest.raises(InputError, match="outside"):
        assets.logo_file(source.brand)

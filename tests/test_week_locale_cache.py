"""Babel's merged locale data kept in the user cache (``sandbox.locale_data``): the same
data as Babel's own loading, rebuilt silently when missing, damaged or keyed otherwise."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from babel import dates, localedata

from toolkit.sandbox import locale_data

NAME = "fr_CA"


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty user cache, and Babel as in a new process for ``NAME``."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    saved = dict(localedata._cache)
    localedata._cache.clear()
    locale_data.warm.cache_clear()
    yield tmp_path / "toolkit" / locale_data.FOLDER
    locale_data.warm.cache_clear()
    localedata._cache.clear()
    localedata._cache.update(saved)


def _new_process() -> None:
    localedata._cache.clear()
    locale_data.warm.cache_clear()


def test_kept_data_is_babels_own(fresh: Path) -> None:
    locale_data.warm(NAME)
    assert len(list(fresh.iterdir())) == 1
    loaded = localedata._cache[NAME]
    _new_process()
    locale_data.warm(NAME)
    assert localedata._cache[NAME] is not loaded  # read back from the entry
    # (Babel's patterns and aliases have no ==: the same pickle is the same data.)
    assert pickle.dumps(localedata._cache[NAME]) == pickle.dumps(loaded)
    assert list(localedata._cache) == [NAME]  # no parent was loaded and merged
    day = date(2026, 12, 3)
    assert dates.format_date(day, "full", locale=NAME) == "jeudi 3 décembre 2026"


def test_damaged_or_missing_entry_is_made_again(fresh: Path) -> None:
    locale_data.warm(NAME)
    (entry,) = fresh.iterdir()
    good = entry.read_bytes()
    entry.write_bytes(good[:-10] + b"0123456789")
    _new_process()
    locale_data.warm(NAME)  # the digest fails: Babel loads it, and it is kept again
    assert entry.read_bytes() == good
    entry.unlink()
    _new_process()
    locale_data.warm(NAME)
    assert entry.read_bytes() == good


def test_another_babel_is_another_key(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locale_data.warm(NAME)
    monkeypatch.setattr(locale_data, "package_part", lambda name: ("elsewhere", 1, 2))
    _new_process()
    locale_data.warm(NAME)
    assert len(list(fresh.iterdir())) == 2


def test_unknown_locale_is_left_to_babel(fresh: Path) -> None:
    locale_data.warm("xx_YY")
    assert not fresh.exists()


def test_an_alias_keeps_the_data_babel_reads(fresh: Path) -> None:
    locale_data.warm("zh_TW")
    assert "zh_Hant_TW" in localedata._cache
    assert len(list(fresh.iterdir())) == 1

"""The code ``dataclasses`` and ``typing`` compile at run time, kept between runs
(``toolkit/files/code_cache.py``): the same classes and annotations as compiled afresh,
a new source is a miss, and a deleted or damaged cache is made again silently."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest

from toolkit.files import code_cache


def _uninstall() -> None:
    """The builtins again, and nothing kept in memory."""
    for module, name in ((dataclasses, "exec"), (typing, "compile")):
        module.__dict__.pop(name, None)
    code_cache._codes.clear()
    code_cache._used.clear()
    code_cache._new = code_cache._installed = False


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A cache folder of the test's own, the builtins back afterwards (and as before)."""
    installed = code_cache._installed
    _uninstall()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    yield code_cache.cache_file()
    _uninstall()
    if installed:  # the command line's tests in this process installed it
        code_cache.install()


def _point(n: int) -> type:
    """A new dataclass, its source depending on ``n`` (a field's default)."""

    @dataclasses.dataclass(frozen=True, order=True)
    class Point:
        x: int
        y: tuple[str, ...] | None = None
        z: int = n

    return Point


def _fresh_run(code: str, cache_home: Path) -> str:
    env = {"XDG_CACHE_HOME": str(cache_home), "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def test_a_cached_dataclass_is_the_one_compiled_afresh(cache: Path) -> None:
    plain = _point(3)
    code_cache.install()
    first = _point(3)
    again = _point(3)  # compiled once, run twice
    for made in (first, again):
        a, b = made(1, ("a",)), made(1, ("a",))
        assert a == b and hash(a) == hash(b) and made(0) < made(1)
        assert repr(a) == repr(plain(1, ("a",)))
        assert made.__init__.__annotations__ == plain.__init__.__annotations__  # type: ignore[misc]
        assert made.__init__.__code__.co_code == plain.__init__.__code__.co_code  # type: ignore[misc]
        with pytest.raises(dataclasses.FrozenInstanceError):
            a.x = 2  # type: ignore[attr-defined]
    assert typing.get_type_hints(first) == typing.get_type_hints(plain)


def test_forward_references_resolve_and_bad_ones_still_fail(cache: Path) -> None:
    code_cache.install()
    assert typing.ForwardRef("list[int] | None")._evaluate(globals(), None, frozenset()) == (
        list[int] | None
    )
    with pytest.raises(SyntaxError):
        typing.ForwardRef("not an expression (")


def test_kept_code_is_used_by_the_next_process_and_a_new_source_is_a_miss(
    cache: Path,
) -> None:
    home = cache.parents[2]
    probe = (
        "import dataclasses, sys\n"
        "from toolkit.files import code_cache\n"
        "code_cache.install()\n"
        "@dataclasses.dataclass\n"
        "class A:\n"
        "    {name}: int = 1\n"
        "print(code_cache._new)\n"
        "code_cache.save()\n"
    )
    assert _fresh_run(probe.format(name="x"), home).strip() == "True"  # nothing kept yet
    assert cache.is_file()
    assert _fresh_run(probe.format(name="x"), home).strip() == "False"  # all of it kept
    assert _fresh_run(probe.format(name="y"), home).strip() == "True"  # another field: new code
    assert _fresh_run(probe.format(name="y"), home).strip() == "False"
    assert _fresh_run(probe.format(name="x"), home).strip() == "False"  # both kept


@pytest.mark.parametrize("damage", ["delete", "truncate", "garble", "not a dict"])
def test_a_deleted_or_damaged_cache_is_made_again_silently(cache: Path, damage: str) -> None:
    code_cache.install()
    _point(11)
    code_cache.save()
    assert cache.is_file()
    if damage == "delete":
        cache.unlink()
    elif damage == "truncate":
        cache.write_bytes(cache.read_bytes()[:100])
    elif damage == "garble":
        blob = bytearray(cache.read_bytes())
        blob[len(blob) // 2] ^= 0xFF
        cache.write_bytes(bytes(blob))
    else:
        from toolkit.files.user_cache import write_entry

        write_entry(cache, b"\xe9\x03\x00\x00", keep=4)  # marshal of an int
    _uninstall()
    code_cache.install()  # nothing usable: compiled afresh, no error
    assert _point(11)(1).z == 11
    assert code_cache._new
    code_cache.save()
    _uninstall()
    code_cache.install()
    _point(11)
    assert not code_cache._new  # made again, and used


def test_the_library_leaves_the_standard_library_alone() -> None:
    # Only the command line's entry point installs it.
    out = subprocess.run(
        [sys.executable, "-c", "import toolkit.api, toolkit.week.build, dataclasses, typing;"
         "print('exec' in vars(dataclasses), 'compile' in vars(typing))"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert out.split() == ["False", "False"]


def test_past_its_bound_the_cache_keeps_only_what_the_process_used(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from toolkit.files.user_cache import read_entry

    code_cache.install()
    _point(1)
    code_cache.save()
    kept = len(code_cache._load())
    _uninstall()
    code_cache.install()
    code_cache._codes[("exec", "<string>", "x = 1")] = compile("x = 1", "<string>", "exec")
    code_cache._new = True  # as if compiled, but never used by this process
    monkeypatch.setattr(code_cache, "MAX_ENTRIES", kept)
    _point(1)
    code_cache.save()
    blob = read_entry(cache)
    assert blob is not None
    assert ("exec", "<string>", "x = 1") not in code_cache._load()
    assert 0 < len(code_cache._load()) <= kept

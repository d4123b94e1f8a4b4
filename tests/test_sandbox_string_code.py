"""Card fields (strings, not template files) keep their compiled code between runs.

A card worker's start was mostly compiling its layouts' fields; they now go through
the sandbox's bytecode cache. What a user would notice if it went wrong: a field
edited in a layout still showing the old text, a damaged cache breaking the cards,
or a syntax error worded differently the second time.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from toolkit.sandbox.environment import CopyEnvironment, TemplateCodeCache


def _env(folder: Path) -> CopyEnvironment:
    """A new environment (as in a new process) over the cache ``folder``."""
    return CopyEnvironment(
        bytecode_cache=TemplateCodeCache(str(folder)), undefined=jinja2.StrictUndefined
    )


def test_a_field_is_compiled_once_then_read_back(tmp_path: Path) -> None:
    source = "{{ title | upper }} · {{ n * 2 }}"
    assert _env(tmp_path).string_template(source).render(title="Live", n=21) == "LIVE · 42"
    kept = list(tmp_path.iterdir())
    assert len(kept) == 1
    assert _env(tmp_path).string_template(source).render(title="Live", n=21) == "LIVE · 42"
    assert list(tmp_path.iterdir()) == kept  # read back, not compiled and written again


def test_an_edited_field_renders_its_new_text(tmp_path: Path) -> None:
    assert _env(tmp_path).string_template("Register {{ who }}").render(who="now") == (
        "Register now"
    )
    assert _env(tmp_path).string_template("Watch {{ who }}").render(who="now") == "Watch now"
    assert _env(tmp_path).expression("n > 1")(n=2) is True
    assert _env(tmp_path).expression("n > 3")(n=2) is False


def test_expressions_keep_jinjas_meaning(tmp_path: Path) -> None:
    for _ in range(2):  # compiled, then read back
        env = _env(tmp_path)
        assert env.expression("photo")() is None  # undefined reads as None, as in Jinja
        assert env.expression("a ~ b")(a="x", b="y") == "xy"
        assert env.expression("items | length")(items=[1, 2, 3]) == 3


@pytest.mark.parametrize("damage", [b"", b"garbage", 16, "a third"])
def test_a_damaged_cache_is_rebuilt_silently(tmp_path: Path, damage: bytes | int | str) -> None:
    _env(tmp_path).string_template("{{ a }}!")
    _env(tmp_path).expression("a == 1")
    for kept in tmp_path.iterdir():
        whole = kept.read_bytes()
        if isinstance(damage, bytes):
            kept.write_bytes(damage)
        else:  # cut short: inside the checksum (16 bytes), or inside the code
            kept.write_bytes(whole[: damage if isinstance(damage, int) else len(whole) // 3])
    assert _env(tmp_path).string_template("{{ a }}!").render(a="hi") == "hi!"
    assert _env(tmp_path).expression("a == 1")(a=1) is True
    assert _env(tmp_path).string_template("{{ a }}!").render(a="ok") == "ok!"


@pytest.mark.parametrize(
    "source", ["a ==", "a b", "(", "x" * 200_000, "(" * 5_000 + "1" + ")" * 5_000]
)
def test_a_bad_expression_fails_as_jinja_says(tmp_path: Path, source: str) -> None:
    env = _env(tmp_path)
    with pytest.raises(jinja2.TemplateError) as ours:
        env.expression(source)
    with pytest.raises(jinja2.TemplateError) as jinjas:
        env.compile_expression(source)
    assert str(ours.value) == str(jinjas.value)
    assert not list(tmp_path.iterdir())  # nothing kept for it

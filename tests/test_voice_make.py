"""The fast makers of frozen values give exactly what the classes' constructors give."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from toolkit.text.spans import Span, new_span
from toolkit.voice.findings import Edit, Finding, new_edit, new_finding
from toolkit.voice.kinds.base import Hit, new_hit

EDIT = Edit(3, 5, "x")
CASES: list[tuple[Any, Any]] = [
    (new_span(1, 4, "hashtag", "#ab"), Span(1, 4, "hashtag", "#ab")),
    (new_edit(3, 5, "x"), EDIT),
    (new_hit(1, 2), Hit(1, 2)),
    (
        new_hit(1, 2, {"match": "a"}, "'b'", (EDIT,), False),
        Hit(1, 2, {"match": "a"}, "'b'", (EDIT,), False),
    ),
    (
        new_finding("r", "warning", "m", 1, 2, 1, 2, 1, 3, "s", (EDIT,), "p", False),
        Finding("r", "warning", "m", 1, 2, 1, 2, 1, 3, "s", (EDIT,), "p", False),
    ),
]


@pytest.mark.parametrize(("made", "built"), CASES)
def test_same_value_type_and_fields(made: Any, built: Any) -> None:
    assert type(made) is type(built)
    assert made == built
    assert repr(made) == repr(built)
    for f in dataclasses.fields(built):
        assert getattr(made, f.name) == getattr(built, f.name)
    assert dataclasses.replace(made) == built


@pytest.mark.parametrize(("made", "built"), CASES)
def test_still_frozen(made: Any, built: Any) -> None:
    name = dataclasses.fields(built)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made, name, 0)


def test_hashable_like_the_class() -> None:
    assert hash(new_span(1, 4, "url", "a.co")) == hash(Span(1, 4, "url", "a.co"))
    assert hash(new_edit(3, 5, "x")) == hash(EDIT)
    finding = Finding("r", "error", "m", 0, 1, 1, 1, 1, 2)
    assert hash(new_finding("r", "error", "m", 0, 1, 1, 1, 1, 2, None, (), None, True)) == hash(
        finding
    )


def test_finding_at_keeps_every_field() -> None:
    finding = Finding("r", "error", "m", 0, 1, 1, 1, 1, 2, "s", (EDIT,), None, False)
    moved = finding.at("post.md")
    assert type(moved) is Finding
    assert moved == dataclasses.replace(finding, path="post.md")

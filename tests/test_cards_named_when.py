"""A ``when`` that only names a card variable is answered from the card's context, as
Jinja answers it (the same value; any other expression goes through Jinja)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from tests.test_cards_support import demo_sources
from toolkit.cards import context
from toolkit.cards.context import CardSource, evaluate
from toolkit.errors import Location, TemplateError

from .conftest import FIXED_NOW

EXPRESSIONS = (
    "photo",
    "not photo",
    "speakers",
    "not speakers",
    " not   speakers ",
    "title",
    "event_over",
    "not event_over",
    "true",
    "none",
    "not none",
)
VALUES = (None, "", "x", 0, 1, [], ["a"], {}, {"k": 1}, False, True)


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> CardSource:
    return demo_sources(tmp_path_factory.mktemp("ws"), FIXED_NOW, ("en",))["en"]


def _outcome(source: CardSource, expression: str) -> object:
    try:
        return evaluate(source, expression, Location(Path("layout.yaml")))
    except TemplateError as exc:
        return ("error", str(exc))


def _both(
    source: CardSource, expression: str, monkeypatch: pytest.MonkeyPatch
) -> tuple[object, object]:
    quick = _outcome(source, expression)
    with monkeypatch.context() as patch:
        patch.setattr(context, "_NAMED", re.compile(r"(?!)"))  # never: every one through Jinja
        slow = _outcome(source, expression)
    return quick, slow


def test_named_variables_have_the_values_jinja_gives(
    source: CardSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    for value in VALUES:
        card = replace(source, context={**source.context, "photo": value, "speakers": value})
        for expression in EXPRESSIONS:
            quick, slow = _both(card, expression, monkeypatch)
            assert quick == slow and type(quick) is type(slow), (expression, value)


def test_a_name_the_card_lacks_goes_through_jinja(
    source: CardSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    for expression in ("no_such_variable", "not no_such_variable", "brand.has_logo"):
        quick, slow = _both(source, expression, monkeypatch)
        assert quick == slow and type(quick) is type(slow), expression

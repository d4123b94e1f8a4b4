"""A card's text fields and ``when``s kept from card to card (``field_cache.FIELDS`` and
``_VALUES``): reused only while every name the field reads has the same value, never for
a field whose output may differ from call to call, and the same text either way."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace
from datetime import UTC, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.test_cards_support import demo_sources
from toolkit.cards import context, field_cache
from toolkit.cards.api import render_source
from toolkit.cards.context import CardSource, evaluate, render_text
from toolkit.errors import Location, TemplateError

from .conftest import FIXED_NOW

WHERE = Location(Path("layout.yaml"))
SUBTITLE = (
    "{{ subtitle or (m.kind() ~ ' · ' ~ (_('Watch the replay') if event_over "
    "else event.starts | date('medium')) if event else '') }}"
)


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> CardSource:
    return demo_sources(tmp_path_factory.mktemp("ws"), FIXED_NOW, ("en",))["en"]


@pytest.fixture(autouse=True)
def _empty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(field_cache, "FIELDS", OrderedDict())
    monkeypatch.setattr(field_cache, "VALUES", OrderedDict())


def _with(source: CardSource, **values: object) -> CardSource:
    return replace(source, context={**source.context, **values})


def _unkept(
    monkeypatch: pytest.MonkeyPatch, source: CardSource, text: str, expression: bool = False
) -> object:
    with monkeypatch.context() as patch:
        patch.setattr(field_cache, "FIELD_LIMIT", 0)  # nothing stays: rendered as before
        patch.setattr(field_cache, "FIELDS", OrderedDict())
        patch.setattr(field_cache, "VALUES", OrderedDict())
        if expression:
            return evaluate(source, text, WHERE)
        return render_text(source, text, WHERE)


def test_a_field_that_does_not_read_the_title_is_kept_across_titles(
    source: CardSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = render_text(source, SUBTITLE, WHERE)
    assert first and len(field_cache.FIELDS) == 1
    for title in ("Another title", "Yet another"):
        card = _with(source, title=title)
        assert render_text(card, SUBTITLE, WHERE) == first == _unkept(monkeypatch, card, SUBTITLE)
    assert len(field_cache.FIELDS) == 1  # one entry served every card


@pytest.mark.parametrize(
    ("name", "value"),
    [("subtitle", "Live on Thursday"), ("event_over", True), ("subtitle", "")],
)
def test_a_changed_value_it_reads_renders_it_again(
    source: CardSource, monkeypatch: pytest.MonkeyPatch, name: str, value: object
) -> None:
    first = render_text(source, SUBTITLE, WHERE)
    card = _with(source, **{name: value})
    again = render_text(card, SUBTITLE, WHERE)
    assert again == _unkept(monkeypatch, card, SUBTITLE)
    if value:
        assert again != first


def test_a_changed_event_renders_it_again_through_the_macros(
    source: CardSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = render_text(source, SUBTITLE, WHERE)
    event = source.context["event"]
    assert event is not None
    card = _with(source, event=replace(event, kind="meetup"))
    again = render_text(card, SUBTITLE, WHERE)
    assert again == _unkept(monkeypatch, card, SUBTITLE)
    assert again != first


@pytest.mark.parametrize(
    "text",
    [
        # what may differ from call to call
        "{{ ['a', 'b', 'c'] | random }}",
        "{{ lipsum(1, false, 3, 5) }}",
        "{% include 'x.j2' %}",
        "{{ title }} {{ (title | random) if false else '' }}",
        # a method called on a value, which may change what the field reads
        "{% do key_points.append('x') %}{{ title }}",
        "{{ key_points.pop() if false else title }}",
        "{{ brand.name.upper() }}",
    ],
)
def test_a_field_whose_text_may_not_follow_from_its_names_is_never_kept(
    source: CardSource, text: str
) -> None:
    env = context.card_environment(source)
    assert field_cache.field_names(env, text) is None


def test_a_when_is_kept_and_follows_what_it_reads(
    source: CardSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    expression = "not brand.has_logo"
    first = evaluate(source, expression, WHERE)
    assert len(field_cache.VALUES) == 1
    assert evaluate(_with(source, title="Other"), expression, WHERE) is first
    brand = dict(source.context["brand"]) if isinstance(source.context["brand"], dict) else None
    if brand is not None:
        brand["has_logo"] = not brand.get("has_logo")
        card = _with(source, brand=brand)
        assert evaluate(card, expression, WHERE) == _unkept(monkeypatch, card, expression, True)
        assert evaluate(card, expression, WHERE) != first


def test_the_bound_is_kept(source: CardSource) -> None:
    for i in range(field_cache.FIELD_LIMIT + 10):
        render_text(_with(source, subtitle=f"Sub {i}"), SUBTITLE, WHERE)
    assert len(field_cache.FIELDS) == field_cache.FIELD_LIMIT


def test_cards_are_the_same_bytes_with_fields_kept_or_not(
    source: CardSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    cards = [_with(source, title=f"Card number {i}") for i in range(3)]
    kept = [render_source(c, "thumbnail", "youtube-thumbnail", fmt="png") for c in cards]
    with monkeypatch.context() as patch:
        patch.setattr(field_cache, "FIELD_LIMIT", 0)
        patch.setattr(field_cache, "FIELDS", OrderedDict())
        patch.setattr(field_cache, "VALUES", OrderedDict())
        fresh = [render_source(c, "thumbnail", "youtube-thumbnail", fmt="png") for c in cards]
    for a, b in zip(kept, fresh, strict=True):
        assert (a.data, a.alt_text, a.notes, a.placed) == (b.data, b.alt_text, b.notes, b.placed)


ALT = "{{ title }}{% if subtitle %} — {{ subtitle }}{% elif event %} — {{ m.kind() }}{% endif %}"


@pytest.mark.parametrize("title", ["Another title", "", 3.5, None, ["a"]])
def test_a_field_is_kept_part_by_part(
    source: CardSource, monkeypatch: pytest.MonkeyPatch, title: object
) -> None:
    env = context.card_environment(source)
    parts = field_cache.field_parts(env, ALT)
    assert parts is not None and [p[2] for p in parts] == [True, False]  # title; the rest
    first = render_text(source, ALT, WHERE)
    card = _with(source, title=title)
    assert render_text(card, ALT, WHERE) == _unkept(monkeypatch, card, ALT)
    assert render_text(card, ALT, WHERE).endswith(
        first[len(str(source.context["title"])) :].strip()
    )
    other = _with(card, subtitle="Live now")
    assert render_text(other, ALT, WHERE) == _unkept(monkeypatch, other, ALT)
    assert render_text(other, ALT, WHERE).endswith("— Live now")


@pytest.mark.parametrize(
    "text",
    [
        "{% set x = title %}{{ x }} and {{ subtitle }}",
        "{% macro f() %}{{ title }}{% endmacro %}{{ f() }} {{ subtitle }}",
        "{% with x = title %}{{ x }}{% endwith %} {{ subtitle }}",
        "{% autoescape true %}{{ title }}{% endautoescape %} {{ subtitle }}",
    ],
)
def test_parts_that_share_state_render_as_one(
    source: CardSource, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    env = context.card_environment(source)
    assert field_cache.field_parts(env, text) is None
    for title in ("One", "Two"):
        card = _with(source, title=title)
        assert render_text(card, text, WHERE) == _unkept(monkeypatch, card, text)


def test_the_size_bound_holds_over_kept_parts(
    source: CardSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "{{ title }}{{ subtitle }}"
    card = _with(source, subtitle="x" * 3_000)
    render_text(card, text, WHERE)  # the subtitle's part is kept
    long = _with(card, title="y" * 2_500)
    with pytest.raises(TemplateError, match="more than"):
        render_text(long, text, WHERE)
    with pytest.raises(TemplateError, match="more than"):
        _unkept(monkeypatch, long, text)


@pytest.mark.parametrize(
    "text",
    [
        "{{ event.starts | relative }}",  # reads the card's now
        "{{ event.starts | time }}",  # its time zone, from now
        "{% if event %}{{ title }} — {{ event.starts | relative }}{% endif %}",
    ],
)
def test_a_filter_that_reads_the_clock_is_not_kept_across_clocks(
    source: CardSource, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    """``relative`` and ``time`` read ``now`` from the card's context, though the field
    never names it: a card an hour before the event is not the one a day before."""
    event = source.context["event"]
    day_before = _with(source, now=event.starts - timedelta(days=1, minutes=1))
    hour_before = _with(source, now=(event.starts - timedelta(hours=1)).astimezone(UTC))
    first = render_text(day_before, text, WHERE)
    second = render_text(hour_before, text, WHERE)
    assert first == _unkept(monkeypatch, day_before, text)
    assert second == _unkept(monkeypatch, hour_before, text)
    assert first != second
    # The same clock, in a new object of equal value, is the same card.
    again = _with(source, now=event.starts - timedelta(days=1, minutes=1))
    assert render_text(again, text, WHERE) == first


def test_what_the_sandbox_filters_read_unnamed_is_in_the_key() -> None:
    """The filters that read the card's context of their own accord read only the names
    every such field is also keyed by: a filter that read another would make kept
    fields stale."""
    import re

    import toolkit.sandbox.filters as filters

    source = Path(filters.__file__).read_text(encoding="utf-8")
    read = set(re.findall(r"ctx\.get\(\"(\w+)\"", source))
    assert read and read <= field_cache.READ_BY_FILTERS, read


def test_an_equal_moment_in_another_zone_is_another_card(
    source: CardSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "{{ now | time }}"
    paris = source.context["now"]
    london = paris.astimezone(ZoneInfo("Europe/London"))
    assert paris == london
    first = render_text(source, text, WHERE)
    other = render_text(_with(source, now=london), text, WHERE)
    assert other == _unkept(monkeypatch, _with(source, now=london), text) != first

"""Text inside a card: line breaks per script, auto-fit, ellipsis, bidi order, missing glyphs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_cards_support import NOW, need_emoji, need_fonts
from toolkit.cards.api import render_thumbnail
from toolkit.cards.bidi import visual_order
from toolkit.cards.fonts import FontChain
from toolkit.cards.runs import DoesNotFit, FitSpec
from toolkit.cards.text import Typesetter
from toolkit.errors import InputError

from .conftest import yaml_data

CASES: list[dict[str, Any]] = yaml_data(
    (Path(__file__).parent / "data" / "cards" / "breaking.yaml").read_text(encoding="utf-8")
)
SIZE = 40


def _setter(lang: str) -> Typesetter:
    return Typesetter(FontChain((), lang, True), lang)


def _lines(ts: Typesetter, text: str, width: float) -> list[str]:
    wrapped = ts.wrap(ts.tokens(text), SIZE, width)
    assert wrapped is not None
    out = []
    for tokens in wrapped:
        line = ""
        for i, token in enumerate(tokens):
            line += "".join(p.text for p in token.pieces)
            if i < len(tokens) - 1:
                line += token.glue
        out.append(line)
    return out


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_line_breaking(case: dict[str, Any]) -> None:
    need_emoji() if any(ord(c) > 0x1F000 for c in case["text"]) else need_fonts()
    ts = _setter(case["lang"])
    width = case["width"] * SIZE
    lines = _lines(ts, case["text"], width)
    joined = "".join(lines).replace(" ", "")
    assert joined == case["text"].replace(" ", "").replace("\n", "")
    for line in lines:
        assert line[:1] not in case.get("never_starts", []), lines
    for group in case.get("together", []):
        assert any(group in line for line in lines), (group, lines)
    if "lines" in case:
        assert lines == case["lines"]
    spec = FitSpec(8, SIZE, 20, 1.2, False, False, case.get("balance", False))
    block = ts.fit(case["text"], (width, 2000), spec)
    assert all(line.width <= width + 0.5 for line in block.lines)
    fitted = ["".join(run.text for run in line.runs) for line in block.lines]
    for group in case.get("together", []) + case.get("fitted_together", []):
        assert any(group in line for line in fitted), (group, fitted)


@settings(max_examples=25, deadline=None)
@given(
    words=st.lists(
        st.sampled_from(["ROI", "social", "métricas", "İstanbul", "数字で", "語る", "45%", "👋"]),
        min_size=1,
        max_size=30,
    ),
    box_w=st.integers(200, 900),
    box_h=st.integers(60, 600),
)
def test_fit_always_fits_or_says_so(words: list[str], box_w: int, box_h: int) -> None:
    need_emoji()
    ts = _setter("en")
    spec = FitSpec(12, 90, 4, 1.15, False, False)
    text = " ".join(words)
    try:
        block = ts.fit(text, (box_w, box_h), spec)
    except DoesNotFit:
        block = ts.fit(text, (box_w, box_h), FitSpec(12, 90, 4, 1.15, True, False))
        assert block.truncated and block.lines[-1].runs[-1].text.endswith("…")
    assert 12 <= block.size <= 90 and len(block.lines) <= 4
    assert block.height <= box_h + 0.5
    assert all(line.width <= box_w + 0.5 for line in block.lines)
    bigger = ts.fit(text, (box_w * 2, box_h * 2), FitSpec(12, 90, 4, 1.15, True, False))
    assert bigger.size >= block.size


@pytest.mark.parametrize(
    ("dirs", "base_rtl", "order"),
    [
        (["L", "L", "L"], False, [0, 1, 2]),
        (["R", "R", "R"], True, [2, 1, 0]),
        (["L", "R", "N", "R", "L"], False, [0, 3, 2, 1, 4]),
        (["R", "L", "N", "L", "R"], True, [4, 1, 2, 3, 0]),
        (["R", "N"], True, [1, 0]),
    ],
)
def test_bidi_visual_order(dirs: list[str], base_rtl: bool, order: list[int]) -> None:
    assert visual_order(dirs, base_rtl) == order


def test_private_use_character_fails_with_its_code_point() -> None:
    need_fonts()
    with pytest.raises(InputError) as caught:
        render_thumbnail("Launch \ue000 day", now=NOW)
    assert "U+E000" in str(caught.value)
    assert "private-use" in str(caught.value)


def test_text_that_cannot_fit_names_the_layer_and_the_fix() -> None:
    need_fonts()
    with pytest.raises(InputError) as caught:
        render_thumbnail("Supercalifragilisticexpialidocious" * 3, now=NOW)
    message = str(caught.value)
    assert "text 'title' does not fit" in message and "overflow: ellipsis" in message
    assert message.startswith(str(Path("templates/cards/thumbnail.yaml").resolve()))


@pytest.mark.parametrize(
    ("word", "emoji"),
    [
        ("café", ()),
        ("10:00\u202fAM", ()),
        ("2026", ()),
        ("hi👋🏽", ("👋🏽",)),
        ("1\ufe0f\u20e3", ("1\ufe0f\u20e3",)),
        ("a©\ufe0fb", ("©\ufe0f",)),
        ("👩🏽\u200d💻!", ("👩🏽\u200d💻",)),
    ],
)
def test_only_a_words_emoji_take_the_colour_emoji_face(word: str, emoji: tuple[str, ...]) -> None:
    need_emoji()
    pieces = _setter("en").pieces(word, set())
    assert "".join(p.text for p in pieces) == word
    assert tuple(p.text for p in pieces if p.emoji) == emoji

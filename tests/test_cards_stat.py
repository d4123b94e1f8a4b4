"""A key_stat card's figure and label: the label must read as a sentence on its own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from toolkit.cards.context import stat

from .conftest import yaml_data

CASES: list[dict[str, Any]] = yaml_data(
    (Path(__file__).parent / "data" / "card_stats.yaml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("case", CASES, ids=[f"{c['lang']}-{c['text'][:24]}" for c in CASES])
def test_a_figure_leaves_the_sentence_only_where_it_still_reads(case: dict[str, Any]) -> None:
    found = stat(case["text"], case["lang"])
    assert found.figure == case["figure"]
    assert found.label == case.get("label", case["text"])

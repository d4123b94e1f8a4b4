"""The demo guide on a labelled corpus, as a brand editor judges it (bench/lint_quality.py).

The corpus (tests/data/voice/labelled.yaml) holds the posts issue 11 was filed
about and clean traps: banned words in links, mentions, hashtags, code and
longer words, quoted titles, acronyms, abbreviations, decomposed accents.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.lint_quality import Score, load_corpus, score
from toolkit.voice import load_guide

DEMO = Path(__file__).resolve().parents[1] / "brand" / "demo"
BAR = 0.95


@pytest.fixture(scope="module")
def result() -> Score:
    return score(load_guide(DEMO), load_corpus())


def test_the_corpus_is_large_and_covers_five_languages() -> None:
    posts = load_corpus()
    assert len(posts) >= 100
    languages = {p["locale"][:2] for p in posts}
    assert languages == {"en", "fr", "es", "tr", "ja"}
    assert all(sum(p["locale"][:2] == lang for p in posts) >= 15 for lang in languages)


@pytest.mark.parametrize("language", ["en", "fr", "es", "tr", "ja"])
def test_precision_and_recall_per_language(result: Score, language: str) -> None:
    tally = result.by_language[language]
    assert tally.precision >= BAR, result.wrong
    assert tally.recall >= BAR, result.wrong


def test_precision_and_recall_per_rule_kind(result: Score) -> None:
    low = {
        kind: (round(t.precision, 2), round(t.recall, 2))
        for kind, t in result.by_kind.items()
        if t.precision < BAR or t.recall < BAR
    }
    assert low == {}, result.wrong


def test_no_fix_damages_a_post(result: Score) -> None:
    assert result.damaging == []

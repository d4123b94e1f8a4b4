"""Faster forms of the voice matchers find exactly what the plain ones find."""

from __future__ import annotations

import random
import re

from toolkit.voice.kinds.phrases import PhraseSet, trie_pattern
from toolkit.voice.kinds.typography import _HALFWIDTH_RUN
from toolkit.voice.matching import Post
from toolkit.voice.words import scan, scan_all

# Latin letters, a Japanese character (a word character of a script without spaces),
# spaces, apostrophes and hyphens: word edges of every kind.
_ALPHABET = "ab-'’ 日é#"


def _texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 14))) for _ in range(count)]


def test_scan_all_finds_what_scan_finds() -> None:
    phrase_sets = [
        ["ab", "a b", "ab-a", "b", "a'b"],
        ["a", "ab", "aba", "日", "日a"],
        ["é", "ée", "b a b"],
    ]
    for index, phrases in enumerate(phrase_sets):
        pattern = re.compile(trie_pattern(phrases, fold=True), re.DOTALL)
        for text in _texts(index, 800):
            for shorten in (True, False):
                assert scan_all(pattern, text, shorten=shorten) == list(
                    scan(pattern, text, shorten=shorten)
                ), (phrases, text)


def test_scan_all_with_patterns_that_may_match_empty() -> None:
    pattern = re.compile(r"a*|日")
    for text in _texts(7, 800):
        assert scan_all(pattern, text, shorten=False) == list(scan(pattern, text, shorten=False))


def test_halfwidth_run_matches_the_plain_alternation() -> None:
    plain = re.compile(r"(?:[!?]+|[:,.()]) *")
    rng = random.Random(3)
    for _ in range(5000):
        text = "".join(rng.choice("!?:,.() a日") for _ in range(rng.randint(0, 12)))
        assert [m.span() for m in _HALFWIDTH_RUN.finditer(text)] == [
            m.span() for m in plain.finditer(text)
        ], text


def test_needles_leave_out_only_texts_without_a_match() -> None:
    sets = [
        (["a b", "ab-a", "b'a", "é"], {}),
        (["A b", "Ab"], {"ignore_case": False}),
        (["ée", "b a"], {"fold_accents": True}),
    ]
    rng = random.Random(5)
    for phrases, options in sets:
        with_needles = PhraseSet([(p, p) for p in phrases], **options)
        without = PhraseSet([(p, p) for p in phrases], **options)
        without._needles = None
        for _ in range(600):
            text = "".join(rng.choice("aAbBeé '’-日") for _ in range(rng.randint(0, 12)))
            post = Post(text, locale="fr-FR")
            assert with_needles.matches(post) == without.matches(post), (phrases, text)
            assert with_needles.found_in(post) == without.found_in(post)
            assert with_needles.search(post) == without.search(post)


def test_fewer_and_rarer_needles_leave_out_only_texts_without_a_match() -> None:
    # "tiktok" holds "tik" (one needle tested, not both); "&" is the needle of "q & a".
    phrases = ["q & a", "q&a", "tik tok", "tiktok", "kot", "a-&"]
    with_needles = PhraseSet([(p, p) for p in phrases])
    assert with_needles._needles == ("&", "kot", "tik")
    without = PhraseSet([(p, p) for p in phrases])
    without._needles = None
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice("qQ&a tikoK-’") for _ in range(rng.randint(0, 14)))
        post = Post(text, locale="en-US")
        assert with_needles.matches(post) == without.matches(post), text
        assert with_needles.found_in(post) == without.found_in(post)

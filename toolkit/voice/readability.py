"""Readability per language: each language's own formula over words, sentences, syllables.

Higher is easier for every formula here except ``kanji_share``:

================ ===== ==========================================================
formula          lang  score
================ ===== ==========================================================
flesch           en    206.835 − 1.015·ASL − 84.6·ASW (Flesch reading ease)
kandel_moles     fr    207 − 1.015·ASL − 73.6·ASW (Kandel & Moles, 1958)
fernandez_huerta es    206.84 − 60·ASW − 1.02·ASL (Fernández-Huerta, 1959)
atesman          tr    198.825 − 40.175·ASW − 2.610·ASL (Ateşman, 1997)
tateisi          ja    Tateisi, Ono & Yamada (1988): character-type runs, sentence
                       length in characters, commas per full stop; mean 50, SD 10
kanji_share      ja    kanji as a percentage of kanji and kana (lower is easier)
================ ===== ==========================================================

ASL is words per sentence, ASW syllables per word. Syllables are counted
with per-language rules (vowel groups with the usual silent-e and hiatus
adjustments; in Turkish every vowel is a syllable). All of these are rough
on short texts, which is why the readability rule has a minimum length.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from toolkit.voice.words import lazy_pattern

DEFAULT_FORMULA = {
    "en": "flesch",
    "fr": "kandel_moles",
    "es": "fernandez_huerta",
    "tr": "atesman",
    "ja": "tateisi",
}
FORMULA_LANGUAGE = {
    "flesch": "en",
    "kandel_moles": "fr",
    "fernandez_huerta": "es",
    "atesman": "tr",
    "tateisi": "ja",
    "kanji_share": "ja",
}


@dataclass(frozen=True, slots=True)
class Score:
    formula: str
    value: float
    words: int
    sentences: int


# ----------------------------------------------------------------- syllables

_EN_GROUPS = re.compile(r"[aeiouy]+")
_EN_SILENT_E = re.compile(r"[^aeiouyl]e$|[^aeiouy]es$|[^aeiouytd]ed$")
_FR_GROUPS = lazy_pattern(r"[aeiouyàâäéèêëîïôöùûüœæ]+")
_ES_GROUPS = lazy_pattern(r"[aeiouáéíóúü]+|y$")
_ES_HIATUS = lazy_pattern(r"[aeoáéó](?=[aeoáéó])|[íú](?=[aeiouáéó])|[aeo](?=[íú])")
_TR_VOWELS = lazy_pattern(r"[aeıioöuüâîû]")


def _en(word: str) -> int:
    if len(word) <= 3:
        return 1
    n = len(_EN_GROUPS.findall(word))
    if _EN_SILENT_E.search(word):
        n -= 1
    return max(1, n)


def _fr(word: str) -> int:
    n = len(_FR_GROUPS().findall(word))
    if n > 1 and (word.endswith("e") or word.endswith("es")):
        n -= 1
    return max(1, n)


def _es(word: str) -> int:
    return max(1, len(_ES_GROUPS().findall(word)) + len(_ES_HIATUS().findall(word)))


def _tr(word: str) -> int:
    return max(1, len(_TR_VOWELS().findall(word)))


SYLLABLES: dict[str, Callable[[str], int]] = {"en": _en, "fr": _fr, "es": _es, "tr": _tr}


@lru_cache(maxsize=65536)
def syllables(word: str, lang: str) -> int:
    """Syllables in ``word`` by ``lang``'s rules (English rules for other languages)."""
    counter = SYLLABLES.get(lang, _en)
    return counter(word.casefold() if lang != "tr" else word.replace("I", "ı").lower())


# ------------------------------------------------------------ word formulas

_LINEAR = {
    # formula: (constant, ASL weight, ASW weight)
    "flesch": (206.835, 1.015, 84.6),
    "kandel_moles": (207.0, 1.015, 73.6),
    "fernandez_huerta": (206.84, 1.02, 60.0),
    "atesman": (198.825, 2.610, 40.175),
}


class _Syllables(dict[str, int]):
    """One language's syllable counts, remembered per word: looked up in C by ``map``
    (a post's words are counted in one ``sum``, with no Python call per known word)."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def __missing__(self, word: str) -> int:
        if len(self) >= _SYLLABLE_CACHE:
            self.clear()  # bounded: a long batch of distinct words starts afresh
        n = self[word] = syllables(word, self.lang)
        return n


_SYLLABLE_CACHE = 65536
_PER_LANGUAGE: dict[str, _Syllables] = {}


def word_score(formula: str, words: Sequence[str], sentences: int, lang: str) -> Score:
    constant, per_sentence, per_syllable = _LINEAR[formula]
    n = len(words)
    asl = n / max(sentences, 1)
    counts = _PER_LANGUAGE.get(lang)
    if counts is None:
        counts = _PER_LANGUAGE[lang] = _Syllables(lang)
    asw = sum(map(counts.__getitem__, words)) / max(n, 1)
    value = constant - per_sentence * asl - per_syllable * asw
    return Score(formula, round(value, 1), n, sentences)


# ------------------------------------------------------------------ Japanese

_RUNS = lazy_pattern(
    r"(?P<a>[A-Za-z0-9\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+)"
    r"|(?P<h>[\u3041-\u309f]+)"
    r"|(?P<k>[\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f]+)"
    r"|(?P<c>[\u3005\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)"
)
_JA_SENTENCE = lazy_pattern(r"[^。！？!?\n]+")
KATAKANA_RUN_CAP = 4  # katakana run length counted at most, in the Tateisi formula
_TATEISI = {
    "p": {"a": 0.05, "h": 0.25, "c": -0.19, "k": -0.61},
    "l": {"a": -1.35, "h": 7.52, "c": -22.1, "k": -5.3},
}


def _runs(text: str) -> dict[str, list[int]]:
    """Lengths of the runs of each character type: a(lphabet), h(iragana), k(atakana), c(kanji)."""
    runs: dict[str, list[int]] = {"a": [], "h": [], "k": [], "c": []}
    for m in _RUNS().finditer(text):
        runs[m.lastgroup or "a"].append(m.end() - m.start())
    return runs


def japanese_score(formula: str, text: str) -> Score:
    runs = _runs(text)
    sentences = [s for s in _JA_SENTENCE().findall(text) if s.strip()]
    if formula == "kanji_share":
        kanji = sum(runs["c"])
        kana = sum(runs["h"]) + sum(runs["k"])
        value = 100 * kanji / max(kanji + kana, 1)
        return Score(formula, round(value, 1), 0, len(sentences))
    # A katakana loanword is one word however long (スマートフォン is as easy as 電話):
    # uncapped, a few of them sink a plain post by 50 points.
    runs["k"] = [min(n, KATAKANA_RUN_CAP) for n in runs["k"]]
    total_runs = sum(len(r) for r in runs.values()) or 1
    value = 109.1
    for name, lengths in runs.items():
        value += _TATEISI["p"][name] * 100 * len(lengths) / total_runs
        value += _TATEISI["l"][name] * (sum(lengths) / len(lengths) if lengths else 0)
    chars = sum(len(s) - s.count(" ") - s.count("\u3000") for s in sentences)
    value -= 1.34 * chars / max(len(sentences), 1)
    full_stops = text.count("。") or len(sentences) or 1
    value -= 3.87 * (text.count("、") + text.count("，")) / full_stops
    return Score(formula, round(value, 1), 0, len(sentences))

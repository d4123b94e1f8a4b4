"""Word forms: a banned word's plurals, genders, tenses and suffixes, through a stemmer.

``incroyables`` is ``incroyable``; ``inanılmazdı`` and ``muhteşem'di`` are
``inanılmaz`` and ``muhteşem``; ``utilized`` is ``utilize``. Two words are one
when the Snowball stemmer of the post's language gives them one stem and the
longer starts with the shorter less its last letter: the stem alone
would also tie ``utility`` to ``utilize``.

Snowball covers English, French, Spanish and Turkish here; other languages
(Japanese has no inflection to speak of) match as written.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any

STEMMERS = {"en": "english", "fr": "french", "es": "spanish", "tr": "turkish"}
# How many trailing letters of a listed word may change in a form of it (y → ies).
TAIL = 1


@lru_cache(maxsize=8)
def _stemmer(lang: str) -> Any:
    import snowballstemmer  # type: ignore[import-untyped]  # on first use: 70 ms

    return snowballstemmer.stemmer(STEMMERS[lang])


@lru_cache(maxsize=65536)
def stem(lang: str, word: str) -> str:
    """The stem of ``word`` (lower case) in ``lang``; the word itself without a stemmer."""
    if lang not in STEMMERS:
        return word
    # a Turkish suffix may follow an apostrophe: muhteşem'di
    return str(_stemmer(lang).stemWord(word.replace("\u2019", "'").replace("'", "")))


def stem_prefix(word: str) -> str:
    """What every form of ``word`` starts with."""
    return word[: max(len(word) - TAIL, 1)]


def same_word(lang: str, word: str, base: str) -> bool:
    """Whether ``word`` is a form of ``base`` (both folded to lower case alike)."""
    if word == base:
        return True
    if not word.startswith(stem_prefix(base)):
        return False
    return stem(lang, word) == stem(lang, base)


@lru_cache(maxsize=4096)
def strip_accent(char: str) -> str:
    """``char`` without its accents, one character for one (é → e, ş → s, ı stays ı)."""
    base = unicodedata.normalize("NFD", char)[:1]
    return base if base.isalpha() else char


def strip_accents(text: str) -> str:
    """``text`` with accents removed, same length (for rules with ``fold_accents``)."""
    if text.isascii():
        return text
    # One replace per distinct accented character: str.translate looks every
    # character up in a Python mapping, which costs more than the rule itself.
    for char in set(text).difference(_ASCII):  # the set's work in C: a few are left
        plain = strip_accent(char)
        if plain != char:
            text = text.replace(char, plain)
    return text


_ASCII = frozenset(map(chr, range(128)))

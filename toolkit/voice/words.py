"""Word edges in every script, and where a pattern matches as a whole word.

Scripts written with spaces (Latin, Greek, Cyrillic, Hangul ...) need a word
edge on each side of a match: ``LinkedIn`` does not match inside
``Linkedinfluencer``. Japanese, Chinese and Thai, written without spaces,
need none: ``最強`` matches inside ``最強のテンプレート``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache

# Scripts written without spaces between words: kana, CJK ideographs,
# half-width katakana, Thai, Lao, Khmer, Myanmar.
NO_SPACE_SCRIPTS = (
    "\u3005\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\uff66-\uff9f\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\U00020000-\U0003134f"
)
SPACED_CLASS = f"[^\\W{NO_SPACE_SCRIPTS}]"


@cache
def _spaced_re() -> re.Pattern[str]:
    # Compiled when first needed: its class of every script costs 5 ms to compile.
    return re.compile(SPACED_CLASS)


def _ranges(chars: str) -> tuple[tuple[int, int], ...]:
    """``a-z`` style ranges and single characters of a character class, as code points."""
    out, i = [], 0
    while i < len(chars):
        if i + 2 < len(chars) and chars[i + 1] == "-":
            out.append((ord(chars[i]), ord(chars[i + 2])))
            i += 3
        else:
            out.append((ord(chars[i]), ord(chars[i])))
            i += 1
    return tuple(out)


_NO_SPACE_RANGES = _ranges(NO_SPACE_SCRIPTS)


def lazy_pattern(pattern: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """``pattern`` compiled on first use: a class of many code points costs milliseconds
    to compile, which a cold run pays only if a text needs it."""
    return cache(lambda: re.compile(pattern, flags))


def fold_char(char: str) -> str:
    """Lower case for matching, one character for one: I, İ and ı all become i."""
    if char in "\u0130\u0131":
        return "i"
    lowered = char.lower()
    return lowered if len(lowered) == 1 else char


def fold(text: str) -> str:
    """``text`` lower-cased for matching, same length (Turkish dotted and dotless i become i)."""
    lowered = text.lower()
    if len(lowered) != len(text):
        return "".join(map(fold_char, text))
    return lowered.replace("\u0131", "i") if "\u0131" in lowered else lowered


class _SpacedChars(dict[str, bool]):
    """Whether a character is a spaced-script word character, remembered per character:
    word edges are tested thousands of times per batch, a dict lookup beats a regex call."""

    def __missing__(self, char: str) -> bool:
        # What SPACED_CLASS matches, without compiling it: a word character (``\w`` is
        # alphanumeric or ``_``) outside the scripts written without spaces.
        code = ord(char)
        spaced = (char.isalnum() or char == "_") and not any(
            a <= code <= b for a, b in _NO_SPACE_RANGES
        )
        self[char] = spaced
        return spaced


_SPACED = _SpacedChars()
SPACED = _SPACED  # for the modules that inline word_edge


def spaced_word_char(char: str) -> bool:
    """A letter, digit or ``_`` of a script that separates words with spaces."""
    return _SPACED[char] if len(char) == 1 else _spaced_re().match(char) is not None


def _spaced_at(text: str, index: int) -> bool:
    return 0 <= index < len(text) and _SPACED[text[index]]


def word_edge(text: str, index: int) -> bool:
    """Whether a word may start or end at ``index``: not between two spaced-script letters."""
    if 0 < index < len(text):
        return not (_SPACED[text[index]] and _SPACED[text[index - 1]])
    return True


def scan(
    pattern: re.Pattern[str], text: str, *, shorten: bool = True, pos: int = 0
) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each match of ``pattern`` in ``text`` with script-aware edges.

    The edges are checked here, not in the pattern: the character class they
    need costs milliseconds to compile for each copy, and a guide has many
    patterns. A match whose end is inside a word is retried to the word's end,
    then shorter (with ``shorten``: a phrase trie, where "in order" may follow
    a failed "in order to"). ``pos``: where to start (no match may start before it).
    """
    n = len(text)
    spaced = _SPACED  # word_edge, inlined below: it runs for every candidate
    search = pattern.search
    while pos <= n:
        m = search(text, pos)
        if m is None:
            return
        start, end = m.span()
        if end == start or (0 < start < n and spaced[text[start]] and spaced[text[start - 1]]):
            pos = start + 1  # empty, or the start is inside a word
            continue
        if 0 < end < n and spaced[text[end]] and spaced[text[end - 1]]:
            # the whole word, as the pattern's alternatives may allow ("desc[aá]rga(?:la|las)")
            word_end = end
            while word_end < n and _spaced_at(text, word_end):
                word_end += 1
            if pattern.fullmatch(text, start, word_end) is not None:
                end = word_end
        while end > start and not word_edge(text, end):
            shorter = pattern.match(text, start, end - 1) if shorten else None
            end = shorter.end() if shorter is not None else start
        if end > start:
            yield start, end
            pos = end
        else:
            pos = start + 1


def scan_all(pattern: re.Pattern[str], text: str, *, shorten: bool = True) -> list[tuple[int, int]]:
    """Every match of :func:`scan`, as a list: the same matches, found faster.

    Most matches lie at word edges on both sides, where ``scan`` takes them as the
    regex engine found them: here each edge is checked inline, without a generator, and
    only from the first match that is not at an edge on does ``scan`` take over (it
    finds that match again: the search found no earlier one).
    """
    found: list[tuple[int, int]] = []
    n = len(text)
    spaced = _SPACED
    search = pattern.search  # not finditer: its scanner costs more than a search or two
    m = search(text)
    while m is not None:
        start, end = m.span()
        if (
            end == start
            or (0 < start < n and spaced[text[start]] and spaced[text[start - 1]])
            or (end < n and spaced[text[end]] and spaced[text[end - 1]])
        ):
            found.extend(scan(pattern, text, shorten=shorten, pos=start))
            break
        found.append((start, end))
        m = search(text, end)
    return found


def overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``[start, end)`` shares a character with one of ``spans``."""
    return any(a < end and start < b for a, b in spans)


def within(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``[start, end)`` lies inside one of ``spans``."""
    return any(a <= start and end <= b for a, b in spans)

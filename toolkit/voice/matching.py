"""Script-aware views of one post: prose, words, sentences, line:column.

A :class:`Post` is computed once per text and shared by every rule. Its
``prose`` is the text with URLs, mentions, hashtags, cashtags and emoji
blanked out (same length, so offsets stay valid): word rules run on it and
never match inside a link. Rules that target those tokens use the spans.

Word boundaries are script-aware: a phrase that starts (or ends) with a
letter of a script written with spaces (Latin, Greek, Cyrillic, Hangul ...)
must not touch another such letter on that side; next to Japanese or Chinese
characters, which are written without spaces, no boundary is required.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

from toolkit.text.casing import lang_of
from toolkit.text.spans import Span, drop_overlapping, emoji_spans, protected_spans

__all__ = [
    "BLANK",
    "NO_SPACE_SCRIPTS",
    "SPACED_CLASS",
    "Post",
    "boundary_wrap",
    "fold",
    "fold_char",
    "lazy",
    "spaced_word_char",
]

BLANK = "\ufffc"  # stands in for every character of a non-prose token

# Scripts written without spaces between words: kana, CJK ideographs,
# half-width katakana, Thai, Lao, Khmer, Myanmar.
NO_SPACE_SCRIPTS = (
    "\u3005\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\uff66-\uff9f\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\U00020000-\U0003134f"
)
SPACED_CLASS = f"[^\\W{NO_SPACE_SCRIPTS}]"
_SPACED_RE = re.compile(SPACED_CLASS)


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


def spaced_word_char(char: str) -> bool:
    """A letter, digit or ``_`` of a script that separates words with spaces."""
    return bool(_SPACED_RE.match(char))


def boundary_wrap(pattern: str) -> str:
    """Script-aware edges around a user regex (as for phrases that start and end with a letter)."""
    return f"(?<!{SPACED_CLASS})(?:{pattern})(?!{SPACED_CLASS})"


_WORD_RE = re.compile(r"\w+(?:['\u2019\-]\w+)*")
_LETTER_RE = re.compile(r"[^\W\d_]")
_ALNUM_RE = re.compile(r"[^\W_]")
# Sentence ends: Latin punctuation before a space or the end, full-width
# punctuation anywhere, and line breaks (a post's lines are its units).
_SENTENCE_END_RE = re.compile(r"[.!?\u2026]+(?=[\s\"'\u201d\u2019\u00bb)\]]|$)|[。！？]+|\n")

# Abbreviations that end with a dot but not a sentence (lower-cased, per language).
_ABBREVIATIONS: dict[str, frozenset[str]] = {
    "en": frozenset({"e.g", "i.e", "etc", "vs", "approx", "dr", "mr", "mrs", "ms"}),
    "fr": frozenset(
        {"janv", "févr", "avr", "juil", "sept", "oct", "nov", "déc", "etc", "ex", "p", "m", "mme"}
    ),
    "es": frozenset({"ene", "feb", "abr", "ago", "sept", "dic", "etc", "ej", "p", "sr", "sra"}),
    "tr": frozenset({"vb", "vs", "ara", "oca", "şub", "nis", "haz", "tem", "ağu", "eyl", "eki"}),
}


T = TypeVar("T")


class lazy(Generic[T]):
    """``functools.cached_property`` without its per-access lock (Python 3.11 takes one)."""

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type) -> lazy[T]: ...
    @overload
    def __get__(self, obj: object, owner: type) -> T: ...
    def __get__(self, obj: object, owner: type) -> T | lazy[T]:
        if obj is None:
            return self
        value = self.func(obj)
        obj.__dict__[self.name] = value
        return value


class Post:
    """One text under lint, with lazily computed, shared views of it."""

    def __init__(
        self,
        text: str,
        *,
        locale: str = "en-US",
        platform: str | None = None,
        persona: str | None = None,
        sponsored: bool = False,
    ) -> None:
        self.text = text
        self.locale = locale
        self.lang = lang_of(locale)
        self.platform = platform
        self.persona = persona
        self.sponsored = sponsored
        self.memo: dict[str, object] = {}  # per-post results shared between rules

    # ---------------------------------------------------------------- tokens

    @lazy
    def protected(self) -> list[Span]:
        """URLs, mentions, hashtags, cashtags (sorted, non-overlapping)."""
        return protected_spans(self.text)

    @lazy
    def emoji(self) -> list[Span]:
        found = emoji_spans(self.text)
        if found and self.protected:
            found = drop_overlapping(found, self.protected)
        return found

    @lazy
    def _by_kind(self) -> dict[str, list[Span]]:
        table: dict[str, list[Span]] = {"url": [], "mention": [], "hashtag": [], "cashtag": []}
        for span in self.protected:
            table[span.kind].append(span)
        return table

    def spans_of(self, kind: str) -> list[Span]:
        """The post's spans of one kind: url, mention, hashtag, cashtag or emoji."""
        if kind == "emoji":
            return self.emoji
        return self._by_kind[kind]

    @lazy
    def prose(self) -> str:
        """The text with every URL, mention, hashtag, cashtag and emoji blanked."""
        spans = sorted(self.protected + self.emoji, key=lambda s: s.start)
        if not spans:
            return self.text
        pieces: list[str] = []
        pos = 0
        for span in spans:
            pieces.append(self.text[pos : span.start])
            pieces.append(BLANK * (span.end - span.start))
            pos = span.end
        pieces.append(self.text[pos:])
        return "".join(pieces)

    @lazy
    def folded(self) -> str:
        """The prose lower-cased, same length (for case-insensitive phrase matching)."""
        return fold(self.prose)

    @lazy
    def words(self) -> list[tuple[int, int]]:
        """``(start, end)`` of every word (letters or digits, inner ' and -) in the prose."""
        return [m.span() for m in _WORD_RE.finditer(self.prose)]

    @lazy
    def letter_words(self) -> list[tuple[int, int]]:
        """The words that hold at least one letter (not bare numbers)."""
        prose = self.prose
        search = _LETTER_RE.search
        # most words start with a letter; the others need a look inside
        return [(a, b) for a, b in self.words if prose[a].isalpha() or search(prose, a, b)]

    @lazy
    def letter_word_starts(self) -> list[int]:
        return [a for a, _ in self.letter_words]

    def letter_words_in(self, start: int, end: int) -> list[tuple[int, int]]:
        """The letter words that start in ``[start, end)``."""
        starts = self.letter_word_starts
        return self.letter_words[bisect_left(starts, start) : bisect_left(starts, end)]

    @lazy
    def sentences(self) -> list[tuple[int, int]]:
        """``(start, end)`` of each sentence or line that holds a letter or digit."""
        prose = self.prose
        abbreviations = _ABBREVIATIONS.get(self.lang, frozenset())
        out: list[tuple[int, int]] = []
        start = 0
        for m in _SENTENCE_END_RE.finditer(prose):
            if abbreviations and m.group() == ".":
                word_start = max(
                    prose.rfind(" ", start, m.start()), prose.rfind("\n", start, m.start())
                )
                if prose[max(word_start + 1, start) : m.start()].lower() in abbreviations:
                    continue
            end = m.end() if m.group() != "\n" else m.start()
            self._add_sentence(out, start, end)
            start = m.end()
        self._add_sentence(out, start, len(prose))
        return out

    def _add_sentence(self, out: list[tuple[int, int]], start: int, end: int) -> None:
        prose = self.prose
        while start < end and prose[start] in " \t\u00a0\u202f\u3000":
            start += 1
        if start < end and _ALNUM_RE.search(prose, start, end):
            out.append((start, end))

    def first_letter(self, start: int, end: int) -> int | None:
        m = _LETTER_RE.search(self.prose, start, end)
        return m.start() if m else None

    # ------------------------------------------------------------ positions

    @lazy
    def _line_starts(self) -> list[int]:
        starts = [0]
        starts.extend(m.end() for m in re.finditer("\n", self.text))
        return starts

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in characters) of ``offset``."""
        index = bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1

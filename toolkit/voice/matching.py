"""Script-aware views of one post: prose, words, sentences, quotations, line:column.

A :class:`Post` is computed once per text and shared by every rule. Its
``prose`` is the text with URLs, mentions, hashtags, cashtags, emoji and
code (Markdown code spans and blocks, ``key=value`` parameters such as
``utm_source=linkedin``) blanked out (same length, so offsets stay valid):
word rules run on it and never match inside a link or a code span. Rules
that target those tokens use the spans.

Matching runs on the NFC form of the text (:meth:`Post.nfc`), so a word typed
with a decomposed accent matches; :meth:`Post.original_offset` maps its
offsets back to the text as written.

Word boundaries are script-aware (:mod:`toolkit.voice.words`): a phrase that
starts (or ends) with a letter of a script written with spaces must not touch
another such letter on that side; next to Japanese or Chinese characters,
which are written without spaces, no boundary is required.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from functools import cache
from operator import itemgetter
from typing import Any, Generic, TypeVar, overload

from toolkit.text.casing import lang_of
from toolkit.text.spans import Span, drop_overlapping, emoji_spans, protected_spans
from toolkit.voice.forms import strip_accents
from toolkit.voice.words import (
    NO_SPACE_SCRIPTS,
    SPACED_CLASS,
    fold,
    fold_char,
    lazy_pattern,
    overlaps,
    scan,
    spaced_word_char,
    within,
    word_edge,
)

__all__ = [
    "BLANK",
    "NO_SPACE_SCRIPTS",
    "SPACED_CLASS",
    "Post",
    "fold",
    "fold_char",
    "lazy",
    "overlaps",
    "scan",
    "spaced_word_char",
    "within",
    "word_edge",
]

BLANK = "\ufffc"  # stands in for every character of a non-prose token

# Code is not prose: fenced blocks, inline code spans, and key=value parameters.
_CODE_RE = lazy_pattern(
    r"^(?P<fence>`{3,}|~{3,})[^\n]*\n(?:.*?\n)??(?P=fence)[ \t]*$"
    r"|^(?:`{3,}|~{3,})[^\n]*\n.*\Z"  # an unclosed fence runs to the end
    r"|(?P<ticks>`+)[^`\n](?:[^\n]*?[^`\n])??(?P=ticks)(?!`)",
    re.DOTALL | re.MULTILINE,
)
# A parameter starts a token: after a space, a bracket or an opening quotation mark
# (a fix may take out the space between the mark and the parameter).
_PARAM_RE = re.compile(
    r"(?<![^\s(\[\"'\u201c\u201e\u2018\u00ab\u2039\u300c\u300e])"
    r"[A-Za-z_][\w.-]*=[^\s\"'\u201c\u201d\u00ab\u00bb]+"
)
# Quotations, in each language's quotation marks. Straight double quotes pair
# up on one line; a single curly quote opens only after a space (else it is an
# apostrophe) and closes only before a non-letter.
_QUOTED_RE = re.compile(
    "\u201c[^\u201c\u201d\n]*\u201d"  # “English, Turkish”
    "|\u201e[^\u201e\u201c\u201d\n]*[\u201c\u201d]"  # „German, Polish“
    "|\u00ab[^\u00ab\u00bb\n]*\u00bb"  # « French, Spanish »
    "|\u2039[^\u2039\u203a\n]*\u203a"  # ‹ single guillemets ›
    "|\u300c[^\u300c\u300d]*\u300d"  # 「Japanese」
    "|\u300e[^\u300e\u300f]*\u300f"  # 『Japanese titles』
    # The look-behinds come after the opening mark, so that every branch starts with a
    # literal character and the engine skips ahead to candidates (many times faster).
    '|"(?<!\\w")[^"\n]*"'
    "|\u2018(?<![\\w\u2019]\u2018)[^\u2018\u2019\n]*\u2019(?!\\w)"
)
_QUOTE_OPENING = re.compile('[\u201c\u201e\u00ab\u2039\u300c\u300e"\u2018]')
# Every emoji sequence holds a character from U+2000 up (a keycap its U+20E3), or is
# © or ®: a text without one has none, found by quick standard-library tests. (The
# class written as "U+2000 to U+10FFFF" costs a cold run 20 ms to compile; its
# complement below U+2000, 1 ms.)
_FROM_U2000 = lazy_pattern("[^\x00-\u1fff]")
_MARKS_NOT_EMOJI = frozenset("\u00a9\u00ae\u2122")  # © ® ™: symbols in prose


@cache
def _clusters() -> Any:
    """Grapheme clusters (only texts not in NFC need them: the regex module on first use)."""
    import regex  # type: ignore[import-untyped, unused-ignore]

    return regex.compile(r"\X")


_FIRST = itemgetter(0)
# Possessive: nothing follows the repeats, so the greedy first try is the match and no
# backtracking state needs keeping (the same words, found faster).
_WORD_RE = re.compile(r"\w++(?:['\u2019\-]\w++)*+")
_LETTER_RE = re.compile(r"[^\W\d_]")
_ALNUM_RE = re.compile(r"[^\W_]")
# Sentence ends: Latin punctuation before a space or the end, full-width
# punctuation anywhere, and line breaks (a post's lines are its units).
#
# The pattern starts with one character class (the branch is chosen by look-behinds
# after it), so the engine skips ahead to candidates instead of trying three branches
# at every position: 3× faster, the same matches as
# ``[.!?…]+(?=[\s"'”’»)\]]|$)|[。！？]+|\n``.
_SENTENCE_END_RE = re.compile(
    "[.!?\u2026\u3002\uff01\uff1f\n]"
    "(?:(?<=[.!?\u2026])[.!?\u2026]*(?=[\\s\"'\u201d\u2019\u00bb)\\]]|$)"
    "|(?<=[\u3002\uff01\uff1f])[\u3002\uff01\uff1f]*"
    "|(?<=\n))"
)

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


def _abbreviation(prose: str, start: int, dot: int, known: frozenset[str]) -> bool:
    """Whether the dot at ``dot`` ends an abbreviation, not a sentence.

    Known ones (``etc``), dotted ones (``U.S.``, ``a.m.``, ``e.g.``), and a
    single letter or a short run of capitals (``EE. UU.``) when the next word
    starts in lower case.
    """
    word_start = max(prose.rfind(" ", start, dot), prose.rfind("\n", start, dot)) + 1
    word = prose[max(word_start, start) : dot]
    if not word:
        return False
    if word.lower() in known or ("." in word and word.replace(".", "").isalpha()):
        return True
    if not (len(word) == 1 and word.isalpha()) and not (len(word) <= 3 and word.isupper()):
        return False
    following = prose[dot + 1 : dot + 3].lstrip()
    return bool(following) and following[0].islower()


_LEADING = " \t\u00a0\u202f\u3000"


def _add_sentence(prose: str, out: list[tuple[int, int]], start: int, end: int) -> None:
    while start < end and prose[start] in _LEADING:
        start += 1
    # most sentences start with a letter or digit: no search for one
    if start < end and (prose[start].isalnum() or _ALNUM_RE.search(prose, start, end)):
        out.append((start, end))


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
        # setattr, not ``obj.__dict__[name] =``: asking for ``__dict__`` makes the object
        # keep a real dict, and then every attribute of it (``post.text``, ``post.lang``
        # ...) is read through the slow generic path: 3.5x slower, hundreds of reads a post.
        # (The descriptor has no ``__set__``: the value goes to the instance, as before.)
        setattr(obj, self.name, value)
        return value


THREAD_SEPARATOR = re.compile(r"(?m)^---[ \t]*(?:\r?\n|$)")


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
        is_post: bool | None = None,
        thread: bool = False,
    ) -> None:
        self.text = text
        # A thread's parts are separated by a line holding only "---" (as in drafts).
        self.thread = thread
        self.locale = locale
        self.lang = lang_of(locale)
        self.platform = platform
        self.persona = persona
        self.sponsored = sponsored
        # Post-only rules (a call to action) skip texts with no platform: a README is no post.
        self.is_post = platform is not None if is_post is None else is_post
        self.memo: dict[str, object] = {}  # per-post results shared between rules
        self._origin: list[int] | None = None  # NFC offset → offset in the text as written
        self._nfc: Post | None = None  # see nfc: _SAME when the text is in NFC already

    @lazy
    def parts(self) -> list[tuple[int, int]]:
        """Where each post of a thread starts and ends; the whole text otherwise."""
        if not self.thread:
            return [(0, len(self.text))]
        spans, start = [], 0
        for match in THREAD_SEPARATOR.finditer(self.text):
            spans.append((start, match.start()))
            start = match.end()
        spans.append((start, len(self.text)))
        return spans

    # ------------------------------------------------------------ normal form

    @property
    def nfc(self) -> Post:
        """This post in NFC (itself when already so, the usual case).

        Not kept in the post's ``__dict__`` when it is the post itself: that would be a
        reference cycle, and every post (with all its views) would wait for the
        garbage collector instead of going when its last reference does.
        """
        view = self._nfc
        if view is None:
            if self.text.isascii() or unicodedata.is_normalized("NFC", self.text):
                view = self._nfc = _SAME
            else:
                view = self._nfc = self._normal_form()
        return self if view is _SAME else view

    def _normal_form(self) -> Post:
        pieces: list[str] = []
        origin: list[int] = []
        for m in _clusters().finditer(self.text):
            # A grapheme cluster composes on its own: each of its NFC characters
            # maps back to where the cluster starts.
            piece = unicodedata.normalize("NFC", m.group())
            pieces.append(piece)
            origin.extend([m.start()] * len(piece))
        origin.append(len(self.text))
        view = Post(
            "".join(pieces),
            locale=self.locale,
            platform=self.platform,
            persona=self.persona,
            sponsored=self.sponsored,
            is_post=self.is_post,
            thread=self.thread,
        )
        view._origin = origin
        return view

    def original_offset(self, offset: int, *, end: bool = False) -> int:
        """Where ``offset`` of this (NFC) view is in the text as written."""
        if self._origin is None:
            return offset
        if (
            end
            and 0 < offset < len(self._origin)
            and self._origin[offset] == self._origin[offset - 1]
        ):
            # an end inside a composed cluster: the cluster's end
            nxt = offset
            while nxt < len(self._origin) - 1 and self._origin[nxt] == self._origin[offset - 1]:
                nxt += 1
            return self._origin[nxt]
        return self._origin[min(offset, len(self._origin) - 1)]

    # ---------------------------------------------------------------- tokens

    @lazy
    def _tokens(self) -> list[Span]:
        return protected_spans(self.text)

    @lazy
    def _code_blocks(self) -> list[tuple[int, int]]:
        text = self.text
        if "`" not in text and "~~~" not in text:
            return []
        return [m.span() for m in _CODE_RE().finditer(text)]

    @lazy
    def code(self) -> list[tuple[int, int]]:
        """Code spans and blocks, and ``key=value`` parameters: never prose, never fixed."""
        found = list(self._code_blocks)
        if "=" in self.text:
            taken = found + [(s.start, s.end) for s in self.protected]
            found += [
                m.span() for m in _PARAM_RE.finditer(self.text) if not overlaps(*m.span(), taken)
            ]
            found.sort()
        return found

    @lazy
    def protected(self) -> list[Span]:
        """URLs, mentions, hashtags, cashtags outside code (sorted, non-overlapping)."""
        found = self._tokens
        blocks = self._code_blocks
        if blocks and found:
            found = [s for s in found if not overlaps(s.start, s.end, blocks)]
        return found

    @lazy
    def emoji(self) -> list[Span]:
        text = self.text
        if text.isascii() or (
            _FROM_U2000().search(text) is None and "\u00a9" not in text and "\u00ae" not in text
        ):
            return []  # accented Latin, Greek, Cyrillic ...: no emoji, no scan for them
        found = emoji_spans(self.text)
        if found:
            found = [s for s in found if s.text.rstrip("\ufe0e\ufe0f") not in _MARKS_NOT_EMOJI]
            if self.protected:
                found = drop_overlapping(found, self.protected)
            if self.code:
                found = [s for s in found if not overlaps(s.start, s.end, self.code)]
        return found

    @lazy
    def literal(self) -> list[tuple[int, int]]:
        """What no fix may change: links, mentions, hashtags, cashtags and code (sorted)."""
        spans = [(s.start, s.end) for s in self.protected] + self.code
        spans.sort()
        return spans

    def touches_literal(self, start: int, end: int) -> bool:
        """Whether an edit of ``text[start:end]`` would change a link, tag or code."""
        if start == end:  # an insertion changes a token only strictly inside it
            return any(a < start < b for a, b in self.literal)
        return overlaps(start, end, self.literal)

    @lazy
    def quoted(self) -> list[tuple[int, int]]:
        """Quotations (marks included), in the prose: quoted words are someone else's."""
        prose = self.prose
        if _QUOTE_OPENING.search(prose) is None:
            return []
        return [m.span() for m in _QUOTED_RE.finditer(prose)]

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
        spans = sorted([(s.start, s.end) for s in self.protected + self.emoji] + self.code)
        if not spans:
            return self.text
        pieces: list[str] = []
        pos = 0
        for start, end in spans:
            start = max(start, pos)
            pieces.append(self.text[pos:start])
            pieces.append(BLANK * (end - start))
            pos = max(pos, end)
        pieces.append(self.text[pos:])
        return "".join(pieces)

    @lazy
    def folded(self) -> str:
        """The prose lower-cased, same length (for case-insensitive phrase matching)."""
        return fold(self.prose)

    @lazy
    def unaccented(self) -> str:
        """The folded prose without accents, same length (for ``fold_accents`` rules)."""
        return strip_accents(self.folded)

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
        # (the words' own tuples, kept: no new tuple a word)
        return [w for w in self.words if prose[w[0]].isalpha() or search(prose, *w)]

    @lazy
    def letter_word_texts(self) -> list[str]:
        """The text of each of :attr:`letter_words`, sliced once for the rules that read them.

        (A comprehension: ``map(prose.__getitem__, starmap(slice, ...))`` is 1.5× slower.)
        """
        prose = self.prose
        return [prose[a:b] for a, b in self.letter_words]

    @lazy
    def letter_word_starts(self) -> list[int]:
        return list(map(_FIRST, self.letter_words))  # in C

    def letter_words_in(self, start: int, end: int) -> list[tuple[int, int]]:
        """The letter words that start in ``[start, end)``."""
        starts = self.letter_word_starts
        return self.letter_words[bisect_left(starts, start) : bisect_left(starts, end)]

    def letter_word_count(self, start: int, end: int) -> int:
        """How many letter words start in ``[start, end)`` (no list made)."""
        starts = self.letter_word_starts
        first = bisect_left(starts, start)
        return bisect_left(starts, end, first) - first

    @lazy
    def sentences(self) -> list[tuple[int, int]]:
        """``(start, end)`` of each sentence or line that holds a letter or digit."""
        prose = self.prose
        abbreviations = _ABBREVIATIONS.get(self.lang, frozenset())
        out: list[tuple[int, int]] = []
        start = 0
        leading = _LEADING
        for m in _SENTENCE_END_RE.finditer(prose):
            a, end = m.span()
            b = end
            if b - a == 1:
                mark = prose[a]
                if mark == "." and _abbreviation(prose, start, a, abbreviations):
                    continue
                if mark == "\n":
                    b = a
            # _add_sentence, inlined: it runs for every sentence of every post
            while start < b and prose[start] in leading:
                start += 1
            if start < b and (prose[start].isalnum() or _ALNUM_RE.search(prose, start, b)):
                out.append((start, b))
            start = end
        _add_sentence(prose, out, start, len(prose))
        return out

    def first_letter(self, start: int, end: int) -> int | None:
        m = _LETTER_RE.search(self.prose, start, end)
        return m.start() if m else None

    # ------------------------------------------------------------ positions

    @lazy
    def _line_starts(self) -> list[int]:
        starts = [0]
        text = self.text
        at = text.find("\n")
        while at >= 0:
            starts.append(at + 1)
            at = text.find("\n", at + 1)
        return starts

    def line_cols(self, start: int, end: int) -> tuple[int, int, int, int]:
        """1-based line and column (in characters) of ``start`` and of ``end``, at once."""
        starts = self._line_starts
        if len(starts) == 1:  # one line, the usual post
            return 1, start + 1, 1, end + 1
        first = bisect_right(starts, start) - 1
        last = bisect_right(starts, end) - 1
        return first + 1, start - starts[first] + 1, last + 1, end - starts[last] + 1


# Post.nfc's marker of a text already in NFC (a post, for the type; never linted).
_SAME = Post("")

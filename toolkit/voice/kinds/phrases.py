"""A set of phrases compiled once into one script-aware pattern (plus #tags and @mentions).

Phrases starting with ``#`` or ``@`` match whole hashtags or mentions (which
are not prose); every other phrase matches in the prose, case-insensitively
unless asked otherwise, with flexible spaces and either apostrophe.

The phrases become one regular expression shaped like a trie
(``re(?:gister|ad more)|sign up``), matched case-sensitively against the
post's lower-cased prose: far faster than an alternation of every phrase
with the IGNORECASE flag, which tries each phrase at each position.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from operator import itemgetter
from typing import Any, Generic, NamedTuple, TypeVar

from toolkit.voice.forms import strip_accents
from toolkit.voice.matching import Post, fold, fold_char, scan
from toolkit.voice.words import SPACED, scan_all

T = TypeVar("T")

_TAG_KINDS = {"#": "hashtag", "＃": "hashtag", "@": "mention", "＠": "mention"}
_FLEX = {
    " ": "[ \\t\\u00a0\\u202f]+",
    "'": "['\u2019]",
    "\u2019": "['\u2019]",
}
_SPACES = re.compile("[ \t\u00a0\u202f]+")
_END = ""  # the key marking where a phrase ends (a unit is never empty)


def phrase_key(text: str) -> str:
    """How two spellings of one phrase compare: spaces and apostrophes normalised."""
    if text.isalnum():  # one word, the usual match: nothing to normalise
        return text
    return _SPACES.sub(" ", text).replace("\u2019", "'")


def _fold_tag(text: str) -> str:
    return text.casefold().replace("\uff03", "#").replace("\uff20", "@")


def trie_pattern(phrases: Sequence[str], *, fold: bool) -> str:
    """One pattern for all ``phrases``; longer phrases win over their prefixes.

    Word edges are checked by :func:`~toolkit.voice.matching.scan`.
    """
    root: dict[str, Any] = {}
    for phrase in phrases:
        node = root
        for char in phrase:
            unit = _FLEX.get(char) or re.escape(fold_char(char) if fold else char)
            node = node.setdefault(unit, {})
        node[_END] = ""
    return _emit(root)


def needle(phrase: str, *, fold: bool) -> str:
    """The longest run of ``phrase`` that :func:`trie_pattern` matches character for
    character (no flexible space or apostrophe in it): every match of the phrase holds it.

    Of runs as long, one with a character that is no letter or digit (rarer in prose:
    "&" of "Q & A", not "q", which most French and Spanish posts hold).
    """
    runs = [""]
    for char in phrase:
        if char in _FLEX:
            runs.append("")
        else:
            runs[-1] += fold_char(char) if fold else char
    return max(runs, key=_rarity)


def _rarity(run: str) -> tuple[int, bool]:
    return len(run), not run.isalnum()


def _fewest(needles: set[str]) -> tuple[str, ...]:
    """``needles`` less those that hold a shorter one (a text holding "tiktok" holds "tik":
    the same answer from fewer tests, most texts holding none of them), shortest first."""
    kept: list[str] = []
    for n in sorted(needles, key=lambda n: (len(n), n)):
        if not any(k in n for k in kept):
            kept.append(n)
    return tuple(kept)


def _emit(node: dict[str, Any]) -> str:
    alternatives = [unit + _emit(child) for unit, child in sorted(node.items()) if unit != _END]
    if _END in node:
        alternatives.append(node[_END])  # last: the longest match is tried first
    if len(alternatives) == 1:
        return alternatives[0]
    return "(?:" + "|".join(alternatives) + ")"


class PhraseMatch(NamedTuple, Generic[T]):
    """Where a phrase matched (a tuple: made for every match, several per post)."""

    start: int
    end: int
    text: str
    payload: T


# A match made by tuple's own constructor, in C: a NamedTuple's ``__new__`` is a Python
# function (several matches a post, each a call).
_new_match = tuple.__new__


class PhraseSet(Generic[T]):
    """Phrases, each carrying a payload, matched in a post's prose and tokens."""

    def __init__(
        self,
        phrases: Sequence[tuple[str, T]],
        *,
        ignore_case: bool = True,
        fold_accents: bool = False,
    ) -> None:
        self._fold = ignore_case or fold_accents
        self._unaccent = fold_accents
        prose = [
            (strip_accents(p) if fold_accents else p, v)
            for p, v in phrases
            if p and p[0] not in _TAG_KINDS
        ]
        self._payloads: dict[str, T] = {}
        for phrase, value in prose:
            self._payloads.setdefault(self._key(phrase), value)
        self._regex = (
            re.compile(trie_pattern([p for p, _ in prose], fold=ignore_case), re.DOTALL)
            if prose
            else None
        )
        # A cheap first test: a text holding no phrase's needle holds no match. Substring
        # tests run in C, far faster than the trie's search (which tries its pattern at
        # every character that may start a phrase); most texts hold none of a set.
        needles = {needle(p, fold=ignore_case) for p, _ in prose}
        self._needles: tuple[str, ...] | None = None if "" in needles else _fewest(needles)
        self._tokens: dict[str, dict[str, T]] = {}
        for phrase, value in phrases:
            if phrase and phrase[0] in _TAG_KINDS:
                key = _fold_tag(phrase) if ignore_case else phrase
                self._tokens.setdefault(_TAG_KINDS[phrase[0]], {}).setdefault(key, value)

    def _key(self, text: str) -> str:
        return phrase_key("".join(map(fold_char, text)) if self._fold else text)

    def _haystack(self, post: Post) -> str:
        if self._unaccent:
            return post.unaccented
        return post.folded if self._fold else post.prose

    def __bool__(self) -> bool:
        return self._regex is not None or bool(self._tokens)

    def absent_from(self, text: str) -> bool:
        """True when no phrase can match in ``text`` (without computing its prose).

        The prose is the text with some characters blanked, which removes matches
        and never makes one, so no match in the whole text means none in the prose.
        (A capital sigma lower-cases by its context, which blanking can change.)
        """
        if self._tokens or self._regex is None or "\u03a3" in text:
            return False
        haystack = fold(text) if self._fold else text
        if self._unaccent:
            haystack = strip_accents(haystack)
        return self._regex.search(haystack) is None

    def finditer(self, post: Post) -> Iterator[PhraseMatch[T]]:
        """Matches in text order."""
        return iter(self.matches(post))

    def matches(self, post: Post) -> list[PhraseMatch[T]]:
        """Matches in text order, as a list (empty: the usual case, tested without a loop)."""
        found: list[PhraseMatch[T]] = []
        text = post.text
        regex = self._regex
        if regex is not None:
            # (self._haystack, inlined: this runs for every set and post)
            if self._unaccent:
                haystack = post.unaccented
            else:
                haystack = post.folded if self._fold else post.prose
            needles = self._needles
            if needles is None or any(map(haystack.__contains__, needles)):
                payloads = self._payloads
                for start, end in scan_all(regex, haystack):
                    payload = payloads[phrase_key(haystack[start:end])]
                    found.append(_new_match(PhraseMatch, (start, end, text[start:end], payload)))
        for kind, table in self._tokens.items():
            for span in post.spans_of(kind):
                key = _fold_tag(span.text) if self._fold else span.text
                if key in table:
                    match = (span.start, span.end, span.text, table[key])
                    found.append(_new_match(PhraseMatch, match))
        if self._tokens and self._regex is not None:
            found.sort(key=itemgetter(0))  # by start
        return found

    def _may_match(self, haystack: str) -> bool:
        needles = self._needles
        return needles is None or any(map(haystack.__contains__, needles))

    def found_in(self, post: Post) -> bool:
        """Whether any phrase matches (what :meth:`search` finds, without making the match).

        No needle test first: the sets asked this (calls to action, disclosures) are
        the ones a post usually holds, where the search stops at the first match and
        the needle tests (a conversion of each needle for a two-byte text) are extra.
        """
        regex = self._regex
        if regex is not None:
            # (self._haystack, inlined: every post asks this)
            if self._unaccent:
                haystack = post.unaccented
            else:
                haystack = post.folded if self._fold else post.prose
            m = regex.search(haystack)
            if m is not None:
                start, end = m.span()
                n = len(haystack)
                spaced = SPACED
                if not (
                    end == start
                    or (0 < start < n and spaced[haystack[start]] and spaced[haystack[start - 1]])
                    or (end < n and spaced[haystack[end]] and spaced[haystack[end - 1]])
                ):
                    return True  # at word edges: scan's first match, as the engine found it
                # scan from that match on (the search found none before it)
                if next(scan(regex, haystack, pos=start), None):
                    return True
        return self.search(post) is not None if self._tokens else False

    def search(self, post: Post) -> PhraseMatch[T] | None:
        """The first match (a text-order first only among prose, or among tokens)."""
        if self._regex is not None:
            haystack = self._haystack(post)
            for start, end in scan(self._regex, haystack) if self._may_match(haystack) else ():
                payload = self._payloads[phrase_key(haystack[start:end])]
                return PhraseMatch(start, end, post.text[start:end], payload)
        return next(self.finditer(post), None) if self._tokens else None

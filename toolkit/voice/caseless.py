"""Patterns for lower-cased text: IGNORECASE dropped where it cannot change a match.

The call-to-action patterns of ``require`` rules are matched, ignoring case, against
a post's folded prose (:func:`~toolkit.voice.words.fold`), where every character is
already its own lower case. There IGNORECASE changes nothing, unless the pattern
holds a character with a lower case other than itself, or the text holds one of the
few characters that match another lower-case letter ignoring case (``ſ`` and ``s``,
``ς`` and ``σ``): for the rest the flag only costs time (about half of each search).
"""

from __future__ import annotations

import re
from importlib import import_module
from typing import Any

# sre's parse tree and its table of lower-case letters equal ignoring case: an
# interpreter without them (another implementation) keeps the flag.
try:
    _PARSER: Any = import_module("re._parser")
    _C: Any = import_module("re._constants")
    _EXTRA: dict[int, tuple[int, ...]] = import_module("re._casefix")._EXTRA_CASES
except (ImportError, AttributeError):  # pragma: no cover - CPython has them
    _PARSER = _C = None
    _EXTRA = {}

# Every character that matches another lower-case letter ignoring case (besides the
# ASCII i and s, whose partners ı and ſ are in the set).
_TWINS = frozenset(chr(c) for key, others in _EXTRA.items() for c in (key, *others) if c > 0x7F)
_TWINS_RE = re.compile("[" + "".join(sorted(_TWINS)) + "]") if _TWINS else None


def caseless_text(folded: str) -> bool:
    """Whether ``folded`` (lower-cased) holds none of the characters IGNORECASE pairs up."""
    return folded.isascii() or _TWINS_RE is None or _TWINS_RE.search(folded) is None


def _stable(chars: set[int]) -> bool:
    """Whether a set of literal characters matches the same ignoring case or not.

    Each must be its own lower case, and each of its partners ignoring case must be
    in the set or be a character :func:`caseless_text` keeps out (``[ıi]`` is fine:
    a folded text has no ``ı``, and ``i`` is in the class).
    """
    for c in chars:
        char = chr(c)
        if char.lower() != char:
            return False
        if any(other not in chars and chr(other) not in _TWINS for other in _EXTRA.get(c, ())):
            return False
    return True


def _uncased(lo: int, hi: int) -> bool:
    if hi - lo > 0x10000:
        return False
    chars = "".join(map(chr, range(lo, hi + 1)))
    return chars == chars.lower() == chars.upper() and not _TWINS.intersection(chars)


def _caseless(items: Any) -> bool:
    """Whether a parsed (sub)pattern matches a caseless text alike with IGNORECASE or not."""
    for op, av in items:
        if op in (_C.LITERAL, _C.NOT_LITERAL):
            if not _stable({av}):
                return False
        elif op is _C.IN:
            if not _stable({item for item_op, item in av if item_op is _C.LITERAL}):
                return False
            for item_op, item in av:
                if item_op is _C.RANGE:
                    # a range also matches what upper-cases into it: uncased ranges only
                    if not _uncased(*item):
                        return False
                elif item_op not in (_C.LITERAL, _C.NEGATE, _C.CATEGORY):
                    return False
        elif op is _C.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if add_flags or del_flags or not _caseless(sub):
                return False
        elif op is _C.BRANCH:
            if not all(_caseless(sub) for sub in av[1]):
                return False
        elif op in (_C.MAX_REPEAT, _C.MIN_REPEAT, _C.POSSESSIVE_REPEAT):
            if not _caseless(av[2]):
                return False
        elif op in (_C.ASSERT, _C.ASSERT_NOT):
            if not _caseless(av[1]):
                return False
        elif op is _C.ATOMIC_GROUP:
            if not _caseless(av):
                return False
        elif op not in (_C.ANY, _C.AT, _C.CATEGORY):
            return False  # back-references and the rest: keep the flag
    return True


def caseless_pattern(pattern: str) -> re.Pattern[str] | None:
    """``pattern`` compiled without IGNORECASE when that matches a :func:`caseless_text`
    exactly as ``re.compile(pattern, re.IGNORECASE)`` does; else None."""
    if _PARSER is None:
        return None
    try:
        tree = _PARSER.parse(pattern)
    except re.error:
        return None
    if tree.state.flags & (re.IGNORECASE | re.ASCII | re.LOCALE) or not _caseless(tree):
        return None
    return re.compile(pattern)


class FoldedPattern:
    """A pattern matched ignoring case against folded texts, each form compiled when first
    needed: the one without the flag where :func:`caseless_pattern` allows it and the text
    is :func:`caseless_text`, else the one with it (a cold run compiles one, not both).

    Patterns with no cased letter (Japanese) keep the flag: it costs them nothing.
    """

    def __init__(self, pattern: str) -> None:
        self._source = pattern
        self._cased = pattern != pattern.lower() or pattern != pattern.upper()
        self._plain: re.Pattern[str] | None = None
        self._plain_known = not self._cased  # whether _plain has been decided
        self._ignoring: re.Pattern[str] | None = None

    def for_text(self, folded: str) -> re.Pattern[str]:
        """The form to search ``folded`` with (both find the same matches)."""
        if self._cased and caseless_text(folded):
            if not self._plain_known:
                self._plain = caseless_pattern(self._source)
                self._plain_known = True
            if self._plain is not None:
                return self._plain
        if self._ignoring is None:
            self._ignoring = re.compile(self._source, re.IGNORECASE)
        return self._ignoring

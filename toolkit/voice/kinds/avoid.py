"""avoid: banned or hype words, with replacements; one replacement makes it auto-fixable."""

from __future__ import annotations

import re
from collections.abc import Callable
from operator import attrgetter

from toolkit.voice.findings import Edit, new_edit
from toolkit.voice.forms import STEMMERS, same_word, stem_prefix, strip_accents
from toolkit.voice.kinds.base import (
    Check,
    CompileContext,
    Hit,
    LintContext,
    RuleCompileError,
    match_case,
    new_hit,
    quoted,
)
from toolkit.voice.kinds.phrases import PhraseSet
from toolkit.voice.matching import Post, fold, word_edge
from toolkit.voice.schema import AvoidRule
from toolkit.voice.words import scan_all

PLACEHOLDERS = frozenset({"match", "suggestion"})
_START = attrgetter("start")


def compile_rule(rule: AvoidRule, cc: CompileContext) -> Check:
    del cc
    entries: list[tuple[str, tuple[str, ...]]] = [(w, ()) for w in rule.words]
    for word, replacement in rule.replace.items():
        options = (replacement,) if isinstance(replacement, str) else tuple(replacement)
        entries.append((word, options))
    phrases = PhraseSet(entries, ignore_case=rule.ignore_case, fold_accents=rule.fold_accents)
    inflected = _forms(entries, rule) if rule.forms else None
    flags = re.IGNORECASE if rule.ignore_case else 0
    patterns: list[re.Pattern[str]] = []
    for index, pattern in enumerate(rule.patterns):
        try:
            patterns.append(re.compile(pattern, flags))
        except re.error as exc:
            raise RuleCompileError(
                f"patterns[{index}] is not a valid regular expression: {exc}",
                ("patterns", index),
                hint="patterns use Python's re syntax; escape . ( ) [ ] with a backslash",
            ) from None

    def hit(post: Post, start: int, end: int, options: tuple[str, ...], fix: bool = True) -> Hit:
        found = post.text[start:end]
        edits: tuple[Edit, ...] = ()
        if fix and len(options) == 1:
            edits = (new_edit(start, end, match_case(options[0], found, post.locale)),)
        suggestion = quoted(list(options)) if options else None
        return new_hit(
            start, end, {"match": found, "suggestion": suggestion or ""}, suggestion, edits
        )

    def check(post: Post, ctx: LintContext) -> list[Hit]:
        del ctx
        hits = [hit(post, m.start, m.end, m.payload) for m in phrases.matches(post)]
        if inflected is not None and post.lang in STEMMERS:
            found = inflected(post, {h.start for h in hits})
            if found:
                # another form: the replacement is not offered as a fix (no ``replace``: slow)
                hits.extend(hit(post, a, b, options, fix=False) for a, b, options in found)
                hits.sort(key=_START)
        for regex in patterns:
            hits.extend(hit(post, a, b, ()) for a, b in scan_all(regex, post.prose, shorten=False))
        if patterns and len(hits) > 1:
            hits.sort(key=_START)
        return hits

    return check


Forms = Callable[[Post, set[int]], list[tuple[int, int, tuple[str, ...]]]]
_WORD_AT = re.compile(r"\w+(?:['\u2019]\w+)*")


def _forms(entries: list[tuple[str, tuple[str, ...]]], rule: AvoidRule) -> Forms | None:
    """Spans of other forms of the rule's single words (``incroyables``, ``utilized``)."""
    words: list[tuple[str, tuple[str, ...]]] = []
    for word, options in entries:
        if word.isalpha() and len(word) >= 4:  # "my", "me": no forms worth a guess
            key = fold(word) if rule.ignore_case or rule.fold_accents else word
            words.append((strip_accents(key) if rule.fold_accents else key, options))
    if not words:
        return None
    plain = sorted({stem_prefix(w) for w, _ in words}, key=lambda p: (-len(p), p))
    starts = re.compile("|".join(map(re.escape, plain)))

    def found(post: Post, exact: set[int]) -> list[tuple[int, int, tuple[str, ...]]]:
        if rule.fold_accents:
            haystack = post.unaccented
        else:
            haystack = post.folded if rule.ignore_case else post.prose
        out: list[tuple[int, int, tuple[str, ...]]] = []
        if not any(map(haystack.__contains__, plain)):
            return out  # no word starts as a listed one does (the usual case): no search
        for m in starts.finditer(haystack):
            if m.start() in exact or not word_edge(haystack, m.start()):
                continue
            word_match = _WORD_AT.match(haystack, m.start())
            if word_match is None:
                continue
            word = word_match.group()
            for base, options in words:
                if same_word(post.lang, word, base):
                    out.append((m.start(), word_match.end(), options))
                    break
        return out

    return found

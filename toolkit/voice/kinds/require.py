"""require: something every post (or every sponsored post) must carry. Reports only.

What counts can differ per language (``any`` and ``patterns`` keyed by
language code): a call to action is an imperative, and French has two
(``inscris-toi``, ``inscrivez-vous``), Spanish adds clitics (``descárgalas``),
Turkish suffixes (``kaydolun``), Japanese polite forms (``お申し込みください``).
A language the rule does not list is not judged. Rules are ``posts_only`` by
default: a README or a note has no call to action to make.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from toolkit.voice.caseless import FoldedPattern
from toolkit.voice.kinds.base import (
    Check,
    CompileContext,
    Hit,
    LintContext,
    RuleCompileError,
    new_hit,
)
from toolkit.voice.kinds.phrases import PhraseSet
from toolkit.voice.matching import Post, scan
from toolkit.voice.schema import RequireRule

PLACEHOLDERS = frozenset({"trigger"})
T = TypeVar("T")

_HAS_KIND = {"link": "url", "hashtag": "hashtag", "mention": "mention", "emoji": "emoji"}
_ALL = "*"  # the key of what applies to every language
# Languages written without spaces between words: no word edge before a pattern.
NO_SPACE_LANGUAGES = frozenset({"ja", "zh", "th", "lo", "km", "my"})


class _PerLanguage(Generic[T]):
    """Values per language code, each built when a text in that language first needs it.

    A guide lists calls to action for five languages; a run over English drafts
    should not compile the Japanese patterns (compiling is most of a cold start).
    """

    def __init__(self, languages: Iterable[str], build: Callable[[str], T]) -> None:
        self._languages = frozenset(languages)
        self._build = build
        self._built: dict[str, T] = {}

    def __contains__(self, lang: str) -> bool:
        return lang in self._languages

    def __bool__(self) -> bool:
        return bool(self._languages)

    def get(self, lang: str) -> T | None:
        if lang not in self._languages:
            return None
        found = self._built.get(lang)
        if found is None:
            found = self._built[lang] = self._build(lang)
        return found


def _phrases(rule: RequireRule) -> _PerLanguage[PhraseSet[str]]:
    if isinstance(rule.any, list):
        listed = rule.any
        return _PerLanguage([_ALL] if listed else [], lambda _: PhraseSet([(p, p) for p in listed]))
    per_language = rule.any
    return _PerLanguage(per_language, lambda lang: PhraseSet([(p, p) for p in per_language[lang]]))


def _check_patterns(rule: RequireRule) -> None:
    """Every pattern compiles (or a located error): run once, when the guide changes."""
    for lang, patterns in rule.patterns.items():
        for index, pattern in enumerate(patterns):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise RuleCompileError(
                    f"patterns.{lang}[{index}] is not a valid regular expression: {exc}",
                    ("patterns", lang, index),
                    hint="patterns use Python's re syntax",
                ) from None


def _patterns(rule: RequireRule) -> _PerLanguage[FoldedPattern]:
    def build(lang: str) -> FoldedPattern:
        joined = "|".join(f"(?:{p})" for p in rule.patterns[lang])
        if lang not in NO_SPACE_LANGUAGES:
            # a cheap first filter (scan checks the script-aware edges): most
            # candidates inside longer words are skipped by the regex engine
            joined = f"(?<!\\w)(?:{joined})"
        return FoldedPattern(joined)  # matched ignoring case, on the folded prose

    return _PerLanguage([lang for lang, listed in rule.patterns.items() if listed], build)


def compile_rule(rule: RequireRule, cc: CompileContext) -> Check:
    if not cc.checked:
        _check_patterns(rule)
    wanted = _phrases(rule)
    patterns = _patterns(rule)
    per_language = isinstance(rule.any, dict) or bool(patterns)
    triggers = PhraseSet([(p, p) for p in rule.if_any])
    pattern = None
    if rule.pattern is not None:
        try:
            pattern = re.compile(rule.pattern, re.IGNORECASE)
        except re.error as exc:
            raise RuleCompileError(
                f"pattern is not a valid regular expression: {exc}", ("pattern",)
            ) from None
    has = rule.has

    # What is known before any post: asked once here, not for every post.
    for_all = _ALL in wanted  # phrases that count in every language
    has_triggers = bool(triggers)
    everywhere = not per_language or has is not None or pattern is not None or for_all
    posts_only = rule.posts_only
    sponsored_only = rule.when == "sponsored"

    def satisfied(post: Post) -> bool:
        if for_all:
            phrases = wanted.get(_ALL)
            if phrases is not None and phrases.found_in(post):
                return True
        phrases = wanted.get(post.lang)
        if phrases is not None and phrases.found_in(post):  # an empty set finds nothing
            return True
        compiled = patterns.get(post.lang)
        if compiled is not None:
            folded = post.folded
            if next(scan(compiled.for_text(folded), folded, shorten=False), None):
                return True
        if pattern is not None and pattern.search(post.text):
            return True
        if has == "question":
            return "?" in post.prose or "\uff1f" in post.prose
        return has is not None and bool(post.spans_of(_HAS_KIND[has]))

    def check(post: Post, ctx: LintContext) -> list[Hit]:
        del ctx
        if posts_only and not post.is_post:
            return []
        if sponsored_only and not post.sponsored:
            return []
        if not (everywhere or post.lang in wanted or post.lang in patterns):
            return []  # a language the rule lists nothing for is not judged
        start = end = 0
        trigger = ""
        if has_triggers:
            found = triggers.search(post)
            if found is None:
                return []
            start, end, trigger = found.start, found.end, found.text
        if satisfied(post):
            return []
        return [new_hit(start, end, {"trigger": trigger})]

    return check

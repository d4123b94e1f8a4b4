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

from toolkit.voice.kinds.base import Check, CompileContext, Hit, LintContext, RuleCompileError
from toolkit.voice.kinds.phrases import PhraseSet
from toolkit.voice.matching import Post, scan
from toolkit.voice.schema import RequireRule

PLACEHOLDERS = frozenset({"trigger"})

_HAS_KIND = {"link": "url", "hashtag": "hashtag", "mention": "mention", "emoji": "emoji"}
_ALL = "*"  # the key of what applies to every language
# Languages written without spaces between words: no word edge before a pattern.
NO_SPACE_LANGUAGES = frozenset({"ja", "zh", "th", "lo", "km", "my"})


def _phrases(rule: RequireRule) -> dict[str, PhraseSet[str]]:
    if isinstance(rule.any, list):
        return {_ALL: PhraseSet([(p, p) for p in rule.any])} if rule.any else {}
    return {lang: PhraseSet([(p, p) for p in phrases]) for lang, phrases in rule.any.items()}


def _patterns(rule: RequireRule) -> dict[str, re.Pattern[str]]:
    compiled: dict[str, re.Pattern[str]] = {}
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
        if patterns:
            joined = "|".join(f"(?:{p})" for p in patterns)
            if lang not in NO_SPACE_LANGUAGES:
                # a cheap first filter (scan checks the script-aware edges): most
                # candidates inside longer words are skipped by the regex engine
                joined = f"(?<!\\w)(?:{joined})"
            compiled[lang] = re.compile(joined, re.IGNORECASE)
    return compiled


def compile_rule(rule: RequireRule, cc: CompileContext) -> Check:
    del cc
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

    def satisfied(post: Post) -> bool:
        for key in (_ALL, post.lang):
            phrases = wanted.get(key)
            if phrases and phrases.search(post) is not None:
                return True
        regex = patterns.get(post.lang)
        if regex is not None and next(scan(regex, post.folded, shorten=False), None):
            return True
        if pattern is not None and pattern.search(post.text):
            return True
        if has == "question":
            return "?" in post.prose or "\uff1f" in post.prose
        return has is not None and bool(post.spans_of(_HAS_KIND[has]))

    def judged(post: Post) -> bool:
        """A language the rule lists nothing for is not judged."""
        if not per_language or has is not None or pattern is not None or _ALL in wanted:
            return True
        return post.lang in wanted or post.lang in patterns

    def check(post: Post, ctx: LintContext) -> list[Hit]:
        del ctx
        if rule.posts_only and not post.is_post:
            return []
        if rule.when == "sponsored" and not post.sponsored:
            return []
        if not judged(post):
            return []
        start = end = 0
        trigger = ""
        if triggers:
            found = triggers.search(post)
            if found is None:
                return []
            start, end, trigger = found.start, found.end, found.text
        if satisfied(post):
            return []
        return [Hit(start, end, {"trigger": trigger})]

    return check

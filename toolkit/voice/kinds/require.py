"""require: something every post (or every sponsored post) must carry. Reports only."""

from __future__ import annotations

import re

from toolkit.voice.kinds.base import Check, CompileContext, Hit, LintContext, RuleCompileError
from toolkit.voice.kinds.phrases import PhraseSet
from toolkit.voice.matching import Post
from toolkit.voice.schema import RequireRule

PLACEHOLDERS = frozenset({"trigger"})

_HAS_KIND = {"link": "url", "hashtag": "hashtag", "mention": "mention", "emoji": "emoji"}


def compile_rule(rule: RequireRule, cc: CompileContext) -> Check:
    del cc
    wanted = PhraseSet([(p, p) for p in rule.any])
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
        if wanted and wanted.search(post) is not None:
            return True
        if pattern is not None and pattern.search(post.text):
            return True
        if has == "question":
            return "?" in post.prose or "\uff1f" in post.prose
        return has is not None and bool(post.spans_of(_HAS_KIND[has]))

    def check(post: Post, ctx: LintContext) -> list[Hit]:
        del ctx
        if rule.when == "sponsored" and not post.sponsored:
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

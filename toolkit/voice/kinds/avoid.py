"""avoid: banned or hype words, with replacements; one replacement makes it auto-fixable."""

from __future__ import annotations

import re

from toolkit.voice.findings import Edit
from toolkit.voice.kinds.base import (
    Check,
    CompileContext,
    Hit,
    LintContext,
    RuleCompileError,
    match_case,
    quoted,
)
from toolkit.voice.kinds.phrases import PhraseSet
from toolkit.voice.matching import Post, boundary_wrap
from toolkit.voice.schema import AvoidRule

PLACEHOLDERS = frozenset({"match", "suggestion"})


def compile_rule(rule: AvoidRule, cc: CompileContext) -> Check:
    del cc
    entries: list[tuple[str, tuple[str, ...]]] = [(w, ()) for w in rule.words]
    for word, replacement in rule.replace.items():
        options = (replacement,) if isinstance(replacement, str) else tuple(replacement)
        entries.append((word, options))
    phrases = PhraseSet(entries, ignore_case=rule.ignore_case)
    flags = re.IGNORECASE if rule.ignore_case else 0
    patterns: list[re.Pattern[str]] = []
    for index, pattern in enumerate(rule.patterns):
        try:
            patterns.append(re.compile(boundary_wrap(pattern), flags))
        except re.error as exc:
            raise RuleCompileError(
                f"patterns[{index}] is not a valid regular expression: {exc}",
                ("patterns", index),
                hint="patterns use Python's re syntax; escape . ( ) [ ] with a backslash",
            ) from None

    def hit(post: Post, start: int, end: int, options: tuple[str, ...]) -> Hit:
        found = post.text[start:end]
        edits: tuple[Edit, ...] = ()
        if len(options) == 1:
            edits = (Edit(start, end, match_case(options[0], found, post.locale)),)
        suggestion = quoted(list(options)) if options else None
        return Hit(start, end, {"match": found, "suggestion": suggestion or ""}, suggestion, edits)

    def check(post: Post, ctx: LintContext) -> list[Hit]:
        del ctx
        hits = [hit(post, m.start, m.end, m.payload) for m in phrases.finditer(post)]
        for regex in patterns:
            hits.extend(
                hit(post, m.start(), m.end(), ())
                for m in regex.finditer(post.prose)
                if m.end() > m.start()
            )
        if patterns and len(hits) > 1:
            hits.sort(key=lambda h: h.start)
        return hits

    return check

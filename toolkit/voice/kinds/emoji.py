"""emoji: denied or allowed emoji, how many, and where. Removal is the fix."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from toolkit.text.spans import Span, emoji_spans, protected_spans
from toolkit.voice.findings import Edit, new_edit
from toolkit.voice.kinds.base import (
    Check,
    CompileContext,
    Hit,
    LintContext,
    RuleCompileError,
    new_hit,
    per_platform,
)
from toolkit.voice.matching import Post, spaced_word_char
from toolkit.voice.schema import EmojiRule

PLACEHOLDERS = frozenset({"match", "count", "max"})

_VARIANTS = re.compile("[\ufe0f\ufe0e\U0001f3fb-\U0001f3ff]")


def base_form(emoji: str) -> str:
    """The emoji without presentation selectors or skin tones: 👍🏽 → 👍."""
    return _BASE_FORMS[emoji]


class _BaseForms(dict[str, str]):
    """Base forms, remembered per emoji (a post's emoji are judged by every emoji rule)."""

    def __missing__(self, emoji: str) -> str:
        if len(self) >= 4096:
            self.clear()  # bounded, whatever the texts hold
        form = self[emoji] = _VARIANTS.sub("", emoji)
        return form


_BASE_FORMS = _BaseForms()


# Punctuation that sits right after a word (in French, after a narrow space: the
# typography rule puts it back).
_CLOSING = ".,;:!?\u2026)]}\u00bb\u201d\u3001\u3002\uff01\uff1f"


def removal(text: str, start: int, end: int, *, after_token: bool = False) -> Edit:
    """Remove ``text[start:end]`` and one space, so no double, dangling or stray space is left.

    ``after_token``: a link or a tag ends just before the space, which must stay
    (``https://example.com/a 🎉!`` must not become a longer link).
    """
    before = text[start - 1] if start else "\n"
    after = text[end] if end < len(text) else "\n"
    if not before.isspace() and not after.isspace():
        if spaced_word_char(before) and spaced_word_char(after):
            return new_edit(start, end, " ")  # it separated two words: keep them apart
        if _tokens(text[:start] + text[end:]) != _tokens(text[:start] + " " + text[end:]):
            return new_edit(start, end, " ")  # glued, "U.S.🤮YouTube" would become a link
        return new_edit(start, end, "")
    if after == " " and before in " \n":
        end += 1
    elif before == " " and (after == "\n" or (after in _CLOSING and not after_token)):
        start -= 1  # "Great news 🎉!" becomes "Great news!", not "Great news !"
    return new_edit(start, end, "")


def _tokens(text: str) -> list[str]:
    return [s.text for s in protected_spans(text)]


def _emoji_list(rule: EmojiRule, key: str, values: list[str]) -> frozenset[str]:
    out = set()
    for index, value in enumerate(values):
        spans = emoji_spans(value)
        if len(spans) != 1 or spans[0].text != value.strip():
            raise RuleCompileError(f"'{value}' is not one emoji", (key, index))
        out.add(base_form(spans[0].text))
    return frozenset(out)


def _inside_word(text: str, start: int, end: int) -> bool:
    """Glued between two letters of a script written with spaces (not 新機能🎉公開)."""
    return (
        start > 0
        and end < len(text)
        and spaced_word_char(text[start - 1])
        and spaced_word_char(text[end])
    )


def compile_rule(rule: EmojiRule, cc: CompileContext) -> Check:
    del cc
    deny = _emoji_list(rule, "deny", rule.deny)
    allow = None if rule.allow is None else _emoji_list(rule, "allow", rule.allow)

    # Which tests the rule makes: most emoji rules make one, and the others are skipped.
    judges_form = bool(deny) or allow is not None
    at_start = rule.not_at_start
    in_words = rule.not_in_words
    limits: dict[str | None, int | None] = {}  # per platform, resolved once

    def check(post: Post, ctx: LintContext) -> list[Hit]:
        del ctx
        spans = post.emoji
        if not spans:
            return []
        text = post.text
        hits: list[Hit] = []
        platform = post.platform
        if platform in limits:
            limit = limits[platform]
        else:
            limit = limits[platform] = per_platform(rule.max, platform)
        if not (judges_form or at_start or in_words) and (limit is None or len(spans) <= limit):
            return hits  # a count rule under its limit: nothing to look at
        values = {"count": len(spans), "max": "" if limit is None else limit}
        # A thread's parts go out as posts of their own: the count is each part's.
        place = _places_in_parts(spans, post.parts) if limit is not None else None
        first = len(text) - len(text.lstrip()) if at_start else -1
        for index, span in enumerate(spans):
            unwanted = False
            if judges_form:
                form = base_form(span.text)
                unwanted = form in deny or (allow is not None and form not in allow)
            if unwanted or (at_start and span.start == first):
                here = {**values, "match": span.text}
                token_before = any(s.end == span.start - 1 for s in post.protected)
                edit = removal(text, span.start, span.end, after_token=token_before)
                hits.append(new_hit(span.start, span.end, here, "remove it", (edit,)))
            elif in_words and _inside_word(text, span.start, span.end):
                here = {**values, "match": span.text}
                hits.append(new_hit(span.start, span.end, here, "put a space on each side"))
            if place is not None and place[index][0] == limit:
                count = place[index][1]
                hits.append(
                    new_hit(span.start, span.end, {**values, "count": count, "match": span.text})
                )
        return hits

    return check


def _places_in_parts(spans: Sequence[Span], parts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """For each span (in text order), its index among the spans of its thread part and
    how many spans that part has."""
    part_of: list[int] = []
    part = 0
    for span in spans:
        while part < len(parts) - 1 and span.start >= parts[part][1]:
            part += 1
        part_of.append(part)
    totals = Counter(part_of)
    seen: Counter[int] = Counter()
    out = []
    for part in part_of:
        out.append((seen[part], totals[part]))
        seen[part] += 1
    return out

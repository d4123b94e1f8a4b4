"""limit: how many of something a post (or a sentence) may have. Reports only."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from itertools import compress

import regex  # type: ignore[import-untyped, unused-ignore]

from toolkit.text.counting import CountRules, post_length
from toolkit.voice.kinds.base import (
    Check,
    CompileContext,
    Hit,
    LintContext,
    RuleCompileError,
    covered,
    new_hit,
    per_platform,
)
from toolkit.voice.matching import BLANK, Post
from toolkit.voice.schema import LimitRule

PLACEHOLDERS = frozenset({"count", "max", "min"})

Items = Callable[[Post], list[tuple[int, int]]]

# All-caps words of up to this many letters (digits aside) are acronyms, not
# shouting: GIF, CRM, KPI, COVID-19. Longer ones are listed in a rule's ``ignore``.
ACRONYM_LETTERS = 5


def _chars(one: str, other: str) -> Items:
    def items(post: Post) -> list[tuple[int, int]]:
        prose = post.prose
        if one not in prose and other not in prose:  # the usual case: none at all
            return []
        return [m.span() for m in pattern.finditer(prose)]

    pattern = re.compile("[" + re.escape(one + other) + "]")

    return items


# What a count of spans counts: the post's spans of that kind.
_SPAN_KINDS = {"emoji": "emoji", "hashtag": "hashtag", "mention": "mention", "link": "url"}


def _words(post: Post) -> list[tuple[int, int]]:
    return post.letter_words


def _caps_words(ignore: frozenset[str], cc: CompileContext) -> Items:
    def items(post: Post) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        words, texts = post.letter_words, post.letter_word_texts
        # most words are not in capitals: they are left out in C, not in a Python loop
        for i in compress(range(len(texts)), map(str.isupper, texts)):
            word = texts[i]
            a, b = words[i]
            if (
                len(word) > ACRONYM_LETTERS  # cheap: no more letters than characters
                and word not in ignore
                and sum(c.isalpha() for c in word) > ACRONYM_LETTERS
                and not any(c.isalpha() and not c.isupper() for c in word)
                and not covered(a, b, cc.kept(post))
            ):
                out.append((a, b))
        # Only a prose with two capitals side by side has words in capitals: asked last,
        # of the few posts with a candidate (the regex module's search costs more than
        # the test of every word).
        if out and not _TWO_CAPITALS.search(post.prose):
            return []
        return out

    return items


def _lines(post: Post) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for line in post.text.split("\n"):
        if line.strip():
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _sentence_words(post: Post, start: int, end: int) -> int:
    return post.letter_word_count(start, end)


def _sentence_chars(post: Post, start: int, end: int) -> int:
    """Characters of the sentence but spaces and blanked tokens.

    ``str.split`` drops what ``\\s`` matches (both ask ``Py_UNICODE_ISSPACE``) and the
    blank is no space: the count of ``[\\s\\ufffc]`` left out, without a regex's list of
    every space (3× faster on a Japanese post).
    """
    segment = post.prose[start:end]
    return len("".join(segment.split())) - segment.count(BLANK)


_TWO_CAPITALS = regex.compile(r"\p{Lu}\p{Lu}")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


# The rules asked about last and their answer: hashing CountRules (nested tuples) for the
# lru_cache below costs 4 µs, more than the bound itself; posts come platform by platform.
_last_heavy: tuple[CountRules, re.Pattern[str], float] | None = None


def _heavy_chars(rules: CountRules) -> tuple[re.Pattern[str], float]:
    """Characters weighing more than one unit on a weighted platform, and the heaviest weight."""
    global _last_heavy
    last = _last_heavy
    if last is not None and last[0] is rules:
        return last[1], last[2]
    heavy, heaviest = _heavy_chars_of(rules)
    _last_heavy = (rules, heavy, heaviest)
    return heavy, heaviest


@lru_cache(maxsize=64)
def _heavy_chars_of(rules: CountRules) -> tuple[re.Pattern[str], float]:
    config = rules.weights
    light = [r for r in config.ranges if r.weight <= config.scale]
    heaviest = max([config.default_weight, *(r.weight for r in config.ranges)]) / config.scale
    chars = "".join(f"\\U{r.start:08x}-\\U{r.end:08x}" for r in light)
    return re.compile(f"[^{chars}]" if chars else "(?s:.)"), heaviest


def length_bound(post: Post, rules: CountRules) -> float:
    """An upper bound of ``count(post.text, rules)``, cheap to compute."""
    text = post.text
    links = post.spans_of("url")
    link_chars = sum(s.end - s.start for s in links)
    fixed = max(rules.url_length or 0, rules.weights.transformed_url_length)
    per_link = sum(max(s.end - s.start, fixed) for s in links)
    n = len(text) - link_chars
    if rules.method == "weighted":
        heavy, heaviest = _heavy_chars(rules)
        n_light = len(heavy.sub("", text)) - sum(len(heavy.sub("", s.text)) for s in links)
        return n_light + (n - n_light) * heaviest + per_link
    if rules.method == "utf16":
        return n + len(_ASTRAL.findall(text)) + per_link
    if rules.method == "threads":
        return n + 3 * sum(s.end - s.start for s in post.emoji) + per_link
    return n + per_link


class _Limits(dict[str | None, tuple[int | None, int | None]]):
    """The rule's (max, min) per platform, resolved once per platform (not per post);
    looked up by subscript, with no Python call once known."""

    def __init__(self, rule: LimitRule) -> None:
        super().__init__()
        self.rule = rule

    def __missing__(self, platform: str | None) -> tuple[int | None, int | None]:
        found = self[platform] = (
            per_platform(self.rule.max, platform),
            per_platform(self.rule.min, platform),
        )
        return found


def compile_rule(rule: LimitRule, cc: CompileContext) -> Check:
    what = rule.count
    limits = _Limits(rule)
    if what in ("sentence_words", "sentence_chars"):
        if rule.min is not None:
            raise RuleCompileError(f"'{what}' takes 'max' only", ("min",))
        measure = _sentence_words if what == "sentence_words" else _sentence_chars

        def per_sentence(post: Post, ctx: LintContext) -> list[Hit]:
            del ctx
            limit = limits[post.platform][0]
            if limit is None:
                return []
            if measure is _sentence_words and len(post.letter_words) <= limit:
                return []  # no sentence holds more words than the whole post
            hits = []
            for start, end in post.sentences:
                n = measure(post, start, end)
                if n > limit:
                    hits.append(new_hit(start, end, {"count": n, "max": limit, "min": ""}))
            return hits

        return per_sentence

    if what == "length":

        def length(post: Post, ctx: LintContext) -> list[Hit]:
            high, low = limits[post.platform]
            if high is None and low is None:
                return []  # no bound on this platform: nothing to count
            # A thread is measured post by post: each part goes out on its own.
            rules = ctx.count_rules(post.platform) if post.platform else None
            many = len(post.parts) > 1
            hits = []
            for start, end in post.parts:
                piece = post.text[start:end]
                if rules is None:
                    n = len(piece.strip())
                elif low is None and (high is None or length_bound(post, rules) <= high):
                    continue  # cannot be over: skip the exact (slower) count
                else:
                    n = post_length(piece, rules)
                where = (start, end) if many else None
                hits += _bounds(high, low, n, [], at=where)
            return hits

        return length

    if what in _SPAN_KINDS:
        kind = _SPAN_KINDS[what]

        def per_span(post: Post, ctx: LintContext) -> list[Hit]:
            del ctx
            spans = post.spans_of(kind)
            high, low = limits[post.platform]
            n = len(spans)
            if (high is None or n <= high) and (low is None or n >= low):
                return []  # the usual case: no list of places made
            return _bounds(high, low, n, [(s.start, s.end) for s in spans])

        return per_span

    ignore = frozenset(rule.ignore)
    items: Items = {
        "exclamation": _chars("!", "\uff01"),
        "question": _chars("?", "\uff1f"),
        "caps_word": _caps_words(ignore, cc),
        "word": _words,
        "lines": _lines,
    }[what]

    def per_post(post: Post, ctx: LintContext) -> list[Hit]:
        del ctx
        found = items(post)
        high, low = limits[post.platform]
        n = len(found)
        if (high is None or n <= high) and (low is None or n >= low):
            return []  # the usual case (_bounds's first test), without the call
        return _bounds(high, low, n, found)

    return per_post


def _bounds(
    high: int | None,
    low: int | None,
    n: int,
    found: list[tuple[int, int]],
    *,
    at: tuple[int, int] | None = None,
) -> list[Hit]:
    over = high is not None and n > high
    if not over and (low is None or n >= low):
        return []  # the usual case, decided before any message values are made
    values = {"count": n, "max": "" if high is None else high, "min": "" if low is None else low}
    if over:
        assert high is not None
        start, end = found[high] if len(found) > high else (at or (0, 0))
        return [new_hit(start, end, values)]
    start, end = at or (0, 0)
    return [new_hit(start, end, values)]

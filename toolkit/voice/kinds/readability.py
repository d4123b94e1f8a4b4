"""readability: the language's own formula, on posts long enough to score. Reports only."""

from __future__ import annotations

import re
from bisect import bisect_left

from toolkit.voice.kinds.base import (
    Check,
    CompileContext,
    Hit,
    LintContext,
    RuleCompileError,
    new_hit,
)
from toolkit.voice.matching import BLANK, Post
from toolkit.voice.readability import (
    DEFAULT_FORMULA,
    FORMULA_LANGUAGE,
    japanese_score,
    word_score,
)
from toolkit.voice.schema import ReadabilityRule

_SPACE = re.compile(r"\s")

PLACEHOLDERS = frozenset({"score", "min", "max", "formula"})


def compile_rule(rule: ReadabilityRule, cc: CompileContext) -> Check:
    del cc
    formulas: dict[str, str] = {}
    for lang, target in rule.languages.items():
        formula = target.formula or DEFAULT_FORMULA.get(lang)
        if formula is None:
            raise RuleCompileError(
                f"no default readability formula for '{lang}'",
                ("languages", lang),
                hint="name one, e.g. {formula: flesch, min: 50}; defaults exist for "
                + ", ".join(sorted(DEFAULT_FORMULA)),
            )
        formulas[lang] = formula

    def check(post: Post, ctx: LintContext) -> list[Hit]:
        del ctx
        target = rule.languages.get(post.lang)
        if target is None:
            return []
        formula = formulas[post.lang]
        if FORMULA_LANGUAGE[formula] == "ja":
            text = post.prose.replace(BLANK, "")
            if len(text) - len(_SPACE.findall(text)) < rule.min_chars:
                return []
            value = japanese_score(formula, text).value
        else:
            if len(post.letter_words) < rule.min_words:
                return []
            words = post.letter_word_texts
            starts = post.letter_word_starts
            # sentences holding a letter word (letter_word_count > 0, without the calls)
            sentences = sum(
                1 for s, e in post.sentences if bisect_left(starts, e) > bisect_left(starts, s)
            )
            value = word_score(formula, words, sentences, post.lang).value
        too_low = target.min is not None and value < target.min
        too_high = target.max is not None and value > target.max
        if not (too_low or too_high):
            return []
        values = {
            "score": value,
            "min": "" if target.min is None else target.min,
            "max": "" if target.max is None else target.max,
            "formula": formula,
        }
        return [new_hit(0, 0, values)]

    return check

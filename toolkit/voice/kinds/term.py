"""term: the preferred spelling and casing of names ("LinkedIn", not "Linkedin"). Auto-fix."""

from __future__ import annotations

from toolkit.voice.findings import new_edit
from toolkit.voice.kinds.base import Check, CompileContext, Hit, LintContext, new_hit
from toolkit.voice.kinds.phrases import PhraseSet
from toolkit.voice.matching import Post
from toolkit.voice.schema import TermRule

PLACEHOLDERS = frozenset({"match", "expected"})


def compile_rule(rule: TermRule, cc: CompileContext) -> Check:
    del cc
    phrases: list[tuple[str, str]] = []
    for expected, wrong in rule.terms.items():
        phrases.append((expected, expected))
        phrases.extend((form, expected) for form in wrong)
    terms = PhraseSet(phrases, ignore_case=rule.ignore_case)

    def check(post: Post, ctx: LintContext) -> list[Hit]:
        del ctx
        hits: list[Hit] = []
        for m in terms.matches(post):
            if m.text == m.payload:
                continue
            hits.append(
                new_hit(
                    m.start,
                    m.end,
                    {"match": m.text, "expected": m.payload},
                    suggestion=f"'{m.payload}'",
                    edits=(new_edit(m.start, m.end, m.payload),),
                )
            )
        return hits

    return check

"""consistency: one spelling per post or campaign (email vs e-mail). Auto-fix to the first."""

from __future__ import annotations

from functools import lru_cache

from toolkit.voice.findings import new_edit
from toolkit.voice.kinds.base import Check, CompileContext, Hit, LintContext, match_case, new_hit
from toolkit.voice.kinds.phrases import PhraseSet
from toolkit.voice.matching import Post
from toolkit.voice.schema import ConsistencyRule

PLACEHOLDERS = frozenset({"match", "expected"})


def _key(text: str) -> str:
    return " ".join(text.casefold().replace("\u2019", "'").split())


def spelling_set(rule: ConsistencyRule) -> PhraseSet[tuple[int, str]]:
    """The rule's spellings as one phrase set, compiled once per set of groups."""
    return _spelling_set(tuple(tuple(group) for group in rule.groups))


@lru_cache(maxsize=64)
def _spelling_set(groups: tuple[tuple[str, ...], ...]) -> PhraseSet[tuple[int, str]]:
    return PhraseSet([(form, (g, form)) for g, group in enumerate(groups) for form in group])


def first_forms(spellings: PhraseSet[tuple[int, str]], post: Post) -> dict[int, str]:
    """The spelling of each group (of a rule's ``spelling_set``) that ``post`` uses first."""
    seen: dict[int, str] = {}
    if spellings.absent_from(post.text):
        return seen  # the usual case, found without the post's prose
    for m in spellings.finditer(post):
        group, form = m.payload
        seen.setdefault(group, form)
    return seen


def compile_rule(rule: ConsistencyRule, cc: CompileContext) -> Check:
    del cc
    spellings = spelling_set(rule)

    # Each spelling's key, once: every form and first form is one of the rule's spellings.
    keys = {form: _key(form) for group in rule.groups for form in group}
    campaign = rule.scope == "campaign"

    def check(post: Post, ctx: LintContext) -> list[Hit]:
        hits: list[Hit] = []
        found = spellings.matches(post)
        if not found:
            return hits  # the usual case: no spelling of any group
        chosen = dict(ctx.campaign_forms.get(rule.id, {})) if campaign else {}
        for m in found:
            group, form = m.payload
            first = chosen.setdefault(group, form)
            if keys[form] == (keys.get(first) or _key(first)):
                continue
            replacement = match_case(first, m.text, post.locale)
            hits.append(
                new_hit(
                    m.start,
                    m.end,
                    {"match": m.text, "expected": first},
                    f"'{first}'",
                    (new_edit(m.start, m.end, replacement),),
                )
            )
        return hits

    return check

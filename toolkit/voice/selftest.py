"""A rule's examples are its tests, run when the guide loads (as prh's specs are).

A bad example must raise at least one finding of its rule (and, when it
gives ``fix``, fixing must produce exactly that text); a good example must
raise none. Each example runs in the rule's own context: its first platform,
locale and persona unless the example names others.
"""

from __future__ import annotations

from toolkit.errors import InputError
from toolkit.files.yaml_reader import Marks, PathKey
from toolkit.voice.engine import apply_fixes, rule_findings
from toolkit.voice.findings import Finding
from toolkit.voice.guide import CompiledRule, Guide
from toolkit.voice.kinds import LintContext
from toolkit.voice.matching import Post
from toolkit.voice.schema import Example, ExampleItem, RequireRule

_FIX_ROUNDS = 8


def _post(guide: Guide, rule: CompiledRule, item: ExampleItem, text: str | None = None) -> Post:
    example = item if isinstance(item, Example) else Example(text=item)
    spec = rule.spec
    locale = example.locale or (rule.locales[0] if rule.locales else guide.default_locale)
    platform = example.platform or (sorted(rule.platforms)[0] if rule.platforms else None)
    persona = example.persona or (
        sorted(rule.personas)[0] if rule.personas else guide.default_persona
    )
    sponsored = example.sponsored
    if sponsored is None:
        sponsored = isinstance(spec, RequireRule) and spec.when == "sponsored"
    return Post(
        example.text if text is None else text,
        locale=locale,
        platform=platform,
        persona=persona,
        sponsored=sponsored,
    )


def _run(guide: Guide, rule: CompiledRule, post: Post) -> list[Finding]:
    if not rule.applies(post.platform, post.locale, post.persona):
        return []
    return rule_findings(rule, post, LintContext(count_rules=guide.count_rules))


def _fixed(guide: Guide, rule: CompiledRule, item: ExampleItem) -> str:
    post = _post(guide, rule, item)
    text = post.text
    for _ in range(_FIX_ROUNDS):
        findings = _run(guide, rule, _post(guide, rule, item, text))
        new, _applied = apply_fixes(text, findings)
        if new == text:
            break
        text = new
    return text


def run_examples(guide: Guide, rule: CompiledRule, marks: Marks, where: PathKey) -> None:
    examples = rule.spec.examples
    for j, item in enumerate(examples.bad):
        loc: PathKey = (*where, "examples", "bad", j)
        post = _post(guide, rule, item)
        if not _run(guide, rule, post):
            raise InputError(
                f"rule '{rule.id}': bad example raises nothing: {post.text!r}",
                location=marks.at(loc),
                hint="the rule must flag its bad examples; fix the rule or the example",
            )
        if isinstance(item, Example) and item.fix is not None:
            got = _fixed(guide, rule, item)
            if got != item.fix:
                raise InputError(
                    f"rule '{rule.id}': fixing {post.text!r} gives {got!r}, not {item.fix!r}",
                    location=marks.at((*loc, "fix")),
                    hint="the example's 'fix' is what --fix must produce",
                )
    for j, item in enumerate(examples.good):
        post = _post(guide, rule, item)
        found = _run(guide, rule, post)
        if found:
            first = found[0]
            raise InputError(
                f"rule '{rule.id}': good example raises '{first.message}' at column "
                f"{first.column}: {post.text!r}",
                location=marks.at((*where, "examples", "good", j)),
                hint="a good example must pass its rule; fix the rule or the example",
            )

"""Lint one text against a guide; fix what can be fixed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter

from toolkit.errors import InputError
from toolkit.files.locales import normalize_locale
from toolkit.text.spans import protected_spans
from toolkit.voice.findings import Edit, Finding, new_edit, new_finding
from toolkit.voice.forms import strip_accents
from toolkit.voice.guide import CompiledRule, Guide
from toolkit.voice.kinds import Hit, LintContext
from toolkit.voice.kinds.consistency import first_forms, spelling_set
from toolkit.voice.kinds.phrases import PhraseSet
from toolkit.voice.matching import Post, fold
from toolkit.voice.schema import ConsistencyRule

MAX_FIX_ROUNDS = 8


def make_post(
    text: str,
    guide: Guide,
    *,
    platform: str | None = None,
    locale: str | None = None,
    persona: str | None = None,
    sponsored: bool = False,
    thread: bool = False,
) -> Post:
    """A post with its context checked against the guide (unknown names are input errors)."""
    return Post(
        text,
        locale=_locale(locale) if locale else guide.default_locale,
        platform=guide.platform(platform),
        persona=guide.persona(persona),
        sponsored=sponsored,
        thread=thread,
    )


@lru_cache(maxsize=256)
def _locale(value: str) -> str:
    try:
        return normalize_locale(value)
    except ValueError as exc:  # pydantic's custom error is a ValueError
        raise InputError(str(exc), hint="e.g. en-US, fr-FR, ja-JP, tr-TR, es-ES") from None


def rule_findings(
    rule: CompiledRule, post: Post, ctx: LintContext, *, first_line: int = 1
) -> list[Finding]:
    view = post.nfc
    return [_finding(rule, hit, post, view, first_line) for hit in rule.hits(view, ctx)]


def _finding(rule: CompiledRule, hit: Hit, post: Post, view: Post, first_line: int) -> Finding:
    """The finding of ``hit`` (found in ``view``, the NFC form), placed in ``post`` as written."""
    start, end, edits = hit.start, hit.end, hit.edits
    # A fix is certain only when its rule says more than "suggestion", its kind is
    # sure of it, and it leaves links, mentions, hashtags and code as written.
    certain = hit.certain and rule.level != "suggestion"
    if certain and edits:
        touches = view.touches_literal
        for e in edits:
            if touches(e.start, e.end):
                certain = False
                break
    if view is not post:
        start, end = view.original_offset(start), view.original_offset(end, end=True)
        edits = tuple(
            new_edit(
                view.original_offset(e.start), view.original_offset(e.end, end=True), e.replacement
            )
            for e in edits
        )
    line, column, end_line, end_column = post.line_cols(start, end)
    message = rule.message
    return new_finding(
        rule.id,
        rule.level,
        rule.format(hit.values) if "{" in message else message,  # (the test of format)
        start,
        end,
        line + first_line - 1,
        column,
        end_line + first_line - 1,
        end_column,
        hit.suggestion,
        edits,
        None,
        certain,
    )


def lint_post(
    post: Post,
    guide: Guide,
    *,
    context: LintContext | None = None,
    first_line: int = 1,
    kinds: frozenset[str] | None = None,
) -> list[Finding]:
    """Findings of every rule that applies to the post (only ``kinds`` when given)."""
    ctx = context or guide.context
    findings: list[Finding] = []
    view = post.nfc
    for rule in guide.rules_for(post.platform, post.locale, post.persona):
        if kinds is not None and rule.kind not in kinds:
            continue
        hits = rule.check(view, ctx)  # rule.hits, inlined: it runs for every rule and post
        if hits:
            if rule.filters:
                hits = rule.keep(view, hits)
            for hit in hits:
                findings.append(_finding(rule, hit, post, view, first_line))
    if len(findings) > 1:
        findings.sort(key=_ORDER)
    return findings


_ORDER = attrgetter("start", "end", "rule")  # a finding's place in the list, in C


def lint_text(
    text: str,
    guide: Guide,
    *,
    platform: str | None = None,
    locale: str | None = None,
    persona: str | None = None,
    sponsored: bool = False,
    first_line: int = 1,
    ignore: Iterable[str] = (),
    thread: bool = False,
) -> list[Finding]:
    """Findings for ``text``, sorted by position (line:column 1-based, in characters).

    ``first_line`` is the file line the text starts on (a draft's body after its
    front matter); findings of the rules in ``ignore`` are left out. ``thread``: the
    text is a thread whose parts are separated by ``---`` lines; length is per part.
    """
    post = make_post(
        text, guide, platform=platform, locale=locale, persona=persona, sponsored=sponsored,
        thread=thread,
    )  # fmt: skip
    findings = lint_post(post, guide, first_line=first_line)
    if not ignore:
        return findings
    skip = set(ignore)
    return [f for f in findings if f.rule not in skip] if skip else findings


def apply_fixes(text: str, findings: Iterable[Finding]) -> tuple[str, int]:
    """``text`` with every fix that does not overlap an earlier one; and how many were applied.

    A finding's edits are applied all together or not at all.
    """
    accepted: list[Edit] = []
    taken: list[tuple[int, int]] = []
    applied = 0
    for finding in sorted(findings, key=lambda f: (f.start, f.end)):
        if not finding.edits:
            continue
        if any(_overlaps(e, taken) for e in finding.edits):
            continue
        accepted.extend(finding.edits)
        taken.extend((e.start, e.end) for e in finding.edits)
        applied += 1
    for edit in sorted(accepted, key=lambda e: (e.start, e.end), reverse=True):
        text = text[: edit.start] + edit.replacement + text[edit.end :]
    return text, applied


def _overlaps(edit: Edit, taken: Sequence[tuple[int, int]]) -> bool:
    for start, end in taken:
        if edit.start < end and start < edit.end:
            return True
        if edit.start == edit.end == start or start == end == edit.start:
            return True  # two insertions at one place: one per round
    return False


@dataclass(frozen=True)
class Fixed:
    text: str
    findings: tuple[Finding, ...]  # what remains after fixing
    fixed: int  # fixes applied


def fix_post(
    post: Post,
    guide: Guide,
    *,
    context: LintContext | None = None,
    first_line: int = 1,
    kinds: frozenset[str] | None = None,
    skip: frozenset[str] = frozenset(),
    certain_only: bool = True,
) -> Fixed:
    """Apply fixes until none is left (or a few rounds pass); lint the result.

    Only certain fixes, unless ``certain_only`` is off (``--diff`` shows the
    others too). Findings of the rules in ``skip`` (suppressed ones) are
    reported but not fixed.
    """
    fixed = 0
    findings = lint_post(post, guide, context=context, first_line=first_line, kinds=kinds)
    for _ in range(MAX_FIX_ROUNDS):
        fixable = [
            f
            for f in findings
            if f.edits and (f.certain or not certain_only) and f.rule not in skip
        ]
        if not fixable:
            break
        text, applied = apply_fixes(post.text, fixable)
        if _tokens(text) != _tokens(post.text):
            text, applied = _keeping_tokens(post.text, fixable)
        if text == post.text:
            break
        fixed += applied
        post = Post(
            text,
            locale=post.locale,
            platform=post.platform,
            persona=post.persona,
            sponsored=post.sponsored,
            is_post=post.is_post,
            thread=post.thread,
        )
        findings = lint_post(post, guide, context=context, first_line=first_line, kinds=kinds)
    return Fixed(post.text, tuple(findings), fixed)


def _tokens(text: str) -> list[tuple[str, str]]:
    """The links, mentions and hashtags of ``text``, but for their case and accents (the
    hashtag rules' own fixes write #izmir as #İzmir)."""
    spans = protected_spans(text)
    return [(s.kind, strip_accents(fold(s.text))) for s in spans if s.kind in _TOKEN_KINDS]


_TOKEN_KINDS = frozenset({"url", "mention", "hashtag"})


def _keeping_tokens(text: str, fixable: Sequence[Finding]) -> tuple[str, int]:
    """The fixes that leave every link, mention and hashtag where it was, taken one by one.

    Each fix keeps to prose, but two of them side by side can still make a token: taking
    the hyphen out of 'e-mail' turns 'U.S.e-mail' into the link 'U.S.email'. Rare, so
    only a round whose result changed its tokens pays for this.
    """
    before = _tokens(text)
    kept: list[Finding] = []
    for finding in fixable:
        if _tokens(apply_fixes(text, [*kept, finding])[0]) == before:
            kept.append(finding)
    return apply_fixes(text, kept)


def fix_text(
    text: str,
    guide: Guide,
    *,
    platform: str | None = None,
    locale: str | None = None,
    persona: str | None = None,
    sponsored: bool = False,
) -> Fixed:
    """``text`` with the guide's certain fixes applied, and the findings that remain."""
    post = make_post(
        text, guide, platform=platform, locale=locale, persona=persona, sponsored=sponsored
    )
    return fix_post(post, guide)


def campaign_forms(posts: Sequence[Post], guide: Guide) -> Mapping[str, Mapping[int, str]]:
    """For campaign-wide consistency rules: the spelling each group is first written in."""
    forms: dict[str, dict[int, str]] = {}
    # The campaign-wide rules of each context and their spellings, picked once (a JSON has
    # thousands of posts).
    picked: dict[
        tuple[str | None, str, str | None], list[tuple[str, PhraseSet[tuple[int, str]]]]
    ] = {}
    for post in posts:
        key = (post.platform, post.locale, post.persona)
        rules = picked.get(key)
        if rules is None:
            rules = picked[key] = [
                (rule.id, spelling_set(rule.spec))
                for rule in guide.rules_for(*key)
                if isinstance(rule.spec, ConsistencyRule) and rule.spec.scope == "campaign"
            ]
        for rule_id, spellings in rules:
            chosen = forms.setdefault(rule_id, {})
            for group, form in first_forms(spellings, post).items():
                chosen.setdefault(group, form)
    return forms

"""Voice checks on generated copy: fix what is safe, keep the rest as findings.

The generator calls :func:`check_copy` for every variant. Fixes that would
push a post over its platform's limit are not applied (the finding stays).
Thread parts are linted together, as one text (a thread is one message),
and fixed part by part; offsets in the findings are those of the parts
joined by a blank line, which is the variant's ``text``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from toolkit.voice.engine import apply_fixes, fix_post, lint_post
from toolkit.voice.findings import Finding
from toolkit.voice.guide import Guide
from toolkit.voice.matching import Post

SEPARATOR = "\n\n"
# Rules about a whole post (links, calls to action, length) do not apply to a title.
TITLE_KINDS = frozenset({"term", "avoid", "emoji", "consistency", "case", "typography"})
_ROUNDS = 8


@dataclass(frozen=True)
class CheckedCopy:
    parts: tuple[str, ...]
    findings: tuple[Finding, ...]
    fixed: int


def check_copy(
    parts: Sequence[str],
    guide: Guide,
    *,
    platform: str,
    locale: str,
    persona: str | None = None,
    sponsored: bool = False,
    fits: Callable[[str], bool] = lambda _part: True,
) -> CheckedCopy:
    """Lint the parts of one variant, apply safe fixes that still fit, report what is left."""
    persona = guide.persona(persona)

    def lint(texts: list[str]) -> list[Finding]:
        text = SEPARATOR.join(texts)
        post = Post(text, locale=locale, platform=platform, persona=persona, sponsored=sponsored)
        return lint_post(post, guide)

    original = list(parts)
    current = list(parts)
    findings = lint(current)
    fixed = 0
    for _ in range(_ROUNDS):
        fixable = [f for f in findings if f.edits]
        if not fixable:
            break
        updated, applied = _apply_by_part(current, fixable)
        if updated == current:
            break
        current, fixed = updated, fixed + applied
        findings = lint(current)
    kept = [new if fits(new) else old for new, old in zip(current, original, strict=True)]
    if kept != current:  # a fix would not fit: that part stays as it was
        current, findings = kept, lint(kept)
        fixed = 0 if current == original else fixed
    return CheckedCopy(tuple(current), tuple(findings), fixed)


def _apply_by_part(parts: list[str], findings: list[Finding]) -> tuple[list[str], int]:
    out: list[str] = []
    applied = 0
    start = 0
    for part in parts:
        end = start + len(part)
        inside = [
            _shift(f, -start)
            for f in findings
            if all(start <= e.start and e.end <= end for e in f.edits)
        ]
        text, n = apply_fixes(part, inside)
        out.append(text)
        applied += n
        start = end + len(SEPARATOR)
    return out, applied


def _shift(finding: Finding, by: int) -> Finding:
    edits = tuple(replace(e, start=e.start + by, end=e.end + by) for e in finding.edits)
    return replace(finding, start=finding.start + by, end=finding.end + by, edits=edits)


def check_title(
    title: str,
    guide: Guide,
    *,
    platform: str,
    locale: str,
    persona: str | None = None,
    fits: Callable[[str], bool] = lambda _title: True,
) -> CheckedCopy:
    """A title gets the word-level rules only (no link, call to action or length rules)."""
    post = Post(title, locale=locale, platform=platform, persona=guide.persona(persona))
    result = fix_post(post, guide, kinds=TITLE_KINDS)
    if result.text != title and not fits(result.text):
        findings = lint_post(post, guide, kinds=TITLE_KINDS)
        return CheckedCopy((title,), tuple(findings), 0)
    return CheckedCopy((result.text,), result.findings, result.fixed)

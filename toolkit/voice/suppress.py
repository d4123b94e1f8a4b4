"""Suppressions from a draft's front matter: ``voice: {ignore: [rule-id], reason: "..."}``.

A suppression drops that rule's findings in that draft. One that names no
rule of the guide is an error; one that matched nothing is a warning, so
stale suppressions do not pile up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from toolkit.errors import did_you_mean
from toolkit.voice.findings import Finding, Level
from toolkit.voice.guide import Guide
from toolkit.voice.inputs import Suppression

UNKNOWN = "ignore.unknown-rule"
UNUSED = "ignore.unused"


@dataclass(frozen=True)
class Suppressed:
    findings: tuple[Finding, ...]  # what is left, plus findings about the suppressions
    suppressed: int


def _about(entry: Suppression, rule: str, level: Level, message: str, hint: str | None) -> Finding:
    line = entry.location.line or 1
    column = entry.location.column or 1
    return Finding(
        rule=rule,
        level=level,
        message=message,
        start=0,
        end=0,
        line=line,
        column=column,
        end_line=line,
        end_column=column + len(entry.rule),
        suggestion=hint,
    )


def apply_suppressions(
    findings: Sequence[Finding], entries: Sequence[Suppression], guide: Guide
) -> Suppressed:
    if not entries:
        return Suppressed(tuple(findings), 0)
    ignored = {e.rule for e in entries}
    kept = [f for f in findings if f.rule not in ignored]
    notes = []
    for entry in entries:
        if entry.rule not in guide.rule_ids:
            hint = did_you_mean(entry.rule, guide.rule_ids)
            notes.append(
                _about(
                    entry,
                    UNKNOWN,
                    "error",
                    f"voice.ignore names '{entry.rule}', which is not a rule of the voice guide",
                    hint,
                )
            )
        elif not any(f.rule == entry.rule for f in findings):
            notes.append(
                _about(
                    entry,
                    UNUSED,
                    "warning",
                    f"voice.ignore lists '{entry.rule}', which found nothing here",
                    "remove it",
                )
            )
    merged = sorted([*kept, *notes], key=lambda f: (f.line, f.column, f.rule))
    return Suppressed(tuple(merged), len(findings) - len(kept))

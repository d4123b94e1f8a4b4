"""Findings are data: frozen values with a rule id, a level, a place and an optional fix.

Formatters are pure functions from findings to text; the CLI only prints them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

Level = Literal["suggestion", "warning", "error"]
LEVELS: tuple[Level, ...] = ("suggestion", "warning", "error")


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` (code points) with ``replacement``."""

    start: int
    end: int
    replacement: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule's verdict on one place of a text.

    ``start``/``end`` are code-point offsets into the text that was linted;
    ``line``/``column`` (1-based, in characters) are where a reader finds it,
    in the file when the text came from one. ``edits`` is the fix, applied
    all together or not at all; empty when the rule only reports.
    """

    rule: str
    level: Level
    message: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    suggestion: str | None = None
    edits: tuple[Edit, ...] = ()
    path: str | None = None

    @property
    def fixable(self) -> bool:
        return bool(self.edits)

    def at(self, path: str | None) -> Finding:
        return replace(self, path=path)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "rule": self.rule,
            "level": self.level,
            "message": self.message,
            "suggestion": self.suggestion,
            "fixable": self.fixable,
        }


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.level == "error" for f in findings)


def format_finding(finding: Finding, path: str | None = None) -> str:
    """``path:line:col: level rule-id: message (suggestion)``."""
    where = path if path is not None else (finding.path or "<text>")
    text = f"{where}:{finding.line}:{finding.column}: {finding.level} {finding.rule}: "
    text += finding.message
    if finding.suggestion:
        text += f" ({finding.suggestion})"
    return text


def count_levels(findings: Iterable[Finding]) -> dict[Level, int]:
    counts: dict[Level, int] = {level: 0 for level in LEVELS}
    for f in findings:
        counts[f.level] += 1
    return counts


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def summary_line(
    findings: Sequence[Finding],
    *,
    files: int,
    fixed: int = 0,
    suppressed: int = 0,
    fixed_label: str = "fixed",
) -> str:
    """``3 files: 1 error, 2 warnings, 0 suggestions`` (plus fixed and suppressed counts)."""
    counts = count_levels(findings)
    parts = [
        _plural(counts["error"], "error"),
        _plural(counts["warning"], "warning"),
        _plural(counts["suggestion"], "suggestion"),
    ]
    line = f"{_plural(files, 'file')} checked: " + ", ".join(parts)
    if fixed:
        line += f"; {fixed} {fixed_label}"
    if suppressed:
        line += f"; {suppressed} suppressed"
    return line


def findings_text(
    findings: Sequence[Finding],
    *,
    files: int,
    fixed: int = 0,
    suppressed: int = 0,
    fixed_label: str = "fixed",
) -> str:
    """One line per finding, then the summary line."""
    lines = [format_finding(f) for f in findings]
    lines.append(
        summary_line(
            findings, files=files, fixed=fixed, suppressed=suppressed, fixed_label=fixed_label
        )
    )
    return "\n".join(lines) + "\n"


def findings_json(findings: Sequence[Finding]) -> str:
    return json.dumps([f.to_json() for f in findings], ensure_ascii=False, indent=2) + "\n"

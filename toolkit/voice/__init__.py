"""Brand voice: a YAML guide of rules every text is checked against, with safe fixes.

    >>> from pathlib import Path
    >>> from toolkit.voice import load_guide, lint_text, fix_text
    >>> guide = load_guide(Path("brand/demo"))
    >>> for f in lint_text("Follow us on Linkedin.", guide, platform="pinterest"):
    ...     print(f.line, f.column, f.level, f.rule, f.message)
    1 1 warning require.cta No call to action: tell readers what to do next.
    1 14 error term.names Write 'LinkedIn', not 'Linkedin'.
    >>> fix_text("Follow us on Linkedin.", guide, platform="pinterest").text
    'Follow us on LinkedIn.'

``lint_paths`` lints files and folders (Markdown drafts with front matter,
text, generate's JSON) as ``toolkit lint`` does; ``check_copy`` is what the
generator runs on every variant. See docs/voice.md for the guide's format.
"""

from __future__ import annotations

from toolkit.voice.batch import FileResult, LintReport, lint_paths
from toolkit.voice.engine import Fixed, apply_fixes, fix_text, lint_text
from toolkit.voice.findings import (
    Edit,
    Finding,
    Level,
    findings_json,
    findings_text,
    format_finding,
)
from toolkit.voice.generation import CheckedCopy, check_copy, check_title
from toolkit.voice.guide import Guide
from toolkit.voice.loader import load_guide

__all__ = [
    "CheckedCopy",
    "Edit",
    "FileResult",
    "Finding",
    "Fixed",
    "Guide",
    "Level",
    "LintReport",
    "apply_fixes",
    "check_copy",
    "check_title",
    "findings_json",
    "findings_text",
    "fix_text",
    "format_finding",
    "lint_paths",
    "lint_text",
    "load_guide",
]

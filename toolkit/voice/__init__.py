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

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from toolkit.voice.batch import FileResult, LintReport, lint_paths
    from toolkit.voice.engine import Fixed, apply_fixes, fix_text, lint_text
    from toolkit.voice.findings import (
        ColumnUnit,
        Edit,
        Finding,
        Level,
        finding_record,
        findings_json,
        findings_text,
        format_finding,
    )
    from toolkit.voice.formats import github_annotations, rdjson_report, render_findings, sarif_log
    from toolkit.voice.generation import CheckedCopy, check_copy, check_title
    from toolkit.voice.guide import Guide
    from toolkit.voice.loader import load_guide

# Each name's module, imported on first use: a module that needs one part of the voice
# (the drafts' suppression model, a card worker's import of it) does not load the linter.
_HOMES = {
    "batch": ("FileResult", "LintReport", "lint_paths"),
    "engine": ("Fixed", "apply_fixes", "fix_text", "lint_text"),
    "findings": ("ColumnUnit", "Edit", "Finding", "Level", "finding_record", "findings_json",
                 "findings_text", "format_finding"),
    "formats": ("github_annotations", "rdjson_report", "render_findings", "sarif_log"),
    "generation": ("CheckedCopy", "check_copy", "check_title"),
    "guide": ("Guide",),
    "loader": ("load_guide",),
}  # fmt: skip
_HOME = {name: module for module, names in _HOMES.items() for name in names}

__all__ = [
    "CheckedCopy",
    "ColumnUnit",
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
    "finding_record",
    "findings_json",
    "findings_text",
    "fix_text",
    "format_finding",
    "github_annotations",
    "lint_paths",
    "lint_text",
    "load_guide",
    "rdjson_report",
    "render_findings",
    "sarif_log",
]


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'toolkit.voice' has no attribute {name!r}")
    value = getattr(import_module(f"toolkit.voice.{module}"), name)
    globals()[name] = value
    return value

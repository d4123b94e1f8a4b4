"""Findings for the tools writers and reviewers already use: CI annotations, code scanning.

Each formatter is a pure function from findings (and the texts they point
into, for columns other than code points) to text. Every position comes from
:func:`~toolkit.voice.findings.finding_record`, so all formats agree.

* ``github``: GitHub Actions workflow commands (``::warning file=...::message``),
  shown as annotations on the pull request.
* ``sarif``: SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
* ``rdjson``: reviewdog's Diagnostic Format; its columns are UTF-8 bytes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, cast

from toolkit.voice.findings import ColumnUnit, Finding, finding_record, findings_json

if TYPE_CHECKING:
    from toolkit.voice.batch import LintReport

Format = Literal["text", "json", "github", "sarif", "rdjson"]

TOOL_NAME = "toolkit lint"

# The column unit each format means when the user does not choose one.
DEFAULT_COLUMNS: dict[str, ColumnUnit] = {
    "text": "codepoint",
    "json": "codepoint",
    "github": "codepoint",
    "sarif": "codepoint",
    "rdjson": "byte",
}
_SARIF_COLUMN_KIND = {"codepoint": "unicodeCodePoints", "utf16": "utf16CodeUnits"}
_GITHUB_LEVEL = {"error": "error", "warning": "warning", "suggestion": "notice"}
_SARIF_LEVEL = {"error": "error", "warning": "warning", "suggestion": "note"}
_RDJSON_SEVERITY = {"error": "ERROR", "warning": "WARNING", "suggestion": "INFO"}


def _records(
    findings: Sequence[Finding], columns: ColumnUnit, sources: Mapping[str, str]
) -> list[dict[str, Any]]:
    return [finding_record(f, columns=columns, source=sources.get(f.path or "")) for f in findings]


def _file_of(path: str | None) -> str:
    """The file a label names (``out.json#x-1`` is a variant inside ``out.json``)."""
    return (path or "<stdin>").split("#", 1)[0]


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotations(
    findings: Sequence[Finding],
    *,
    columns: ColumnUnit = "codepoint",
    sources: Mapping[str, str] | None = None,
) -> str:
    """One ``::level file=,line=,col=,endLine=,endColumn=,title=::message`` line per finding."""
    lines = []
    for r in _records(findings, columns, sources or {}):
        props = ",".join(
            f"{key}={_escape_property(str(value))}"
            for key, value in (
                ("file", _file_of(r["path"])),
                ("line", r["line"]),
                ("col", r["column"]),
                ("endLine", r["end_line"]),
                ("endColumn", r["end_column"]),
                ("title", r["rule"]),
            )
        )
        message = r["message"] + (f" ({r['suggestion']})" if r["suggestion"] else "")
        lines.append(f"::{_GITHUB_LEVEL[r['level']]} {props}::{_escape_data(message)}")
    return "".join(line + "\n" for line in lines)


def sarif_log(
    findings: Sequence[Finding],
    *,
    columns: ColumnUnit = "codepoint",
    sources: Mapping[str, str] | None = None,
    rules: Mapping[str, str] | None = None,
) -> str:
    """A SARIF 2.1.0 log with one run; ``rules`` maps rule ids to their descriptions."""
    if columns not in _SARIF_COLUMN_KIND:
        raise ValueError("SARIF counts columns in code points or UTF-16 code units")
    described = dict(rules or {})
    results = []
    for r in _records(findings, columns, sources or {}):
        described.setdefault(r["rule"], r["rule"])
        message = r["message"] + (f" ({r['suggestion']})" if r["suggestion"] else "")
        results.append(
            {
                "ruleId": r["rule"],
                "level": _SARIF_LEVEL[r["level"]],
                "message": {"text": message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": _file_of(r["path"])},
                            "region": {
                                "startLine": r["line"],
                                "startColumn": r["column"],
                                "endLine": r["end_line"],
                                "endColumn": r["end_column"],
                            },
                        }
                    }
                ],
            }
        )
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "rules": [
                            {"id": rule_id, "shortDescription": {"text": text}}
                            for rule_id, text in sorted(described.items())
                        ],
                    }
                },
                "columnKind": _SARIF_COLUMN_KIND[columns],
                "results": results,
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def rdjson_report(
    findings: Sequence[Finding],
    *,
    columns: ColumnUnit = "byte",
    sources: Mapping[str, str] | None = None,
) -> str:
    """reviewdog's Diagnostic Format (rdjson); reviewdog expects ``columns="byte"``."""
    diagnostics = [
        {
            "message": r["message"] + (f" ({r['suggestion']})" if r["suggestion"] else ""),
            "location": {
                "path": _file_of(r["path"]),
                "range": {
                    "start": {"line": r["line"], "column": r["column"]},
                    "end": {"line": r["end_line"], "column": r["end_column"]},
                },
            },
            "severity": _RDJSON_SEVERITY[r["level"]],
            "code": {"value": r["rule"]},
        }
        for r in _records(findings, columns, sources or {})
    ]
    report = {"source": {"name": TOOL_NAME}, "diagnostics": diagnostics}
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


def render_findings(report: LintReport, output_format: str, *, columns: str | None = None) -> str:
    """``report``'s findings in a machine format: json, github, sarif or rdjson."""
    unit = cast("ColumnUnit", columns or DEFAULT_COLUMNS[output_format])
    findings, sources = report.findings, report.sources
    if output_format == "json":
        return findings_json(findings, columns=unit, sources=sources)
    if output_format == "github":
        return github_annotations(findings, columns=unit, sources=sources)
    if output_format == "sarif":
        return sarif_log(findings, columns=unit, sources=sources)
    if output_format == "rdjson":
        return rdjson_report(findings, columns=unit, sources=sources)
    raise ValueError(f"unknown format {output_format!r}")

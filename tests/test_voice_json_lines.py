"""The JSON output's lines written directly are those of json's encoder, byte for byte."""

from __future__ import annotations

import json

from toolkit.voice.findings import Finding, finding_record, findings_json, new_edit


def _slow(findings: list[Finding]) -> str:
    encode = json.JSONEncoder(ensure_ascii=False).encode
    lines = [encode(finding_record(f)) for f in findings]
    return "[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n"


def test_lines_match_the_encoder() -> None:
    edit = new_edit(0, 3, "Foo")
    odd = 'quote " back \\ tab \t nl \n ctl \x01 \u2028 é 東京 😀 \ud800'
    findings = [
        Finding("term.names", "error", "Write 'LinkedIn'.", 0, 8, 1, 1, 1, 9),
        Finding("a.b", "warning", odd, 3, 4, 2, 5, 3, 1, odd, (edit,), "x.json#p-1", True),
        Finding("a.b", "warning", odd, 3, 4, 2, 5, 3, 1, None, (edit,), None, False),
        Finding("c", "suggestion", "", 0, 0, 10**6, 1, 10**6, 1, "", (), "ö/ü.md", False),
        Finding("c", "suggestion", "", 0, 0, 1, 1, 1, 1, None, (edit, edit), "ö/ü.md", True),
    ]
    assert findings_json(findings) == _slow(findings)
    assert findings_json(findings * 3) == _slow(findings * 3)
    assert findings_json([]) == _slow([]) == "[]\n"
    json.loads(findings_json(findings))  # still JSON

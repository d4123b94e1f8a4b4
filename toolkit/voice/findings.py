"""Findings are data: frozen values with a rule id, a level, a place and an optional fix.

Formatters are pure functions from findings to text; the CLI only prints them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any, Literal

Level = Literal["suggestion", "warning", "error"]
LEVELS: tuple[Level, ...] = ("suggestion", "warning", "error")

# How a column is counted: code points (Python, SARIF's default), UTF-16 code
# units (VS Code, LSP, JavaScript), or UTF-8 bytes (reviewdog, Go tools).
ColumnUnit = Literal["codepoint", "utf16", "byte"]


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
    all together or not at all; empty when the rule only reports. A fix that
    is not ``certain`` (a suggestion-level rule, a guess, or one that would
    touch a link, mention, hashtag or code) is shown by ``--diff`` and never
    applied by ``--fix``.
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
    certain: bool = True

    @property
    def fixable(self) -> bool:
        """``--fix`` applies this finding's edits."""
        return bool(self.edits) and self.certain

    def at(self, path: str | None) -> Finding:
        """This finding, in the file ``path`` (thousands a run: faster than ``replace``)."""
        if path == self.path:
            return self
        return new_finding(
            self.rule,
            self.level,
            self.message,
            self.start,
            self.end,
            self.line,
            self.column,
            self.end_line,
            self.end_column,
            self.suggestion,
            self.edits,
            path,
            self.certain,
        )


# Findings, their edits and the hits they come from are made by the thousand: a frozen
# dataclass's ``__init__`` pays one ``object.__setattr__`` per field, 4× the cost of
# filling the same slots on a plain object, which then becomes the frozen class (the
# layouts match, so Python allows it). tests/test_voice_make.py holds them equal.


class _NewEdit:
    __slots__ = Edit.__slots__

    def __init__(self, start: int, end: int, replacement: str) -> None:
        self.start = start
        self.end = end
        self.replacement = replacement
        self.__class__ = Edit  # type: ignore[assignment]


class _NewFinding:
    __slots__ = Finding.__slots__

    def __init__(
        self,
        rule: str,
        level: Level,
        message: str,
        start: int,
        end: int,
        line: int,
        column: int,
        end_line: int,
        end_column: int,
        suggestion: str | None,
        edits: tuple[Edit, ...],
        path: str | None,
        certain: bool,
    ) -> None:
        self.rule = rule
        self.level = level
        self.message = message
        self.start = start
        self.end = end
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column
        self.suggestion = suggestion
        self.edits = edits
        self.path = path
        self.certain = certain
        self.__class__ = Finding  # type: ignore[assignment]


if TYPE_CHECKING:

    def new_edit(start: int, end: int, replacement: str) -> Edit:
        """``Edit(start, end, replacement)``, made faster."""

    def new_finding(
        rule: str,
        level: Level,
        message: str,
        start: int,
        end: int,
        line: int,
        column: int,
        end_line: int,
        end_column: int,
        suggestion: str | None,
        edits: tuple[Edit, ...],
        path: str | None,
        certain: bool,
    ) -> Finding:
        """``Finding(...)`` with every field given in order, made faster."""

else:
    # called directly: no Python call in between
    new_edit = _NewEdit
    new_finding = _NewFinding


def finding_record(
    finding: Finding, *, columns: ColumnUnit = "codepoint", source: str | None = None
) -> dict[str, Any]:
    """THE serialization of a finding: the one dict shape every JSON output uses.

    Keys: ``path``, ``line``, ``column``, ``end_line``, ``end_column`` (1-based),
    ``column_unit`` (``columns``: "codepoint", "utf16" or "byte"), ``rule``,
    ``level``, ``message``, ``suggestion`` (or null), ``fixable`` (``--fix``
    applies it) and ``suggested_fix`` (only ``--diff`` shows it).

    Columns other than code points need ``source``: the text the finding's
    line numbers point into (the whole file, or a variant's text).
    """
    column, end_column = finding.column, finding.end_column
    if columns != "codepoint":
        if source is None:
            raise ValueError(f"{columns} columns need the finding's source text")
        lines = _lines(source)
        column = convert_column(_line(lines, finding.line), column, columns)
        end_column = convert_column(_line(lines, finding.end_line), end_column, columns)
    return {
        "path": finding.path,
        "line": finding.line,
        "column": column,
        "end_line": finding.end_line,
        "end_column": end_column,
        "column_unit": columns,
        "rule": finding.rule,
        "level": finding.level,
        "message": finding.message,
        "suggestion": finding.suggestion,
        "fixable": finding.fixable,
        "suggested_fix": bool(finding.edits) and not finding.certain,
    }


def convert_column(line: str, column: int, unit: ColumnUnit) -> int:
    """A 1-based code-point ``column`` of ``line`` counted in ``unit`` instead."""
    if unit == "codepoint":
        return column
    before = line[: column - 1]
    if unit == "utf16":
        return len(before.encode("utf-16-le", "surrogatepass")) // 2 + 1
    return len(before.encode("utf-8", "surrogatepass")) + 1


@lru_cache(maxsize=64)
def _lines(text: str) -> list[str]:
    return text.split("\n")


def _line(lines: list[str], number: int) -> str:
    return lines[number - 1] if 0 < number <= len(lines) else ""


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.level == "error" for f in findings)


def format_finding(finding: Finding, path: str | None = None, *, column: int | None = None) -> str:
    """``path:line:col: level rule-id: message (suggestion)`` (``column`` in another unit)."""
    where = path if path is not None else (finding.path or "<text>")
    col = finding.column if column is None else column
    text = f"{where}:{finding.line}:{col}: {finding.level} {finding.rule}: "
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
    columns: ColumnUnit = "codepoint",
    sources: Mapping[str, str] | None = None,
) -> str:
    """One line per finding, then the summary line."""
    if columns == "codepoint":
        lines = [format_finding(f) for f in findings]
    else:
        texts = sources or {}
        lines = [
            format_finding(
                f,
                column=finding_record(f, columns=columns, source=texts.get(f.path or ""))["column"],
            )
            for f in findings
        ]
    lines.append(
        summary_line(
            findings, files=files, fixed=fixed, suppressed=suppressed, fixed_label=fixed_label
        )
    )
    return "\n".join(lines) + "\n"


def findings_json(
    findings: Sequence[Finding],
    *,
    columns: ColumnUnit = "codepoint",
    sources: Mapping[str, str] | None = None,
) -> str:
    """A JSON list of :func:`finding_record`; ``sources`` maps each path to its text."""
    texts = sources or {}
    # One finding per line: readable, diffable, and written by json's C encoder
    # (``indent`` falls back to the pure-Python one, slow on thousands of findings).
    # One encoder for all (json.dumps with an option builds a new one per call).
    encode = json.JSONEncoder(ensure_ascii=False).encode
    if columns == "codepoint":
        # The same line, filled in: no dict per finding, and each string (paths, rules and
        # messages repeat across thousands of findings) encoded once.
        strings = _Encoded()
        lines = [
            _record_line(f, strings)
            if f.certain is True or f.certain is False
            else encode(finding_record(f))
            for f in findings
        ]
    else:
        lines = [
            encode(finding_record(f, columns=columns, source=texts.get(f.path or "")))
            for f in findings
        ]
    return "[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n"


class _Encoded(dict[str | None, str]):
    """Strings as JSONEncoder(ensure_ascii=False) writes them (json's own C function),
    each encoded once."""

    def __init__(self) -> None:
        super().__init__({None: "null"})

    def __missing__(self, text: str) -> str:
        found = self[text] = encode_basestring(text)
        return found


_JSON_BOOLS = {True: "true", False: "false"}
_RECORD_LINE = (
    '{"path": %s, "line": %d, "column": %d, "end_line": %d, "end_column": %d, '
    '"column_unit": "codepoint", "rule": %s, "level": %s, "message": %s, "suggestion": %s, '
    '"fixable": %s, "suggested_fix": %s}'
)


def _record_line(f: Finding, strings: _Encoded) -> str:
    """``encode(finding_record(f))`` in code points, written directly (byte for byte the
    same: ``tests/test_voice_json_lines.py``); ``strings`` remembers encoded strings."""
    edits = bool(f.edits)
    return _RECORD_LINE % (
        strings[f.path],
        f.line,
        f.column,
        f.end_line,
        f.end_column,
        strings[f.rule],
        strings[f.level],
        strings[f.message],
        strings[f.suggestion],
        _JSON_BOOLS[edits and f.certain],
        _JSON_BOOLS[edits and not f.certain],
    )

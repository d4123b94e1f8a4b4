"""YAML in, with every value's position kept for error messages.

PyYAML's safe loader builds plain data and forgets where it came from. We
compose the node graph ourselves so that a validation error on
``event.speakers[1].name`` can still say ``brief.yaml:14:13``. The walk also
refuses what the safe loader would quietly accept: duplicate keys (last-wins
hides mistakes), alias bombs and absurd nesting.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from toolkit.errors import InputError, Location

# Re-exported: the YAML files' callers read their text through this module.
from toolkit.files.text_files import MAX_BYTES as MAX_BYTES
from toolkit.files.text_files import read_text as read_text

PathKey = tuple[str | int, ...]

_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("null", "bool", "int", "float", "str", "timestamp", "seq", "map")
)

# libyaml's composer when PyYAML was built with it: same nodes and marks, ~10× faster.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_SURROGATE = re.compile("[\ud800-\udfff]")

MAX_NODES = 200_000
MAX_DEPTH = 64


@dataclass(frozen=True)
class Marks:
    """Where each value (and each mapping key) of a loaded document sits."""

    path: Path | None
    values: Mapping[PathKey, tuple[int, int]] = field(default_factory=dict)
    keys: Mapping[PathKey, tuple[int, int]] = field(default_factory=dict)

    def at(self, loc: PathKey, *, key: bool = False) -> Location:
        """The location of ``loc``, or of its closest ancestor that has one."""
        table = self.keys if key else self.values
        probe = tuple(loc)
        while probe:
            if probe in table:
                line, col = table[probe]
                return Location(self.path, line, col)
            if probe in self.values:
                line, col = self.values[probe]
                return Location(self.path, line, col)
            probe = probe[:-1]
        line, col = self.values.get((), (1, 1))
        return Location(self.path, line, col)


@dataclass(frozen=True)
class Document:
    data: Any
    marks: Marks


def _pos(mark: yaml.Mark | None) -> tuple[int, int]:
    if mark is None:
        return (1, 1)
    return (mark.line + 1, mark.column + 1)


class _Builder:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.values: dict[PathKey, tuple[int, int]] = {}
        self.keys: dict[PathKey, tuple[int, int]] = {}
        self.count = 0
        self.constructor = yaml.SafeLoader("")

    def fail(self, node: yaml.Node, message: str, hint: str | None = None) -> InputError:
        line, col = _pos(node.start_mark)
        return InputError(message, location=Location(self.path, line, col), hint=hint)

    def build(self, node: yaml.Node, loc: PathKey, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(
                node,
                f"document expands to more than {MAX_NODES:,} values",
                "aliases (*name) that repeat large anchors multiply the document; "
                "write the values out or drop the aliases",
            )
        if depth > MAX_DEPTH:
            raise self.fail(node, f"nesting deeper than {MAX_DEPTH} levels")
        self.values[loc] = _pos(node.start_mark)
        if node.tag not in _PLAIN_TAGS:
            raise self.fail(
                node,
                f"unsupported YAML tag '{node.tag}'",
                "only plain values, lists and mappings are allowed",
            )
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*loc, i), depth + 1) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, loc: PathKey, depth: int) -> dict[str, Any]:
        if any(k.tag == "tag:yaml.org,2002:merge" for k, _ in node.value):
            raise self.fail(node, "merge keys (<<) are not supported", "write the keys out")
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, "mapping keys must be plain words")
            key = self._scalar(key_node)
            if not isinstance(key, str):
                key = str(key_node.value)
            if key in out:
                first = self.keys[(*loc, key)]
                raise self.fail(
                    key_node,
                    f"duplicate key '{key}' (first defined at line {first[0]})",
                    "each key may appear once; remove or rename one of them",
                )
            self.keys[(*loc, key)] = _pos(key_node.start_mark)
            out[key] = self.build(value_node, (*loc, key), depth + 1)
        return out

    def _scalar(self, node: yaml.Node) -> Any:
        try:
            value = self.constructor.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            raise self.fail(node, f"invalid value: {exc}") from None
        if isinstance(value, str) and _SURROGATE.search(value):
            return self._join_surrogates(node, value)
        return value

    def _join_surrogates(self, node: yaml.Node, value: str) -> str:
        """JSON writes an emoji as two escapes (\\ud83d\\ude00): join them into one character."""
        try:
            return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
        except UnicodeDecodeError as exc:
            lone = value.encode("utf-16-le", "surrogatepass")[exc.start : exc.start + 2]
            code = int.from_bytes(lone, "little")
            raise self.fail(
                node,
                f"a lone surrogate \\u{code:04x} is not a character",
                "write the character itself, or one \\U0001F600-style escape for an emoji",
            ) from None


def _compose(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        if _LOADER is yaml.SafeLoader:
            raise
        problem = exc.problem if isinstance(exc, yaml.MarkedYAMLError) else None
        if problem is not None and "maximum nesting depth" in problem:
            # libyaml stops at its own depth bound at once; the reference parser would
            # recurse until Python's limit (~1.7 s of CPU) to say the same thing.
            raise RecursionError(problem) from None
    # libyaml is stricter than the YAML spec in places (it refuses the surrogate-pair
    # escapes JSON writes for emoji): let the reference parser decide, and word the error.
    return yaml.compose(text, Loader=yaml.SafeLoader)


def parse_yaml(text: str, path: Path | None = None) -> Document:
    """Parse one YAML document from text, keeping positions.

    The same text at the same path is parsed once per process (planning several weeks,
    or a test suite, reads the same manifests again and again); each caller gets its own
    copy of the data, so no caller sees another's changes.
    """
    if len(text) > _MAX_CACHED_CHARS:
        return _parse(text, path)
    parsed = _parsed(text, path)
    return Document(_own_copy(parsed.data), parsed.marks)


_MAX_CACHED_CHARS = 256 * 1024


@lru_cache(maxsize=256)
def _parsed(text: str, path: Path | None) -> Document:
    return _parse(text, path)  # an error is raised, never cached


def _own_copy(data: Any) -> Any:
    if isinstance(data, dict):
        return {key: _own_copy(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_own_copy(value) for value in data]
    return data  # str, int, float, bool, None, dates: immutable


def _parse(text: str, path: Path | None) -> Document:
    if "\t" in text:
        # YAML forbids tabs for indentation; PyYAML's message for it is cryptic.
        for number, row in enumerate(text.splitlines(), start=1):
            stripped = row.lstrip(" ")
            if stripped.startswith("\t"):
                raise InputError(
                    "tab used for indentation",
                    location=Location(path, number, len(row) - len(stripped) + 1),
                    hint="YAML indents with spaces only",
                )
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        problem = exc.problem or exc.context or "invalid YAML"
        mark = exc.problem_mark or exc.context_mark
        if exc.context and exc.context_mark is not None:
            start = _pos(exc.context_mark)
            problem += f" {exc.context} started at line {start[0]}, column {start[1]}"
            if "end of stream" in problem:
                # The end of the file is rarely where the mistake is.
                mark = exc.context_mark
        line, col = _pos(mark)
        raise InputError(
            f"YAML syntax error: {problem}",
            location=Location(path, line, col),
            hint="check indentation, colons and quotes near this position",
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(f"YAML error: {exc}", location=Location(path)) from None
    except RecursionError:
        line, col = _deepest_bracket(text)
        raise InputError(
            f"nesting deeper than {MAX_DEPTH} levels",
            location=Location(path, line, col),
            hint="flatten the structure; briefs and brands need a few levels at most",
        ) from None
    builder = _Builder(path)
    data = None if node is None else builder.build(node, (), 0)
    return Document(data, Marks(path, builder.values, builder.keys))


def _deepest_bracket(text: str) -> tuple[int, int]:
    """Where flow brackets first nest past MAX_DEPTH (quotes are not tracked: a hint only)."""
    depth = 0
    line, col = 1, 0
    for ch in text:
        col += 1
        if ch == "\n":
            line, col = line + 1, 0
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line, col
        elif ch in "]}":
            depth -= 1
    return 1, 1


def load_yaml(path: Path) -> Document:
    return parse_yaml(read_text(path), path)

"""YAML front matter at the top of a Markdown file: the one reader for drafts and lint.

A block opens with a line holding only ``---`` and closes with ``---`` (or
``...``). Line endings may be LF or CRLF (Windows editors, git autocrlf) and a
UTF-8 BOM is dropped by :func:`read_text`; positions are the file's own lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.errors import InputError, Location

if TYPE_CHECKING:
    from toolkit.files.yaml_reader import Marks

# The YAML modules are imported when a block is parsed or written: a file without
# front matter (a plain draft given to lint) is split without them.

_DELIMITERS = ("---",)
_CLOSERS = ("---", "...")


@dataclass(frozen=True)
class FrontMatterBlock:
    data: dict[str, Any]  # the mapping; {} when the file has no block
    marks: Marks  # positions of its keys and values, in the file's own lines
    prefix: str  # the block exactly as written, delimiters included; "" when none
    body: str  # everything after the block, exactly as written
    body_line: int  # the file line the body starts on (1-based)


def _bare(line: str) -> str:
    return line.rstrip("\r\n").rstrip()


def split_front_matter(text: str, path: Path | None) -> tuple[str, str, int]:
    """``(block, body, first line of the body)``; no block → ``("", text, 1)``."""
    lines = text.splitlines(keepends=True)
    if not lines or _bare(lines[0]) not in _DELIMITERS:
        return "", text, 1
    for index in range(1, len(lines)):
        if _bare(lines[index]) in _CLOSERS:
            prefix = "".join(lines[: index + 1])
            return prefix, text[len(prefix) :], index + 2
    raise InputError(
        "the front matter opened on line 1 is never closed",
        location=Location(path, 1, 1),
        hint="end it with a line holding only ---",
    )


def read_front_matter(text: str, path: Path | None) -> FrontMatterBlock:
    """The block parsed as YAML, with positions; a block that is not a mapping is an error."""
    from toolkit.files.yaml_reader import Marks, parse_yaml

    prefix, body, body_line = split_front_matter(text, path)
    if not prefix:
        return FrontMatterBlock({}, Marks(path, {}, {}), "", body, 1)
    inner = "".join(prefix.splitlines(keepends=True)[1:-1]).replace("\r\n", "\n")
    doc = parse_yaml("\n" + inner, path)  # the leading newline keeps the file's line numbers
    data: Any = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        raise InputError("the front matter must be a mapping of keys", location=doc.marks.at(()))
    return FrontMatterBlock(data, doc.marks, prefix, body, body_line)


def _has_astral(data: Any) -> bool:
    if isinstance(data, str):
        return not data.isascii() and max(data) > "\uffff"
    if isinstance(data, dict):
        return any(_has_astral(k) or _has_astral(v) for k, v in data.items())
    if isinstance(data, list):
        return any(_has_astral(v) for v in data)
    return False


def front_matter_block(data: dict[str, Any]) -> str:
    """``data`` as a front matter block (``---`` lines included), keys in their order.

    libyaml writes the same text as PyYAML's own emitter about five times faster,
    except that it escapes every character beyond the BMP (``\\U0001F469``) even
    with ``allow_unicode``: people edit these files, so a block holding emoji
    goes through the pure-Python emitter and keeps them as typed.
    """
    import yaml

    c_dumper = getattr(yaml, "CSafeDumper", None)
    dumper = yaml.SafeDumper if c_dumper is None or _has_astral(data) else c_dumper
    text = yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{text}---\n"

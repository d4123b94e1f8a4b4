"""Where a path built from data may lead: inside its folder, and nowhere else.

Names and paths come from files people edit: a card size in formats.yaml, an
image name in a platform manifest, an entry of ``.toolkit/manifest.json``, a
speaker's photo, a brand font, a translation catalog. Every such path is
decided here, by ``inside``, and by nothing else: the text must be a plain
relative name (no NUL or control character, no ``..``, not absolute, no
backslash, nothing a file system cannot store), and once links are followed
the file must still lie under its folder. ``name_problem`` is the text half,
for validating names where they are written (so the error names that line;
the model field types ``FileName`` and ``RelativeName`` in :mod:`toolkit.files.models`).
"""

from __future__ import annotations

import os
import stat
import unicodedata
from pathlib import Path

from toolkit.errors import InputError, Location

# Most file systems store at most 255 bytes in one name.
MAX_PART_BYTES = 255
MAX_PATH_CHARS = 1_000


def _text_problem(text: str) -> str | None:
    if not text.strip():
        return "is empty"
    if len(text) > MAX_PATH_CHARS:
        return f"is longer than {MAX_PATH_CHARS:,} characters"
    if text.isprintable():  # no "Other" character at all: no Cc, no Cs (the usual name)
        return None
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Cc":
            return f"contains the control character U+{ord(ch):04X}"
        if category == "Cs":
            return f"contains a lone surrogate U+{ord(ch):04X}, which no file name can hold"
    return None


def name_problem(relative: str) -> str | None:
    """Why ``relative`` cannot name a file below a folder (``None`` when it can).

    Only ``/`` separates parts; ``.`` and empty parts are ignored.
    """
    problem = _text_problem(relative)
    if problem is not None:
        return problem
    if "\\" in relative:
        return "contains a backslash; separate folders with '/'"
    if relative.startswith("/") or (len(relative) > 1 and relative[1] == ":"):
        return "is absolute; it must be relative to its folder"
    parts = [part for part in relative.split("/") if part not in ("", ".")]
    if not parts:
        return "names no file"
    if ".." in parts:
        return "goes up with '..', out of its folder"
    if any(len(part.encode("utf-8")) > MAX_PART_BYTES for part in parts):
        return f"has a part longer than {MAX_PART_BYTES} bytes, more than a file system stores"
    return None


def resolved(folder: Path) -> str:
    """``folder``'s own path with its links resolved: ``inside``'s ``real_root`` for many
    names below one folder."""
    return os.path.realpath(folder)


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _real_below(real_root: str, parts: list[str]) -> str:
    """``os.path.realpath`` of ``parts`` (plain names) below ``real_root`` (resolved):
    only the parts are looked at (the root's own path was walked once already), and a
    link among them is followed by ``realpath`` itself."""
    path = real_root
    for i, part in enumerate(parts):
        path = os.path.join(path, part)
        try:
            linked = stat.S_ISLNK(os.lstat(path).st_mode)
        except OSError:  # missing (or not a folder): the rest is taken as written, as by realpath
            return os.path.join(path, *parts[i + 1 :])
        if linked:
            return os.path.realpath(os.path.join(path, *parts[i + 1 :]))
    return path


def inside(
    root: Path,
    relative: str,
    *,
    what: str,
    location: Location | None = None,
    base: Path | None = None,
    hint: str | None = None,
    real_root: str | None = None,
) -> Path:
    """The path ``relative`` names under ``root``, refused unless it stays there.

    Without ``base``, ``relative`` is a name made of data (an output file, a
    manifest entry): it must be a plain relative name, and the path returned is
    ``root / relative``. With ``base``, it is a reference a person wrote
    relative to ``base`` (a photo beside the brief): ``..`` is allowed as long
    as the file found stays under ``root``, and the resolved path is returned.
    Either way a link that leads out of ``root`` is refused. ``real_root`` is
    ``os.path.realpath(root)`` when the caller resolved it already (once for many names).
    """
    problem = _text_problem(relative) if base is not None else name_problem(relative)
    if problem is not None:
        raise InputError(
            f"the {what} {relative[:200]!r} {problem}",
            location=location or Location(root),
            hint=hint or f"{what}s are plain names inside {root}",
        )
    real_root = real_root or os.path.realpath(root)
    if base is None:
        parts = [p for p in relative.split("/") if p not in ("", ".")]
        path = root.joinpath(*parts)
        real = _real_below(real_root, parts)
    else:
        path = base / relative
        real = os.path.realpath(path)
    where = location or Location(path)
    if not _within(real, real_root):
        lexical = os.path.abspath(path)  # normalised, links not followed
        linked = _within(lexical, os.path.abspath(root))
        raise InputError(
            f"the {what} '{relative}' is outside {root}"
            + (f" (it is a link to {real})" if linked else ""),
            location=where,
            hint=hint or f"keep {what}s inside {root}; links out of it are not followed",
        )
    return path if base is None else Path(real)

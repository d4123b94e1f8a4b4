"""A user's text file read as UTF-8 (a BOM is allowed), bounded, with a located error.

Apart from the YAML reader, which reads its files through it, so that reading
a draft without front matter imports no YAML parser.
"""

from __future__ import annotations

from pathlib import Path

from toolkit.errors import InputError, Location, closest

MAX_BYTES = 2_000_000


def read_text(path: Path, *, limit: int = MAX_BYTES) -> str:
    """Read a user file as UTF-8 (a BOM is allowed), with a clear error otherwise."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise missing_file(path) from None
    except IsADirectoryError:
        raise InputError("expected a file, found a folder", location=Location(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", location=Location(path)) from None
    if len(raw) > limit:
        raise InputError(
            f"file is {len(raw):,} bytes, more than the {limit:,} allowed",
            location=Location(path),
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise InputError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
            location=Location(path, line, col),
            hint="save the file as UTF-8",
        ) from None


def missing_file(path: Path) -> InputError:
    """The error for a file that is not there, with the closest file beside it as its hint
    (a typo in ``briefs/exampel.yaml``), or the folder that is missing too."""
    folder = path.parent
    try:
        files = sorted(entry for entry in folder.iterdir() if entry.is_file())
    except OSError:
        hint = "check the path" if folder.exists() else f"there is no folder '{folder}' either"
    else:
        # Stems, not paths or names: compared whole, any two paths in one folder look
        # alike, and any two names ending ".yaml". Of the files with the stem found, the
        # one with the same extension, else the first.
        stem = closest(path.stem, [entry.stem for entry in files])
        named = sorted((f for f in files if f.stem == stem), key=lambda f: f.suffix != path.suffix)
        hint = f"did you mean '{folder / named[0].name}'?" if named else "check the path"
    return InputError("file not found", location=Location(path), hint=hint)

"""Loads copy templates from the template folders and never from anywhere else.

A template name is a relative path with ``/`` between parts: ``..``, an
absolute path, a backslash or a NUL is refused, and so is a file that a
symlink leads outside the template folders. Files are read with a size cap,
only when they are regular files (a FIFO would block), and must be UTF-8.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Sequence
from pathlib import Path

import jinja2

from toolkit.sandbox.budget import MAX_TEMPLATE_CHARS

# UTF-8 takes at most four bytes a character.
MAX_TEMPLATE_BYTES = 4 * MAX_TEMPLATE_CHARS


class TemplatePathError(jinja2.exceptions.SecurityError):
    """A template name that leads outside the template folders (not a missing template)."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path  # the file in a template folder that was refused, if any


def template_parts(name: str) -> list[str]:
    """The path parts of a template name, refused when it could leave the template folders."""
    if not name or "\\" in name or "\0" in name:
        raise TemplatePathError(
            f"template name {name!r} is not a relative path with '/' between its parts"
        )
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise TemplatePathError(
            f"template name '{name}' is absolute; name templates relative to the "
            "template folders, e.g. '_shared/macros.j2'"
        )
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise TemplatePathError(
            f"template name '{name}' goes up with '..'; templates can only include "
            "templates inside the template folders"
        )
    if not parts:
        raise TemplatePathError(f"template name {name!r} names no file")
    return parts


class RootedLoader(jinja2.BaseLoader):
    """Templates from ``roots`` in order (brand, workspace, built-in), confined to them."""

    def __init__(self, roots: Sequence[Path]) -> None:
        self.roots = tuple(Path(root) for root in roots)
        self._real_roots = tuple(Path(os.path.realpath(root)) for root in self.roots)

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        parts = template_parts(template)
        earlier: list[Path] = []  # where an override would win, should one appear later
        for root in self.roots:
            candidate = root.joinpath(*parts)
            if not os.path.lexists(candidate):
                earlier.append(candidate)
                continue
            real = Path(os.path.realpath(candidate))
            if not any(real.is_relative_to(allowed) for allowed in self._real_roots):
                raise TemplatePathError(
                    f"template '{template}' is a link to {real}, outside the template folders",
                    candidate,
                )
            return self._read(template, candidate, earlier)
        raise jinja2.TemplateNotFound(template)

    @staticmethod
    def _read(
        template: str, path: Path, earlier: list[Path]
    ) -> tuple[str, str, Callable[[], bool]]:
        try:
            with open(path, "rb", opener=_nonblocking) as fh:
                info = os.fstat(fh.fileno())
                if not stat.S_ISREG(info.st_mode):
                    raise TemplatePathError(f"template '{template}' is not a regular file", path)
                data = fh.read(MAX_TEMPLATE_BYTES + 1)
        except OSError as exc:
            raise TemplatePathError(
                f"template '{template}' cannot be read: {exc.strerror}", path
            ) from None
        filename = str(path)
        if len(data) > MAX_TEMPLATE_BYTES:
            raise jinja2.TemplateSyntaxError(
                f"template is larger than {MAX_TEMPLATE_BYTES:,} bytes", 1, template, filename
            )
        try:
            source = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise jinja2.TemplateSyntaxError(
                f"template is not UTF-8 text (byte {exc.start + 1})", line, template, filename
            ) from None
        stamp = (info.st_ino, info.st_mtime_ns, info.st_size)

        def uptodate() -> bool:
            try:
                now = os.stat(path)
            except OSError:
                return False
            same = (now.st_ino, now.st_mtime_ns, now.st_size) == stamp
            return same and not any(os.path.lexists(p) for p in earlier)

        return source, filename, uptodate


def _nonblocking(path: str, flags: int) -> int:
    # O_NONBLOCK: opening a FIFO must not wait for a writer; a regular file ignores it.
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))

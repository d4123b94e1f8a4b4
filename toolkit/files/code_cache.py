"""Python code that the standard library compiles at run time, compiled once per user.

Two things in every cold process compile Python source text, and the ``.pyc`` files
never see it: ``dataclasses`` writes each class's ``__init__``, ``__repr__``, ``__eq__``,
``__hash__``, ``__setattr__``... as source and ``exec``s it (some 120 classes on the
week's path, toolkit's, pydantic's and typer's: ~1 ms of CPU each), and
``typing.ForwardRef`` compiles every string annotation that pydantic or typer resolves
(~800 a week, ~85 ms). That is ~0.14 s of a cold ``toolkit week --no-cards``'s ~1 s.

``install`` puts a compile-once ``exec`` in ``dataclasses``' namespace and a
compile-once ``compile`` in ``typing``'s (module globals shadow the builtins there, and
nowhere else), backed by the code objects that earlier runs compiled, kept in the user
cache; ``save`` keeps the new ones. The code is the same as compiled afresh: the same
source, file name and mode, no inherited ``__future__`` flags (neither module has any),
and the cache file is keyed by the interpreter's bytecode version (its magic number, as
for ``.pyc`` files). A missing, damaged or unwritable cache only costs the compiling.

Only the command line's entry point installs it (as it alone tunes the collector): the
library leaves the standard library as it is.
"""

import builtins
import dataclasses
import marshal
import sys
import typing
from importlib.util import MAGIC_NUMBER
from types import CodeType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

# (mode, file name, source) → its code
Key = tuple[str, str, str]
# Entries kept past this many start over from the ones the saving process used: a week
# with cards uses about 1,050 (its process ~800, the card workers' imports ~250), and
# loading costs ~7 µs an entry, so code no longer in use (an upgrade's, a changed class's)
# costs little and never much.
MAX_ENTRIES = 2500
KEEP_FILES = 4  # one file per interpreter version

_codes: dict[Key, CodeType] = {}
_used: set[Key] = set()
_new = False
_installed = False


def _compiled(source: str, filename: str, mode: str) -> CodeType:
    global _new
    key = (mode, filename, source)
    code = _codes.get(key)
    if code is None:
        # As the builtins compile it for dataclasses and typing: no futures of this module.
        code = _codes[key] = builtins.compile(source, filename, mode, 0, True)
        _new = True
    _used.add(key)
    return code


def _exec(source: Any, globals: Any = None, locals: Any = None, /, **kwargs: Any) -> None:
    """``exec`` as ``dataclasses`` calls it, with a string's code compiled once."""
    if isinstance(source, str):
        source = _compiled(source, "<string>", "exec")
    builtins.exec(source, globals, locals, **kwargs)


def _compile(source: Any, filename: Any, mode: Any, *args: Any, **kwargs: Any) -> Any:
    """``compile`` as ``typing.ForwardRef`` calls it, each annotation's code compiled once."""
    if args or kwargs or not (type(source) is str and type(filename) is str):
        return builtins.compile(source, filename, mode, *args, **kwargs)
    return _compiled(source, filename, mode)


def cache_file() -> "Path":
    from toolkit.files.user_cache import cache_root

    tag = sys.implementation.cache_tag or sys.implementation.name
    return cache_root() / "code" / f"{tag}-{MAGIC_NUMBER.hex()}.marshal"


def _load() -> dict[Key, CodeType]:
    from toolkit.files.user_cache import read_entry

    blob = read_entry(cache_file())
    if blob is None:
        return {}
    try:
        kept = marshal.loads(blob)
    except (EOFError, ValueError, TypeError):
        return {}
    if not isinstance(kept, dict):
        return {}
    return {
        k: v
        for k, v in kept.items()
        if type(k) is tuple
        and len(k) == 3
        and all(type(p) is str for p in k)
        and type(v) is CodeType
    }


def install() -> None:
    """Compile ``dataclasses``' and ``typing``'s source text once per user (see above)."""
    global _installed
    if _installed:
        return
    _codes.update(_load())
    dataclasses.exec = _exec  # type: ignore[attr-defined]
    typing.compile = _compile  # type: ignore[attr-defined]
    _installed = True


def save() -> None:
    """Keep the code compiled since ``install`` (or the last ``save``) with what other
    processes kept meanwhile; too many, only what this process used."""
    global _new
    if not _new:
        return
    from toolkit.files.user_cache import write_entry

    merged = {**_load(), **_codes}
    if len(merged) > MAX_ENTRIES:
        merged = {k: _codes[k] for k in _used}
    write_entry(cache_file(), marshal.dumps(merged), keep=KEEP_FILES)
    _new = False

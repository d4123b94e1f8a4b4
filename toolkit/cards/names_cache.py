"""Which names a template reads from its context, kept between runs, in the user cache.

A card whose fields say ``m.`` gets the copy's macros as a module, made once for every
card whose context gives those names the same values (``context._macros``): finding
the names parses the macros' source and walks its tree, ~100 ms of CPU in the first
card worker of every week, before the other workers can fork from it. The answer
depends only on the source, how the environment lexes and parses it (its delimiters,
whitespace options and extensions), Jinja's version and toolkit's code: an entry is
keyed by all of them, so an edited macros file or an upgrade is a new key, never a
stale hit. A missing, damaged (its digest fails) or unwritable entry costs only the
parse (``user_cache.read_entry``, ``write_entry``).

A layout's fields are analysed the same way (``field_cache``: the names each field
reads, and when it splits into parts, each part's compiled code, names and whether it
only prints one), some 25 ms of CPU for the demo's layouts in the first card worker of
every week, before it draws. Those answers also depend on the environment's filters
and tests (which of them read the context) and on the interpreter (the parts' code is
marshalled): they are kept together, one table per environment's signature
(``FieldTable``), read once per process and saved by the week's worker set-up once it
has analysed its layouts (``keep_fields``).
"""

from __future__ import annotations

import hashlib
import json
import marshal
from functools import lru_cache
from importlib.util import MAGIC_NUMBER
from pathlib import Path
from types import CodeType
from typing import TYPE_CHECKING, Any

from toolkit.files.user_cache import cache_root, code_stamp, package_part, read_entry, write_entry

if TYPE_CHECKING:
    import jinja2

FORMAT = 1  # bump when an entry's shape changes
FOLDER = "names"
KEEP = 64  # entries kept: a few workspaces' macros and their edits (each a few hundred bytes)
# Fields in one table: a few brands' layouts and their edits (each field ~1 kB with its
# parts' code). Past this, a table is saved with only the fields its process used.
MAX_FIELDS = 2048

# A field's analysis: the names it reads (None: never kept), and its parts (None: one
# part), each as its compiled code, the names it reads and whether it only prints one.
Part = tuple[CodeType, tuple[str, ...], bool]
Analysis = tuple[tuple[str, ...] | None, tuple[Part, ...] | None]


def _syntax(env: jinja2.Environment) -> tuple[object, ...]:
    """How ``env`` lexes and parses a source."""
    return (
        env.block_start_string, env.block_end_string, env.variable_start_string,
        env.variable_end_string, env.comment_start_string, env.comment_end_string,
        env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks,
        env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline,
        sorted(env.extensions),
    )  # fmt: skip


def key_of(env: jinja2.Environment, source: str) -> str:
    """The entry's name for ``source`` as ``env`` parses it."""
    parts = (FORMAT, code_stamp("cards", "sandbox"), package_part("jinja2"), _syntax(env))
    digest = hashlib.sha256(repr(parts).encode())
    digest.update(source.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _file(key: str) -> Path:
    return cache_root() / FOLDER / f"{key[:40]}.names"


def load(key: str) -> tuple[str, ...] | None:
    """The names kept under ``key``, or None (absent, damaged, or another key's)."""
    body = read_entry(_file(key))
    if body is None:
        return None
    try:
        stored, names = json.loads(body)
    except (ValueError, TypeError):
        return None
    if stored != key or not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        return None
    return tuple(names)


def keep(key: str, names: tuple[str, ...]) -> None:
    """Keep the names just found (silently not, when the cache cannot be written)."""
    write_entry(_file(key), json.dumps([key, list(names)]).encode(), KEEP)


class FieldTable:
    """The fields analysed by one environment's signature, as kept in the user cache (read
    when first asked) and as analysed since (saved by ``keep_fields``)."""

    def __init__(self, signature: str) -> None:
        self.signature = signature
        self.path = cache_root() / FOLDER / f"{signature[:40]}.fields"
        self.known: dict[str, Analysis] | None = None  # read when first asked
        self.used: set[str] = set()
        self.fresh = False  # analysed here and not kept yet

    def _table(self) -> dict[str, Analysis]:
        if self.known is None:
            self.known = _read_table(self.path, self.signature)
        return self.known

    def get(self, text: str) -> Analysis | None:
        found = self._table().get(text)
        if found is not None:
            self.used.add(text)
        return found

    def put(self, text: str, analysis: Analysis) -> None:
        self._table()[text] = analysis
        self.used.add(text)
        self.fresh = True

    def save(self) -> None:
        """Keep what was analysed here (silently not, when the cache cannot be written)."""
        if not self.fresh or self.known is None:
            return
        known = self.known
        if len(known) > MAX_FIELDS:
            known = {text: known[text] for text in self.used}
        self.fresh = False
        try:
            body = marshal.dumps((self.signature, known))
        except ValueError:  # a constant marshal cannot write: kept for this process only
            return
        write_entry(self.path, body, KEEP)


_TABLES: dict[str, FieldTable] = {}


@lru_cache(maxsize=8)
def field_table(env: jinja2.Environment) -> FieldTable | None:
    """The table of ``env``'s field analyses; None when its compiled code may differ
    from another environment's of the same settings (autoescaping chosen by a function)."""
    if not isinstance(env.autoescape, bool):
        return None
    signature = _signature(env)
    table = _TABLES.get(signature)
    if table is None:
        table = _TABLES[signature] = FieldTable(signature)
    return table


def keep_fields() -> None:
    """Save every table with fields analysed in this process."""
    for table in _TABLES.values():
        table.save()


def _signature(env: jinja2.Environment) -> str:
    """What a field's analysis depends on besides its text: how ``env`` parses it, which
    of its filters and tests read the context, what its code generator writes (toolkit's
    sandbox and Jinja), and the interpreter the code is compiled for."""

    def reads_context(known: dict[str, Any]) -> list[tuple[str, bool]]:
        return sorted(
            (name, getattr(f, "jinja_pass_arg", None) is not None) for name, f in known.items()
        )

    parts = (
        FORMAT, MAGIC_NUMBER, code_stamp("cards", "sandbox"), package_part("jinja2"),
        _syntax(env), f"{type(env).__module__}.{type(env).__qualname__}", env.autoescape,
        env.optimized, env.is_async, env.finalize is not None,
        reads_context(env.filters), reads_context(env.tests),
    )  # fmt: skip
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _read_table(path: Path, signature: str) -> dict[str, Analysis]:
    """The analyses kept at ``path`` for ``signature``; none when absent, damaged (its
    digest fails) or of another shape."""
    body = read_entry(path)
    if body is None:
        return {}
    try:
        stored, known = marshal.loads(body)  # the user's own cache, digest-checked
    except (ValueError, TypeError, EOFError):
        return {}
    if stored != signature or not isinstance(known, dict):
        return {}
    if not all(isinstance(text, str) and _is_analysis(found) for text, found in known.items()):
        return {}
    return known


def _names(value: object) -> bool:
    return isinstance(value, tuple) and all(isinstance(name, str) for name in value)


def _is_analysis(value: object) -> bool:
    if not (isinstance(value, tuple) and len(value) == 2):
        return False
    names, parts = value
    if names is not None and not _names(names):
        return False
    if parts is None:
        return True
    return isinstance(parts, tuple) and all(
        isinstance(part, tuple)
        and len(part) == 3
        and isinstance(part[0], CodeType)
        and _names(part[1])
        and isinstance(part[2], bool)
        for part in parts
    )

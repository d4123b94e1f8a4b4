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
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.files.user_cache import cache_root, code_stamp, package_part, read_entry, write_entry

if TYPE_CHECKING:
    import jinja2

FORMAT = 1  # bump when an entry's shape changes
FOLDER = "names"
KEEP = 64  # entries kept: a few workspaces' macros and their edits (each a few hundred bytes)


def key_of(env: jinja2.Environment, source: str) -> str:
    """The entry's name for ``source`` as ``env`` parses it."""
    syntax = (
        env.block_start_string, env.block_end_string, env.variable_start_string,
        env.variable_end_string, env.comment_start_string, env.comment_end_string,
        env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks,
        env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline,
        sorted(env.extensions),
    )  # fmt: skip
    parts = (FORMAT, code_stamp("cards", "sandbox"), package_part("jinja2"), syntax)
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

"""Babel's data for a locale, kept merged between runs in the user cache.

Babel reads a locale's data by unpickling its file and every file it inherits
from (``en_US`` ← ``en`` ← ``root``) and merging them dictionary by dictionary:
about 22 ms of CPU for ``en_US`` in every cold process that formats a date (the
week's copy, and its first card worker), of which unpickling the merged result
is 6 ms. ``warm`` puts the merged data where Babel's own ``load`` looks first
(its per-process cache), from the user cache when it holds it.

An entry is keyed by the locale's name and Babel's installation (an upgrade
rewrites its ``__init__``, see ``package_part``): an upgrade is a new key,
never a stale hit. A missing, damaged (its digest fails) or unwritable entry
costs only Babel's own loading. Where Babel keeps its cache is Babel's private
detail: if it moves, ``warm`` does nothing and Babel loads as before.
"""

from __future__ import annotations

import hashlib
import pickle
from functools import cache
from pathlib import Path
from typing import Any

from toolkit.files.user_cache import cache_root, package_part, read_entry, write_entry

FORMAT = 1  # bump when an entry's shape changes
FOLDER = "locales"
KEEP = 32  # entries kept: the few locales a user's briefs are written in


def _key(name: str) -> str:
    digest = hashlib.sha256()
    for part in (FORMAT, package_part("babel"), pickle.HIGHEST_PROTOCOL, name):
        text = repr(part).encode()
        digest.update(len(text).to_bytes(8, "big"))
        digest.update(text)
    return digest.hexdigest()


def _file(key: str) -> Path:
    return cache_root() / FOLDER / f"{key[:40]}.locale"


def _kept(key: str) -> dict[str, Any] | None:
    body = read_entry(_file(key))
    if body is None:
        return None
    try:
        stored_key, data = pickle.loads(body)  # the user's own cache, digest-checked
    except Exception:  # an entry of another shape: Babel loads it again
        return None
    return data if stored_key == key and isinstance(data, dict) and data else None


@cache  # once per locale and process: Babel keeps it from then on
def warm(name: str) -> None:
    """Make Babel's data for the locale ``name`` (``en_US``) ready, from the user cache
    when it is there (else Babel loads it, and it is kept for the next run)."""
    from babel import Locale, UnknownLocaleError, localedata

    kept_by_babel = getattr(localedata, "_cache", None)
    lock = getattr(localedata, "_cache_lock", None)
    if not isinstance(kept_by_babel, dict) or lock is None:
        return
    try:
        # The data Babel will read for it (``zh_TW`` reads ``zh_Hant_TW``).
        name = str(Locale.parse(name))
        if name in kept_by_babel or not localedata.exists(name):
            return  # loaded already, or Babel says what is wrong when it is used
    except (TypeError, ValueError, UnknownLocaleError):
        return
    key = _key(name)
    data = _kept(key)
    if data is not None:
        with lock:
            kept_by_babel.setdefault(name, data)
        return
    try:
        data = localedata.load(name)
    except (OSError, ValueError):
        return
    write_entry(_file(key), pickle.dumps((key, data), protocol=pickle.HIGHEST_PROTOCOL), KEEP)

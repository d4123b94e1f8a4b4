"""Platform ids, names and aliases: what a user may type for a platform, in any case.

A platform is the folder of a ``platform.yaml`` under a template root; its
manifest may list ``aliases``. Kept apart from the manifest models
(:mod:`toolkit.campaign.platforms`) so that resolving a name imports no pydantic.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from toolkit.errors import Location, NotFoundError, did_you_mean


def platform_ids(roots: tuple[Path, ...]) -> list[str]:
    """Every platform id under the template roots (a folder with a platform.yaml)."""
    ids: set[str] = set()
    for root in roots:
        ids.update(p.parent.name for p in root.glob("*/platform.yaml"))
    return sorted(ids)


def platform_names(roots: tuple[Path, ...]) -> dict[str, str]:
    """Every name a user may type, case-folded, mapped to its platform id."""
    names: dict[str, str] = {}
    for platform_id in platform_ids(roots):
        manifest = next(
            (root / platform_id / "platform.yaml" for root in roots
             if (root / platform_id / "platform.yaml").is_file()),
        )  # fmt: skip
        for alias in _aliases(manifest, manifest.stat().st_mtime_ns):
            names.setdefault(alias.strip().casefold(), platform_id)
    # An id always wins over another platform's alias.
    names.update({platform_id.casefold(): platform_id for platform_id in platform_ids(roots)})
    return names


@lru_cache(maxsize=128)
def _aliases(manifest: Path, mtime: int) -> tuple[str, ...]:
    """The manifest's aliases; a manifest that does not parse has none (loading it says why)."""
    import yaml

    from toolkit.files.text_files import read_text

    del mtime  # part of the cache key: an edited manifest is read again
    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(read_text(manifest), Loader=loader)
    except Exception:
        return ()
    aliases = data.get("aliases") if isinstance(data, dict) else None
    if not isinstance(aliases, list):
        return ()
    return tuple(a for a in aliases if isinstance(a, str))


def resolve_platform(
    name: str, names: Mapping[str, str], *, location: Location | None = None, what: str = ""
) -> str:
    """The platform id ``name`` stands for (id or alias, any case), or a did-you-mean error.

    ``what`` prefixes the message with where the name was read, e.g. ``cadence: ``.
    """
    found = names.get(name.strip().casefold())
    if found is not None:
        return found
    close = difflib.get_close_matches(name.strip().casefold(), list(names), n=1, cutoff=0.6)
    ids = sorted(set(names.values()))
    if close:
        found = names[close[0]]
        alias = f" ({close[0]})" if close[0] != found.casefold() else ""
        hint: str | None = f"did you mean '{found}'{alias}?"
    else:
        hint = did_you_mean(name, ids)
    raise NotFoundError(f"{what}unknown platform '{name}'", location=location, hint=hint)

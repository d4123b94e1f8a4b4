"""Fixed words in templates, translated with gettext catalogs.

Catalogs are plain ``.po`` files (``templates/locale/<lang>/LC_MESSAGES/
messages.po``), the format every translator and translation platform reads.
We parse them with Babel at run time, so there is no compile step to forget.
Lookups fall back along the chain fr-CA → fr → English (the msgid).
"""

from __future__ import annotations

import gettext
import io
import itertools
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import Translations

from toolkit.errors import InputError, Location

DOMAIN = "messages"


def locale_chain(locale: str) -> list[str]:
    """``fr-CA`` → ``["fr_CA", "fr"]``; English needs no catalog but may have one."""
    loc = Locale.parse(locale.replace("-", "_"))
    chain = []
    if loc.territory:
        chain.append(f"{loc.language}_{loc.territory}")
    chain.append(loc.language)
    return chain


@lru_cache(maxsize=64)
def _load_catalog(path: Path, mtime: float) -> Translations:
    try:
        with path.open("rb") as fh:
            catalog = read_po(fh, abort_invalid=True)
    except (PoFileError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(
            f"cannot read translation catalog: {exc}",
            location=Location(path),
            hint="check the .po syntax with msgfmt --check",
        ) from None
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def translations(locale: str, roots: tuple[Path, ...]) -> gettext.NullTranslations:
    """Catalogs for ``locale`` from every template root, most specific first."""
    found: list[Translations] = []
    for code in locale_chain(locale):
        for root in roots:
            path = root / "locale" / code / "LC_MESSAGES" / f"{DOMAIN}.po"
            if path.is_file():
                found.append(_load_catalog(path, path.stat().st_mtime))
    head: gettext.NullTranslations = gettext.NullTranslations()
    if not found:
        return head
    # Translations objects are cached and shared: chain copies, not originals.
    chained = [_copy(t) for t in found]
    for earlier, later in itertools.pairwise(chained):
        earlier.add_fallback(later)
    return chained[0]


def _copy(source: Translations) -> Translations:
    clone = Translations(domain=DOMAIN)
    clone._catalog = source._catalog
    clone.plural = source.plural
    clone._info = source._info
    clone._charset = source._charset  # type: ignore[attr-defined]
    return clone

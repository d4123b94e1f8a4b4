"""Fixed words in templates, translated with gettext catalogs.

Catalogs are plain ``.po`` files (``templates/locale/<lang>/LC_MESSAGES/
messages.po``), the format every translator and translation platform reads.
We parse them with Babel at run time, so there is no compile step to forget.
Lookups fall back along the chain fr-CA → fr → English (the msgid).

A catalog is a file translators edit, so it is checked before use: it must
lie in its template folder (a link out is refused), its ``Plural-Forms``
must be a small, well-formed C expression (Python's gettext compiles it and
runs no code), and every msgstr must fill with the msgid's own ``%(name)s``
placeholders; each error names the ``.po`` file and line.
"""

from __future__ import annotations

import gettext
import io
import itertools
import os
import re
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import Translations

from toolkit.errors import InputError, Location
from toolkit.files.paths import inside

DOMAIN = "messages"
# Languages need at most six plural forms (Arabic); babel allocates nplurals strings per message.
MAX_PLURALS = 6
_NPLURALS = re.compile(r"nplurals\s*=\s*([^;\\\"]*)")
_PLURAL = re.compile(r"\bplural\s*=\s*([^;\\\"]*)")
_PLACEHOLDER = re.compile(r"%\((\w+)\)")


def locale_chain(locale: str) -> list[str]:
    """``fr-CA`` → ``["fr_CA", "fr"]``; English needs no catalog but may have one."""
    loc = Locale.parse(locale.replace("-", "_"))
    chain = []
    if loc.territory:
        chain.append(f"{loc.language}_{loc.territory}")
    chain.append(loc.language)
    return chain


def _line(text: str, at: int) -> int:
    return text.count("\n", 0, at) + 1


def _check_plural_forms(path: Path, raw: bytes) -> None:
    """Bound ``nplurals`` and compile ``plural=`` before babel reads the catalog."""
    text = raw.decode("utf-8", "replace")
    hint = "e.g. Plural-Forms: nplurals=2; plural=(n > 1);"
    for match in _NPLURALS.finditer(text):
        value = match[1].strip()
        if not value.isdigit() or not 1 <= int(value) <= MAX_PLURALS:
            raise InputError(
                f"Plural-Forms: nplurals={value[:40]} is not a number from 1 to {MAX_PLURALS}",
                location=Location(path, _line(text, match.start()), None),
                hint=hint,
            )
    for match in _PLURAL.finditer(text):
        try:
            gettext.c2py(match[1].strip())
        except (ValueError, SyntaxError, RecursionError, MemoryError) as exc:
            raise InputError(
                f"Plural-Forms: plural={match[1].strip()[:80]} is not a valid expression ({exc})",
                location=Location(path, _line(text, match.start()), None),
                hint=hint + " (only n, numbers, comparisons, ?: and parentheses)",
            ) from None


def _msgstr_line(lines: list[str], message: Message, index: int | None) -> int | None:
    if not message.lineno:
        return None
    prefix = "msgstr" if index is None else f"msgstr[{index}]"
    for number in range(message.lineno, min(len(lines), message.lineno + 200) + 1):
        if lines[number - 1].lstrip().startswith(prefix):
            return number
    return message.lineno


def _check_placeholders(path: Path, raw: bytes, catalog: Catalog) -> None:
    """Every msgstr fills with its msgid's placeholders (templates format each one)."""
    lines = raw.decode("utf-8", "replace").splitlines()
    for message in catalog:
        if not message.id:
            continue
        ids = (message.id,) if isinstance(message.id, str) else tuple(message.id)
        names = {name for msgid in ids for name in _PLACEHOLDER.findall(msgid)}
        if len(ids) > 1:
            names.add("num")
        strings = (
            (message.string,) if isinstance(message.string, str) else tuple(message.string or ())
        )
        for index, string in enumerate(strings):
            if not string:
                continue
            try:
                string % dict.fromkeys(names, 0)
            except KeyError as exc:
                problem = f"uses %({exc.args[0]})s, which the msgid does not have"
            except (ValueError, TypeError) as exc:
                problem = f"is not a valid format ({exc})"
            else:
                continue
            where = _msgstr_line(lines, message, index if len(strings) > 1 else None)
            raise InputError(
                f"the translation of {str(ids[0])[:60]!r} {problem}",
                location=Location(path, where, 1 if where else None),
                hint="write a literal % as %%, and use only the msgid's placeholders: "
                + (", ".join(f"%({n})s" for n in sorted(names)) or "none"),
            )


@lru_cache(maxsize=64)
def _load_catalog(path: Path, mtime: float) -> Translations:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(
            f"cannot read translation catalog: {exc.strerror}", location=Location(path)
        ) from None
    _check_plural_forms(path, raw)
    try:
        catalog = read_po(io.BytesIO(raw), abort_invalid=True)
    except (PoFileError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(
            f"cannot read translation catalog: {exc}",
            location=Location(path),
            hint="check the .po syntax with msgfmt --check",
        ) from None
    _check_placeholders(path, raw, catalog)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    try:
        return Translations(buffer, domain=DOMAIN)
    except (ValueError, SyntaxError) as exc:
        raise InputError(
            f"the catalog's Plural-Forms header cannot be used: {exc}",
            location=Location(path),
            hint="e.g. Plural-Forms: nplurals=2; plural=(n > 1);",
        ) from None


def catalog_stamps(locale: str, roots: tuple[Path, ...]) -> tuple[tuple[str, int], ...]:
    """Which catalogs ``translations`` would read, and when each last changed."""
    stamps = []
    for path in _catalog_paths(locale, roots):
        try:
            stamps.append((path, os.stat(path).st_mtime_ns))
        except OSError:
            continue
    return tuple(stamps)


def _catalog_name(code: str) -> str:
    """A language's catalog, relative to a template root."""
    return f"locale/{code}/LC_MESSAGES/{DOMAIN}.po"


@lru_cache(maxsize=64)
def _catalog_paths(locale: str, roots: tuple[Path, ...]) -> tuple[str, ...]:
    """Where ``translations`` looks for catalogs, most specific first (asked on every
    card and post: the paths are built once, the files looked at each time)."""
    return tuple(str(root / _catalog_name(code)) for code in locale_chain(locale) for root in roots)


def translations(locale: str, roots: tuple[Path, ...]) -> gettext.NullTranslations:
    """Catalogs for ``locale`` from every template root, most specific first."""
    found: list[Translations] = []
    for code in locale_chain(locale):
        for root in roots:
            path = inside(root, _catalog_name(code), what="catalog")
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

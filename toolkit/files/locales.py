"""Locale codes: ``fr``, ``fr_FR`` or ``fr-FR`` in, the BCP 47 form ``fr-FR`` out.

Apart from the models (:mod:`toolkit.files.models`), which use it to validate
``LocaleCode`` fields, so that the linter reads a locale without pydantic.
Babel is imported when a locale is first read.
"""

from __future__ import annotations

from typing import Any

COMMON_LOCALES = ("en-US", "en-GB", "fr-FR", "fr-CA", "es-ES", "es-MX", "tr-TR", "ja-JP", "de-DE")


class LocaleError(ValueError):
    """Not a locale: ``template`` formatted with ``context`` is the message."""

    def __init__(self, template: str, context: dict[str, Any] | None = None) -> None:
        self.template = template
        self.context = context
        super().__init__(template.format(**context) if context else template)


def normalize_locale(value: str) -> str:
    """Accept ``fr``, ``fr_FR`` or ``fr-FR``; return the BCP 47 form ``fr-FR``."""
    if not isinstance(value, str) or not value.strip():
        raise LocaleError("a locale is a text such as 'fr-FR'")
    from babel import Locale, UnknownLocaleError

    try:
        loc = Locale.parse(value.strip().replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        raise LocaleError(
            "unknown locale '{value}'",
            {
                "value": value,
                "hint": "use a language code with an optional region, e.g. "
                + ", ".join(COMMON_LOCALES),
            },
        ) from None
    parts = [loc.language]
    if loc.script:
        parts.append(loc.script)
    if loc.territory:
        parts.append(loc.territory)
    return "-".join(parts)

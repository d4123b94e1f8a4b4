"""Locale-aware case mapping (Turkish and Azeri dotted/dotless i)."""

from __future__ import annotations

from functools import lru_cache

_DOTTED_I_LANGS = frozenset({"tr", "az"})


@lru_cache(maxsize=256)  # asked for every linted post and cased word: a few locales a run
def lang_of(locale: str) -> str:
    return locale.replace("_", "-").split("-")[0].lower()


def upper(text: str, locale: str = "en") -> str:
    if lang_of(locale) in _DOTTED_I_LANGS:
        text = text.replace("i", "İ")
    return text.upper()


def lower(text: str, locale: str = "en") -> str:
    if lang_of(locale) in _DOTTED_I_LANGS:
        text = text.replace("İ", "i").replace("I", "ı")
    # str.lower() maps İ to i + COMBINING DOT ABOVE outside Turkish; fold it back.
    return text.lower().replace("i\u0307", "i")


def capitalize_first(text: str, locale: str = "en") -> str:
    """Upper-case the first letter, leave the rest as written."""
    return upper(text[:1], locale) + text[1:] if text else text


def capitalize(text: str, locale: str = "en") -> str:
    """Jinja's ``capitalize``: first letter upper, the rest lower."""
    return upper(text[:1], locale) + lower(text[1:], locale) if text else text


def title(text: str, locale: str = "en") -> str:
    words = text.split(" ")
    return " ".join(capitalize(word, locale) for word in words)

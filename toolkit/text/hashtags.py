"""Hashtags as platforms want them: #CamelCase, de-duplicated, capped."""

from __future__ import annotations

from collections.abc import Iterable

import regex

from toolkit.text.casing import capitalize_first

# Letters, marks and digits of any script; everything else separates words.
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}_]+")


def to_hashtag(phrase: str, locale: str = "en") -> str | None:
    """``social media`` → ``#SocialMedia``; ``istanbul`` (tr) → ``#İstanbul``.

    Words written with inner capitals (``iPhone``, ``ROI``) keep them.
    Returns None when nothing usable is left.
    """
    words = _WORD.findall(phrase.lstrip("#"))
    if not words:
        return None
    if len(words) == 1 and not any(c.isupper() for c in words[0][1:]):
        tag = capitalize_first(words[0], locale)
    else:
        tag = "".join(capitalize_first(w, locale) for w in words)
    if tag.replace("_", "").isdigit():
        return None  # platforms do not link all-digit tags
    return "#" + tag


def hashtag_list(phrases: Iterable[str], locale: str, cap: int | None) -> list[str]:
    seen: set[str] = set()
    tags: list[str] = []
    for phrase in phrases:
        tag = to_hashtag(phrase, locale)
        if tag is None or tag.casefold() in seen:
            continue
        seen.add(tag.casefold())
        tags.append(tag)
    return tags if cap is None else tags[:cap]

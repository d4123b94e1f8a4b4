"""Right-to-left paragraphs and the display order of a line's words.

Each word is shaped by raqm (HarfBuzz and FriBiDi) in its own direction; the
order of words of mixed direction on a line follows the Unicode bidi
algorithm for two levels: a run of words against the paragraph's direction
(with the neutral words between them) is reversed as a group.
"""

from __future__ import annotations

import unicodedata

RTL_LANGS = frozenset({"ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv"})


def direction(text: str) -> str:
    found = "N"
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "R"
        if kind == "L":
            found = "L"
    return found


def visual_order(dirs: list[str], base_rtl: bool) -> list[int]:
    """Indices of a line's tokens in display order (bidi with two levels)."""
    base = "R" if base_rtl else "L"
    resolved: list[str] = []
    for i, d in enumerate(dirs):
        if d != "N":
            resolved.append(d)
            continue
        before = next((dirs[j] for j in range(i - 1, -1, -1) if dirs[j] != "N"), base)
        after = next((dirs[j] for j in range(i + 1, len(dirs)) if dirs[j] != "N"), base)
        resolved.append(before if before == after else base)
    groups: list[list[int]] = []
    for i, d in enumerate(resolved):
        if groups and resolved[groups[-1][0]] == d:
            groups[-1].append(i)
        else:
            groups.append([i])
    order: list[int] = []
    for group in reversed(groups) if base_rtl else groups:
        order.extend(reversed(group) if resolved[group[0]] == "R" else group)
    return order


def paragraph_rtl(text: str, lang: str) -> bool:
    """Right-to-left when the first strong character is, or the language is, with none."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return lang in RTL_LANGS

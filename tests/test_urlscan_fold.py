"""``fold`` answers for uncased characters without compiling the TLD alphabet's class.

The shortcut is exact only because ``re``'s IGNORECASE matches an uncased character
(emoji, CJK, digits, most symbols) to itself alone: this holds it to that, over the
whole Basic Multilingual Plane and the emoji planes.
"""

from __future__ import annotations

from toolkit.text import urlscan


def test_uncased_characters_fold_to_themselves_as_the_regex_says() -> None:
    alphabet = urlscan._tlds()[2]
    letters = urlscan._alphabet_class()
    planes = [*range(0x0000, 0xD800), *range(0xE000, 0x10000), *range(0x1F000, 0x1FB00)]
    for code in planes:
        char = chr(code)
        if char.lower() == char == char.upper() and char not in alphabet:
            assert letters.fullmatch(char) is None, hex(code)
            assert urlscan.fold(char) == char, hex(code)

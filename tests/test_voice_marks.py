"""Mentions and hashtags found from their marks by ``str.find`` are ``finditer``'s matches."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from toolkit.text import spans

_ALPHABET = "ab1_ #＃@＠.:/-&éİ東\u200d\ufe0f️⃣ \n"
_TEXTS = [
    "",
    "#a #b #",
    "@ada and @bob@social.example, me@example.com",
    "＃東京 #tokyo ＠ユーザー @user",
    "##a #1 #_ #a#b a#b &#x; RT@ada rt:@bob",
    "https://example.com/#frag #tag @a.b-c",
]


def _by_finditer(text: str, pattern: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in spans._regex(pattern).finditer(text)]


def _found(found: list[spans.Span]) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.text) for s in found]


def _check(text: str) -> None:
    assert _found(spans.mentions(text)) == _by_finditer(text, spans._MENTION)
    assert _found(spans._hashtag_candidates(text)) == _by_finditer(text, spans._HASHTAG)


def test_listed_texts() -> None:
    for text in _TEXTS:
        _check(text)


@given(st.text(alphabet=_ALPHABET, max_size=40))
def test_any_text(text: str) -> None:
    _check(text)

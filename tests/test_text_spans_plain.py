"""The standard-library shortcut for plain hashtags finds what the full pattern finds."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from toolkit.text import spans

PIECES = st.sampled_from(
    ["#", "＃", "#tag", "#Tag_1", "#16", "#_", "#a", "tag", "é", "東京", "_", "1", "a", "&",
     "\ufe0f", "\u20e3", "\u200d", "://", " ", "\n", "\t", "\u00a0", "\u3000", ".", "@", "🎉",
     "https://example.com/#x", "example.com", "#café", "#x#y"]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(PIECES, max_size=16).map("".join))
@example("#tag #Tag_1 x#no #16 #_a\n#end")
@example("&#tag é#tag _#tag 1#tag \u200d#tag")
@example("#tagé #tag\u00a0 #tag\u3000 #tag. #tag\u200d")
@example("#a\ufe0f #b\u20e3 #c://x #d#e #f\u00a0g")
def test_plain_hashtags_match_the_full_pattern(text: str) -> None:
    full = spans._regex(spans._HASHTAG)
    expected = [(m.start(), m.end()) for m in full.finditer(text)]
    found = [(s.start, s.end) for s in spans._hashtag_candidates(text)]
    assert found == expected


EMOJI_PIECES = st.sampled_from(
    ["🎉", "👋", "🏽", "\U0001f3fb", "\u200d", "\ufe0f", "\ufe0e", "\u20e3", "1", "#", "*",
     "🇫", "🇷", "❤", "©", "®", "™", "ℹ", "☺", "\U000e0067", "\U000e007f", "🏴", "👨", "👩",
     "a", " ", "é", "東", "\u2194", "\U0001f000", "\U0010ffff", "\u3030"]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(EMOJI_PIECES, max_size=12).map("".join))
@example("🎉 👋🏽 ❤️ ❤\ufe0e 1️⃣ 🇫🇷 👨‍👩 © ™ ℹ️ 🏴\U000e0067\U000e007f")
def test_plain_emoji_match_the_full_pattern(text: str) -> None:
    full = spans._regex(spans._EMOJI)
    assert spans.emoji_bounds(text) == [m.span() for m in full.finditer(text)]
